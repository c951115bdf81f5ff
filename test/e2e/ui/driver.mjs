// What a person does in the workbench, as playwright steps: open a file with Quick Open, run a
// command from the Command Palette, read the status bar, point at a word. Every step waits for
// what a person would wait for to see, and fails with a message that says what was missing.
import assert from 'node:assert/strict';

const isMac = process.platform === 'darwin';
const mod = isMac ? 'Meta' : 'Control';

/** Waits until the workbench has loaded, the workspace is shown and extensions have started. */
export async function waitForWorkbench(page) {
  await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
  // The remote indicator leaves its "opening remote" state once the extension host is connected.
  await page
    .locator('#status\\.host\\.remote, .statusbar-item[id="status.host"]')
    .first()
    .waitFor({ timeout: 10_000 })
    .catch(() => {});
}

/** Opens a workspace file through Quick Open (Ctrl+P), as a person typing its name would. */
export async function openFile(page, name) {
  await page
    .locator('.monaco-workbench')
    .click({ position: { x: 5, y: 400 } })
    .catch(() => {});
  await page.keyboard.press(`${mod}+P`);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  const match = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await match.waitFor({ timeout: 10_000 });
  await input.press('Enter');
  // A .json.gz is replaced at once by its decompressed view, named without .gz: its own tab may
  // show for a moment or not at all. The shorter name is in both tabs' titles.
  await page.locator('.tabs-container .tab.active', { hasText: name.replace(/\.gz$/, '') }).waitFor({ timeout: 10_000 });
  await page
    .locator('.editor-instance .view-lines .view-line')
    .first()
    .waitFor({ timeout: 5_000 })
    .catch(() => {});
}

/**
 * Runs a command by its title through the Command Palette (F1). `asks`: the command asks a
 * question in a quick input of its own, which takes the palette's place in the same widget, so
 * the widget may never close in between: wait for the palette's text to go instead.
 */
export async function runCommand(page, title, { asks = false } = {}) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  if (!asks) {
    await input.waitFor({ state: 'hidden', timeout: 10_000 });
    return;
  }
  const deadline = Date.now() + 10_000;
  while ((await input.inputValue().catch(() => '')).startsWith('>')) {
    if (Date.now() > deadline) throw new Error(`the Command Palette still shows "${title}" after running it`);
    await page.waitForTimeout(100);
  }
}

/** The language the status bar shows for the active editor ("CloudTrail Log", "JSON", ...). */
export async function languageShown(page) {
  const item = page.locator('[id="status.editor.mode"]');
  await item.waitFor({ timeout: 10_000 });
  return (await item.innerText()).trim();
}

export async function waitForLanguageShown(page, expected, timeout = 15_000) {
  const item = page.locator('[id="status.editor.mode"]', { hasText: expected });
  await item.waitFor({ timeout }).catch(async () => {
    assert.fail(`the status bar shows the language "${await languageShown(page).catch(() => '?')}", not "${expected}"`);
  });
}

/** The cursor's line (from 1) as the status bar shows it ("Ln 12, Col 5"). */
export async function cursorLine(page) {
  const text = await page.locator('[id="status.editor.selection"]').innerText();
  const match = text.match(/Ln (\d+)/);
  assert.ok(match, `the status bar shows the cursor position (it shows "${text}")`);
  return Number(match[1]);
}

/** Moves the mouse onto the first editor token whose text contains `word`, as a person pointing at it. */
export async function pointAt(page, word) {
  const token = page.locator('.editor-instance .view-lines .view-line span span', { hasText: word }).first();
  await token.waitFor({ timeout: 10_000 });
  // The editor re-renders a line when its tokens change; ask again until the token holds still.
  let box = null;
  for (let attempt = 0; attempt < 20 && !box; attempt++) {
    box = await token.boundingBox({ timeout: 1_000 }).catch(() => null);
    if (!box) await page.waitForTimeout(100);
  }
  assert.ok(box, `"${word}" is on screen`);
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
}

/**
 * Points at `word` until the hover widget shows something containing `expected`, and returns its
 * text. A hover asked for before the language server is ready stays empty, so, like a person
 * would, it moves the mouse away and back until the hover appears or `timeout` passes.
 */
export async function hoverOver(page, word, expected, timeout = 20_000) {
  const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: expected }).first();
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    await pointAt(page, word);
    if (
      await hover.waitFor({ state: 'visible', timeout: 3_000 }).then(
        () => true,
        () => false,
      )
    ) {
      return (await hover.innerText()).trim();
    }
    await page.mouse.move(5, 5);
    await page.waitForTimeout(300);
  }
  assert.fail(`pointing at "${word}" shows no hover with "${expected}"`);
}

/** The visible text of the editor (only the lines on screen). */
export async function visibleEditorText(page) {
  return page.locator('.editor-instance .view-lines').first().innerText();
}

/** Opens the Problems panel (Ctrl+Shift+M) and returns the text of its rows once `expected` is listed. */
export async function problemsListing(page, expected, timeout = 15_000) {
  await page.keyboard.press(`${mod}+Shift+M`);
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ timeout: 10_000 });
  await panel
    .locator('.monaco-list-row', { hasText: expected })
    .first()
    .waitFor({ timeout })
    .catch(() => assert.fail(`the Problems panel lists nothing with "${expected}"`));
  return panel.locator('.monaco-list-row').allInnerTexts();
}

/**
 * A view of the side bar by its title, expanded as a person would (a collapsed view asks its
 * extension for nothing): its header and its whole pane.
 */
export async function expandedSideBarView(page, title) {
  const titled = () => page.locator('h3.title', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });
  const header = page.locator('.part.sidebar .pane-header', { has: titled() }).first();
  await header.waitFor({ timeout: 10_000 }).catch(() => assert.fail(`the sidebar has no ${title} view`));
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  // `has` is looked for inside each pane: a locator of the title alone, not of the whole header path.
  return { header, pane: page.locator('.part.sidebar .pane', { has: titled() }).first() };
}

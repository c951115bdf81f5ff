// Scenarios in the CloudTrail view (activity-bar container "cloudtrail", view "cloudtrail.events").
// What the view should show is worked out from the file with the project's own model, so the
// scenarios check the view against the log rather than against remembered numbers.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { repoRoot } from '../lib/workbench.mjs';
import { cursorLine, openFile } from './driver.mjs';

const LOG = 'console-download.json';
const require = createRequire(import.meta.url);

/** The events of a workspace file as the model reads them: name, identity label, first and last line. */
function eventsOf(workspace, name) {
  const { parseCloudTrail } = require(join(repoRoot, 'out/server/src/model/cloudTrailDocument.js'));
  const text = readFileSync(join(workspace, name), 'utf8');
  const lineAt = (offset) => text.slice(0, offset).split('\n').length;
  return parseCloudTrail(text).records.map((record) => {
    const identity = record.summary.identity;
    return {
      eventName: record.summary.eventName,
      identity: identity.label,
      // Every name a view may call this identity by: its label, user, role, session, ARN.
      identityNames: [
        identity.label,
        identity.userName,
        identity.sessionIssuerName,
        identity.sessionName,
        identity.arn,
        identity.sessionIssuerArn,
        identity.key,
      ].filter(Boolean),
      firstLine: lineAt(record.start),
      lastLine: lineAt(record.end),
    };
  });
}

/** True when a group label names the identity of `event` (a role group holds its sessions). */
function namesIdentityOf(label, event) {
  return label.length > 0 && event.identityNames.some((name) => name === label || name.includes(label) || label.includes(name));
}

function tally(values) {
  const counts = new Map();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Opens the CloudTrail view from the activity bar, as a person clicking its icon. */
async function showEventsView(page) {
  const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label*="CloudTrail"]').first();
  await icon.waitFor({ timeout: 15_000 }).catch(() => assert.fail('the activity bar has no CloudTrail icon'));
  await icon.click({ timeout: 10_000 });
  const sidebar = page.locator('.part.sidebar');
  await sidebar
    .locator('.monaco-list-row[aria-level="1"]')
    .first()
    .waitFor({ timeout: 15_000 })
    .catch(() => assert.fail('the CloudTrail view shows no rows'));
  return sidebar;
}

/** The top-level rows of the view as { label, description, count, row }, read in one go. */
async function topRows(sidebar) {
  const rows = sidebar.locator('.monaco-list-row[aria-level="1"]');
  const texts = await rows.evaluateAll((elements) =>
    elements.map((element) => ({
      label: element.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: element.querySelector('.label-description')?.textContent?.trim() ?? '',
    })),
  );
  return (
    texts
      .map(({ label, description }, index) => {
        // "ec2 · 3 events", "3 events, 1 failed": the number of events, not an account id or a digit of a name.
        const count = Number((`${description} ${label}`.match(/\b(\d[\d,]*) events?\b/)?.[1] ?? 'NaN').replace(/,/g, ''));
        return { label, description, count, row: rows.nth(index) };
      })
      // The Findings view shares the sidebar: its rule groups count findings, not events.
      .filter((row) => !/\bfindings?\)?$/.test(row.description))
  );
}

/** True when every group of `expected` (key -> count) is a row whose label names the key and shows the count. */
function showsGroups(rows, expected) {
  return rows.length === expected.size && [...expected].every(([key, count]) => rows.some((row) => row.label.includes(key) && row.count === count));
}

const describeRows = (rows) => rows.map((r) => `${r.label} (${r.description})`).join(', ');

/** Waits until the top-level rows satisfy `accept`; returns them. */
async function waitForRows(sidebar, accept, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await topRows(sidebar);
    if (rows.length > 0 && accept(rows)) return rows;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`the view does not show ${what}; it shows: ${describeRows(rows)}`);
}

/** Clicks the view's grouping action and picks `choice` ("Identity", "Action") where it asks. */
async function chooseGrouping(page, sidebar, choice) {
  await sidebar.hover({ timeout: 5_000 });
  const switcher = sidebar.locator('a.action-label[aria-label*="group" i]:visible').first();
  await switcher.waitFor({ timeout: 10_000 }).catch(() => assert.fail('the CloudTrail view offers no grouping action in its title bar'));
  await switcher.click({ timeout: 10_000 });
  const option = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: new RegExp(`^\\s*(by )?${choice}(?!,)`, 'i') }).first();
  const asked = await option.waitFor({ timeout: 3_000 }).then(
    () => true,
    () => false,
  );
  if (asked) await option.click({ timeout: 5_000 });
}

export const eventsViewScenarios = [
  {
    name: 'events-view',
    title: 'the CloudTrail view groups the events of the open log, with counts',
    async run({ page, workspace, screenshot }) {
      const events = eventsOf(workspace, LOG);
      await openFile(page, LOG);
      const sidebar = await showEventsView(page);
      const byAction = tally(events.map((e) => e.eventName));
      const byIdentity = tally(events.map((e) => e.identity));
      await waitForRows(
        sidebar,
        (rows) => showsGroups(rows, byAction) || showsGroups(rows, byIdentity),
        'the events grouped by action or by identity, each group with its count',
      );
      await screenshot();
    },
  },
  {
    name: 'events-grouping',
    title: 'switching the grouping regroups the events by who made them, and back by action',
    async run({ page, workspace, screenshot }) {
      const events = eventsOf(workspace, LOG);
      const byAction = tally(events.map((e) => e.eventName));
      await openFile(page, LOG);
      const sidebar = await showEventsView(page);

      await chooseGrouping(page, sidebar, 'Identity');
      const byIdentity = await waitForRows(
        sidebar,
        (rows) => {
          const total = rows.reduce((sum, row) => sum + row.count, 0);
          return (
            total === events.length &&
            rows.every((row) => !byAction.has(row.label) && events.some((event) => namesIdentityOf(row.label, event))) &&
            events.every((event) => rows.some((row) => namesIdentityOf(row.label, event)))
          );
        },
        'the events grouped by identity, every identity of the log in a group, counts adding up to the events',
      );
      assert.ok(byIdentity.length < byAction.size, 'fewer people than actions in this log');
      await screenshot();

      await chooseGrouping(page, sidebar, 'Action');
      await waitForRows(sidebar, (rows) => showsGroups(rows, byAction), 'the events grouped by action again');
    },
  },
  {
    name: 'events-reveal',
    title: 'clicking an event in the CloudTrail view puts the cursor at the start of its record, without selecting it',
    async run({ page, workspace, screenshot }) {
      const events = eventsOf(workspace, LOG);
      await openFile(page, LOG);
      const sidebar = await showEventsView(page);
      const startLine = await cursorLine(page);
      // Open the group with the most events, then click its last event (far from the top of the file).
      const rows = await waitForRows(sidebar, (shown) => shown.reduce((sum, row) => sum + row.count, 0) === events.length, 'every event of the log in a group');
      const group = rows.reduce((best, row) => (row.count > best.count ? row : best), rows[0]);
      await group.row.click({ timeout: 10_000 });
      const children = sidebar.locator('.monaco-list-row[aria-level="2"]');
      await children
        .first()
        .waitFor({ timeout: 10_000 })
        .catch(() => assert.fail(`the group ${group.label} does not open to its events`));
      const count = await children.count();
      await children.nth(count - 1).click({ timeout: 10_000 });
      const deadline = Date.now() + 10_000;
      let line = startLine;
      while (line === startLine && Date.now() < deadline) {
        await page.waitForTimeout(100);
        line = await cursorLine(page);
      }
      assert.notEqual(line, startLine, 'the cursor moved');
      const event = events.find((e) => e.firstLine === line);
      assert.ok(event, `the cursor (line ${line}) is at the start of an event's record`);
      assert.ok(
        group.label === event.eventName || namesIdentityOf(group.label, event),
        `line ${line} is an event of the group ${group.label} (it is ${event.eventName} by ${event.identity})`,
      );
      // The record is shown, not selected: typing now must not replace it.
      const position = await page.locator('[id="status.editor.selection"]').innerText();
      assert.doesNotMatch(position, /selected/, `nothing is selected after the reveal (the status bar shows "${position}")`);
      await screenshot();
    },
  },
  {
    name: 'events-folder-on-open',
    title: 'a window opened on a folder of logs with cloudtrail.folder.indexOnOpen starts on its events in the Events view, with no welcome page',
    async run({ page, workspace, screenshot }) {
      // A folder of its own beside the workspace, as `npm start -- --folder=...` opens one, with the
      // setting the start script gives it (here in the folder's settings).
      const folder = join(dirname(workspace), 'logs-opened-as-folder');
      mkdirSync(join(folder, '.vscode'), { recursive: true });
      copyFileSync(join(workspace, LOG), join(folder, LOG));
      writeFileSync(join(folder, '.vscode/settings.json'), JSON.stringify({ 'cloudtrail.folder.indexOnOpen': true }));
      // A JSON file that is not a log: the warning about it must leave the focus on the events.
      writeFileSync(join(folder, 'notes.json'), JSON.stringify({ note: 'not a log' }));
      const events = eventsOf(folder, LOG);
      const url = new URL(page.url());
      url.searchParams.set('folder', folder);
      await page.goto(url.toString());
      await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
      const sidebar = page.locator('.part.sidebar');
      await waitForRows(
        sidebar,
        (rows) => rows.reduce((sum, row) => sum + row.count, 0) === events.length,
        'every event of the folder in the Events view',
        60_000,
      );
      const title = await sidebar
        .locator('.pane-header[aria-label*="Events"] .description, .pane-header .description')
        .first()
        .innerText()
        .catch(() => '');
      assert.match(title, new RegExp(basename(folder)), `the Events view shows the folder (its description is "${title}")`);
      const container = await sidebar
        .locator('.composite.title .title-label')
        .first()
        .innerText()
        .catch(() => '');
      assert.match(container, /CloudTrail/i, `the side bar shows the CloudTrail views (it shows "${container}")`);
      const tabs = await page.locator('.tabs-container .tab').allInnerTexts();
      assert.ok(
        !tabs.some((tab) => /welcome|walkthrough|get started/i.test(tab)),
        `no welcome page or walkthrough is open (tabs: ${tabs.join(', ') || 'none'})`,
      );
      await screenshot();
    },
  },
];

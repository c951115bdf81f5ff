// Runs the UI scenarios: one code-server with the extension installed (linked into its extensions
// folder) and the end-to-end workspace, one headless Chromium, and a fresh browser context (so a
// fresh workbench window) per scenario. Each scenario saves a screenshot to
// .e2e/screenshots/<name>.png (<name>-failed.png when it fails); with `updateMedia`, those that
// passed and are listed in README_SCREENSHOTS are copied to media/screenshots/ for the README.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeOnExit, withTimeout } from '../lib/processes.mjs';
import { installVsix, launchBrowser, linkExtension, repoRoot, startCodeServer, workbenchUrl } from '../lib/workbench.mjs';
import { createTestWorkspace } from '../lib/workspace.mjs';
import { waitForWorkbench } from './driver.mjs';
import { editorScenarios } from './editor.scenarios.mjs';
import { eventsViewScenarios } from './eventsView.scenarios.mjs';
import { findingsScenarios } from './findings.scenarios.mjs';
import { timelineScenarios } from './timeline.scenarios.mjs';

export const scenarios = [...editorScenarios, ...eventsViewScenarios, ...findingsScenarios, ...timelineScenarios];

/** Screenshots the README shows, by scenario name. */
const README_SCREENSHOTS = ['hover', 'events-reveal', 'problems', 'open-gz', 'timeline', 'findings'];

const screenshotDir = join(repoRoot, '.e2e/screenshots');

/**
 * With `vsix`, the extension is installed from that package (as users install it) instead of
 * being linked from the project folder.
 * @param {{ only?: string[], updateMedia?: boolean, vsix?: string, log?: (line: string) => void }} options
 * @returns {Promise<{ name: string, title: string, passed: boolean, error?: string, ms: number }[]>}
 */
export async function runUiTests({ only, updateMedia = false, vsix, log = console.log } = {}) {
  const selected = scenarios.filter((scenario) => !only || only.includes(scenario.name));
  // A folder of its own for the workbench's state, so that runs never share it.
  const runDir = mkdtempSync(join(tmpdir(), 'cloudtrail-ui-tests-'));
  const removeRunDir = removeOnExit(runDir);
  mkdirSync(screenshotDir, { recursive: true });
  const prefix = vsix ? 'packaged-' : '';
  const results = [];
  let server;
  let browser;
  try {
    const workspace = createTestWorkspace(join(runDir, 'cloudtrail-logs'));
    const extensionsDir = join(runDir, 'extensions');
    if (vsix) await installVsix({ vsix, extensionsDir, scratchDir: runDir });
    else linkExtension(extensionsDir);
    server = await startCodeServer({ scratchDir: runDir, folder: workspace, extensionsDir, logFile: join(repoRoot, `.e2e/logs/${prefix}ui-code-server.log`) });
    browser = await launchBrowser({ scratchDir: runDir });
    for (const scenario of selected) {
      const started = Date.now();
      const page = await browser.newPage();
      const name = `${prefix}${scenario.name}`;
      for (const suffix of ['', '-failed']) rmSync(join(screenshotDir, `${name}${suffix}.png`), { force: true });
      const screenshot = (suffix = '') => page.screenshot({ path: join(screenshotDir, `${name}${suffix}.png`) });
      let error;
      try {
        await withTimeout(
          (async () => {
            await page.goto(workbenchUrl(server, workspace));
            await waitForWorkbench(page);
            await scenario.run({ page, workspace, screenshot: () => screenshot() });
          })(),
          scenario.timeoutMs ?? 60_000,
          `the scenario "${name}"`,
        );
      } catch (caught) {
        error = caught instanceof Error ? caught.message : String(caught);
        await screenshot('-failed').catch(() => {});
      }
      await page
        .context()
        .close()
        .catch(() => {});
      const result = { name, title: scenario.title, passed: !error, error, ms: Date.now() - started };
      results.push(result);
      log(
        `  ${result.passed ? '✔' : '✘'} ${name}: ${scenario.title} (${(result.ms / 1000).toFixed(1)} s)${error ? `\n      ${error.split('\n').join('\n      ')}` : ''}`,
      );
    }
  } finally {
    await browser?.close();
    await server?.stop();
    removeRunDir();
  }

  if (updateMedia && !vsix) {
    const media = join(repoRoot, 'media/screenshots');
    mkdirSync(media, { recursive: true });
    for (const result of results.filter((r) => r.passed && README_SCREENSHOTS.includes(r.name))) {
      copyFileSync(join(screenshotDir, `${result.name}.png`), join(media, `${result.name}.png`));
      log(`  copied ${result.name}.png to media/screenshots/`);
    }
  }
  return results;
}

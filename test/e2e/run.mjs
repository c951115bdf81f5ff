// The end-to-end suite, from a clean machine to one summary line:
//   1. install what it needs (test/e2e/install.mjs: Debian packages, the workbench harness);
//   2. build: compile the tests (tsc) and bundle the extension (scripts/build.mjs);
//   3. the extension-host tests, through @vscode/test-electron's runTests() (runExtensionTests.mjs);
//   4. the UI scenarios in the workbench, in headless Chromium (ui/runUiTests.mjs);
//   5. the package: `scripts/package.mjs` builds the .vsix, code-server installs it as a user
//      would, and a few UI scenarios run against the installed package.
// Ends with the line "e2e: N passed, N failed" and exits non-zero when anything failed.
// Every process it starts is ended with its whole process group, also on failure, on Ctrl-C and
// when the whole run passes its deadline (CLOUDTRAIL_E2E_DEADLINE_MS, default 9 minutes).
//
// Options: --skip-install, --skip-build, --skip-package, --extension-host-only, --ui-only,
//          --scenario=name,name (UI scenarios to run), --update-media (copy the README's
//          screenshots to media/screenshots/ when their scenarios pass).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { install } from './install.mjs';
import { runToEnd, stopAllGroups } from './lib/processes.mjs';
import { repoRoot } from './lib/workbench.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const scenarioNames = args
  .find((a) => a.startsWith('--scenario='))
  ?.slice('--scenario='.length)
  .split(',');
const deadlineMs = Number(process.env.CLOUDTRAIL_E2E_DEADLINE_MS ?? 9 * 60_000);

/** What the installed .vsix must do: highlight logs, run its server, open .json.gz files, show its view. */
const PACKAGE_SCENARIOS = ['open-log', 'problems', 'hover', 'open-gz', 'events-view'];

const totals = { passed: 0, failed: 0 };
const timings = [];
const started = Date.now();

function finish(code) {
  const spent = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\ne2e timings: ${timings.map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`).join(', ')}; total ${spent} s`);
  console.log(`e2e: ${totals.passed} passed, ${totals.failed} failed`);
  process.exit(code !== 0 || totals.failed > 0 || totals.passed === 0 ? 1 : 0);
}

const deadline = setTimeout(() => {
  console.error(`\ne2e: the run passed its deadline of ${deadlineMs / 1000} s; stopping everything it started`);
  totals.failed += 1;
  void stopAllGroups().finally(() => finish(1));
}, deadlineMs);
deadline.unref();

async function step(name, body) {
  console.log(`\n--- ${name}`);
  const stepStarted = Date.now();
  try {
    return await body();
  } finally {
    timings.push([name, Date.now() - stepStarted]);
  }
}

try {
  if (!flag('skip-install')) {
    const ok = await step('install', () => install());
    if (!ok) {
      totals.failed += 1;
      finish(1);
    }
  }

  if (!flag('skip-build')) {
    await step('build', async () => {
      // tsc emits even when some file has a type error; the typecheck step of npm test reports those.
      const tsc = await runToEnd(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', repoRoot], {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      if (tsc !== 0) console.log(`tsc exited with ${tsc}; going on with what it emitted`);
      const build = await runToEnd(process.execPath, [join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot });
      if (build !== 0 || !existsSync(join(repoRoot, 'dist/extension.js'))) throw new Error(`the build failed (exit ${build})`);
    });
  }

  if (!flag('ui-only')) {
    await step('extension-host tests', async () => {
      // In a process group of its own, so that a deadline ends runTests(), the workbench it
      // started and the browser together.
      const resultsFile = join(repoRoot, '.e2e/extension-host-results.json');
      mkdirSync(dirname(resultsFile), { recursive: true });
      rmSync(resultsFile, { force: true });
      const code = await runToEnd(process.execPath, [join(repoRoot, 'test/e2e/runExtensionTests.mjs'), `--results=${resultsFile}`], { cwd: repoRoot });
      const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
      if (results) {
        totals.passed += results.passed;
        totals.failed += results.failed;
        for (const failure of results.failures) console.log(`  ✘ ${failure.title}: ${failure.message.split('\n')[0]}`);
      }
      if (!results || (code !== 0 && results.failed === 0)) {
        console.log(`extension-host tests: the run ended with exit code ${code} without reporting its tests`);
        totals.failed += 1;
      }
    });
  }

  if (!flag('extension-host-only')) {
    await step('UI scenarios', async () => {
      const { runUiTests } = await import('./ui/runUiTests.mjs');
      const results = await runUiTests({ only: scenarioNames, updateMedia: flag('update-media') });
      const passed = results.filter((r) => r.passed).length;
      totals.passed += passed;
      totals.failed += results.length - passed;
      console.log(`UI scenarios: ${passed} of ${results.length} passed; screenshots in .e2e/screenshots/`);
    });
  }
  if (!flag('skip-package') && !flag('extension-host-only') && !scenarioNames) {
    await step('package', async () => {
      const vsix = join(repoRoot, '.e2e/cloudtrail-explorer.vsix');
      const packaged = await runToEnd(process.execPath, [join(repoRoot, 'scripts/package.mjs'), `--out=${vsix}`], { cwd: repoRoot });
      if (packaged !== 0) {
        console.log(`package: scripts/package.mjs failed (exit ${packaged})`);
        totals.failed += 1;
        return;
      }
      const { runUiTests } = await import('./ui/runUiTests.mjs');
      const results = await runUiTests({ vsix, only: PACKAGE_SCENARIOS });
      const passed = results.filter((r) => r.passed).length;
      totals.passed += passed;
      totals.failed += results.length - passed;
      console.log(`packaged extension: ${passed} of ${results.length} scenarios passed`);
    });
  }
  await stopAllGroups();
  finish(0);
} catch (error) {
  console.error(`e2e: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  totals.failed += 1;
  await stopAllGroups();
  finish(1);
}

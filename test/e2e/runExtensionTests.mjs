// Runs the extension-host tests (out/test/e2e/suite) through @vscode/test-electron's standard
// runTests(). With CLOUDTRAIL_E2E_DESKTOP=1, runTests downloads desktop VS Code and runs them there,
// as it does anywhere. Without it (the default, for machines that cannot download VS Code), runTests
// gets the project's code-server-shim as the VS Code executable, which runs the same suite in VS
// Code's real workbench (code-server) in headless Chromium.
//
// Prints the suite's output and exits with the test run's exit code; the workbench's own log goes
// to .e2e/logs/. Needs `npx tsc -p .` and `node scripts/build.mjs` first (run.mjs does both).
import { runTests } from '@vscode/test-electron';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { removeOnExit } from './lib/processes.mjs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestWorkspace } from './lib/workspace.mjs';
import { repoRoot } from './lib/workbench.mjs';

const desktop = process.env.CLOUDTRAIL_E2E_DESKTOP === '1';
const extensionTestsPath = join(repoRoot, 'out/test/e2e/suite/index.js');

export async function runExtensionTests() {
  if (!existsSync(extensionTestsPath)) {
    console.error(`${extensionTestsPath} is missing: compile the tests first (npx tsc -p .).`);
    return { code: 2, results: undefined };
  }
  // A folder of its own, so that runs in the same project folder never share state.
  const runDir = mkdtempSync(join(tmpdir(), 'cloudtrail-extension-tests-'));
  const removeRunDir = removeOnExit(runDir);
  const resultsFile = join(runDir, 'results.json');
  const workspace = createTestWorkspace(join(runDir, 'cloudtrail-logs'));

  /** @type {import('@vscode/test-electron').TestOptions} */
  const options = {
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath,
    launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${join(runDir, 'user-data')}`, `--extensions-dir=${join(runDir, 'extensions')}`],
    extensionTestsEnv: {
      CLOUDTRAIL_E2E_RESULTS: resultsFile,
      CLOUDTRAIL_E2E_LOG_DIR: join(repoRoot, '.e2e/logs'),
    },
  };
  if (desktop) {
    options.cachePath = join(repoRoot, '.e2e/vscode-desktop');
  } else {
    options.vscodeExecutablePath = join(repoRoot, 'test/e2e/code-server-shim');
  }

  let code = 0;
  try {
    await runTests(options);
  } catch (error) {
    code = typeof error?.code === 'number' && error.code !== 0 ? error.code : 1;
    console.error(`extension-host tests: ${error instanceof Error ? error.message : String(error)}`);
  }
  const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
  removeRunDir();
  return { code, results };
}

// Usage: node test/e2e/runExtensionTests.mjs [--results=file.json]  (the counts and failures go there)
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { code, results } = await runExtensionTests();
  const resultsFile = process.argv.find((a) => a.startsWith('--results='))?.slice('--results='.length);
  if (resultsFile && results) writeFileSync(resultsFile, JSON.stringify(results));
  if (results) console.log(`extension-host tests: ${results.passed} of ${results.passed + results.failed} passed`);
  process.exit(code);
}

/**
 * The extension-host test entry point: VS Code loads this module (extensionTestsPath) inside the
 * extension host, with the full `vscode` API, and calls `run()`; a rejection fails the run.
 * When CLOUDTRAIL_E2E_RESULTS names a file, the counts and failures are also written there as JSON,
 * so that the runner can add them to its summary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface SuiteResults {
  passed: number;
  failed: number;
  failures: { title: string; message: string }[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.CLOUDTRAIL_E2E_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const file of files) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const results: SuiteResults = { passed: 0, failed: 0, failures: [] };
    const runner = mocha.run((failures) => {
      const resultsFile = process.env.CLOUDTRAIL_E2E_RESULTS;
      if (resultsFile) {
        fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      }
      if (failures > 0) {
        reject(new Error(`${failures} extension-host test(s) failed`));
      } else {
        resolve();
      }
    });
    runner.on('pass', () => results.passed++);
    runner.on('fail', (test, error: unknown) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), message: error instanceof Error ? error.message : String(error) });
    });
  });
}

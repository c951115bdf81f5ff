import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

interface ShimOptions {
  extensionDevelopmentPaths: string[];
  extensionTestsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  paths: string[];
  ignored: string[];
}

const shim = path.resolve(__dirname, '../../../test/e2e/code-server-shim.mjs');
const parseCommandLine = async (argv: string[]): Promise<ShimOptions> =>
  ((await import(pathToFileURL(shim).href)) as { parseCommandLine(argv: string[]): ShimOptions }).parseCommandLine(argv);

describe('the command line the end-to-end shim takes from runTests()', () => {
  it('reads what @vscode/test-electron passes and ignores the desktop-only switches', async () => {
    const options = await parseCommandLine([
      '/work/logs',
      '--disable-extensions',
      '--user-data-dir=/tmp/ud',
      '--extensions-dir=/tmp/ext',
      '--no-sandbox',
      '--disable-gpu-sandbox',
      '--disable-updates',
      '--skip-welcome',
      '--skip-release-notes',
      '--no-cached-data',
      '--disable-workspace-trust',
      '--extensionTestsPath=/repo/out/test/e2e/suite/index.js',
      '--extensionDevelopmentPath=/repo',
    ]);
    assert.deepEqual(options.paths, ['/work/logs']);
    assert.equal(options.userDataDir, '/tmp/ud');
    assert.equal(options.extensionsDir, '/tmp/ext');
    assert.equal(options.extensionTestsPath, '/repo/out/test/e2e/suite/index.js');
    assert.deepEqual(options.extensionDevelopmentPaths, ['/repo']);
    assert.deepEqual(options.ignored, [
      '--disable-extensions',
      '--no-sandbox',
      '--disable-gpu-sandbox',
      '--disable-updates',
      '--skip-welcome',
      '--skip-release-notes',
      '--no-cached-data',
      '--disable-workspace-trust',
    ]);
  });

  it('takes values after a space as well as after "=", and several development paths', async () => {
    const options = await parseCommandLine([
      '--extensionDevelopmentPath',
      '/a',
      '--extensionDevelopmentPath=/b',
      '--extensionTestsPath',
      '/t/index.js',
      '--user-data-dir',
      '/u',
    ]);
    assert.deepEqual(options.extensionDevelopmentPaths, ['/a', '/b']);
    assert.equal(options.extensionTestsPath, '/t/index.js');
    assert.equal(options.userDataDir, '/u');
    assert.deepEqual(options.paths, []);
  });

  it('makes relative paths absolute, as VS Code does', async () => {
    const options = await parseCommandLine(['logs', '--extensionDevelopmentPath=.']);
    assert.deepEqual(options.paths, [path.resolve('logs')]);
    assert.deepEqual(options.extensionDevelopmentPaths, [process.cwd()]);
  });
});

// Stands in for the VS Code executable that @vscode/test-electron's runTests() starts, on machines
// where desktop VS Code cannot be downloaded. It takes the same command line
// (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=, --extensions-dir=, the
// workspace folder, and desktop-only flags it ignores), runs the same tests in VS Code's real
// workbench (code-server) inside headless Chromium, forwards the test output and exits with the
// test run's exit code.
//
// Environment: CLOUDTRAIL_E2E_TIMEOUT_MS (default 180000) bounds the whole run;
// CLOUDTRAIL_E2E_SCREENSHOT, when set, is where a picture of the workbench is saved at the end;
// CLOUDTRAIL_E2E_LOG_DIR, when set, receives the workbench's own log;
// CLOUDTRAIL_E2E_KEEP=1 keeps the scratch folder (code-server's log is in it).
import { createWriteStream, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { removeOnExit, stopAllGroups, stopWhenOrphaned, withTimeout } from './lib/processes.mjs';
import { harnessInstalled, launchBrowser, startCodeServer, workbenchUrl } from './lib/workbench.mjs';

/** Splits VS Code's command line into the options the workbench needs. */
export function parseCommandLine(argv) {
  const options = { extensionDevelopmentPaths: [], extensionTestsPath: undefined, userDataDir: undefined, extensionsDir: undefined, paths: [], ignored: [] };
  const takesValue = new Set([
    'extensionDevelopmentPath',
    'extensionTestsPath',
    'user-data-dir',
    'extensions-dir',
    'locale',
    'log',
    'inspect-extensions',
    'inspect-brk-extensions',
  ]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      options.paths.push(resolve(arg));
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    let value = equals === -1 ? undefined : arg.slice(equals + 1);
    if (value === undefined && takesValue.has(name) && i + 1 < argv.length) value = argv[++i];
    switch (name) {
      case 'extensionDevelopmentPath':
        options.extensionDevelopmentPaths.push(resolve(value));
        break;
      case 'extensionTestsPath':
        options.extensionTestsPath = resolve(value);
        break;
      case 'user-data-dir':
        options.userDataDir = resolve(value);
        break;
      case 'extensions-dir':
        options.extensionsDir = resolve(value);
        break;
      default:
        // Desktop-only switches (--no-sandbox, --disable-gpu-sandbox, --skip-welcome, ...).
        options.ignored.push(arg);
    }
  }
  return options;
}

/** Formats a console message of the workbench the way Node formats console.log's arguments. */
async function consoleLine(message) {
  const values = await Promise.all(message.args().map((arg) => arg.jsonValue().catch(() => '?')));
  // The workbench prefixes its log lines with "%c LEVEL" and a CSS argument.
  const prefix = typeof values[0] === 'string' ? values[0].match(/^%c\s*(TRACE|DEBUG|INFO|WARN|ERR)$/) : null;
  if (prefix) return { level: prefix[1], text: format(...values.slice(2)) };
  return { level: message.type(), text: format(...values) };
}

/** Where the workbench's own log goes: CLOUDTRAIL_E2E_LOG_DIR/extension-tests-workbench.log, or nowhere. */
function openWorkbenchLog() {
  const dir = process.env.CLOUDTRAIL_E2E_LOG_DIR;
  if (!dir) return { write() {} };
  mkdirSync(dir, { recursive: true });
  return createWriteStream(join(dir, 'extension-tests-workbench.log'));
}

/** extensionTestsPath may name a module file or a folder holding index.js; the workbench wants the file. */
function testsModule(path) {
  try {
    if (statSync(path).isDirectory()) return join(path, 'index.js');
  } catch {
    // A path without a file is passed on as given (as "path.js" by module resolution).
  }
  return path;
}

async function main() {
  stopWhenOrphaned();
  // Once the parent is gone, writing the test output fails with EPIPE; cleaning up matters more.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  const options = parseCommandLine(process.argv.slice(2));
  if (!options.extensionTestsPath || options.extensionDevelopmentPaths.length === 0) {
    console.error('code-server-shim runs extension tests only: pass --extensionDevelopmentPath= and --extensionTestsPath=.');
    return 2;
  }
  if (!harnessInstalled()) {
    console.error('The workbench is not installed: run node test/e2e/install.mjs first.');
    return 2;
  }
  const folder = options.paths[0] ?? options.extensionDevelopmentPaths[0];
  const scratchDir = mkdtempSync(join(tmpdir(), 'cloudtrail-workbench-'));
  const removeScratch = process.env.CLOUDTRAIL_E2E_KEEP ? () => {} : removeOnExit(scratchDir);
  const timeoutMs = Number(process.env.CLOUDTRAIL_E2E_TIMEOUT_MS ?? 180_000);
  let server;
  let browser;
  let page;
  try {
    server = await startCodeServer({
      scratchDir,
      folder,
      userDataDir: options.userDataDir,
      extensionsDir: options.extensionsDir,
    });
    browser = await launchBrowser({ scratchDir });
    page = await browser.newPage();

    let reportExit;
    const exited = new Promise((resolvePromise) => (reportExit = resolvePromise));
    const workbenchLog = openWorkbenchLog();
    // The workbench calls these two when it runs under automation: its own log, line by line,
    // and the exit code of the test run once the extension-host tests are done.
    await page.exposeFunction('codeAutomationLog', (type, message) => workbenchLog.write(`[${type}] ${message}\n`));
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(Number(code)));
    // The tests' own output (mocha's reporter) reaches the page as console messages of the
    // extension host, logged at the info level; everything else goes to the workbench log.
    page.on('console', (message) => {
      void consoleLine(message).then(({ level, text }) => {
        if (level === 'INFO') process.stdout.write(`${text}\n`);
        else workbenchLog.write(`[console ${level}] ${text}\n`);
      });
    });

    await page.goto(
      workbenchUrl(server, folder, {
        extensionDevelopmentPaths: options.extensionDevelopmentPaths,
        extensionTestsPath: testsModule(options.extensionTestsPath),
      }),
    );
    const code = await withTimeout(exited, timeoutMs, 'the extension-host test run');
    return code;
  } catch (error) {
    console.error(`code-server-shim: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    if (page && process.env.CLOUDTRAIL_E2E_SCREENSHOT) {
      await page.screenshot({ path: process.env.CLOUDTRAIL_E2E_SCREENSHOT }).catch(() => {});
    }
    await browser?.close();
    await server?.stop();
    await stopAllGroups();
    if (process.env.CLOUDTRAIL_E2E_KEEP) console.error(`code-server-shim: scratch folder kept at ${scratchDir}`);
    removeScratch();
  }
}

// Runs when executed; importing the module (test/unit/codeServerShim.test.ts) only gives parseCommandLine.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}

// The real VS Code workbench (code-server, VS Code's own workbench and server) and a headless
// Chromium to look at it. Used by the extension-host runner, the UI tests and the demo.
import { createWriteStream, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnGroup, stopGroup, withTimeout } from './processes.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const harnessDir = join(repoRoot, 'test/e2e/harness');
export const codeServerEntry = join(harnessDir, 'node_modules/code-server/out/node/entry.js');
export const chromiumPath = process.env.CLOUDTRAIL_E2E_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--password-store=basic',
  '--use-mock-keychain',
];

/** User settings that keep the workbench quiet and predictable: no welcome page, tips or updates. */
export const WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'editor.hover.delay': 300,
  'editor.cursorBlinking': 'solid',
  'files.simpleDialog.enable': true,
  'window.restoreWindows': 'none',
  'workbench.editor.restoreViewState': false,
};

const requireFromHarness = createRequire(join(harnessDir, 'package.json'));

/** playwright-core from the harness folder. */
export function playwright() {
  return requireFromHarness('playwright-core');
}

export function harnessInstalled() {
  return existsSync(codeServerEntry) && existsSync(join(harnessDir, 'node_modules/playwright-core/package.json'));
}

/** The folder name VS Code expects for an installed extension: publisher.name-version. */
export function extensionFolderName() {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  return `${manifest.publisher}.${manifest.name}-${manifest.version}`;
}

/** Installs the project as an extension by linking it into an extensions folder. */
export function linkExtension(extensionsDir) {
  mkdirSync(extensionsDir, { recursive: true });
  const link = join(extensionsDir, extensionFolderName());
  if (!existsSync(link)) symlinkSync(repoRoot, link, 'dir');
  return link;
}

/** Installs a .vsix into an extensions folder with code-server's own installer, as a user would. */
export async function installVsix({ vsix, extensionsDir, scratchDir }) {
  mkdirSync(extensionsDir, { recursive: true });
  const child = spawnGroup(
    process.execPath,
    [codeServerEntry, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', join(scratchDir, 'user-data')],
    {
      env: { ...process.env, XDG_CONFIG_HOME: join(scratchDir, 'xdg/config'), XDG_DATA_HOME: join(scratchDir, 'xdg/data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await withTimeout(new Promise((resolvePromise) => child.once('close', resolvePromise)), 60_000, 'installing the .vsix');
  await stopGroup(child, 0);
  if (code !== 0 || !/was successfully installed/.test(output)) throw new Error(`code-server could not install ${vsix} (exit ${code}):\n${output}`);
}

function waitForOutput(child, pattern, ms, what) {
  return withTimeout(
    new Promise((resolvePromise, reject) => {
      let seen = '';
      const onData = (chunk) => {
        seen += chunk.toString();
        const match = seen.match(pattern);
        if (match) {
          child.stdout?.off('data', onData);
          child.stderr?.off('data', onData);
          resolvePromise(match);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code, signal) => reject(new Error(`${what} exited early (${code ?? signal}):\n${seen.slice(-2000)}`)));
      child.once('error', reject);
    }),
    ms,
    what,
  );
}

/**
 * Starts code-server on 127.0.0.1, on `port` or else on a free port of its choosing.
 * @param {{ scratchDir: string, folder: string, userDataDir?: string, extensionsDir?: string,
 *           settings?: Record<string, unknown>, logFile?: string, port?: number }} options
 * @returns {Promise<{ url: string, authority: string, child: import('node:child_process').ChildProcess, stop(): Promise<void> }>}
 */
export async function startCodeServer(options) {
  const { scratchDir, folder } = options;
  const userDataDir = options.userDataDir ?? join(scratchDir, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(scratchDir, 'extensions');
  const tmp = join(scratchDir, 'tmp');
  for (const dir of [userDataDir, extensionsDir, tmp, join(userDataDir, 'User'), join(scratchDir, 'xdg')]) {
    mkdirSync(dir, { recursive: true });
  }
  const settingsFile = join(userDataDir, 'User/settings.json');
  const existing = existsSync(settingsFile) ? JSON.parse(readFileSync(settingsFile, 'utf8') || '{}') : {};
  writeFileSync(settingsFile, JSON.stringify({ ...WORKBENCH_SETTINGS, ...existing, ...options.settings }, null, 2));

  // code-server leaves sockets and caches under these; keep them inside the scratch folder.
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(scratchDir, 'xdg/config'),
    XDG_DATA_HOME: join(scratchDir, 'xdg/data'),
    XDG_CACHE_HOME: join(scratchDir, 'xdg/cache'),
    TMPDIR: tmp,
  };
  const args = [
    codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${options.port ?? 0}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    folder,
  ];
  const child = spawnGroup(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logFile = options.logFile ?? join(scratchDir, 'code-server.log');
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  try {
    const [, url] = await waitForOutput(child, /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//, 60_000, 'code-server');
    await withTimeout(waitForHealth(url), 30_000, 'code-server health check');
    return { url, authority: new URL(url).host, child, userDataDir, extensionsDir, stop: () => stopGroup(child) };
  } catch (error) {
    await stopGroup(child);
    throw error;
  }
}

async function waitForHealth(url) {
  for (;;) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts Debian's Chromium headless in a process group of its own and connects playwright to it
 * over the DevTools protocol.
 * @param {{ scratchDir: string, width?: number, height?: number }} options
 */
export async function launchBrowser({ scratchDir, width = 1280, height = 800 }) {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No browser at ${chromiumPath}: run node test/e2e/install.mjs (or set CLOUDTRAIL_E2E_CHROMIUM).`);
  }
  const profile = join(scratchDir, 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  mkdirSync(join(scratchDir, 'tmp'), { recursive: true });
  const child = spawnGroup(
    chromiumPath,
    [
      ...CHROMIUM_ARGS,
      `--user-data-dir=${profile}`,
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      `--window-size=${width},${height}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: join(scratchDir, 'tmp') } },
  );
  try {
    const [, endpoint] = await waitForOutput(child, /DevTools listening on (ws:\/\/\S+)/, 30_000, 'chromium');
    child.stderr.resume();
    const browser = await playwright().chromium.connectOverCDP(endpoint);
    return {
      browser,
      /** A page in a fresh browser context (no storage shared with earlier pages). */
      async newPage() {
        const context = await browser.newContext({ viewport: { width, height } });
        return context.newPage();
      },
      async close() {
        await browser.close().catch(() => {});
        await stopGroup(child);
      },
    };
  } catch (error) {
    await stopGroup(child);
    throw error;
  }
}

/**
 * The workbench URL. With `testPaths`, the workbench runs the extension-host tests found at
 * `testPaths.extensionTestsPath` against the extensions at `testPaths.extensionDevelopmentPaths`.
 */
export function workbenchUrl(server, folder, testPaths) {
  const params = new URLSearchParams({ folder });
  if (testPaths) {
    const remote = (path) => `vscode-remote://${server.authority}${path}`;
    const payload = [
      ...testPaths.extensionDevelopmentPaths.map((path) => ['extensionDevelopmentPath', remote(path)]),
      ['extensionTestsPath', remote(testPaths.extensionTestsPath)],
    ];
    params.set('payload', JSON.stringify(payload));
  }
  // Slashes are fine in a query and keep the printed URL readable.
  return `${server.url}/?${params.toString().replace(/%2F/g, '/')}`;
}

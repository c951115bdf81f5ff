// Installs what the end-to-end tests and the demo need, from a clean machine, and does nothing
// the second time:
//   - Debian packages: Chromium and a font to look at the workbench, and the toolchain that
//     code-server's native modules build with (installed with apt-get when running as root);
//   - the harness in test/e2e/harness: code-server (VS Code's real workbench and server) and
//     playwright-core, pinned by its package-lock.json, installed with `npm ci`.
// code-server's ripgrep dependency downloads its binary from GitHub while installing; Debian's rg
// is put in that download's cache first, so the install needs nothing but the npm registry.
//
// Usage: node test/e2e/install.mjs [--force]   (--force reinstalls the harness)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { harnessDir, harnessInstalled, repoRoot } from './lib/workbench.mjs';

export const DEBIAN_PACKAGES = [
  'chromium',
  'fonts-dejavu-core',
  'build-essential',
  'python3',
  'pkg-config',
  'libkrb5-dev',
  'libsecret-1-dev',
  'libxkbfile-dev',
  'ripgrep',
];

/** The ripgrep that @vscode/ripgrep@1.15.11 (a dependency of code-server 4.100.3) would download. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const installTmp = join(repoRoot, '.e2e/install-tmp');
const logDir = join(repoRoot, '.e2e/logs');
const stampFile = join(harnessDir, 'node_modules/.cloudtrail-harness-stamp');

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((name) => {
    const status = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', name], { encoding: 'utf8' });
    return status.status !== 0 || !status.stdout.startsWith('ii');
  });
}

function installDebianPackages() {
  if (!existsSync('/usr/bin/dpkg-query')) {
    console.log('install: not a Debian system; make sure Chromium, ripgrep and a C++ toolchain are installed.');
    return true;
  }
  const missing = missingDebianPackages();
  if (missing.length === 0) return true;
  if (process.getuid?.() !== 0) {
    console.error(`install: these Debian packages are missing; install them as root: apt-get install ${missing.join(' ')}`);
    return false;
  }
  mkdirSync(logDir, { recursive: true });
  const log = join(logDir, 'apt-get.log');
  console.log(`install: apt-get install ${missing.join(' ')} (log in ${log})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let output = '';
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
    const result = spawnSync('apt-get', args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    output += `$ apt-get ${args.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}\n`;
    writeFileSync(log, output);
    if (result.status !== 0) {
      console.error(`install: apt-get ${args[0]} failed (exit ${result.status}); the end of its log:\n${output.split('\n').slice(-30).join('\n')}`);
      return false;
    }
  }
  const stillMissing = missingDebianPackages();
  if (stillMissing.length > 0) console.error(`install: still missing after apt-get: ${stillMissing.join(' ')}`);
  return stillMissing.length === 0;
}

/** Puts Debian's rg where @vscode/ripgrep's postinstall looks before downloading. */
function seedRipgrepCache() {
  if (arch() !== 'x64') {
    // The cached asset is the x64 build; elsewhere @vscode/ripgrep picks another name and downloads.
    console.log(`install: no ripgrep cache for ${arch()}; its download needs GitHub`);
    return;
  }
  const cacheDir = join(installTmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const asset = join(cacheDir, RIPGREP_ASSET);
  if (existsSync(asset)) return;
  mkdirSync(cacheDir, { recursive: true });
  const tar = spawnSync('tar', ['-czf', asset, '-C', '/usr/bin', 'rg']);
  if (tar.status !== 0) throw new Error(`could not pack /usr/bin/rg: ${tar.stderr}`);
}

/** What the installed harness was installed from: a change of lockfile or Node major reinstalls it. */
function harnessFingerprint() {
  const lock = readFileSync(join(harnessDir, 'package-lock.json'));
  return createHash('sha256').update(lock).update(process.versions.node.split('.')[0]).digest('hex');
}

async function installHarness(force) {
  if (!force && harnessInstalled() && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === harnessFingerprint()) {
    return true;
  }
  seedRipgrepCache();
  mkdirSync(logDir, { recursive: true });
  const log = join(logDir, 'harness-install.log');
  console.log(`install: npm ci in test/e2e/harness (code-server builds native modules; about a minute; log in ${log})`);
  const started = Date.now();
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=warn'], {
    cwd: harnessDir,
    env: {
      ...process.env,
      TMPDIR: installTmp,
      // code-server's postinstall refuses to run as root without it, and installs its own dependencies.
      npm_config_unsafe_perm: 'true',
      // A postinstall runs `npx node-gyp`; npx must not stop to ask.
      npm_config_yes: 'true',
    },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  writeFileSync(log, `${result.stdout ?? ''}\n${result.stderr ?? ''}`);
  if (result.status !== 0 || !harnessInstalled()) {
    console.error(
      `install: npm ci failed (exit ${result.status}); the end of its log:\n${`${result.stdout}\n${result.stderr}`.split('\n').slice(-40).join('\n')}`,
    );
    return false;
  }
  writeFileSync(stampFile, harnessFingerprint());
  console.log(`install: harness ready in ${Math.round((Date.now() - started) / 1000)} s`);
  return true;
}

/** Installs everything; resolves to true when the workbench and the browser are ready to use. */
export async function install({ force = false } = {}) {
  if (!installDebianPackages()) return false;
  return installHarness(force);
}

/** Removes the installed harness and the install caches (for checking an install from scratch). */
export function uninstallHarness() {
  rmSync(join(harnessDir, 'node_modules'), { recursive: true, force: true });
  rmSync(installTmp, { recursive: true, force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ok = await install({ force: process.argv.includes('--force') });
  process.exit(ok ? 0 : 1);
}

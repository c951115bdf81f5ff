// Builds the .vsix that users install: a production bundle, a check that the manifest has
// everything the Marketplace and VS Code show (name, description, icon, categories, settings with
// descriptions and defaults, commands with a category, ...), `vsce package`, and a check that the
// package holds what the extension needs and nothing else (.vscodeignore decides).
//
// Usage: npm run package   -> cloudtrail-explorer-<version>.vsix in the project folder
//        node scripts/package.mjs --out=path/to/file.vsix
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = resolve(root, process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? `${manifest.name}-${manifest.version}.vsix`);
const vsce = join(root, 'node_modules/@vscode/vsce/vsce');

/** Files the extension cannot work without, and patterns for everything allowed in the package. */
const REQUIRED = [
  'package.json',
  'README.md',
  'LICENSE',
  'language-configuration.json',
  'dist/extension.js',
  'dist/server.js',
  'media/icon.png',
  'dist/sigma/LICENSE-SigmaHQ.md',
  'dist/timeline/timeline.js',
];
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^dist\/timeline\/(timeline\.js|uPlot\.min\.css)$/,
  /^LICENSE$/,
  /^language-configuration\.json$/,
  /^dist\/[\w.-]+\.js$/,
  /^media\/(icon\.png|cloudtrail\.svg)$/,
  /^media\/screenshots\/[\w.-]+\.png$/,
  /^syntaxes\/[\w.-]+\.json$/,
  /^dist\/sigma\/(unsupported\/)?[\w.-]+\.(yml|md)$/,
];
const NEVER = [/^dist\/(bench|cli)\.js$/, /\.map$/];

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`${[command, ...args].join(' ')} exited with ${result.status}`);
  }
  return result.stdout;
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(file) {
  const bytes = readFileSync(file);
  if (bytes.toString('latin1', 1, 4) !== 'PNG') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Everything missing from the manifest, as sentences. */
export function manifestProblems(pkg) {
  const problems = [];
  for (const field of ['displayName', 'description', 'publisher', 'license', 'version']) {
    if (typeof pkg[field] !== 'string' || pkg[field].trim() === '') problems.push(`"${field}" is missing`);
  }
  if (!Array.isArray(pkg.categories) || pkg.categories.length === 0) problems.push('"categories" is empty');
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0 || pkg.keywords.length > 30) problems.push('"keywords" needs 1 to 30 entries');
  if (!pkg.icon || !existsSync(join(root, pkg.icon))) {
    problems.push(`the icon ${pkg.icon ?? '(none)'} does not exist`);
  } else {
    const size = pngSize(join(root, pkg.icon));
    if (!size || size.width < 128 || size.width !== size.height)
      problems.push(`the icon must be a square PNG of at least 128 px (it is ${JSON.stringify(size)})`);
  }
  const typesVersion = JSON.parse(readFileSync(join(root, 'node_modules/@types/vscode/package.json'), 'utf8')).version;
  const [typesMajor, typesMinor] = typesVersion.split('.');
  if (pkg.engines?.vscode !== `^${typesMajor}.${typesMinor}.0`)
    problems.push(`"engines.vscode" is ${pkg.engines?.vscode}; @types/vscode ${typesVersion} asks for ^${typesMajor}.${typesMinor}.0`);
  if (pkg.capabilities?.untrustedWorkspaces?.supported !== true) problems.push('"capabilities.untrustedWorkspaces.supported" is not true');
  if (!pkg.main || !existsSync(join(root, `${pkg.main.replace(/\.js$/, '')}.js`))) problems.push(`the main module ${pkg.main} was not built`);
  const settings = pkg.contributes?.configuration?.properties ?? {};
  for (const [name, setting] of Object.entries(settings)) {
    if (!setting.description && !setting.markdownDescription) problems.push(`the setting ${name} has no description`);
    if (!('default' in setting)) problems.push(`the setting ${name} has no default`);
  }
  for (const command of pkg.contributes?.commands ?? []) {
    if (!command.category) problems.push(`the command ${command.command} has no category`);
  }
  return problems;
}

function main() {
  run(process.execPath, ['scripts/build.mjs', '--production']);

  // The IAM table is bundled into the language server, not shipped beside it: check it is there.
  const iamVersion = JSON.parse(readFileSync(join(root, 'server/src/model/iam/iam-data.json'), 'utf8')).version;
  if (!readFileSync(join(root, 'dist/server.js'), 'utf8').includes(`"${iamVersion}"`)) {
    console.error(`package: dist/server.js does not hold the IAM table ${iamVersion}`);
    process.exit(1);
  }

  const problems = manifestProblems(manifest);
  if (problems.length > 0) {
    console.error(`package: the manifest is not complete:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }

  // No repository is named, and the README's relative links point at files inside the package.
  const options = ['--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links'];
  const files = run(process.execPath, [vsce, 'ls', '--no-dependencies'])
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const stray = files.filter((file) => NEVER.some((re) => re.test(file)) || !ALLOWED.some((re) => re.test(file)));
  const missing = REQUIRED.filter((file) => !files.includes(file));
  if (stray.length > 0 || missing.length > 0) {
    console.error(`package: .vscodeignore lets in ${JSON.stringify(stray)} and leaves out ${JSON.stringify(missing)}`);
    process.exit(1);
  }

  try {
    run(process.execPath, [vsce, 'package', ...options, '--out', out]);
  } finally {
    // Leave dist/ as the development build (source maps, the benchmark) that the other scripts expect.
    run(process.execPath, ['scripts/build.mjs']);
  }
  const kib = Math.round(statSync(out).size / 1024);
  console.log(`package: ${out.startsWith(root) ? out.slice(root.length + 1) : out} (${files.length} files, ${kib} KiB)`);
  for (const file of files) console.log(`  ${file}`);
}

main();

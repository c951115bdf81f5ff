// Runs every test suite in order and ends with one line that sums them up:
//   type-check and compile (tsc), bundle (esbuild), lint (ESLint), formatting (Prettier), unit + protocol tests (node:test),
//   grammar tests (vscode-tmgrammar-test), end-to-end tests in a real VS Code workbench.
// `--quick` skips the end-to-end suite; `--only=unit,grammar` runs the named suites.
import { spawn } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const quick = args.includes('--quick');

const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

function run(command, commandArgs, { parse } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffer += chunk.toString();
    });
    child.on('close', (code) => {
      if (parse) parse(buffer);
      resolve(code ?? 1);
    });
  });
}

function listTests(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return listTests(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

/** Reads the counts from node:test's spec or TAP summary, or a plain "N passed, N failed" line. */
function countFrom(output) {
  const grab = (re) => [...output.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
  const passed = grab(/^(?:# |ℹ )pass (\d+)$/gm) + grab(/^\w*:? ?(\d+) passed, \d+ failed/gm);
  const failed = grab(/^(?:# |ℹ )fail (\d+)$/gm) + grab(/^\w*:? ?\d+ passed, (\d+) failed/gm);
  const skipped = grab(/^(?:# |ℹ )skipped (\d+)$/gm);
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
}

const steps = [
  {
    name: 'typecheck',
    // The Timeline webview runs in a browser page: it is checked on its own, with the DOM's types.
    run: async () => (await run('npx', ['tsc', '-p', '.'])) || run('npx', ['tsc', '-p', 'client/src/timeline/webview']),
  },
  { name: 'build', run: () => run('node', ['scripts/build.mjs']) },
  { name: 'lint', run: () => run('npx', ['eslint', 'client/src', 'server/src', 'test']) },
  { name: 'format', run: () => run('npx', ['prettier', '--check', '.']) },
  {
    name: 'unit',
    run: () => run('node', ['--test', '--test-reporter=spec', ...listTests('out/test/unit'), ...listTests('out/test/protocol')], { parse: countFrom }),
  },
  {
    name: 'grammar',
    when: () => existsSync('test/grammar'),
    run: () => run('node', ['scripts/grammar-test.mjs'], { parse: countFrom }),
  },
  {
    name: 'e2e',
    when: () => !quick && existsSync('test/e2e/run.mjs'),
    run: () => run('node', ['test/e2e/run.mjs'], { parse: countFrom }),
  },
];

for (const step of steps) {
  if (only && !only.includes(step.name) && !['typecheck', 'build'].includes(step.name)) continue;
  if (step.when && !step.when()) continue;
  console.log(`\n=== ${step.name}`);
  const code = await step.run();
  if (code !== 0) {
    console.log(`=== ${step.name} failed (exit ${code})`);
    broken = true;
    if (step.name === 'typecheck' || step.name === 'build') break;
  }
}

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(broken || totals.failed > 0 || totals.passed === 0 ? 1 : 0);

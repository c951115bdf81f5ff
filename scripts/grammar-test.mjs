// Runs the TextMate grammar tests in test/grammar with vscode-tmgrammar-test and ends with one line:
//   grammar: N passed, N failed
// where N counts checked source lines (a line of a test file followed by at least one assertion).
// The tool reports failures per source line, so that is the finest unit it can be held to.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = join(root, 'test', 'grammar');
const require = createRequire(import.meta.url);
const toolPackage = require.resolve('vscode-tmgrammar-test/package.json');
const toolBin = join(dirname(toolPackage), require(toolPackage).bin['vscode-tmgrammar-test']);

const files = readdirSync(folder)
  .filter((name) => name.endsWith('.test'))
  .sort()
  .map((name) => relative(root, join(folder, name)));

/** 1-based line numbers of the source lines that carry assertions, read the way the tool reads them. */
function checkedLines(file) {
  const lines = readFileSync(join(root, file), 'utf8').split(/\r\n|\n/);
  const header = /^(\S+)\s+SYNTAX\s+TEST\s+"[^"]+"/.exec(lines[0]);
  if (!header) return undefined;
  const comment = header[1];
  const isAssertion = (line) => line.startsWith(comment) && /^\s*(\^|<~*-+)/.test(line.slice(comment.length));
  const checked = new Set();
  let source = -1;
  for (let i = 1; i < lines.length; i++) {
    if (isAssertion(lines[i])) {
      if (source >= 0) checked.add(source + 1);
    } else {
      source = i;
    }
  }
  return checked;
}

let passed = 0;
let failed = 0;
if (files.length === 0) {
  console.log('no grammar tests found in test/grammar');
  failed = 1;
} else {
  const run = spawnSync(process.execPath, [toolBin, '--compact', ...files], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  process.stdout.write(output);
  const failedLines = new Map(files.map((file) => [file, new Set()]));
  for (const match of output.matchAll(/^ERROR (\S+?):(\d+):\d+:\d+ /gm)) {
    failedLines.get(match[1])?.add(Number(match[2]));
  }
  for (const file of files) {
    const checked = checkedLines(file);
    const broken = failedLines.get(file);
    const reportedOk = output.includes(`${file} run successfuly`);
    if (!checked || checked.size === 0) {
      console.log(`${file}: no header or no assertions`);
      failed++;
    } else if (!reportedOk && broken.size === 0) {
      // The tool could not parse or run this file at all.
      failed += checked.size;
    } else {
      failed += broken.size;
      passed += checked.size - broken.size;
    }
  }
  if (run.status !== 0 && failed === 0) {
    console.log(`vscode-tmgrammar-test exited with ${run.status ?? run.signal} without naming a failure`);
    failed = 1;
  }
}
console.log(`checked source lines in ${files.length} grammar test files`);
console.log(`grammar: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

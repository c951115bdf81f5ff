/**
 * `npm run bench`: writes synthetic CloudTrail logs (1, 20 and 50 MB, one-line and pretty) under
 * .bench/ once, then runs every section of sections.ts on them and ends with one verdict line per
 * target.
 *
 *   node --expose-gc dist/bench.js [--sizes=1,20,50] [--layouts=one-line,pretty]
 *                                  [--sections=open,memory,server,...] [--strict]
 *
 * `--strict` exits with status 1 when a target is missed.
 */
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchContext, BenchLog, BenchReport, hasGc, mib } from './benchFrame';
import { benchLogFile, GENERATOR_VERSION, Layout, seededRandom } from './generateLogs';
import { SECTIONS } from './sections';

const ALL_SIZES = [1, 20, 50];
const ALL_LAYOUTS: Layout[] = ['one-line', 'pretty'];

/** The repository root: the nearest folder above this script with a package.json. */
function findRoot(): string {
  let folder = __dirname;
  while (!existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error('cannot find the repository root above ' + __dirname);
    folder = parent;
  }
  return folder;
}

function option(name: string): string[] | undefined {
  const argument = process.argv.slice(2).find((arg) => arg.startsWith(`--${name}=`));
  return argument
    ?.slice(name.length + 3)
    .split(',')
    .filter(Boolean);
}

/** Big logs get fewer runs, and no warm-up when smaller ones ran first and the code is compiled already. */
function runsFor(sizeMiB: number, warmedUp: boolean): { runs: number; warmup: number } {
  if (sizeMiB <= 1) return { runs: 9, warmup: 5 };
  if (sizeMiB <= 20) return { runs: 5, warmup: warmedUp ? 0 : 1 };
  return { runs: 3, warmup: warmedUp ? 0 : 1 };
}

function loadLine(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

async function main(): Promise<void> {
  const started = performance.now();
  const root = findRoot();
  const sizes = (option('sizes') ?? ALL_SIZES.map(String)).map(Number);
  const layouts = (option('layouts') ?? ALL_LAYOUTS) as Layout[];
  const wanted = option('sections');
  const unknownSections = wanted?.filter((id) => !SECTIONS.some((section) => section.id === id)) ?? [];
  if (sizes.some((size) => !(size > 0)) || layouts.some((layout) => !ALL_LAYOUTS.includes(layout)) || unknownSections.length > 0) {
    throw new Error(`usage: bench [--sizes=1,20,50] [--layouts=one-line,pretty] [--sections=${SECTIONS.map((s) => s.id).join(',')}] [--strict]`);
  }

  const report = new BenchReport();
  report.note(`CloudTrail Explorer benchmark — ${new Date().toISOString()}`);
  report.note(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average ${loadLine()} at start`);
  if (!hasGc()) {
    report.note('warning: started without --expose-gc: no GC between runs and no memory figures.');
  }
  report.note('Figures on a shared machine vary from run to run; compare ratios measured in the same run rather than absolute times.');
  report.note('1 MB figures are mostly fixed costs and compilation; the targets are set on 20 MB. 50 MB is more than VS Code hands');
  report.note('to an extension at all: it is measured for the model and the server alone.');

  const folder = path.join(root, '.bench');
  const logs: BenchLog[] = [];
  for (const sizeMiB of sizes) {
    for (const layout of layouts) {
      const { file, text, written } = benchLogFile(folder, sizeMiB, layout);
      logs.push({ sizeMiB, layout, file, text, bytes: text.length });
      report.note(`${written ? 'wrote' : 'reused'} ${path.relative(root, file)} (${mib(text.length)}, generator v${GENERATOR_VERSION})`);
    }
  }

  const context: BenchContext = {
    logs,
    report,
    root,
    figures: new Map(),
    runsFor: (sizeMiB) =>
      runsFor(
        sizeMiB,
        logs.some((log) => log.sizeMiB < sizeMiB),
      ),
    random: seededRandom,
    find: (sizeMiB, layout) => logs.find((log) => log.sizeMiB === sizeMiB && log.layout === layout),
  };
  for (const section of SECTIONS) {
    if (wanted && !wanted.includes(section.id)) continue;
    report.heading(section.title);
    const sectionStarted = performance.now();
    try {
      await section.run(context);
    } catch (error) {
      report.note(`Section failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      report.verdict(`section "${section.id}" runs`, 'it threw', false);
    }
    report.note(`(${((performance.now() - sectionStarted) / 1000).toFixed(1)} s)`);
  }

  report.summary();
  report.note('');
  report.note(`Done in ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${loadLine()} at the end.`);
  if (process.argv.includes('--strict') && report.verdicts.some((verdict) => !verdict.pass)) {
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

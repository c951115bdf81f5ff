import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LineIndex, parseCloudTrail, validateDocument } from '../../server/src/model';
import { indexFolder, WorkerPool } from '../../server/src/model/folderIndex';
import { collectRecordFacts, DocumentLinkIndex, DocumentLinks, LINK_KIND_NAMES, LinkKind, LinkScope } from '../../server/src/model/links';
import { diskRecordReader, FolderLinks } from '../../server/src/model/links/folderLinks';
import { BenchContext, BenchLog, BenchSection, logLabel, median, mib, ms, threadCpuMilliseconds, timeCandidates } from './benchFrame';
import { benchFolder } from './folderIndexBench';

/**
 * The link index (model/links): what building it adds to opening a log, and how long Find All
 * References takes on values of a 20 MB log and of a folder index of about 700,000 events.
 */

const BUILD_TARGET = 0.15;
const DOCUMENT_TARGET_MS = 50;
const FOLDER_TARGET_MS = 200;
const LOOKUPS = 9;

/** Values to ask about: the first record's of each kind, and one of the most frequent (an address or agent shared by many records). */
function sampleValues(model: ReturnType<typeof parseCloudTrail>): { kind: LinkKind; value: string }[] {
  const seen = new Map<string, { kind: LinkKind; value: string; count: number }>();
  const firstOfKind = new Map<LinkKind, string>();
  const step = Math.max(1, Math.floor(model.records.length / 2000));
  for (let i = 0; i < model.records.length; i += step) {
    const record = model.records[i];
    const view = record.source.view;
    collectRecordFacts(view, record.node, {
      fact(kind, _role, node) {
        const value = view.string(node) ?? '';
        if (!firstOfKind.has(kind) && i > model.records.length / 2) firstOfKind.set(kind, value);
        const key = `${kind} ${value}`;
        const entry = seen.get(key) ?? { kind, value, count: 0 };
        entry.count++;
        seen.set(key, entry);
      },
    });
  }
  const frequent = [...seen.values()].sort((a, b) => b.count - a.count).at(0);
  const values = [...firstOfKind.entries()].map(([kind, value]) => ({ kind, value }));
  if (frequent) values.push({ kind: frequent.kind, value: frequent.value });
  return values;
}

function twentyMegabyteLogs(context: BenchContext): BenchLog[] {
  const sizes = context.logs.map((log) => log.sizeMiB).filter((size) => size <= 20);
  if (sizes.length === 0) return [];
  const size = Math.max(...sizes);
  return context.logs.filter((log) => log.sizeMiB === size);
}

/** Median wall and CPU milliseconds of `run` over LOOKUPS runs after one warm-up. */
function timeLookup(run: () => unknown): { wall: number; cpu: number } {
  run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const started = performance.now();
    const cpuStarted = threadCpuMilliseconds();
    run();
    cpu.push(threadCpuMilliseconds() - cpuStarted);
    wall.push(performance.now() - started);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/**
 * Times Find All References (the hits in time order, made into locations) on each value, prints a
 * row per value, and returns the slowest wall and CPU medians. On a machine shared with other
 * work the wall time counts their turns too; the CPU time is this thread's own.
 */
function referenceTimings(context: BenchContext, scope: LinkScope, values: readonly { kind: LinkKind; value: string }[]): { wall: number; cpu: number } {
  const rows: string[][] = [];
  const worst = { wall: 0, cpu: 0 };
  for (const { kind, value } of values) {
    let found = 0;
    const time = timeLookup(() => {
      found = scope.hits(kind, value).map((hit) => ({ uri: hit.uri, range: hit.anchor })).length;
    });
    worst.wall = Math.max(worst.wall, time.wall);
    worst.cpu = Math.max(worst.cpu, time.cpu);
    rows.push([LINK_KIND_NAMES[kind], value.length > 40 ? `${value.slice(0, 40)}...` : value, String(found), ms(time.wall), ms(time.cpu)]);
  }
  context.report.table(['kind', 'value', 'references', 'median', 'its CPU'], rows);
  return worst;
}

export const linksSection: BenchSection = {
  id: 'links',
  title: 'Links: building the link index, and Find All References on a 20 MB log and on a folder index',
  async run(context) {
    const report = context.report;
    for (const log of twentyMegabyteLogs(context)) {
      const { runs, warmup } = context.runsFor(log.sizeMiB);
      const model = parseCloudTrail(log.text);
      const timings = await timeCandidates(
        [
          { name: 'parse', run: () => parseCloudTrail(log.text) },
          { name: 'open', run: () => validateDocument(parseCloudTrail(log.text)) },
          { name: 'links', run: () => DocumentLinkIndex.build(model) },
        ],
        { runs, warmup },
      );
      const parse = timings.get('parse')?.cpu ?? NaN;
      const open = timings.get('open')?.cpu ?? NaN;
      const build = timings.get('links')?.cpu ?? NaN;
      const index = DocumentLinkIndex.build(model);
      report.table(
        ['log', 'records', 'parse', 'open (parse + diagnostics)', 'link index', 'vs open', 'vs parse', 'linked values', 'index memory'],
        [
          [
            logLabel(log),
            String(model.records.length),
            ms(parse),
            ms(open),
            ms(build),
            `${((build / open) * 100).toFixed(1)}%`,
            `${((build / parse) * 100).toFixed(1)}%`,
            String(index.count),
            mib(index.byteSize()),
          ],
        ],
      );
      report.verdict(
        `${logLabel(log)} link index adds <= ${BUILD_TARGET * 100}% to opening the log (CPU time)`,
        `${((build / open) * 100).toFixed(1)}%`,
        build / open <= BUILD_TARGET,
      );

      const lines = new LineIndex(log.text);
      const scope = new LinkScope([new DocumentLinks(model, 'file:///bench.json', (offset) => lines.positionAt(offset))]);
      const worst = referenceTimings(context, scope, sampleValues(model));
      report.verdict(`${logLabel(log)} references on a value < ${DOCUMENT_TARGET_MS} ms (wall)`, ms(worst.wall), worst.wall < DOCUMENT_TARGET_MS);
      report.verdict(`${logLabel(log)} references on a value < ${DOCUMENT_TARGET_MS} ms (CPU)`, ms(worst.cpu), worst.cpu < DOCUMENT_TARGET_MS);
    }

    const { folder } = await benchFolder({
      root: context.root,
      log: (line) => {
        report.note(line);
      },
    });
    const pool = new WorkerPool(path.join(context.root, 'dist', 'indexWorker.js'), Math.max(1, Math.min(4, os.availableParallelism())));
    try {
      const started = performance.now();
      const index = await indexFolder(folder, pool, { maxDecompressedBytes: 1 << 30 });
      const seconds = (performance.now() - started) / 1000;
      const linkBytes = index
        .files()
        .reduce(
          (sum, file) => sum + file.links.values.byteLength + file.links.starts.byteLength + file.links.postings.byteLength + file.links.anchors.byteLength,
          0,
        );
      report.note(
        `indexed ${path.relative(context.root, folder)} in ${seconds.toFixed(1)} s: ${index.fileCount} files, ${index.eventCount.toLocaleString('en-US')} events; link columns ${mib(linkBytes)} of ${mib(index.byteSize())}`,
      );
      const store = new FolderLinks(index, diskRecordReader());
      const scope = new LinkScope([store]);
      const first = index.files()[Math.floor(index.fileCount / 2)];
      const details = store.details({ uri: store.uriOf(first), index: 0 });
      const values: { kind: LinkKind; value: string }[] = (details?.values ?? [])
        .filter((v, i, all) => all.findIndex((o) => o.kind === v.kind) === i)
        .map(({ kind, value }) => ({ kind, value }));
      const worst = referenceTimings(context, scope, values);
      const events = index.eventCount.toLocaleString('en-US');
      report.verdict(
        `folder index of ${events} events: references on a value < ${FOLDER_TARGET_MS} ms (wall)`,
        ms(worst.wall),
        worst.wall < FOLDER_TARGET_MS && values.length > 0,
      );
      report.verdict(
        `folder index of ${events} events: references on a value < ${FOLDER_TARGET_MS} ms (CPU)`,
        ms(worst.cpu),
        worst.cpu < FOLDER_TARGET_MS && values.length > 0,
      );
    } finally {
      await pool.dispose();
    }
  },
};

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { ExitNotification, InitializedNotification, InitializeRequest, ProtocolConnection, ShutdownRequest } from 'vscode-languageserver-protocol/node';
import { EventTreeRequest, FolderIndexSummary, IndexFolderRequest } from '../../server/src/protocol';
import { BenchContext, BenchSection, connectToServer, mib, ratio } from './benchFrame';
import { GENERATOR_VERSION, generateLog, MIB } from './generateLogs';
import { defined } from '../defined';

/**
 * A folder of delivered logs, as a synced S3 bucket holds them: 1,000 `.json.gz` files, more than
 * 1 GiB once decompressed, in `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/` folders (two
 * months of five days of 100 files, so that a day and a month are a tenth and a half). The
 * real language server (dist/server.js, its worker threads included) indexes it from disk through
 * `cloudtrail/indexFolder`, then answers "how many events of each eventName" from its tree; the
 * same question goes to `zcat | jq` when jq is installed.
 */

const gzip = promisify(zlib.gzip);

export interface FolderBenchOptions {
  /** The repository root: dist/ and .bench/ are found from here. */
  root: string;
  files?: number;
  /** Uncompressed size of each file. */
  fileMiB?: number;
  /** Files per day folder; a month holds five days. */
  filesPerDay?: number;
  log?: (line: string) => void;
}

export interface ServerIndexRun {
  files: number;
  events: number;
  /** Decompressed bytes read. */
  contentBytes: number;
  seconds: number;
  /** Decompressed MiB per second, from the request to its answer. */
  mibPerSecond: number;
  /** Peak resident memory of the server process (VmHWM), worker threads included, while indexing. */
  peakRssBytes: number;
  /** The same once the tree by action was asked for (grouping a folder allocates too). */
  peakWithTreeRssBytes: number;
  /** Resident memory of the idle server before the request. */
  idleRssBytes: number;
  /** What the server says its index takes. */
  indexBytes: number;
  /** Seconds for the tree's top level by action, once indexed. */
  treeSeconds: number;
  countsByName: Map<string, number>;
}

export interface FolderBenchResult {
  folder: string;
  generated: boolean;
  compressedBytes: number;
  full: ServerIndexRun;
  /** One day folder (a tenth) and one month folder (half). */
  day: ServerIndexRun;
  month: ServerIndexRun;
  /** One log of 128 MiB, streamed record by record (files over 50 MB, which the editor does not share). */
  large: ServerIndexRun;
  jq?: { seconds: number; mibPerSecond: number; sameCounts: boolean };
  jqMissing?: string;
}

/** Writes the folder once (reused while the generator version and sizes stay the same). */
export async function benchFolder(options: FolderBenchOptions): Promise<{ folder: string; days: string[]; months: string[]; generated: boolean }> {
  const files = options.files ?? 1000;
  const fileMiB = options.fileMiB ?? 1.1;
  const perDay = options.filesPerDay ?? 100;
  const base = path.join(options.root, '.bench', 'folder');
  const folder = path.join(base, `v${GENERATOR_VERSION}-${files}x${fileMiB}mb-months`);
  const DAYS_PER_MONTH = 5;
  const monthFolder = (month: number): string =>
    path.join(folder, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2025', String(month + 6).padStart(2, '0'));
  const dayFolder = (day: number): string => path.join(monthFolder(Math.floor(day / DAYS_PER_MONTH)), String((day % DAYS_PER_MONTH) + 1).padStart(2, '0'));
  const days = Array.from({ length: Math.ceil(files / perDay) }, (_, day) => dayFolder(day));
  const months = Array.from({ length: Math.ceil(days.length / DAYS_PER_MONTH) }, (_, month) => monthFolder(month));
  const marker = path.join(folder, 'complete.json');
  if (existsSync(marker)) {
    return { folder, days, months, generated: false };
  }
  if (existsSync(base)) {
    for (const stale of readdirSync(base)) rmSync(path.join(base, stale), { recursive: true, force: true });
  }
  let pending: Promise<void> = Promise.resolve();
  let written = 0;
  for (let i = 0; i < files; i++) {
    const day = Math.floor(i / perDay);
    const minute = (i % perDay) * 5;
    const stamp = `2025${String(Math.floor(day / DAYS_PER_MONTH) + 6).padStart(2, '0')}${String((day % DAYS_PER_MONTH) + 1).padStart(2, '0')}T${String(Math.floor(minute / 60)).padStart(2, '0')}${String(minute % 60).padStart(2, '0')}Z`;
    const file = path.join(dayFolder(day), `111122223333_CloudTrail_us-east-1_${stamp}_${(0x9e3779b9 * (i + 1)).toString(36).slice(-16)}.json.gz`);
    const { text } = generateLog(fileMiB * MIB, 'one-line', 20250601 + i);
    written += text.length;
    // Compress on the thread pool while the next file is generated.
    await pending;
    mkdirSync(path.dirname(file), { recursive: true });
    pending = gzip(text).then((compressed) => {
      writeFileSync(file, compressed);
    });
    if ((i + 1) % 100 === 0) options.log?.(`  wrote ${i + 1} of ${files} files (${mib(written)})`);
  }
  await pending;
  writeFileSync(marker, JSON.stringify({ files, bytes: written }));
  return { folder, days, months, generated: true };
}

/** Peak (VmHWM) or current (VmRSS) resident memory of a process. */
function residentBytes(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

/** Starts the built server, indexes `folder`, asks for the tree by action, and stops the server. */
export async function indexWithServer(root: string, folder: string, initializationOptions?: unknown): Promise<ServerIndexRun> {
  const server = path.join(root, 'dist', 'server.js');
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection: ProtocolConnection = connectToServer(child);
  connection.listen();
  // A server that dies leaves its requests unanswered: the run fails instead of waiting forever.
  const exit = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(signal ?? `code ${String(code)}`);
    });
  });
  const exited = exit.then((how): never => {
    throw new Error(`The server exited (${how}) while indexing ${folder}.`);
  });
  exited.catch(() => undefined);
  const answer = <T>(request: Promise<T>): Promise<T> => Promise.race([request, exited]);
  try {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- still a required member of InitializeParams
    await answer(connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions }));
    await connection.sendNotification(InitializedNotification.type, {});
    const idleRssBytes = residentBytes(defined(child.pid), 'VmRSS');
    const started = performance.now();
    const summary: FolderIndexSummary = await answer(connection.sendRequest(IndexFolderRequest.type, { uri: pathToFileURL(folder).href }));
    const seconds = (performance.now() - started) / 1000;
    const peakRssBytes = residentBytes(defined(child.pid), 'VmHWM');
    const treeStarted = performance.now();
    const tree = await answer(
      connection.sendRequest(EventTreeRequest.type, {
        textDocument: { uri: summary.uri },
        folder: summary.uri,
        groupBy: ['action'],
        depth: 1,
      }),
    );
    const treeSeconds = (performance.now() - treeStarted) / 1000;
    const peakWithTreeRssBytes = residentBytes(defined(child.pid), 'VmHWM');
    const countsByName = new Map<string, number>();
    for (const group of tree?.groups ?? []) {
      countsByName.set(group.label, (countsByName.get(group.label) ?? 0) + group.count);
    }
    return {
      files: summary.indexedFiles,
      events: summary.events,
      contentBytes: summary.contentBytes,
      seconds,
      mibPerSecond: summary.contentBytes / MIB / seconds,
      peakRssBytes,
      peakWithTreeRssBytes,
      idleRssBytes,
      indexBytes: summary.indexBytes,
      treeSeconds,
      countsByName,
    };
  } finally {
    await Promise.race([connection.sendRequest(ShutdownRequest.type).catch(() => undefined), exit]);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    connection.dispose();
    child.kill();
  }
}

/** The same question to `zcat | jq`: events per eventName over every file of the folder. */
export function countWithJq(folder: string): { seconds: number; counts: Map<string, number> } | { missing: string } {
  for (const tool of ['jq', 'zcat']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return { missing: `${tool} is not installed` };
  }
  const script = `find "$1" -name '*.json.gz' -print0 | sort -z | xargs -0 zcat | jq -n 'reduce (inputs | .Records[] | (.eventName // "(no event name)")) as $n ({}; .[$n] += 1)'`;
  const started = performance.now();
  const run = spawnSync('sh', ['-c', script, 'sh', folder], { encoding: 'utf8', maxBuffer: 64 * MIB });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) {
    return { missing: `zcat | jq failed: ${run.stderr.trim().slice(0, 200)}` };
  }
  return { seconds, counts: new Map(Object.entries(JSON.parse(run.stdout) as Record<string, number>)) };
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  return a.size === b.size && [...a].every(([name, count]) => b.get(name) === count);
}

function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition, @typescript-eslint/no-deprecated -- parentPath came in Node 20.12; older Node 20 has only path
    if (entry.isFile() && entry.name.endsWith('.gz')) total += statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

export async function runFolderIndexBench(options: FolderBenchOptions): Promise<FolderBenchResult> {
  const { folder, days, months, generated } = await benchFolder(options);
  const day = await indexWithServer(options.root, days[0]);
  const month = await indexWithServer(options.root, months[0]);
  const full = await indexWithServer(options.root, folder);
  const large = await indexWithServer(options.root, await largeLog(options.root));
  const result: FolderBenchResult = { folder, generated, compressedBytes: folderBytes(folder), full, day, month, large };
  const jq = countWithJq(folder);
  if ('missing' in jq) {
    result.jqMissing = jq.missing;
  } else {
    result.jq = { seconds: jq.seconds, mibPerSecond: full.contentBytes / MIB / jq.seconds, sameCounts: sameCounts(jq.counts, full.countsByName) };
  }
  return result;
}

/** One delivered-style log of 128 MiB (one line), compressed; written once. */
async function largeLog(root: string): Promise<string> {
  const file = path.join(root, '.bench', 'folder', `large-v${GENERATOR_VERSION}`, '111122223333_CloudTrail_us-east-1_20250701T0000Z_large.json.gz');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, await gzip(generateLog(128 * MIB, 'one-line', 7).text));
  }
  return file;
}

/** Peak memory of a run above the idle server, the index left out: what reading the files takes. */
function working(run: ServerIndexRun): number {
  return run.peakRssBytes - run.idleRssBytes - run.indexBytes;
}

export const folderIndexSection: BenchSection = {
  id: 'folder',
  title: 'A folder of 1,000 .json.gz logs indexed from disk by the server',
  async run(context: BenchContext): Promise<void> {
    const report = context.report;
    const result = await runFolderIndexBench({
      root: context.root,
      log: (line) => {
        report.note(line);
      },
    });
    const { full, day, month } = result;
    report.note(
      `${result.generated ? 'wrote' : 'reused'} ${path.relative(context.root, result.folder)}: ${full.files} files, ${mib(full.contentBytes)} decompressed, ${mib(result.compressedBytes)} on disk; ${full.events.toLocaleString('en-US')} events; ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(2)}`,
    );
    const row = (name: string, run: ServerIndexRun): string[] => [
      name,
      String(run.files),
      mib(run.contentBytes),
      `${run.seconds.toFixed(2)} s`,
      `${run.mibPerSecond.toFixed(0)} MiB/s`,
      mib(run.peakRssBytes),
      mib(run.indexBytes),
      mib(working(run)),
      `${(run.treeSeconds * 1000).toFixed(0)} ms`,
      mib(run.peakWithTreeRssBytes),
    ];
    const rows = [row('one day folder', day), row('one month folder', month), row('whole folder', full), row('one 128 MiB log (streamed)', result.large)];
    if (result.jq) {
      rows.push([
        'zcat | jq (counts by eventName)',
        String(full.files),
        mib(full.contentBytes),
        `${result.jq.seconds.toFixed(2)} s`,
        `${result.jq.mibPerSecond.toFixed(0)} MiB/s`,
        '-',
        '-',
        '-',
        '-',
        '-',
      ]);
    }
    report.table(
      ['indexed', 'files', 'content', 'time', 'throughput', 'peak RSS', 'index', 'peak - idle - index', 'tree by action', 'peak RSS with tree'],
      rows,
    );
    if (result.jqMissing) {
      report.note(`zcat | jq comparison skipped: ${result.jqMissing}.`);
    } else if (result.jq) {
      report.note(`zcat | jq gives ${result.jq.sameCounts ? 'the same' : 'DIFFERENT'} counts per eventName as the server's tree.`);
    }
    context.figures.set('folder/mib-per-second', full.mibPerSecond);
    report.verdict('indexing a folder from disk >= 100 MiB/s of decompressed JSON', `${full.mibPerSecond.toFixed(0)} MiB/s`, full.mibPerSecond >= 100);
    // What reading takes (peak above the idle server, the index left out) must not grow with the
    // folder. It settles as the heaps and the allocator reach their working size, so it is
    // compared between half the folder and all of it: twice the files may cost 15% more, no more.
    report.note(
      `the index takes ${(full.indexBytes / Math.max(1, full.events)).toFixed(0)} bytes per event (${mib(full.indexBytes)} for ${full.events.toLocaleString('en-US')} events)`,
    );
    report.verdict(
      'peak memory apart from the index independent of the folder size (twice the files: at most 15% more)',
      `${mib(working(day))} for ${day.files} files, ${mib(working(month))} for ${month.files}, ${mib(working(full))} for ${full.files}`,
      working(full) <= working(month) * 1.15,
    );
    if (result.jq) {
      report.verdict(
        'faster than zcat | jq on the same files',
        `${ratio(result.jq.seconds / full.seconds)} faster`,
        full.seconds < result.jq.seconds && result.jq.sameCounts,
      );
    }
  },
};

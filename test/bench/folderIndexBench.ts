import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import {
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ProtocolConnection,
  ShutdownRequest,
} from 'vscode-languageserver-protocol/node';
import { EventTreeRequest, FolderIndexSummary, IndexFolderRequest } from '../../server/src/protocol';
import { BenchContext, BenchSection, mib, ratio } from './benchFrame';
import { GENERATOR_VERSION, generateLog, MIB } from './generateLogs';

/**
 * A folder of delivered logs, as a synced S3 bucket holds them: 1,000 `.json.gz` files, more than
 * 1 GiB once decompressed, in `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/` folders. The
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
  /** Files per day folder (the subset indexed on its own to compare memory). */
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
  /** Peak resident memory of the server process (VmHWM), worker threads included. */
  peakRssBytes: number;
  /** Resident memory of the idle server before the request. */
  idleRssBytes: number;
  /** Seconds for the tree's top level by action, once indexed. */
  treeSeconds: number;
  countsByName: Map<string, number>;
}

export interface FolderBenchResult {
  folder: string;
  generated: boolean;
  compressedBytes: number;
  full: ServerIndexRun;
  subset: ServerIndexRun;
  jq?: { seconds: number; mibPerSecond: number; sameCounts: boolean };
  jqMissing?: string;
}

/** Writes the folder once (reused while the generator version and sizes stay the same). */
export async function benchFolder(options: FolderBenchOptions): Promise<{ folder: string; days: string[]; generated: boolean }> {
  const files = options.files ?? 1000;
  const fileMiB = options.fileMiB ?? 1.1;
  const perDay = options.filesPerDay ?? 100;
  const base = path.join(options.root, '.bench', 'folder');
  const folder = path.join(base, `v${GENERATOR_VERSION}-${files}x${fileMiB}mb`);
  const dayFolder = (day: number): string => path.join(folder, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2025', '06', String(day + 1).padStart(2, '0'));
  const days = Array.from({ length: Math.ceil(files / perDay) }, (_, day) => dayFolder(day));
  const marker = path.join(folder, 'complete.json');
  if (existsSync(marker)) {
    return { folder, days, generated: false };
  }
  if (existsSync(base)) {
    for (const stale of readdirSync(base)) rmSync(path.join(base, stale), { recursive: true, force: true });
  }
  let pending: Promise<void> = Promise.resolve();
  let written = 0;
  for (let i = 0; i < files; i++) {
    const day = Math.floor(i / perDay);
    const minute = (i % perDay) * 5;
    const stamp = `202506${String(day + 1).padStart(2, '0')}T${String(Math.floor(minute / 60)).padStart(2, '0')}${String(minute % 60).padStart(2, '0')}Z`;
    const file = path.join(dayFolder(day), `111122223333_CloudTrail_us-east-1_${stamp}_${(0x9e3779b9 * (i + 1)).toString(36).slice(-16)}.json.gz`);
    const { text } = generateLog(fileMiB * MIB, 'one-line', 20250601 + i);
    written += text.length;
    // Compress on the thread pool while the next file is generated.
    await pending;
    mkdirSync(path.dirname(file), { recursive: true });
    pending = gzip(text).then((compressed) => writeFileSync(file, compressed));
    if ((i + 1) % 100 === 0) options.log?.(`  wrote ${i + 1} of ${files} files (${mib(written)})`);
  }
  await pending;
  writeFileSync(marker, JSON.stringify({ files, bytes: written }));
  return { folder, days, generated: true };
}

/** Peak (VmHWM) or current (VmRSS) resident memory of a process. */
function residentBytes(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

/** Starts the built server, indexes `folder`, asks for the tree by action, and stops the server. */
export async function indexWithServer(root: string, folder: string): Promise<ServerIndexRun> {
  const server = path.join(root, 'dist', 'server.js');
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection: ProtocolConnection = createProtocolConnection(child.stdout, child.stdin);
  connection.listen();
  try {
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    await connection.sendNotification(InitializedNotification.type, {});
    const idleRssBytes = residentBytes(child.pid!, 'VmRSS');
    const started = performance.now();
    const summary: FolderIndexSummary = await connection.sendRequest(IndexFolderRequest.type, { uri: pathToFileURL(folder).href });
    const seconds = (performance.now() - started) / 1000;
    const treeStarted = performance.now();
    const tree = await connection.sendRequest(EventTreeRequest.type, { textDocument: { uri: summary.uri }, folder: summary.uri, groupBy: ['action'], depth: 1 });
    const treeSeconds = (performance.now() - treeStarted) / 1000;
    const peakRssBytes = residentBytes(child.pid!, 'VmHWM');
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
      idleRssBytes,
      treeSeconds,
      countsByName,
    };
  } finally {
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
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
    if (entry.isFile() && entry.name.endsWith('.gz')) total += statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

export async function runFolderIndexBench(options: FolderBenchOptions): Promise<FolderBenchResult> {
  const { folder, days, generated } = await benchFolder(options);
  const subset = await indexWithServer(options.root, days[0]);
  const full = await indexWithServer(options.root, folder);
  const result: FolderBenchResult = { folder, generated, compressedBytes: folderBytes(folder), full, subset };
  const jq = countWithJq(folder);
  if ('missing' in jq) {
    result.jqMissing = jq.missing;
  } else {
    result.jq = { seconds: jq.seconds, mibPerSecond: full.contentBytes / MIB / jq.seconds, sameCounts: sameCounts(jq.counts, full.countsByName) };
  }
  return result;
}

export const folderIndexSection: BenchSection = {
  id: 'folder',
  title: 'A folder of 1,000 .json.gz logs indexed from disk by the server',
  async run(context: BenchContext): Promise<void> {
    const report = context.report;
    const result = await runFolderIndexBench({ root: context.root, log: (line) => report.note(line) });
    const { full, subset } = result;
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
      mib(run.peakRssBytes - run.idleRssBytes),
      `${(run.treeSeconds * 1000).toFixed(0)} ms`,
    ];
    const rows = [row('one day folder', subset), row('whole folder', full)];
    if (result.jq) {
      rows.push(['zcat | jq (counts by eventName)', String(full.files), mib(full.contentBytes), `${result.jq.seconds.toFixed(2)} s`, `${result.jq.mibPerSecond.toFixed(0)} MiB/s`, '-', '-', '-']);
    }
    report.table(['indexed', 'files', 'content', 'time', 'throughput', 'peak RSS', 'peak - idle', 'tree by action'], rows);
    if (result.jqMissing) {
      report.note(`zcat | jq comparison skipped: ${result.jqMissing}.`);
    } else if (result.jq) {
      report.note(`zcat | jq gives ${result.jq.sameCounts ? 'the same' : 'DIFFERENT'} counts per eventName as the server's tree.`);
    }
    context.figures.set('folder/mib-per-second', full.mibPerSecond);
    report.verdict('indexing a folder from disk >= 100 MiB/s of decompressed JSON', `${full.mibPerSecond.toFixed(0)} MiB/s`, full.mibPerSecond >= 100);
    // Peak memory beyond the idle server, for 10x the files: what grows is the index itself (about
    // a hundred bytes per event), not the reading, which holds a few chunks per worker.
    const perEvent = (run: ServerIndexRun): number => (run.peakRssBytes - run.idleRssBytes) / Math.max(1, run.events);
    report.note(
      `peak memory above idle: ${mib(subset.peakRssBytes - subset.idleRssBytes)} for ${subset.files} files, ${mib(full.peakRssBytes - full.idleRssBytes)} for ${full.files} files (${perEvent(full).toFixed(0)} bytes per event)`,
    );
    const growth = full.peakRssBytes - full.idleRssBytes - (subset.peakRssBytes - subset.idleRssBytes);
    const indexGrowth = (full.events - subset.events) * 200;
    report.verdict(
      'peak memory grows with the events indexed (<= 200 bytes per extra event), not with the bytes read',
      `${mib(growth)} more for ${(full.events - subset.events).toLocaleString('en-US')} more events (${(growth / Math.max(1, full.events - subset.events)).toFixed(0)} bytes each) and ${ratio(full.contentBytes / subset.contentBytes)} the content`,
      growth <= indexGrowth,
    );
    if (result.jq) {
      report.verdict('faster than zcat | jq on the same files', `${ratio(result.jq.seconds / full.seconds)} faster`, full.seconds < result.jq.seconds && result.jq.sameCounts);
    }
  },
};

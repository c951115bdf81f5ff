import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  ShutdownRequest,
} from 'vscode-languageserver-protocol/node';
import { BenchContext, BenchLog, BenchSection, connectToServer, logLabel, median, mib, ms, ratio, threadCpuMilliseconds } from './benchFrame';
import { defined } from '../defined';

/** Kilobytes of a `Vm*` line in /proc/<pid>/status, in bytes. */
function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Resolves with `promise`, or rejects with `message` after `milliseconds`; leaves no timer behind. */
async function within<T>(promise: Promise<T>, milliseconds: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(message()));
    }, milliseconds);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface OpenRun {
  /** From sending didOpen to receiving its publishDiagnostics. */
  milliseconds: number;
  /** Time the server's main thread spent on a CPU meanwhile. */
  serverCpu: number;
  diagnostics: number;
  idleRss: number;
  /** The process's peak resident memory over the run, less its idle resident memory. */
  peakGrowth: number;
  /** Resident memory half a second after the diagnostics arrived, less the idle resident memory. */
  settledGrowth: number;
}

/** Starts a fresh server process, opens the log in it, and measures until its diagnostics arrive. */
async function openInFreshServer(server: string, log: BenchLog): Promise<OpenRun> {
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const connection = connectToServer(child);
  const uri = `file:///bench/${path.basename(log.file)}`;
  let resolveDiagnostics: (params: PublishDiagnosticsParams) => void = () => undefined;
  const diagnosticsArrived = new Promise<PublishDiagnosticsParams>((resolve) => (resolveDiagnostics = resolve));
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    if (params.uri === uri) resolveDiagnostics(params);
  });
  connection.listen();
  try {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- still a required member of InitializeParams
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    await connection.sendNotification(InitializedNotification.type, {});
    // Let start-up settle before the idle reading.
    await delay(300);
    const pid = defined(child.pid);
    const idleRss = procStatusBytes(pid, 'VmRSS');
    const cpuBefore = threadCpuMilliseconds(`/proc/${pid}/task/${pid}/schedstat`);
    const started = performance.now();
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'cloudtrail', version: 1, text: log.text },
    });
    const published = await within(
      diagnosticsArrived,
      120_000,
      () => `no diagnostics for ${logLabel(log)} within two minutes; server said: ${stderr.join('')}`,
    );
    const milliseconds = performance.now() - started;
    const serverCpu = threadCpuMilliseconds(`/proc/${pid}/task/${pid}/schedstat`) - cpuBefore;
    const peak = procStatusBytes(pid, 'VmHWM');
    await delay(500);
    const settled = procStatusBytes(pid, 'VmRSS');
    return {
      milliseconds,
      serverCpu,
      diagnostics: published.diagnostics.length,
      idleRss,
      peakGrowth: peak - idleRss,
      settledGrowth: settled - idleRss,
    };
  } finally {
    try {
      await within(connection.sendRequest(ShutdownRequest.type), 5000, () => 'no answer to shutdown');
      await connection.sendNotification(ExitNotification.type);
    } catch {
      // The process may be gone already.
    }
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
}

const RUNS_BY_SIZE: Record<number, number> = { 1: 3, 20: 3, 50: 1 };

export const serverEndToEndSection: BenchSection = {
  id: 'server',
  title: 'The built server end to end: didOpen to publishDiagnostics over stdio (fresh process per run)',
  async run(context: BenchContext): Promise<void> {
    const { report } = context;
    const server = path.join(context.root, 'dist', 'server.js');
    if (!existsSync(server)) {
      report.note(`Skipped: ${server} is missing; build first (npm run bench does).`);
      return;
    }
    report.note('wall = from sending didOpen to receiving publishDiagnostics: writing the text to the pipe, JSON-RPC decoding, the model,');
    report.note("converting problems to LSP diagnostics. server CPU = time the server's main thread spent on a CPU meanwhile,");
    report.note("compared with JSON.parse's main-thread CPU time in this process on the same text.");
    report.note("Memory is the server process's resident set (/proc/<pid>/status) less its idle resident set before didOpen;");
    report.note('peak = VmHWM when the diagnostics arrive, settled = VmRSS half a second later. Resident memory is not the heap:');
    report.note("it keeps the transport's copies of the message (bytes, then a string) and garbage V8 has not collected or returned;");
    report.note('what the server holds for the document is the text plus the model, measured in the memory section.');
    const rows: string[][] = [];
    for (const log of context.logs) {
      const runs: OpenRun[] = [];
      for (let i = 0; i < (RUNS_BY_SIZE[log.sizeMiB] ?? 1); i++) {
        runs.push(await openInFreshServer(server, log));
      }
      const time = median(runs.map((run) => run.milliseconds));
      const serverCpu = median(runs.map((run) => run.serverCpu));
      const peak = median(runs.map((run) => run.peakGrowth));
      const settled = median(runs.map((run) => run.settledGrowth));
      const jsonParseCpu = context.figures.get(`json-parse-cpu/${log.sizeMiB}/${log.layout}`);
      context.figures.set(`server-open/${log.sizeMiB}/${log.layout}`, time);
      rows.push([
        logLabel(log),
        ms(time),
        ms(serverCpu),
        String(runs.length),
        jsonParseCpu ? ratio(serverCpu / jsonParseCpu) : 'n/a',
        String(runs[0].diagnostics),
        mib(runs[0].idleRss),
        mib(peak),
        ratio(peak / log.bytes),
        mib(settled),
        ratio(settled / log.bytes),
      ]);
    }
    report.table(
      ['log', 'wall', 'server CPU', 'runs', 'CPU vs JSON.parse', 'diagnostics', 'idle RSS', 'peak growth', 'peak / text', 'settled growth', 'settled / text'],
      rows,
    );
  },
};

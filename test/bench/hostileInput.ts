/**
 * Hostile input: how long a hover inside a 4 MB user agent takes, how long 1,000,000 unclosed
 * brackets take from open to diagnostics in the built server, how much memory the command line
 * uses on a folder holding a gzip bomb, and how much heap the server keeps after large logs are
 * opened, edited and closed, and how long a correlation takes over a window that holds 100,000
 * events and never meets its condition.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import {
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  ShutdownRequest,
} from 'vscode-languageserver-protocol/node';
import { parseCloudTrail } from '../../server/src/model';
import { correlate, CorrelationObservation } from '../../server/src/model/detections/correlation';
import { RuleSet } from '../../server/src/model/detections/ruleSet';
import { hoverContent } from '../../server/src/model/explain/hoverContent';
import { HeapAfterCollectionRequest } from '../../server/src/protocol';
import { BenchSection, connectToServer, mib, ms } from './benchFrame';
import { generateLog } from './generateLogs';

const HOVER_TARGET_MS = 50;
const BRACKETS_TARGET_MS = 1000;
const BOMB_TARGET_BYTES = 300 * 1024 * 1024;
const HEAP_TARGET_RATIO = 1.2;
const CORRELATION_TARGET_MS = 1000;
const CORRELATION_EVENTS = 100_000;

interface Server {
  connection: ProtocolConnection;
  /** Resolves with the next diagnostics published for `uri`. */
  diagnostics(uri: string): Promise<PublishDiagnosticsParams>;
  stop(): Promise<void>;
}

async function startServer(serverScript: string, nodeOptions: readonly string[]): Promise<Server> {
  const child = spawn(process.execPath, [...nodeOptions, serverScript, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = connectToServer(child);
  const waiting = new Map<string, (params: PublishDiagnosticsParams) => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => waiting.get(params.uri)?.(params));
  connection.listen();
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the protocol still requires the field
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    diagnostics: (uri) => new Promise((resolve) => waiting.set(uri, resolve)),
    stop: async () => {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      connection.dispose();
      child.kill();
    },
  };
}

function userAgentHover(): number {
  const userAgent = `aws-cli/2.15.30 Python/3.11.8 ${'a'.repeat(4 * 1024 * 1024)}`;
  const text = JSON.stringify({
    Records: [{ eventVersion: '1.08', eventTime: '2024-05-01T10:00:00Z', eventSource: 'acm.amazonaws.com', eventName: 'ListCertificates', userAgent }],
  });
  const document = parseCloudTrail(text);
  const offset = text.indexOf('"userAgent":"') + 20;
  const env = { now: Date.now(), timeZone: 'UTC' };
  hoverContent(document, offset, env);
  const started = performance.now();
  hoverContent(document, offset + 1000, env);
  return performance.now() - started;
}

async function bracketsToDiagnostics(serverScript: string): Promise<number> {
  const server = await startServer(serverScript, []);
  const uri = 'file:///bench/brackets.json';
  const published = server.diagnostics(uri);
  const started = performance.now();
  await server.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'cloudtrail', version: 1, text: '['.repeat(1_000_000) },
  });
  await published;
  const elapsed = performance.now() - started;
  await server.stop();
  return elapsed;
}

/** Peak resident memory of the command line run on a folder with a 1 GiB gzip bomb beside a good log. */
async function cliOnBomb(root: string): Promise<{ maxRss: number; reported: boolean }> {
  const folder = path.join(root, '.bench', 'gzip-bomb');
  const bomb = path.join(folder, 'bomb.json.gz');
  mkdirSync(folder, { recursive: true });
  if (!existsSync(bomb)) {
    const zeros = Buffer.alloc(16 * 1024 * 1024);
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < 64; i++) yield zeros;
        })(),
      ),
      zlib.createGzip({ level: 9 }),
      createWriteStream(bomb),
    );
  }
  writeFileSync(path.join(folder, 'good.json'), generateLog(64 * 1024, 'one-line').text);
  // The command line reports its own peak resident memory on the way out.
  const preload = path.join(folder, 'report-peak.js');
  writeFileSync(preload, "process.on('exit', () => process.stderr.write('peak-rss-kb ' + process.resourceUsage().maxRSS + '\\n'));\n");
  const run = spawnSync(process.execPath, ['--require', preload, path.join(root, 'dist', 'cli.js'), '--no-summary', folder], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const peak = /peak-rss-kb (\d+)/.exec(run.stderr);
  return { maxRss: peak ? Number(peak[1]) * 1024 : Number.NaN, reported: run.stdout.includes('bomb.json.gz:1:1:') };
}

async function heapAfterClose(serverScript: string): Promise<{ before: number; after: number }> {
  const server = await startServer(serverScript, ['--expose-gc']);
  const heap = async (): Promise<number> => (await server.connection.sendRequest(HeapAfterCollectionRequest.type, null)).heapUsed;
  const cycle = async (uri: string, text: string): Promise<void> => {
    const opened = server.diagnostics(uri);
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'cloudtrail', version: 1, text } });
    await opened;
    for (let version = 2; version <= 4; version++) {
      const edited = server.diagnostics(uri);
      const at = { line: 0, character: Math.floor(text.length / 2) + version * 1000 };
      await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: at, end: at }, text: ' ' }],
      });
      await edited;
    }
    await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 100 } });
    await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  };
  await cycle('file:///bench/warm-up.json', generateLog(200 * 1024, 'one-line').text);
  const before = await heap();
  const large = [generateLog(20 * 1024 * 1024, 'one-line').text, generateLog(50 * 1024 * 1024, 'one-line').text];
  for (let round = 0; round < 2; round++) {
    for (const [i, text] of large.entries()) await cycle(`file:///bench/large-${String(i)}-${String(round)}.json`, text);
  }
  const after = await heap();
  await server.stop();
  return { before, after };
}

/**
 * Correlations over two rules, in a window of a day that holds every event: an event count whose
 * threshold is never reached, and an ordered pair whose second rule only ever matches first.
 * Each step of the window must not read the whole window again.
 */
function correlationOverOneWindow(): { eventCount: number; ordered: number } {
  const rule = (name: string): string =>
    `title: Rule ${name}\nid: rule-${name}\nname: rule_${name}\ndetection:\n    selection:\n        eventName: ${name}\n    condition: selection\n`;
  const correlation = (type: string, condition: string): string =>
    `title: Correlated\nid: correlated\ncorrelation:\n    type: ${type}\n    rules:\n        - rule_b\n        - rule_a\n    timespan: 1d\n    condition:\n        ${condition}\n`;
  const time = (type: string, condition: string): number => {
    const rules = RuleSet.load([{ path: 'hostile.yml', text: [rule('a'), rule('b'), correlation(type, condition)].join('---\n'), origin: 'user' }]);
    // The first half matches rule_a (member 1), the second rule_b (member 0): never in the rules' order.
    const observations: CorrelationObservation[] = Array.from({ length: CORRELATION_EVENTS }, (_, record) => ({
      correlation: 0,
      member: record < CORRELATION_EVENTS / 2 ? 1 : 0,
      time: 1_750_000_000_000 + record,
      group: '',
      record,
      file: 0,
    }));
    const started = performance.now();
    const found = correlate(rules.correlations, observations);
    const elapsed = performance.now() - started;
    if (found.length > 0) throw new Error(`the ${type} correlation should find nothing, found ${String(found.length)}`);
    return elapsed;
  };
  return { eventCount: time('event_count', `gte: ${String(CORRELATION_EVENTS * 10)}`), ordered: time('temporal_ordered', 'gte: 2') };
}

export const hostileInputSection: BenchSection = {
  id: 'hostile',
  title: 'Hostile input: a 4 MB user agent, 1,000,000 unclosed brackets, a gzip bomb, memory after close, a correlation window of 100,000 events',
  async run(context) {
    const serverScript = path.join(context.root, 'dist', 'server.js');
    const hover = userAgentHover();
    const brackets = await bracketsToDiagnostics(serverScript);
    const bomb = await cliOnBomb(context.root);
    const heap = await heapAfterClose(serverScript);
    const correlation = correlationOverOneWindow();
    context.report.table(
      ['measure', 'figure'],
      [
        ['hover inside a 4 MB userAgent (model)', ms(hover)],
        ['1,000,000 unclosed [ from open to diagnostics (server)', ms(brackets)],
        ['command line on a folder with a 1 GiB gzip bomb: peak resident', mib(bomb.maxRss)],
        ['heap after collection: before / after 20 and 50 MB logs opened, edited, closed twice', `${mib(heap.before)} / ${mib(heap.after)}`],
        ['event_count over 2 rules, 100,000 events in one window, never met (model)', ms(correlation.eventCount)],
        ['temporal_ordered over 2 rules, 100,000 events in one window, never in order (model)', ms(correlation.ordered)],
      ],
    );
    context.report.verdict(`4 MB userAgent hover < ${String(HOVER_TARGET_MS)} ms`, ms(hover), hover < HOVER_TARGET_MS);
    context.report.verdict(`1,000,000 unclosed brackets to diagnostics < ${String(BRACKETS_TARGET_MS)} ms`, ms(brackets), brackets < BRACKETS_TARGET_MS);
    context.report.verdict(
      `gzip bomb folder via the command line < ${mib(BOMB_TARGET_BYTES)} resident, bomb reported by name`,
      mib(bomb.maxRss),
      bomb.reported && bomb.maxRss < BOMB_TARGET_BYTES,
    );
    context.report.verdict(
      `heap after closing every document < ${String(HEAP_TARGET_RATIO)}x its size before`,
      (heap.after / heap.before).toFixed(2),
      heap.after < heap.before * HEAP_TARGET_RATIO,
    );
    const slowest = Math.max(correlation.eventCount, correlation.ordered);
    context.report.verdict(
      `correlations over a window of ${CORRELATION_EVENTS.toLocaleString('en-US')} events < ${String(CORRELATION_TARGET_MS)} ms each`,
      ms(slowest),
      slowest < CORRELATION_TARGET_MS,
    );
  },
};

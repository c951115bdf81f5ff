/**
 * The time the server takes to answer `cloudtrail/eventTree` for a log it has already parsed:
 * group the events by action then identity and write the whole answer (every group, the first
 * page of events of each innermost group, their ranges). Target: under 50 ms for a 20 MB log.
 * The Events view itself first asks for the top groups only (`depth: 1`), timed as `topMs`.
 */
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { computeEventTree, EventTreeInput } from '../../server/src/features/eventTree';
import { parseCloudTrail, validateDocument } from '../../server/src/model';
import { EventGroup, EventTreeParams } from '../../server/src/protocol';

const REPETITIONS = 7;

/**
 * Parses `text` once, then answers the request REPETITIONS times and returns the median wall time
 * (`ms`), the median CPU time (`cpuMs`, steadier on a busy machine) and the number of groups in the
 * answer (all levels). Each repetition sees a model it has not seen before, so nothing computed
 * for one answer (the time order of the records, their grouping keys) helps the next: this is the
 * first answer after a document is opened or edited. `warmMs` is the median time of the same
 * answer for a model that was grouped before (another grouping or filter of an unchanged log).
 * With --expose-gc, a full collection before each repetition keeps the parse's garbage out of it.
 * The document's line offsets are computed before timing, as the server's other features
 * (diagnostics, hovers) have done by the time the view asks.
 */
export function measureEventTree(text: string): { ms: number; cpuMs: number; warmMs: number; topMs: number; groups: number } {
  const document = TextDocument.create('file:///bench/eventTree.json', 'cloudtrail', 1, text);
  const model = parseCloudTrail(text);
  // The server has the problems already: it computed them for the diagnostics.
  const problems = validateDocument(model);
  document.positionAt(text.length);
  const params: EventTreeParams = { textDocument: { uri: document.uri }, groupBy: ['action', 'identity'] };
  const times: number[] = [];
  const topTimes: number[] = [];
  const cpuTimes: number[] = [];
  const warmTimes: number[] = [];
  let groups = 0;
  for (let i = 0; i < REPETITIONS; i++) {
    const input: EventTreeInput = { document, model: { ...model }, problems };
    collectGarbage();
    const cpuStart = cpuMilliseconds();
    const start = performance.now();
    const answer = computeEventTree([input], params);
    times.push(performance.now() - start);
    cpuTimes.push(cpuMilliseconds() - cpuStart);
    groups = countGroups(answer.groups);
    collectGarbage();
    const warmStart = performance.now();
    computeEventTree([input], params);
    warmTimes.push(performance.now() - warmStart);
    collectGarbage();
    const topStart = performance.now();
    computeEventTree([{ document, model: { ...model }, problems }], { ...params, depth: 1 });
    topTimes.push(performance.now() - topStart);
  }
  return { ms: median(times), cpuMs: median(cpuTimes), warmMs: median(warmTimes), topMs: median(topTimes), groups };
}

/** A full garbage collection when the process runs with --expose-gc. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** CPU time this process has used so far (all threads), in milliseconds. */
function cpuMilliseconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function countGroups(groups: readonly EventGroup[]): number {
  return groups.reduce((sum, group) => sum + 1 + countGroups(group.groups ?? []), 0);
}

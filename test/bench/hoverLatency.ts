/**
 * Hover latency: the time `hoverContent` takes at random offsets of a parsed log. The document
 * is parsed once, as the server does for each version; each hover then finds its record by binary
 * search and walks that record only, so the time should not grow with the file.
 */
import { performance } from 'node:perf_hooks';
import { NO_NODE, parseCloudTrail } from '../../server/src/model';
import { hoverContent } from '../../server/src/model/explain/hoverContent';
import { forgetParsedIamServices } from '../../server/src/model/iam/iamData';
import { collectGarbage, percentile } from './benchFrame';
import { seededRandom } from './generateLogs';

export interface HoverLatency {
  /** Milliseconds of wall time. */
  p50: number;
  p99: number;
  max: number;
  /**
   * CPU milliseconds of the process, 99th percentile: on a shared machine the wall time also
   * counts the waits for a core, which have nothing to do with the hover.
   */
  cpuP99: number;
  /** How many of the positions had something to explain (whitespace and brackets do not). */
  hovered: number;
}

/**
 * CPU milliseconds of the process, to the microsecond. The scheduler's per-thread figure
 * (threadCpuMilliseconds) only moves at clock ticks, far coarser than one hover; the process's
 * figure is brought up to date when read, and during a hover the other threads are nearly idle.
 */
function processCpuMilliseconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Hovers not counted, so that the first compilations of the code paths do not count as latency. */
const WARMUP = 200;

/**
 * Parses `text` once, then times `positions` hovers at random offsets (the same offsets for the
 * same text and seed). The clock and time zone are fixed: the server reads them once.
 */
export function measureHoverLatency(text: string, positions: number, seed = 1): HoverLatency {
  const document = parseCloudTrail(text);
  // The parse leaves garbage behind; collect it now (with --expose-gc) rather than inside a hover.
  collectGarbage();
  const env = { now: Date.UTC(2026, 0, 1), timeZone: 'Europe/Madrid' };
  const random = seededRandom(seed);
  for (let i = 0; i < WARMUP; i++) {
    hoverContent(document, Math.floor(random() * text.length), env);
  }
  // The first hover of a service parses its IAM data; it counts like every other hover.
  forgetParsedIamServices();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let hovered = 0;
  for (let i = 0; i < positions; i++) {
    const offset = Math.floor(random() * text.length);
    const cpuStarted = processCpuMilliseconds();
    const started = performance.now();
    const hover = hoverContent(document, offset, env);
    times.push(performance.now() - started);
    cpuTimes.push(processCpuMilliseconds() - cpuStarted);
    if (hover) {
      hovered++;
    }
  }
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: Math.max(...times), cpuP99: percentile(cpuTimes, 0.99), hovered };
}

export interface EventNameHoverLatency extends HoverLatency {
  /** Services whose first hover was timed, and the slowest of those first hovers (CPU milliseconds). */
  services: number;
  slowestFirstHover: number;
}

/**
 * Times the hover on the eventName of `count` random records: the event summary with its IAM
 * section, the heaviest hover there is. The IAM data of every service is dropped after the
 * warm-up, so the first hover of each service (which parses that service's data) is among the
 * timed ones.
 */
export function measureEventNameHovers(text: string, count: number, seed = 2): EventNameHoverLatency {
  const document = parseCloudTrail(text);
  collectGarbage();
  const env = { now: Date.UTC(2026, 0, 1), timeZone: 'Europe/Madrid' };
  const offsets: number[] = [];
  const sources: (string | undefined)[] = [];
  for (const record of document.records) {
    const view = record.source.view;
    const node = view.property(record.node, 'eventName');
    if (node !== NO_NODE) {
      offsets.push(record.source.toDocument(view.table.start[node]) + 1);
      sources.push(record.summary.eventSource);
    }
  }
  const random = seededRandom(seed);
  for (let i = 0; i < WARMUP && offsets.length > 0; i++) {
    hoverContent(document, offsets[Math.floor(random() * offsets.length)], env);
  }
  forgetParsedIamServices();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const firstHover = new Map<string | undefined, number>();
  let hovered = 0;
  for (let i = 0; i < count && offsets.length > 0; i++) {
    const pick = Math.floor(random() * offsets.length);
    const cpuStarted = processCpuMilliseconds();
    const started = performance.now();
    const hover = hoverContent(document, offsets[pick], env);
    times.push(performance.now() - started);
    const cpu = processCpuMilliseconds() - cpuStarted;
    cpuTimes.push(cpu);
    if (!firstHover.has(sources[pick])) firstHover.set(sources[pick], cpu);
    if (hover) hovered++;
  }
  return {
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    max: Math.max(...times),
    cpuP99: percentile(cpuTimes, 0.99),
    hovered,
    services: firstHover.size,
    slowestFirstHover: Math.max(...firstHover.values()),
  };
}

/**
 * Hover latency: the time `hoverContent` takes at random offsets of a parsed log. The document
 * is parsed once, as the server does for each version; each hover then finds its record by binary
 * search and walks that record only, so the time should not grow with the file.
 */
import { performance } from 'node:perf_hooks';
import { parseCloudTrail } from '../../server/src/model';
import { hoverContent } from '../../server/src/model/explain/hoverContent';
import { collectGarbage, percentile } from './benchFrame';
import { seededRandom } from './generateLogs';

export interface HoverLatency {
  /** Milliseconds. */
  p50: number;
  p99: number;
  max: number;
  /** How many of the positions had something to explain (whitespace and brackets do not). */
  hovered: number;
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
  const times: number[] = [];
  let hovered = 0;
  for (let i = 0; i < positions; i++) {
    const offset = Math.floor(random() * text.length);
    const started = performance.now();
    const hover = hoverContent(document, offset, env);
    times.push(performance.now() - started);
    if (hover) {
      hovered++;
    }
  }
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: Math.max(...times), hovered };
}

/**
 * The messages between the Timeline webview and the extension, and their checks. Both sides
 * validate what they receive: the webview's messages come from a page, the extension's carry
 * counts and labels taken from logs.
 */
import type { TimelineResult } from '../../../server/src/protocol';

/** From the extension to the webview. */
export type ToWebview =
  | {
      type: 'data';
      timeline: TimelineResult | null;
      grouping: string;
      range?: { from: number; to: number } | undefined;
      message: string;
      seriesByRule: boolean;
    }
  | { type: 'mark'; time: number | null }
  | { type: 'busy' };

/** From the webview to the extension. */
export type FromWebview =
  | { type: 'ready' }
  /** The user brushed a range: filter the views to it. */
  | { type: 'brush'; from: number; to: number }
  | { type: 'clearRange' }
  /** A bar was clicked: show its events. */
  | { type: 'revealBucket'; from: number; to: number }
  /** Zoom or pan: draw this range (undefined: everything). */
  | { type: 'view'; from: number; to: number }
  | { type: 'resetView' }
  | { type: 'export' }
  /** Series per Sigma rule (the events each matched) instead of per group of the Events view's grouping. */
  | { type: 'seriesByRule'; on: boolean };

const EARLIEST = Date.UTC(1990, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= EARLIEST && value <= LATEST;
}

/** A message from the webview, or undefined when it is not one this extension sends itself. */
export function readWebviewMessage(message: unknown): FromWebview | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, from, to, on } = message as Record<string, unknown>;
  switch (type) {
    case 'ready':
    case 'clearRange':
    case 'resetView':
    case 'export':
      return { type };
    case 'brush':
    case 'revealBucket':
    case 'view':
      return isTime(from) && isTime(to) && from < to ? { type, from, to } : undefined;
    case 'seriesByRule':
      return typeof on === 'boolean' ? { type, on } : undefined;
    default:
      return undefined;
  }
}

/** A timeline answer fit to draw: every array the right length, every count a number. */
export function isDrawableTimeline(value: unknown): value is TimelineResult {
  if (typeof value !== 'object' || value === null) return false;
  const timeline = value as Partial<TimelineResult>;
  if (typeof timeline.start !== 'number' || typeof timeline.end !== 'number' || typeof timeline.bucketMs !== 'number' || !(timeline.bucketMs > 0)) return false;
  if (!Array.isArray(timeline.series) || !Array.isArray(timeline.counts) || !Array.isArray(timeline.failed) || !Array.isArray(timeline.findings)) return false;
  const buckets = timeline.failed.length;
  if (buckets > 5000 || timeline.counts.length !== timeline.series.length) return false;
  const numbers = (row: unknown): boolean => Array.isArray(row) && row.length === buckets && row.every((n) => typeof n === 'number' && n >= 0);
  return (
    numbers(timeline.failed) &&
    numbers(timeline.findings) &&
    timeline.counts.every(numbers) &&
    timeline.series.every((series) => typeof series.key === 'string' && typeof series.label === 'string' && typeof series.count === 'number')
  );
}

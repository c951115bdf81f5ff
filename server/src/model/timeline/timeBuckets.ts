/**
 * Events over time: counts per time bucket and per series (one series per group of the chosen
 * grouping), as the Timeline panel draws them as stacked bars. The server aggregates; the view
 * never receives events, so a folder of hundreds of thousands of events is a few hundred numbers
 * on the wire.
 */

/** The bucket widths a timeline chooses from, in milliseconds: round steps a person reads easily. */
export const BUCKET_STEPS: readonly number[] = [
  1_000, 5_000, 15_000, 30_000, 60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000,
  12 * 3_600_000, 86_400_000, 7 * 86_400_000, 30 * 86_400_000,
];

/** How many bars a timeline aims at when the caller names no number. */
export const DEFAULT_BUCKET_TARGET = 120;
/** The most bars one answer holds, whatever is asked. */
export const MAX_BUCKETS = 2_000;
/** The most series drawn apart; the rest are summed into one "other" series. */
export const MAX_SERIES = 12;
export const OTHER_SERIES_KEY = '\u0000other';

/** The events of one series: their times (milliseconds since 1970, NaN when unreadable) and whether each failed. */
export interface SeriesEvents {
  key: string;
  label: string;
  count: number;
  /** Calls `visit` once per event of the series. */
  forEach(visit: (time: number, failed: boolean) => void): void;
}

export interface TimelineSeries {
  key: string;
  label: string;
  /** Events of the series inside the timeline's range. */
  count: number;
  /** For the "other" series: how many groups it sums. */
  groups?: number;
}

export interface TimelineData {
  /** Start of the first bucket and end of the last, in milliseconds since 1970 (UTC). */
  start: number;
  end: number;
  bucketMs: number;
  series: TimelineSeries[];
  /** `counts[s][b]`: events of series `s` in bucket `b`. */
  counts: number[][];
  /** Failed calls (with an errorCode) per bucket, all series together. */
  failed: number[];
  /** Events counted in the buckets, and those left out because their time is unreadable. */
  total: number;
  untimed: number;
}

export interface TimelineOptions {
  /** The range to draw; by default from the earliest to the latest event. */
  from?: number;
  to?: number;
  /** About how many bars (default DEFAULT_BUCKET_TARGET, at most MAX_BUCKETS). */
  bucketTarget?: number;
}

/** The smallest round step that cuts `span` into at most `target` buckets. */
export function chooseBucketMs(span: number, target: number): number {
  const wanted = Math.max(1, Math.min(MAX_BUCKETS, Math.floor(target)));
  for (const step of BUCKET_STEPS) {
    if (span / step <= wanted) {
      return step;
    }
  }
  const largest = BUCKET_STEPS[BUCKET_STEPS.length - 1];
  return Math.ceil(span / wanted / largest) * largest;
}

/** Counts the events of every series into time buckets. Linear in the number of events. */
export function buildTimeline(seriesEvents: readonly SeriesEvents[], options: TimelineOptions = {}): TimelineData {
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  if (options.from === undefined || options.to === undefined) {
    for (const series of seriesEvents) {
      series.forEach((time) => {
        if (time < earliest) earliest = time;
        if (time > latest) latest = time;
      });
    }
  }
  const from = options.from ?? earliest;
  const to = options.to ?? latest;
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) {
    return emptyTimeline(seriesEvents);
  }
  const bucketMs = chooseBucketMs(Math.max(1, to - from + 1), options.bucketTarget ?? DEFAULT_BUCKET_TARGET);
  const start = Math.floor(from / bucketMs) * bucketMs;
  const bucketCount = Math.max(1, Math.floor((to - start) / bucketMs) + 1);
  const end = start + bucketCount * bucketMs;

  const ranked = [...seriesEvents].sort((a, b) => b.count - a.count || compareText(a.label, b.label));
  const shown = ranked.length > MAX_SERIES ? ranked.slice(0, MAX_SERIES - 1) : ranked;
  const rest = ranked.length > MAX_SERIES ? ranked.slice(MAX_SERIES - 1) : [];

  const failed = new Array<number>(bucketCount).fill(0);
  let total = 0;
  let untimed = 0;
  const countInto = (events: SeriesEvents, row: number[]): number => {
    let inRange = 0;
    events.forEach((time, isFailed) => {
      if (Number.isNaN(time)) {
        untimed++;
        return;
      }
      if (time < from || time > to) return;
      const bucket = Math.floor((time - start) / bucketMs);
      row[bucket]++;
      if (isFailed) failed[bucket]++;
      inRange++;
    });
    total += inRange;
    return inRange;
  };

  const series: TimelineSeries[] = [];
  const counts: number[][] = [];
  for (const events of shown) {
    const row = new Array<number>(bucketCount).fill(0);
    series.push({ key: events.key, label: events.label, count: countInto(events, row) });
    counts.push(row);
  }
  if (rest.length > 0) {
    const row = new Array<number>(bucketCount).fill(0);
    let count = 0;
    for (const events of rest) count += countInto(events, row);
    series.push({ key: OTHER_SERIES_KEY, label: `${rest.length} other groups`, count, groups: rest.length });
    counts.push(row);
  }
  return { start, end, bucketMs, series, counts, failed, total, untimed };
}

function emptyTimeline(seriesEvents: readonly SeriesEvents[]): TimelineData {
  const untimed = seriesEvents.reduce((sum, series) => sum + series.count, 0);
  return { start: 0, end: 0, bucketMs: BUCKET_STEPS[0], series: [], counts: [], failed: [], total: 0, untimed };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Events over time: counts per time bucket and per series (one series per group of the chosen
 * grouping), as the Timeline panel draws them as stacked bars. The server aggregates; the view
 * never receives events, so a folder of hundreds of thousands of events is a few hundred numbers
 * on the wire.
 */

/** The bucket widths a timeline chooses from, in milliseconds: round steps a person reads easily. */
export const BUCKET_STEPS: readonly number[] = [
  1_000,
  5_000,
  15_000,
  30_000,
  60_000,
  5 * 60_000,
  15 * 60_000,
  30 * 60_000,
  3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
  86_400_000,
  7 * 86_400_000,
  30 * 86_400_000,
];

/** How many bars a timeline aims at when the caller names no number. */
export const DEFAULT_BUCKET_TARGET = 120;
/** The most bars one answer holds, whatever is asked. */
export const MAX_BUCKETS = 2_000;
/** The most series drawn apart; the rest are summed into one "other" series. */
export const MAX_SERIES = 12;
export const OTHER_SERIES_KEY = '\u0000other';

/**
 * The events to draw, column by column: one entry per event, its time (milliseconds since 1970,
 * NaN when unreadable), the position of its series in `series`, whether it failed and whether a
 * detection rule matched it. Typed
 * arrays, so that a folder of a million events costs a few megabytes and no object per event.
 */
export interface TimelineColumns {
  count: number;
  times: Float64Array;
  seriesOf: Uint32Array;
  failed: Uint8Array;
  found: Uint8Array;
  series: readonly { key: string; label: string }[];
}

/** Columns with room for `capacity` events, filled by `add`. */
export class ColumnsBuilder {
  private readonly times: Float64Array;
  private readonly seriesOf: Uint32Array;
  private readonly failed: Uint8Array;
  private readonly found: Uint8Array;
  private count = 0;

  constructor(
    capacity: number,
    private readonly series: readonly { key: string; label: string }[],
  ) {
    this.times = new Float64Array(capacity);
    this.seriesOf = new Uint32Array(capacity);
    this.failed = new Uint8Array(capacity);
    this.found = new Uint8Array(capacity);
  }

  add(time: number, series: number, failed: boolean, found = false): void {
    const i = this.count++;
    this.times[i] = time;
    this.seriesOf[i] = series;
    this.failed[i] = failed ? 1 : 0;
    this.found[i] = found ? 1 : 0;
  }

  build(): TimelineColumns {
    return { count: this.count, times: this.times, seriesOf: this.seriesOf, failed: this.failed, found: this.found, series: this.series };
  }
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
  /** Entries that a detection rule matched, per bucket, all series together. */
  findings: number[];
  /** Events counted in the buckets (one in several series, by its tactics, in each), and those left out because their time is unreadable. */
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
export function buildTimeline(columns: TimelineColumns, options: TimelineOptions = {}): TimelineData {
  const { times, seriesOf, failed: failedOf, found: foundOf, count } = columns;
  const perSeries = new Float64Array(columns.series.length);
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  let untimed = 0;
  for (let i = 0; i < count; i++) {
    const time = times[i];
    if (Number.isNaN(time)) {
      untimed++;
      continue;
    }
    if (time < earliest) earliest = time;
    if (time > latest) latest = time;
  }
  const from = options.from ?? earliest;
  const to = options.to ?? latest;
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) {
    return { start: 0, end: 0, bucketMs: BUCKET_STEPS[0], series: [], counts: [], failed: [], findings: [], total: 0, untimed };
  }
  const bucketMs = chooseBucketMs(Math.max(1, to - from + 1), options.bucketTarget ?? DEFAULT_BUCKET_TARGET);
  const start = Math.floor(from / bucketMs) * bucketMs;
  const bucketCount = Math.max(1, Math.floor((to - start) / bucketMs) + 1);
  const end = start + bucketCount * bucketMs;

  // Events per series inside the range decide which series are drawn apart.
  for (let i = 0; i < count; i++) {
    const time = times[i];
    if (time >= from && time <= to) perSeries[seriesOf[i]]++;
  }
  const ranked = columns.series
    .map((series, position) => ({ ...series, position, count: perSeries[position] }))
    .filter((series) => series.count > 0)
    .sort((a, b) => b.count - a.count || compareText(a.label, b.label));
  const shown = ranked.length > MAX_SERIES ? ranked.slice(0, MAX_SERIES - 1) : ranked;
  const rest = ranked.length > MAX_SERIES ? ranked.slice(MAX_SERIES - 1) : [];
  const row = new Int32Array(columns.series.length).fill(-1);
  shown.forEach((series, position) => {
    row[series.position] = position;
  });
  const otherRow = shown.length;
  for (const series of rest) row[series.position] = otherRow;

  const rows = shown.length + (rest.length > 0 ? 1 : 0);
  const counts = Array.from({ length: rows }, () => new Array<number>(bucketCount).fill(0));
  const failed = new Array<number>(bucketCount).fill(0);
  const findings = new Array<number>(bucketCount).fill(0);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const time = times[i];
    if (!(time >= from && time <= to)) continue;
    const target = row[seriesOf[i]];
    if (target < 0) continue;
    const bucket = Math.floor((time - start) / bucketMs);
    counts[target][bucket]++;
    if (failedOf[i] === 1) failed[bucket]++;
    if (foundOf[i] === 1) findings[bucket]++;
    total++;
  }
  const series: TimelineSeries[] = shown.map(({ key, label, count: events }) => ({ key, label, count: events }));
  if (rest.length > 0) {
    series.push({ key: OTHER_SERIES_KEY, label: `${rest.length} other groups`, count: rest.reduce((sum, s) => sum + s.count, 0), groups: rest.length });
  }
  return { start, end, bucketMs, series, counts, failed, findings, total, untimed };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

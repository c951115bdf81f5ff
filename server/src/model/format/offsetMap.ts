import { Buffer } from 'node:buffer';
import { lastAtOrBefore } from '../json/sortedSearch';

/**
 * Offsets between a text and a re-laid-out copy of it. The copy is made of runs of the original
 * copied as they are, with white space replaced between them; each run is kept as where it starts
 * in both texts and where it ends in the original. Within a run an offset moves by a constant;
 * an offset in white space that only one text has goes to the start of the next run.
 */
export class OffsetMap {
  constructor(
    private readonly originalStarts: Int32Array,
    private readonly originalEnds: Int32Array,
    private readonly formattedStarts: Int32Array,
    readonly originalLength: number,
    readonly formattedLength: number,
  ) {}

  get runs(): number {
    return this.originalStarts.length;
  }

  /** Bytes the map keeps. */
  get byteLength(): number {
    return this.originalStarts.byteLength * 3;
  }

  /**
   * The offset in the formatted text of `offset` of the original. A range's end is asked for with
   * `end`: where two runs meet, it stays with the run before (the end of a token, not the start of
   * the next one after inserted white space).
   */
  toFormatted(offset: number, end = false): number {
    return move(this.originalStarts, this.originalEnds, this.formattedStarts, this.formattedLength, offset, end);
  }

  /** The offset in the original text of `offset` of the formatted one (`end` as in `toFormatted`). */
  toOriginal(offset: number, end = false): number {
    return move(this.formattedStarts, this.formattedEnds(), this.originalStarts, this.originalLength, offset, end);
  }

  /** Maps a range [start, end) of the original. */
  rangeToFormatted(start: number, end: number): { start: number; end: number } {
    const from = this.toFormatted(start);
    return { start: from, end: Math.max(from, this.toFormatted(end, true)) };
  }

  /** Maps a range [start, end) of the formatted text. */
  rangeToOriginal(start: number, end: number): { start: number; end: number } {
    const from = this.toOriginal(start);
    return { start: from, end: Math.max(from, this.toOriginal(end, true)) };
  }

  private formattedEndsCache: Int32Array | undefined;

  private formattedEnds(): Int32Array {
    if (!this.formattedEndsCache) {
      const ends = new Int32Array(this.runs);
      for (let run = 0; run < ends.length; run++) ends[run] = this.formattedStarts[run] + (this.originalEnds[run] - this.originalStarts[run]);
      this.formattedEndsCache = ends;
    }
    return this.formattedEndsCache;
  }
}

/** Moves `offset` from the text whose runs are `[fromStarts, fromEnds)` to the text where they start at `toStarts`. */
function move(fromStarts: Int32Array, fromEnds: Int32Array, toStarts: Int32Array, toLength: number, offset: number, end: boolean): number {
  const runs = fromStarts.length;
  if (runs === 0) return 0;
  if (end) {
    if (offset <= fromStarts[0]) return toStarts[0];
    const run = lastAtOrBefore(fromStarts, offset - 1);
    // In white space after the run: the end of the run.
    return toStarts[run] + (Math.min(offset, fromEnds[run]) - fromStarts[run]);
  }
  const run = lastAtOrBefore(fromStarts, offset);
  if (offset < fromStarts[run]) return toStarts[run];
  if (offset <= fromEnds[run]) return toStarts[run] + (offset - fromStarts[run]);
  return run + 1 < runs ? toStarts[run + 1] : toLength;
}

const NO_RUNS = new Int32Array(1);

/**
 * Collects the runs of an OffsetMap in order, in typed arrays that grow when needed. The first run
 * starts at 0 in both texts. One builder makes map after map: `begin`, runs, `finish`, `release`.
 */
export class OffsetMapBuilder {
  private originalStarts: Int32Array = NO_RUNS;
  private originalEnds: Int32Array = NO_RUNS;
  private formattedStarts: Int32Array = NO_RUNS;
  private count = 1;

  /** Starts a new map, with room for `capacity` runs before it grows. */
  begin(capacity: number): void {
    const size = Math.max(16, capacity);
    this.originalStarts = uninitialized(size);
    this.originalEnds = uninitialized(size);
    this.formattedStarts = uninitialized(size);
    this.originalStarts[0] = 0;
    this.formattedStarts[0] = 0;
    this.count = 1;
  }

  /** Lets go of the runs of the last map (the map keeps them). */
  release(): void {
    this.originalStarts = NO_RUNS;
    this.originalEnds = NO_RUNS;
    this.formattedStarts = NO_RUNS;
    this.count = 1;
  }

  /**
   * The current run ends at `end` in the original, and the next begins at `original` in the
   * original and `formatted` in the copy. A current run with nothing in it is dropped.
   */
  nextRun(end: number, original: number, formatted: number): void {
    const current = this.count - 1;
    if (end === this.originalStarts[current]) {
      this.originalStarts[current] = original;
      this.formattedStarts[current] = formatted;
      return;
    }
    this.originalEnds[current] = end;
    if (this.count === this.originalStarts.length) this.grow();
    this.originalStarts[this.count] = original;
    this.formattedStarts[this.count] = formatted;
    this.count++;
  }

  /** The last run ends at `end` in the original. */
  finish(end: number, originalLength: number, formattedLength: number): OffsetMap {
    let count = this.count;
    this.originalEnds[count - 1] = end;
    if (count > 1 && end === this.originalStarts[count - 1]) count--;
    return new OffsetMap(
      // Views, not copies: copying would cost more than the few unused entries keep.
      this.originalStarts.subarray(0, count),
      this.originalEnds.subarray(0, count),
      this.formattedStarts.subarray(0, count),
      originalLength,
      formattedLength,
    );
  }

  private grow(): void {
    const size = this.originalStarts.length * 2;
    const grown = (array: Int32Array): Int32Array => {
      const bigger = uninitialized(size);
      bigger.set(array);
      return bigger;
    };
    this.originalStarts = grown(this.originalStarts);
    this.originalEnds = grown(this.originalEnds);
    this.formattedStarts = grown(this.formattedStarts);
  }
}

/** An Int32Array whose memory is not cleared first: every entry the builder reads it has written. */
function uninitialized(length: number): Int32Array {
  const bytes = Buffer.allocUnsafeSlow(length * Int32Array.BYTES_PER_ELEMENT);
  return new Int32Array(bytes.buffer, bytes.byteOffset, length);
}

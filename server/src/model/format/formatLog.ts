import { Buffer } from 'node:buffer';
import {
  CH_BACKSLASH,
  CH_CLOSE_BRACE,
  CH_CLOSE_BRACKET,
  CH_COLON,
  CH_COMMA,
  CH_CR,
  CH_LF,
  CH_OPEN_BRACE,
  CH_OPEN_BRACKET,
  CH_QUOTE,
  CH_SPACE,
  CH_TAB,
  lineBreakEndsString,
} from '../json/jsonScanner';
import { OffsetMap, OffsetMapBuilder } from './offsetMap';

/**
 * Lays a log out one property per line, indented, for reading. It moves tokens, never rewrites
 * them: every string, number, word and bracket of the original is copied character for
 * character, and only the white space between tokens changes. Nothing is parsed into values, so
 * a broken file keeps its mistakes where they were (an unquoted key, a missing comma, a string
 * with a raw line break), and the scanner reads the same tokens from both texts.
 *
 * White space is only ever inserted where the scanner ignores it: after `{`, `[`, `,` and `:`,
 * before `}` and `]`, and between two tokens that the original separated by white space (with a
 * line break when the original had one, since a raw line break can end a string). A string is
 * read as the scanner reads it, up to the same closing quote or line break.
 */

export interface FormattedLog {
  readonly text: string;
  readonly map: OffsetMap;
}

/** Spaces of indentation per depth. */
const INDENT_WIDTH = 2;

// The white space written between two tokens: none, one space, or a line break followed by the
// indentation of a depth (any value from 0 up).
const LAYOUT_NONE = -2;
const LAYOUT_SPACE = -1;
/** No layout decided: the original white space, if any, is dropped. */
const LAYOUT_UNDECIDED = -3;

// The last token written, which decides the white space before the next one.
const AFTER_NOTHING = 0;
const AFTER_OPEN = 1;
const AFTER_COMMA = 2;
const AFTER_COLON = 3;
const AFTER_VALUE = 4;

/** The bytes copied at a time, and the room left after the output for its last chunk. */
const COPY_CHUNK = 8;
/**
 * Indentation stops growing at this depth: CloudTrail nests a few levels, and a hostile file of a
 * million open brackets would otherwise be laid out in a million lines of up to two million spaces.
 */
const MAX_INDENTED_DEPTH = 64;
/** Eight bytes of spaces, as one-byte units and as UTF-16 units, read as doubles (neither is a NaN, so the bits are kept). */
const SPACES_ONE_BYTE = new DataView(new Uint8Array(COPY_CHUNK).fill(CH_SPACE).buffer).getFloat64(0, true);
const SPACES_UTF16 = new DataView(new Uint16Array(COPY_CHUNK / 2).fill(CH_SPACE).buffer).getFloat64(0, true);

/**
 * The formatter every call uses, while it is not busy with another. The engine's optimized code
 * for the formatter's methods refers to the formatter object it ran with, and is thrown away when
 * that object is collected: with a formatter made for each log, every full garbage collection
 * sent the next log back to unoptimized code while the methods were optimized again.
 */
let idleFormatter: LogFormatter | undefined;

export function formatLog(text: string): FormattedLog {
  const formatter = idleFormatter ?? new LogFormatter();
  idleFormatter = undefined;
  try {
    return formatter.format(text);
  } finally {
    formatter.release();
    idleFormatter = formatter;
  }
}

const encoder = new TextEncoder();

/**
 * The text's code units as one byte each, followed by COPY_CHUNK zero bytes, when the text is
 * ASCII; undefined otherwise. One pass writes the bytes and tells whether they are ASCII: every
 * unit was read and each took one byte of UTF-8 only if none is above 0x7F.
 */
function asciiUnits(text: string): Buffer | undefined {
  const source = Buffer.allocUnsafe(text.length + COPY_CHUNK);
  const { read, written } = encoder.encodeInto(text, source);
  if (read !== text.length || written !== text.length) return undefined;
  source.fill(0, text.length);
  return source;
}

/** The text's code units as UTF-16, followed by COPY_CHUNK zero bytes. */
function utf16Units(text: string): Buffer {
  const bytes = text.length << 1;
  const source = Buffer.allocUnsafe(bytes + COPY_CHUNK);
  source.write(text, 0, bytes, 'utf16le');
  source.fill(0, bytes);
  return source;
}

const NO_BYTES = Buffer.alloc(COPY_CHUNK);
const NO_BYTES_VIEW = new DataView(NO_BYTES.buffer, NO_BYTES.byteOffset, NO_BYTES.byteLength);

class LogFormatter {
  private readonly map = new OffsetMapBuilder();
  private text = '';
  /** log2 of the bytes of one code unit: 0 for one-byte units (ASCII), 1 for UTF-16. */
  private unitShift: 0 | 1 = 0;
  /** The text's code units as bytes, and eight zero bytes after them that copies may read. */
  private source: Buffer = NO_BYTES;
  private sourceView: DataView = NO_BYTES_VIEW;
  /** Code units of the text. */
  private length = 0;
  private output: Buffer = NO_BYTES;
  private outputView: DataView = NO_BYTES_VIEW;
  /** Whether the formatted text is the original, untouched. */
  private unchanged = false;
  /** Start of the original text not yet written. */
  private copyFrom = 0;
  /** Code units of the formatted text written so far. */
  private written = 0;
  private depth = 0;
  // The next backslash, line feed and carriage return at or after the string being read (found once, looked for again only when passed).
  private nextBackslash = -1;
  private nextLineFeed = -1;
  private nextReturn = -1;
  /** The first of the three. */
  private nextSpecial = -1;
  /** Spaces as code units filling eight bytes, read as a double. */
  private spaces = SPACES_ONE_BYTE;

  format(text: string): FormattedLog {
    // The text is worked on as code units in a byte buffer (one byte each when the text is ASCII,
    // else two), and the output is written in one buffer instead of millions of small strings.
    const oneByte = asciiUnits(text);
    this.begin(text, oneByte ? 0 : 1, oneByte ?? utf16Units(text));
    const map = this.run();
    // A log laid out already (every token where the layout puts it) is its own formatted text.
    if (this.unchanged) return { text, map };
    const bytes = this.output.subarray(0, map.formattedLength << this.unitShift);
    return { text: bytes.toString(oneByte ? 'latin1' : 'utf16le'), map };
  }

  /** Every field as a new formatter of `text` has it; `source` holds its code units, `unitShift` wide, and COPY_CHUNK zero bytes. */
  private begin(text: string, unitShift: 0 | 1, source: Buffer): void {
    this.text = text;
    this.unitShift = unitShift;
    this.length = text.length;
    this.source = source;
    this.sourceView = new DataView(source.buffer, source.byteOffset, source.byteLength);
    this.output = Buffer.allocUnsafe((Math.ceil(text.length * 1.7) + 256) << unitShift);
    this.outputView = new DataView(this.output.buffer, this.output.byteOffset, this.output.byteLength);
    this.spaces = unitShift === 0 ? SPACES_ONE_BYTE : SPACES_UTF16;
    this.map.begin(estimateTokens(text));
    this.unchanged = false;
    this.copyFrom = 0;
    this.written = 0;
    this.depth = 0;
    this.nextBackslash = -1;
    this.nextLineFeed = -1;
    this.nextReturn = -1;
    this.nextSpecial = -1;
  }

  /** Lets go of the last log, its copy and its map. */
  release(): void {
    this.text = '';
    this.source = NO_BYTES;
    this.sourceView = NO_BYTES_VIEW;
    this.output = NO_BYTES;
    this.outputView = NO_BYTES_VIEW;
    this.map.release();
  }

  /** The code unit at `pos`; the few past the end read as 0 (the zero bytes after the text). */
  private unit(pos: number): number {
    return this.unitShift === 0 ? this.source[pos] : this.sourceView.getUint16(pos << 1, true);
  }

  private run(): OffsetMap {
    const length = this.length;
    let pos = 0;
    let last = AFTER_NOTHING;
    // Where the white space before the current token began (-1: none), and whether it held a line break.
    let spaceFrom = -1;
    let spaceHadBreak = false;
    while (pos < length) {
      const c = this.unit(pos);
      if (c === CH_SPACE || c === CH_LF || c === CH_CR || c === CH_TAB) {
        spaceFrom = pos;
        spaceHadBreak = false;
        for (; pos < length; pos++) {
          const space = this.unit(pos);
          if (space === CH_LF || space === CH_CR) spaceHadBreak = true;
          else if (space !== CH_SPACE && space !== CH_TAB) break;
        }
        continue;
      }
      // The layout before this token replaces the original white space (kept only where it separates two values).
      let layout = LAYOUT_UNDECIDED;
      if (c === CH_CLOSE_BRACE || c === CH_CLOSE_BRACKET) {
        if (this.depth > 0) this.depth--;
        layout = last === AFTER_OPEN ? LAYOUT_NONE : this.depth;
      } else if (last === AFTER_OPEN || last === AFTER_COMMA) {
        layout = this.depth;
      } else if (last === AFTER_COLON) {
        // One space or none after a colon is kept as it is: re-spacing every property of a
        // one-line log would cut it into twice as many pieces for no gain in reading.
        if (spaceFrom >= 0) layout = LAYOUT_SPACE;
      } else if (last === AFTER_VALUE && c !== CH_COMMA && c !== CH_COLON) {
        // Two values with no comma between them (one event per line, or a broken file).
        if (this.depth === 0 || spaceHadBreak) layout = this.depth;
        else if (spaceFrom >= 0) layout = LAYOUT_SPACE;
      }
      if (layout !== LAYOUT_UNDECIDED) {
        const from = spaceFrom >= 0 ? spaceFrom : pos;
        // White space already laid out as it would be is kept as it is, in the same run.
        if (!this.sameAs(from, pos, layout)) this.replace(from, pos, layout);
      } else if (spaceFrom >= 0) {
        this.replace(spaceFrom, pos, LAYOUT_NONE);
      }
      spaceFrom = -1;
      switch (c) {
        case CH_OPEN_BRACE:
        case CH_OPEN_BRACKET:
          this.depth++;
          pos++;
          last = AFTER_OPEN;
          // An empty object or array stays on one line.
          if (this.unit(pos) === (c === CH_OPEN_BRACE ? CH_CLOSE_BRACE : CH_CLOSE_BRACKET)) {
            this.depth--;
            pos++;
            last = AFTER_VALUE;
          }
          break;
        case CH_CLOSE_BRACE:
        case CH_CLOSE_BRACKET:
          pos++;
          last = AFTER_VALUE;
          break;
        case CH_COMMA:
          pos++;
          last = AFTER_COMMA;
          break;
        case CH_COLON:
          pos++;
          last = AFTER_COLON;
          break;
        case CH_QUOTE:
          pos = this.stringEnd(pos);
          last = AFTER_VALUE;
          break;
        default:
          pos = this.wordEnd(pos);
          last = AFTER_VALUE;
      }
    }
    // The text ends with one line break (and nothing after nothing).
    const endLayout = last === AFTER_NOTHING ? LAYOUT_NONE : 0;
    const endFrom = spaceFrom >= 0 ? spaceFrom : length;
    const endKept = this.sameAs(endFrom, length, endLayout);
    if (!endKept) this.replace(endFrom, length, endLayout);
    this.flush(length);
    // The text's last run ends with its last token, whether or not the line break after it was written again.
    return this.map.finish(endKept ? endFrom : length, length, this.written);
  }

  /** The code units of a layout. */
  private static layoutLength(layout: number): number {
    if (layout === LAYOUT_NONE) return 0;
    if (layout === LAYOUT_SPACE) return 1;
    return 1 + INDENT_WIDTH * Math.min(layout, MAX_INDENTED_DEPTH);
  }

  /**
   * Whether the original's white space `[from, to)` can stay as it is in place of `layout`: as long
   * as it, beginning and ending the same way (an already indented file is copied, not rewritten).
   */
  private sameAs(from: number, to: number, layout: number): boolean {
    const count = LogFormatter.layoutLength(layout);
    if (to - from !== count) return false;
    if (count === 0) return true;
    const first = layout === LAYOUT_SPACE ? CH_SPACE : CH_LF;
    const lastUnit = layout === LAYOUT_SPACE || layout > 0 ? CH_SPACE : CH_LF;
    return this.unit(from) === first && this.unit(to - 1) === lastUnit;
  }

  /** Writes the original text up to `from`, then `layout` in place of the original's `[from, to)`. */
  private replace(from: number, to: number, layout: number): void {
    this.flush(from);
    if (this.unchanged) {
      // A line break after a text otherwise laid out already: the text is copied after all.
      this.unchanged = false;
      this.written = 0;
      this.copy(0, from);
    }
    const count = LogFormatter.layoutLength(layout);
    if (count > 0) {
      // Room for the layout written in chunks, a little past its end.
      this.reserve(count + COPY_CHUNK);
      const written = this.written;
      const first = layout === LAYOUT_SPACE ? CH_SPACE : CH_LF;
      if (this.unitShift === 0) this.output[written] = first;
      else this.outputView.setUint16(written << 1, first, true);
      if (count > 1) {
        const view = this.outputView;
        const spaces = this.spaces;
        const end = (written + count) << this.unitShift;
        for (let at = (written + 1) << this.unitShift; at < end; at += COPY_CHUNK) view.setFloat64(at, spaces, true);
      }
      this.written = written + count;
    }
    this.copyFrom = to;
    this.map.nextRun(from, to, this.written);
  }

  /** Copies the original text from where it was left up to `upTo`. */
  private flush(upTo: number): void {
    const from = this.copyFrom;
    if (upTo > from) {
      if (from === 0 && this.written === 0 && upTo === this.length) {
        // The whole text in one run: the formatted text is the original.
        this.unchanged = true;
        this.written = upTo;
      } else {
        this.copy(from, upTo);
      }
    }
    this.copyFrom = upTo;
  }

  /** Appends the original's code units `[from, to)` to the output. */
  private copy(from: number, to: number): void {
    const count = to - from;
    this.reserve(count + COPY_CHUNK);
    const shift = this.unitShift;
    const written = this.written;
    // Eight bytes at a time (as a double for one-byte units: ASCII bytes never make the bit pattern
    // of a NaN, so the bits are kept; as two integers for UTF-16), the last ones possibly past the
    // end: the room is reserved, and what lands there is written over later.
    const sourceView = this.sourceView;
    const outputView = this.outputView;
    const sourceStart = from << shift;
    const sourceEnd = to << shift;
    const delta = (written << shift) - sourceStart;
    if (shift === 0) {
      for (let at = sourceStart; at < sourceEnd; at += COPY_CHUNK) outputView.setFloat64(at + delta, sourceView.getFloat64(at, true), true);
    } else {
      for (let at = sourceStart; at < sourceEnd; at += COPY_CHUNK) {
        outputView.setUint32(at + delta, sourceView.getUint32(at, true), true);
        outputView.setUint32(at + delta + 4, sourceView.getUint32(at + 4, true), true);
      }
    }
    this.written = written + count;
  }

  private reserve(count: number): void {
    if ((this.written + count) << this.unitShift <= this.output.length) return;
    const grown = Buffer.allocUnsafe((this.output.length + (count << this.unitShift)) * 2);
    this.output.copy(grown, 0, 0, this.written << this.unitShift);
    this.output = grown;
    this.outputView = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }

  /**
   * The end of the string starting at the quote `start`: where the scanner ends it. Most strings
   * hold no backslash and no line break, so the closing quote is found by the engine's own search
   * and the characters before it are looked at one by one only when one of those comes first.
   */
  private stringEnd(start: number): number {
    const text = this.text;
    const from = start + 1;
    const quote = text.indexOf('"', from);
    const end = quote < 0 ? text.length : quote;
    if (this.nextSpecial < from) {
      if (this.nextBackslash < from) this.nextBackslash = nextIndex(text, '\\', from);
      if (this.nextLineFeed < from) this.nextLineFeed = nextIndex(text, '\n', from);
      if (this.nextReturn < from) this.nextReturn = nextIndex(text, '\r', from);
      this.nextSpecial = Math.min(this.nextBackslash, this.nextLineFeed, this.nextReturn);
    }
    const special = this.nextSpecial;
    if (special >= end) return quote < 0 ? end : quote + 1;
    return this.stringEndFrom(special);
  }

  /** The end of a string read one character at a time from `pos`, inside it. */
  private stringEndFrom(pos: number): number {
    const length = this.length;
    while (pos < length) {
      const c = this.unit(pos);
      if (c === CH_QUOTE) return pos + 1;
      if (c === CH_BACKSLASH) {
        // A backslash before a line break escapes nothing: the line break is read on its own.
        const next = this.unit(pos + 1);
        pos += next === CH_LF || next === CH_CR || pos + 1 >= length ? 1 : 2;
      } else if (c === CH_LF || c === CH_CR) {
        // A raw line break: the string ends before it, or goes on past it (a pasted PEM block).
        const breakEnd = c === CH_CR && this.unit(pos + 1) === CH_LF ? pos + 2 : pos + 1;
        if (lineBreakEndsString(this.text, breakEnd)) return pos;
        pos = breakEnd;
      } else {
        pos++;
      }
    }
    return length;
  }

  /** The end of a number, keyword or stray word, as the scanner reads it: the next white space, bracket or comma. */
  private wordEnd(start: number): number {
    const length = this.length;
    let pos = start + 1;
    while (pos < length) {
      const c = this.unit(pos);
      if (
        c === CH_SPACE ||
        c === CH_LF ||
        c === CH_CR ||
        c === CH_TAB ||
        c === CH_COMMA ||
        c === CH_OPEN_BRACE ||
        c === CH_CLOSE_BRACE ||
        c === CH_OPEN_BRACKET ||
        c === CH_CLOSE_BRACKET
      ) {
        return pos;
      }
      pos++;
    }
    return length;
  }
}

/** Where `search` next occurs in `text` from `from`, or the text's length when it does not. */
function nextIndex(text: string, search: string, from: number): number {
  const found = text.indexOf(search, from);
  return found < 0 ? text.length : found;
}

/** About how many runs the map will hold, from the punctuation of a sample, so that it seldom grows. */
function estimateTokens(text: string): number {
  const sample = Math.min(text.length, 64 * 1024);
  let marks = 0;
  for (let i = 0; i < sample; i++) {
    const c = text.charCodeAt(i);
    if (c === CH_COMMA || c === CH_COLON || c === CH_OPEN_BRACE || c === CH_OPEN_BRACKET || c === CH_CLOSE_BRACE || c === CH_CLOSE_BRACKET) marks++;
  }
  return Math.ceil((((marks + 16) * text.length) / Math.max(sample, 1)) * 1.2) + 16;
}

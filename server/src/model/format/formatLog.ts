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
} from '../jsonScanner';
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

const INDENT = '  ';

// Layouts written between tokens, as code units.
const NO_SPACE = new Uint8Array(0);
const ONE_SPACE = Uint8Array.of(32);
const LINE_END = Uint8Array.of(10);

// The last token written, which decides the white space before the next one.
const AFTER_NOTHING = 0;
const AFTER_OPEN = 1;
const AFTER_COMMA = 2;
const AFTER_COLON = 3;
const AFTER_VALUE = 4;

/** The code units of a text: one byte each when the text is ASCII, else UTF-16. */
type Units = Uint8Array | Uint16Array;

export function formatLog(text: string): FormattedLog {
  // Working on code units in typed arrays, the output is written in one buffer instead of
  // millions of small strings.
  const ascii = Buffer.byteLength(text, 'utf8') === text.length;
  const capacity = Math.ceil(text.length * 1.7) + 256;
  const formatter = new LogFormatter(
    text,
    ascii ? Buffer.from(text, 'latin1') : utf16Units(text),
    ascii ? Buffer.allocUnsafe(capacity) : new Uint16Array(capacity),
  );
  const map = formatter.run();
  const output = formatter.output;
  const written = map.formattedLength;
  const formatted = ascii
    ? Buffer.from(output.buffer, output.byteOffset, written).toString('latin1')
    : Buffer.from(output.buffer, output.byteOffset, written * 2).toString('utf16le');
  return { text: formatted, map };
}

function utf16Units(text: string): Uint16Array {
  const bytes = Buffer.from(text, 'utf16le');
  if (bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, text.length);
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return units;
}

class LogFormatter {
  private readonly map: OffsetMapBuilder;
  /** The line break and indentation of each depth, as code units. */
  private readonly newlines: Uint8Array[] = [LINE_END];
  output: Units;
  /** Start of the original text not yet written. */
  private copyFrom = 0;
  /** Code units of the formatted text written so far. */
  private written = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly source: Units,
    output: Units,
  ) {
    this.output = output;
    this.map = new OffsetMapBuilder(estimateTokens(text));
  }

  run(): OffsetMap {
    const source = this.source;
    const length = source.length;
    let pos = 0;
    let last = AFTER_NOTHING;
    // Where the white space before the current token began (-1: none), and whether it held a line break.
    let spaceFrom = -1;
    let spaceHadBreak = false;
    this.map.startRun(0, 0);
    while (pos < length) {
      const c = source[pos];
      if (c === CH_SPACE || c === CH_LF || c === CH_CR || c === CH_TAB) {
        spaceFrom = pos;
        spaceHadBreak = false;
        for (; pos < length; pos++) {
          const space = source[pos];
          if (space === CH_LF || space === CH_CR) spaceHadBreak = true;
          else if (space !== CH_SPACE && space !== CH_TAB) break;
        }
        continue;
      }
      // The layout before this token replaces the original white space (kept only where it separates two values).
      let layout: Uint8Array | undefined;
      if (c === CH_CLOSE_BRACE || c === CH_CLOSE_BRACKET) {
        if (this.depth > 0) this.depth--;
        layout = last === AFTER_OPEN ? NO_SPACE : this.newline();
      } else if (last === AFTER_OPEN || last === AFTER_COMMA) {
        layout = this.newline();
      } else if (last === AFTER_COLON) {
        // One space or none after a colon is kept as it is: re-spacing every property of a
        // one-line log would cut it into twice as many pieces for no gain in reading.
        layout = spaceFrom < 0 ? undefined : ONE_SPACE;
      } else if (last === AFTER_VALUE && c !== CH_COMMA && c !== CH_COLON) {
        // Two values with no comma between them (one event per line, or a broken file).
        if (this.depth === 0 || spaceHadBreak) layout = this.newline();
        else if (spaceFrom >= 0) layout = ONE_SPACE;
      }
      if (layout !== undefined) {
        const from = spaceFrom >= 0 ? spaceFrom : pos;
        // White space already laid out as it would be is kept as it is, in the same run.
        if (!this.sameAs(from, pos, layout)) this.replace(from, pos, layout);
      } else if (spaceFrom >= 0) {
        this.replace(spaceFrom, pos, NO_SPACE);
      }
      spaceFrom = -1;
      switch (c) {
        case CH_OPEN_BRACE:
        case CH_OPEN_BRACKET:
          this.depth++;
          pos++;
          last = AFTER_OPEN;
          // An empty object or array stays on one line.
          if (source[pos] === (c === CH_OPEN_BRACE ? CH_CLOSE_BRACE : CH_CLOSE_BRACKET)) {
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
          pos = wordEnd(source, pos);
          last = AFTER_VALUE;
      }
    }
    if (spaceFrom >= 0) this.replace(spaceFrom, length, last === AFTER_NOTHING ? NO_SPACE : LINE_END);
    else if (last !== AFTER_NOTHING) this.replace(length, length, LINE_END);
    this.flush(length);
    return this.map.finish(length, this.written);
  }

  /**
   * Whether the original's white space `[from, to)` can stay as it is in place of `layout`: as long
   * as it, beginning and ending the same way (an already indented file is copied, not rewritten).
   */
  private sameAs(from: number, to: number, layout: Uint8Array): boolean {
    const source = this.source;
    return to - from === layout.length && source[from] === layout[0] && source[to - 1] === layout[layout.length - 1];
  }

  /** Writes the original text up to `from`, then `layout` in place of the original's `[from, to)`. */
  private replace(from: number, to: number, layout: Uint8Array): void {
    this.flush(from);
    const count = layout.length;
    if (count > 0) {
      this.reserve(count);
      const output = this.output;
      let written = this.written;
      for (let i = 0; i < count; i++) output[written++] = layout[i];
      this.written = written;
    }
    this.copyFrom = to;
    this.map.startRun(to, this.written);
  }

  private flush(upTo: number): void {
    const from = this.copyFrom;
    if (upTo > from) {
      this.reserve(upTo - from);
      const source = this.source;
      const output = this.output;
      if (upTo - from > 64) {
        output.set(source.subarray(from, upTo), this.written);
        this.written += upTo - from;
      } else {
        let written = this.written;
        for (let i = from; i < upTo; i++) output[written++] = source[i];
        this.written = written;
      }
    }
    this.map.endRun(upTo);
    this.copyFrom = upTo;
  }

  private reserve(count: number): void {
    if (this.written + count <= this.output.length) return;
    const size = (this.output.length + count) * 2;
    const grown = this.output instanceof Uint8Array ? new Uint8Array(size) : new Uint16Array(size);
    grown.set(this.output.subarray(0, this.written));
    this.output = grown;
  }

  private newline(): Uint8Array {
    const depth = this.depth;
    let line = this.newlines[depth] as Uint8Array | undefined;
    if (line === undefined) {
      line = new Uint8Array(1 + INDENT.length * depth).fill(CH_SPACE);
      line[0] = CH_LF;
      this.newlines[depth] = line;
    }
    return line;
  }

  /** The end of the string starting at the quote `start`: where the scanner ends it. */
  private stringEnd(start: number): number {
    const source = this.source;
    const length = source.length;
    let pos = start + 1;
    while (pos < length) {
      const c = source[pos];
      if (c === CH_QUOTE) return pos + 1;
      if (c === CH_BACKSLASH) {
        // A backslash before a line break escapes nothing: the line break is read on its own.
        const next = source[pos + 1];
        pos += next === CH_LF || next === CH_CR || pos + 1 >= length ? 1 : 2;
      } else if (c === CH_LF || c === CH_CR) {
        // A raw line break: the string ends before it, or goes on past it (a pasted PEM block).
        const breakEnd = c === CH_CR && source[pos + 1] === CH_LF ? pos + 2 : pos + 1;
        if (lineBreakEndsString(this.text, breakEnd)) return pos;
        pos = breakEnd;
      } else {
        pos++;
      }
    }
    return length;
  }
}

/** The end of a number, keyword or stray word, as the scanner reads it: the next white space, bracket or comma. */
function wordEnd(source: Units, start: number): number {
  const length = source.length;
  let pos = start + 1;
  while (pos < length) {
    const c = source[pos];
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

import { lineBreakEndsString } from '../jsonScanner';
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

const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_QUOTE = 34;
const CH_COMMA = 44;
const CH_COLON = 58;
const CH_OPEN_BRACKET = 91;
const CH_BACKSLASH = 92;
const CH_CLOSE_BRACKET = 93;
const CH_OPEN_BRACE = 123;
const CH_CLOSE_BRACE = 125;

/** Characters of a string that need no attention: anything but a quote, a backslash or a line break. */
const PLAIN_STRING_RUN = /[^"\\\n\r]+/y;

// The last token written, which decides the white space before the next one.
const AFTER_NOTHING = 0;
const AFTER_OPEN = 1;
const AFTER_COMMA = 2;
const AFTER_COLON = 3;
const AFTER_VALUE = 4;

export function formatLog(text: string): FormattedLog {
  return new LogFormatter(text).run();
}

class LogFormatter {
  private readonly parts: string[] = [];
  private readonly map: OffsetMapBuilder;
  private readonly newlines: string[] = ['\n'];
  /** Start of the original text not yet written. */
  private copyFrom = 0;
  /** Length of the formatted text written so far (parts plus the pending copy). */
  private written = 0;
  private depth = 0;

  constructor(private readonly text: string) {
    this.map = new OffsetMapBuilder(estimateTokens(text));
  }

  run(): FormattedLog {
    const text = this.text;
    const length = text.length;
    let pos = 0;
    let last = AFTER_NOTHING;
    // Where the white space before the current token began (-1: none), and whether it held a line break.
    let spaceFrom = -1;
    let spaceHadBreak = false;
    this.map.startRun(0, 0);
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === CH_SPACE || c === CH_LF || c === CH_CR || c === CH_TAB) {
        if (spaceFrom < 0) {
          spaceFrom = pos;
          spaceHadBreak = false;
        }
        if (c === CH_LF || c === CH_CR) spaceHadBreak = true;
        pos++;
        continue;
      }
      // The layout before this token replaces the original white space (kept only where it separates two values).
      let layout: string | undefined;
      if (c === CH_CLOSE_BRACE || c === CH_CLOSE_BRACKET) {
        if (this.depth > 0) this.depth--;
        layout = last === AFTER_OPEN ? '' : this.newline();
      } else if (last === AFTER_OPEN || last === AFTER_COMMA) {
        layout = this.newline();
      } else if (last === AFTER_COLON) {
        layout = ' ';
      } else if (last === AFTER_VALUE && c !== CH_COMMA && c !== CH_COLON) {
        // Two values with no comma between them (one event per line, or a broken file).
        if (this.depth === 0 || spaceHadBreak) layout = this.newline();
        else if (spaceFrom >= 0) layout = ' ';
      }
      if (layout !== undefined) {
        this.replace(spaceFrom >= 0 ? spaceFrom : pos, pos, layout);
      } else if (spaceFrom >= 0) {
        this.replace(spaceFrom, pos, '');
      }
      spaceFrom = -1;
      switch (c) {
        case CH_OPEN_BRACE:
        case CH_OPEN_BRACKET:
          this.depth++;
          pos++;
          last = AFTER_OPEN;
          // An empty object or array stays on one line.
          if (text.charCodeAt(pos) === (c === CH_OPEN_BRACE ? CH_CLOSE_BRACE : CH_CLOSE_BRACKET)) {
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
          pos = wordEnd(text, pos);
          last = AFTER_VALUE;
      }
    }
    if (spaceFrom >= 0) this.replace(spaceFrom, length, last === AFTER_NOTHING ? '' : '\n');
    else if (last !== AFTER_NOTHING) this.replace(length, length, '\n');
    this.flush(length);
    return { text: this.parts.join(''), map: this.map.finish(length, this.written) };
  }

  /** Writes the original text up to `from`, then `layout` in place of the original's `[from, to)`. */
  private replace(from: number, to: number, layout: string): void {
    this.flush(from);
    if (layout.length > 0) {
      this.parts.push(layout);
      this.written += layout.length;
    }
    this.copyFrom = to;
    this.map.startRun(to, this.written);
  }

  private flush(upTo: number): void {
    if (upTo > this.copyFrom) {
      this.parts.push(this.text.slice(this.copyFrom, upTo));
      this.written += upTo - this.copyFrom;
    }
    this.map.endRun(upTo);
    this.copyFrom = upTo;
  }

  private newline(): string {
    const depth = this.depth;
    let line = this.newlines[depth] as string | undefined;
    if (line === undefined) {
      line = `\n${INDENT.repeat(depth)}`;
      this.newlines[depth] = line;
    }
    return line;
  }

  /** The end of the string starting at the quote `start`: where the scanner ends it. */
  private stringEnd(start: number): number {
    const text = this.text;
    const length = text.length;
    let pos = start + 1;
    for (;;) {
      PLAIN_STRING_RUN.lastIndex = pos;
      if (PLAIN_STRING_RUN.test(text)) pos = PLAIN_STRING_RUN.lastIndex;
      if (pos >= length) return length;
      const c = text.charCodeAt(pos);
      if (c === CH_QUOTE) return pos + 1;
      if (c === CH_BACKSLASH) {
        // A backslash before a line break escapes nothing: the line break is read on its own.
        const next = text.charCodeAt(pos + 1);
        pos += next === CH_LF || next === CH_CR || pos + 1 >= length ? 1 : 2;
        continue;
      }
      // A raw line break: the string ends before it, or goes on past it (a pasted PEM block).
      const breakEnd = c === CH_CR && text.charCodeAt(pos + 1) === CH_LF ? pos + 2 : pos + 1;
      if (lineBreakEndsString(text, breakEnd)) return pos;
      pos = breakEnd;
    }
  }
}

/** The end of a number, keyword or stray word, as the scanner reads it: the next white space, bracket or comma. */
function wordEnd(text: string, start: number): number {
  const length = text.length;
  let pos = start + 1;
  while (pos < length) {
    const c = text.charCodeAt(pos);
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
  return Math.ceil(((marks + 16) * text.length) / Math.max(sample, 1) * 1.2) + 16;
}

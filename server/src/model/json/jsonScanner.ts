import { NodeFlags, NodeKind, NodeTable } from './nodeTable';
import { Problem, SyntaxCode } from '../problems';

/**
 * One pass over JSON text that builds a NodeTable and reports every syntax error at its exact
 * range, then keeps going: the broken examples people copy from documentation (unquoted keys,
 * PEM blocks with raw line breaks, `...` placeholders, a missing comma) still yield a usable tree.
 *
 * The scanner is iterative (an explicit stack), so nesting depth never touches the JS call stack.
 * Several top-level values are accepted one after another: that is how one-event-per-line files
 * look, and the document model decides whether that is right for the file.
 */

export interface ScanResult {
  table: NodeTable;
  /** Top-level values, in order. */
  roots: number[];
  problems: Problem[];
  /** More problems were found than `maxProblems`; the rest were dropped. */
  problemsTruncated: boolean;
}

export interface ScanOptions {
  maxProblems?: number;
  /**
   * The table is read once and dropped (a file being indexed): its spare rows are not given
   * back, which would copy every column once more.
   */
  transient?: boolean;
}

const DEFAULT_MAX_PROBLEMS = 1000;

// What the scanner expects next.
const EXPECT_VALUE = 0;
const EXPECT_COMMA_OR_CLOSE = 1;
const EXPECT_KEY = 2;
const EXPECT_COLON = 3;

export const CH_TAB = 9;
export const CH_LF = 10;
export const CH_CR = 13;
export const CH_SPACE = 32;
export const CH_QUOTE = 34;
export const CH_COMMA = 44;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_0 = 48;
const CH_9 = 57;
export const CH_COLON = 58;
export const CH_OPEN_BRACKET = 91;
export const CH_BACKSLASH = 92;
export const CH_CLOSE_BRACKET = 93;
export const CH_OPEN_BRACE = 123;
export const CH_CLOSE_BRACE = 125;

/** A run of string characters that are neither a quote, a backslash nor a control character. */
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings: the run stops at them
const PLAIN_STRING_RUN = /[^"\\\u0000-\u001f]+/y;
/**
 * The control characters other than the line feed (found apart), each looked for with indexOf:
 * one search per character costs a fraction of one pass of a regular expression for them all.
 */
const CONTROL_CHARACTERS = Array.from({ length: CH_SPACE }, (_, code) => (code === CH_LF ? '' : String.fromCharCode(code)));
/** How much text one search for a control character reads at most: it stays in the processor's cache. */
const CONTROL_WINDOW = 64 * 1024;
/** Lines at least this long mark text laid out in long lines. */
const LONG_LINE = 256;

/**
 * The scanner every scan uses, while it is not busy with another. The engine's optimized code
 * for the scanner's methods refers to the scanner object it ran with, and is thrown away when
 * that object is collected: with a scanner made for each text, every full garbage collection
 * sent the next scan back to unoptimized code while its methods were optimized again.
 */
let idleScanner: JsonScanner | undefined;

export function scanJson(text: string, options: ScanOptions = {}): ScanResult {
  const scanner = idleScanner ?? new JsonScanner();
  idleScanner = undefined;
  try {
    return scanner.scan(text, options.maxProblems ?? DEFAULT_MAX_PROBLEMS, options.transient ?? false);
  } finally {
    scanner.release();
    idleScanner = scanner;
  }
}

/**
 * About how many values `text` holds, counted from the commas and opening brackets of samples
 * spread over it, so that the table seldom has to grow: every growth copies every column. Many
 * small samples, because values are not spread evenly (a ByteBuffer dump packs a value into
 * every four characters).
 */
function estimateNodeCount(text: string): number {
  const length = text.length;
  const samples = 64;
  const sampleLength = 256;
  if (length <= samples * sampleLength) {
    return Math.ceil(length / 8) + 16;
  }
  let marks = 0;
  for (let sample = 0; sample < samples; sample++) {
    const from = Math.floor((sample * (length - sampleLength)) / (samples - 1));
    for (let i = from; i < from + sampleLength; i++) {
      const c = text.charCodeAt(i);
      if (c === CH_COMMA || c === CH_OPEN_BRACE || c === CH_OPEN_BRACKET) marks++;
    }
  }
  // A margin, as the samples may hold fewer values than the rest of the text.
  return Math.ceil(((marks * length) / (samples * sampleLength)) * 1.2) + 16;
}

/**
 * A raw line break in a string is read as a continuation (a pasted PEM block) unless the next line
 * clearly starts something new. Exported so that re-laying out text keeps the strings it reads.
 */
export function lineBreakEndsString(text: string, nextLineStart: number): boolean {
  const length = text.length;
  let pos = nextLineStart;
  while (pos < length) {
    const c = text.charCodeAt(pos);
    if (c === CH_SPACE || c === CH_TAB || c === CH_CR || c === CH_LF) {
      pos++;
      continue;
    }
    return c === CH_QUOTE || c === CH_CLOSE_BRACE || c === CH_CLOSE_BRACKET;
  }
  return true;
}

/** Whether the first lines of `text` show it to be laid out in long lines (one line, or one event per line). */
function hasLongLines(text: string): boolean {
  let lineStart = 0;
  for (let line = 0; line < 3; line++) {
    const lineFeed = text.indexOf('\n', lineStart);
    if (lineFeed < 0 || lineFeed - lineStart >= LONG_LINE) return true;
    lineStart = lineFeed + 1;
  }
  return false;
}

function indexOrLength(index: number, length: number): number {
  return index < 0 ? length : index;
}

function isDelimiter(c: number): boolean {
  return (
    c === CH_SPACE ||
    c === CH_LF ||
    c === CH_CR ||
    c === CH_TAB ||
    c === CH_COMMA ||
    c === CH_CLOSE_BRACE ||
    c === CH_CLOSE_BRACKET ||
    c === CH_OPEN_BRACE ||
    c === CH_OPEN_BRACKET
  );
}

function isIdentifierStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || (c >= CH_0 && c <= CH_9) || c === CH_MINUS || c === CH_DOT;
}

function isHexDigit(c: number): boolean {
  return (c >= CH_0 && c <= CH_9) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function describeChar(c: number): string {
  if (c === CH_OPEN_BRACE) return "'{'";
  if (c === CH_CLOSE_BRACE) return "'}'";
  if (c === CH_OPEN_BRACKET) return "'['";
  return "']'";
}

/** What a scanner holds between scans: nothing of the last text. */
const NO_TABLE = new NodeTable(0);
/** The deepest nesting whose stack a scanner keeps for the next scan. */
const KEPT_STACK_DEPTH = 1024;

class JsonScanner {
  private text = '';
  private maxProblems = 0;
  private transient = false;
  private table = NO_TABLE;
  private roots: number[] = [];
  private problems: Problem[] = [];
  private problemsTruncated = false;
  private length = 0;
  private pos = 0;
  private expect = EXPECT_VALUE;

  /** Open containers, innermost last. */
  private stack = new Int32Array(64);
  private depth = 0;

  /** The property name waiting for its value. */
  private keyStart = -1;
  private keyEnd = -1;
  private keyFlags = 0;

  /** Where the last complete value ended, and where the last comma was (-1 if the last token was no comma). */
  private lastValueEnd = 0;
  private commaPos = -1;

  /** Flags of the last string scanned. */
  private stringFlags = 0;

  /**
   * Where the next backslash, line feed and other control character are (the length if none),
   * found once and kept until the scan passes them: in most text they are rare or far apart, so
   * a string's end is the next quote, found without reading its characters one by one. Only in
   * text of long lines: where every line holds a string or two (pretty-printed text), looking for
   * the next line feed costs more than it saves.
   */
  private longLines = false;
  private nextBackslash = -1;
  private nextLineFeed = -1;
  private nextControl = -1;
  /** Where the next of each control character is (see CONTROL_CHARACTERS); kept until passed, so each is looked for once along the text. */
  private readonly nextOfControl = new Int32Array(CH_SPACE).fill(-1);

  /** Scans `text` from the start, with every field as a new scanner has it. */
  scan(text: string, maxProblems: number, transient: boolean): ScanResult {
    this.text = text;
    this.maxProblems = maxProblems;
    this.transient = transient;
    this.length = text.length;
    this.longLines = hasLongLines(text);
    this.table = new NodeTable(estimateNodeCount(text));
    this.roots = [];
    this.problems = [];
    this.problemsTruncated = false;
    this.pos = 0;
    this.expect = EXPECT_VALUE;
    this.depth = 0;
    this.keyStart = -1;
    this.keyEnd = -1;
    this.keyFlags = 0;
    this.lastValueEnd = 0;
    this.commaPos = -1;
    this.stringFlags = 0;
    this.nextBackslash = -1;
    this.nextLineFeed = -1;
    this.nextControl = -1;
    this.nextOfControl.fill(-1);
    return this.run();
  }

  /** Lets go of the last text and of what was read of it. */
  release(): void {
    this.text = '';
    this.table = NO_TABLE;
    this.roots = [];
    this.problems = [];
    if (this.stack.length > KEPT_STACK_DEPTH) this.stack = new Int32Array(64);
  }

  private run(): ScanResult {
    const text = this.text;
    if (text.charCodeAt(0) === 0xfeff) {
      this.pos = 1;
    }
    for (;;) {
      const c = this.skipWhitespace();
      if (c < 0) {
        break;
      }
      switch (this.expect) {
        case EXPECT_VALUE:
          this.onValueExpected(c);
          break;
        case EXPECT_COMMA_OR_CLOSE:
          this.onCommaOrCloseExpected(c);
          break;
        case EXPECT_KEY:
          this.onKeyExpected(c);
          break;
        default:
          this.onColonExpected(c);
          break;
      }
    }
    this.finishAtEnd();
    if (!this.transient) this.table.trim();
    return { table: this.table, roots: this.roots, problems: this.problems, problemsTruncated: this.problemsTruncated };
  }

  /** Skips white space and returns the next character code, or -1 at the end. */
  private skipWhitespace(): number {
    const text = this.text;
    const length = this.length;
    let pos = this.pos;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === CH_SPACE || c === CH_LF || c === CH_CR || c === CH_TAB) {
        pos++;
        continue;
      }
      this.pos = pos;
      return c;
    }
    this.pos = pos;
    return -1;
  }

  private report(code: string, message: string, start: number, end: number, related?: Problem['related'], fix?: Problem['fix']): void {
    if (this.problems.length >= this.maxProblems) {
      this.problemsTruncated = true;
      return;
    }
    const problem: Problem = { code, severity: 'error', message, start, end: Math.max(end, start) };
    if (related) {
      problem.related = related;
    }
    if (fix) {
      problem.fix = fix;
    }
    this.problems.push(problem);
  }

  private get inObject(): boolean {
    return this.depth > 0 && this.table.kind[this.stack[this.depth - 1]] === NodeKind.Object;
  }

  // --- states -------------------------------------------------------------------------------

  private onValueExpected(c: number): void {
    const pos = this.pos;
    if (this.depth === 0 && this.roots.length > 0 && c !== CH_OPEN_BRACE && c !== CH_OPEN_BRACKET) {
      const end = this.tokenEnd(pos);
      this.report(SyntaxCode.trailingContent, 'Unexpected text after the end of the JSON value.', pos, end);
      this.pos = end;
      return;
    }
    switch (c) {
      case CH_OPEN_BRACE:
      case CH_OPEN_BRACKET: {
        const node = this.addNode(c === CH_OPEN_BRACE ? NodeKind.Object : NodeKind.Array, pos);
        this.push(node);
        this.pos = pos + 1;
        this.commaPos = -1;
        this.expect = c === CH_OPEN_BRACE ? EXPECT_KEY : EXPECT_VALUE;
        return;
      }
      case CH_QUOTE: {
        const end = this.scanString(pos);
        const node = this.addNode(NodeKind.String, pos);
        this.table.flags[node] |= this.stringFlags;
        this.completeScalar(node, end);
        return;
      }
      case CH_CLOSE_BRACKET:
      case CH_CLOSE_BRACE:
        this.onCloseWhereValueExpected(c);
        return;
      case CH_COMMA:
        if (this.inObject) {
          this.report(SyntaxCode.missingValue, 'A property needs a value after the colon.', pos, pos + 1);
          this.clearKey();
          this.commaPos = pos;
          this.expect = EXPECT_KEY;
        } else {
          this.report(SyntaxCode.unexpectedComma, 'Unexpected comma: a value is missing here.', pos, pos + 1);
          this.commaPos = pos;
        }
        this.pos = pos + 1;
        return;
      case CH_COLON:
        this.report(SyntaxCode.invalidToken, "Unexpected ':' where a value should be.", pos, pos + 1);
        this.pos = pos + 1;
        return;
      default:
        if (c === CH_MINUS || (c >= CH_0 && c <= CH_9)) {
          this.scanNumber(pos);
        } else {
          this.scanWord(pos);
        }
    }
  }

  private onCommaOrCloseExpected(c: number): void {
    const pos = this.pos;
    if (c === CH_COMMA) {
      this.commaPos = pos;
      this.pos = pos + 1;
      this.expect = this.inObject ? EXPECT_KEY : EXPECT_VALUE;
      return;
    }
    if (c === CH_CLOSE_BRACE || c === CH_CLOSE_BRACKET) {
      this.close(c);
      return;
    }
    if (c === CH_COLON) {
      this.report(SyntaxCode.invalidToken, "Unexpected ':' after a value.", pos, pos + 1);
      this.pos = pos + 1;
      return;
    }
    // Another value follows without a comma: say so on that token and read it as the next item.
    this.report(SyntaxCode.missingComma, this.inObject ? 'Missing comma before this property.' : 'Missing comma before this value.', pos, this.tokenEnd(pos));
    this.commaPos = -1;
    this.expect = this.inObject ? EXPECT_KEY : EXPECT_VALUE;
  }

  private onKeyExpected(c: number): void {
    const pos = this.pos;
    if (c === CH_QUOTE) {
      const end = this.scanString(pos);
      this.keyStart = pos;
      this.keyEnd = end;
      this.keyFlags =
        (this.stringFlags & NodeFlags.Unterminated ? NodeFlags.Unterminated : 0) | (this.stringFlags & NodeFlags.HasEscapes ? NodeFlags.KeyHasEscapes : 0);
      // The colon nearly always follows the name at once: take it here, as onColonExpected would.
      if (this.text.charCodeAt(end) === CH_COLON) {
        this.pos = end + 1;
        this.expect = EXPECT_VALUE;
      } else {
        this.pos = end;
        this.expect = EXPECT_COLON;
      }
      return;
    }
    if (c === CH_CLOSE_BRACE) {
      if (this.commaPos >= 0) {
        this.report(SyntaxCode.trailingComma, 'Trailing comma: JSON allows no comma before }.', this.commaPos, this.commaPos + 1);
      }
      this.close(c);
      return;
    }
    if (c === CH_CLOSE_BRACKET) {
      this.close(c);
      return;
    }
    if (c === CH_COMMA) {
      this.report(SyntaxCode.unexpectedComma, 'Unexpected comma: a property is missing here.', pos, pos + 1);
      this.pos = pos + 1;
      return;
    }
    if (isIdentifierStart(c)) {
      let end = pos + 1;
      while (end < this.length && isIdentifierPart(this.text.charCodeAt(end))) {
        end++;
      }
      this.pos = end;
      const next = this.skipWhitespace();
      if (next === CH_COLON) {
        const name = this.text.slice(pos, end);
        this.report(SyntaxCode.unquotedKey, `Property name ${name} must be in double quotes: "${name}".`, pos, end, undefined, {
          title: `Quote ${name}`,
          replacement: `"${name}"`,
          start: pos,
          end,
        });
        this.keyStart = pos;
        this.keyEnd = end;
        this.keyFlags = NodeFlags.UnquotedKey;
        this.expect = EXPECT_COLON;
        return;
      }
      this.pos = pos;
      this.scanWord(pos, true);
      return;
    }
    // A value where a property name belongs: read it as a property without a name.
    this.report(SyntaxCode.missingKey, 'Expected a property name in double quotes.', pos, this.tokenEnd(pos));
    this.keyStart = pos;
    this.keyEnd = pos;
    this.keyFlags = NodeFlags.UnquotedKey;
    this.expect = EXPECT_VALUE;
  }

  private onColonExpected(c: number): void {
    const pos = this.pos;
    if (c === CH_COLON) {
      this.pos = pos + 1;
      this.expect = EXPECT_VALUE;
      return;
    }
    const startsValue = c === CH_QUOTE || c === CH_OPEN_BRACE || c === CH_OPEN_BRACKET || c === CH_MINUS || (c >= CH_0 && c <= CH_9) || isIdentifierStart(c);
    if (startsValue) {
      this.report(SyntaxCode.missingColon, 'Missing colon after the property name.', this.keyStart, this.keyEnd);
      this.expect = EXPECT_VALUE;
      return;
    }
    this.report(SyntaxCode.missingValue, 'This property has no colon and no value.', this.keyStart, this.keyEnd);
    this.clearKey();
    this.expect = EXPECT_COMMA_OR_CLOSE;
  }

  private onCloseWhereValueExpected(c: number): void {
    const pos = this.pos;
    if (this.depth > 0 && c === CH_CLOSE_BRACKET && !this.inObject) {
      if (this.commaPos >= 0) {
        this.report(SyntaxCode.trailingComma, 'Trailing comma: JSON allows no comma before ].', this.commaPos, this.commaPos + 1);
      }
      this.close(c);
      return;
    }
    if (this.inObject && this.keyStart >= 0) {
      this.report(SyntaxCode.missingValue, 'A property needs a value after the colon.', this.keyStart, this.keyEnd);
      this.clearKey();
    }
    if (this.depth === 0) {
      this.report(SyntaxCode.unexpectedClose, `Unexpected ${describeChar(c)}: nothing is open here.`, pos, pos + 1);
      this.pos = pos + 1;
      return;
    }
    this.close(c);
  }

  // --- structure ------------------------------------------------------------------------------

  private addNode(kind: NodeKind, start: number): number {
    const node = this.table.add(kind, start, this.keyStart, this.keyEnd);
    if (this.keyFlags) {
      this.table.flags[node] |= this.keyFlags;
    }
    if (this.depth === 0) {
      this.roots.push(node);
    }
    this.clearKey();
    return node;
  }

  private clearKey(): void {
    this.keyStart = -1;
    this.keyEnd = -1;
    this.keyFlags = 0;
  }

  private push(node: number): void {
    if (this.depth === this.stack.length) {
      const bigger = new Int32Array(this.stack.length * 2);
      bigger.set(this.stack);
      this.stack = bigger;
    }
    this.stack[this.depth++] = node;
  }

  private completeScalar(node: number, end: number): void {
    this.table.end[node] = end;
    this.table.next[node] = node + 1;
    this.afterValue(end);
  }

  private afterValue(end: number): void {
    this.lastValueEnd = end;
    if (this.depth > 0 && this.text.charCodeAt(end) === CH_COMMA) {
      // A comma right after the value is the common case: take it here, as onCommaOrCloseExpected would.
      this.commaPos = end;
      this.pos = end + 1;
      this.expect = this.inObject ? EXPECT_KEY : EXPECT_VALUE;
      return;
    }
    this.pos = end;
    this.commaPos = -1;
    this.expect = this.depth === 0 ? EXPECT_VALUE : EXPECT_COMMA_OR_CLOSE;
  }

  /** Handles `}` or `]` where a container may end. */
  private close(c: number): void {
    const pos = this.pos;
    if (this.depth === 0) {
      this.report(SyntaxCode.unexpectedClose, `Unexpected ${describeChar(c)}: nothing is open here.`, pos, pos + 1);
      this.pos = pos + 1;
      return;
    }
    const wanted = c === CH_CLOSE_BRACE ? NodeKind.Object : NodeKind.Array;
    const top = this.stack[this.depth - 1];
    if (this.table.kind[top] === wanted) {
      this.finishContainer(top, pos + 1, false);
      return;
    }
    // The bracket does not match the innermost container. If an outer container does match, the
    // inner one was left open: close it here and let the outer one take this bracket.
    let matching = -1;
    for (let level = this.depth - 2; level >= 0; level--) {
      if (this.table.kind[this.stack[level]] === wanted) {
        matching = level;
        break;
      }
    }
    if (matching < 0) {
      this.report(
        SyntaxCode.unexpectedClose,
        `Unexpected ${describeChar(c)}: the innermost open bracket is ${describeChar(this.table.kind[top] === NodeKind.Object ? CH_OPEN_BRACE : CH_OPEN_BRACKET)}.`,
        pos,
        pos + 1,
      );
      this.pos = pos + 1;
      return;
    }
    const opener = this.table.start[top];
    const topIsObject = this.table.kind[top] === NodeKind.Object;
    this.report(
      SyntaxCode.mismatchedClose,
      `Expected ${topIsObject ? "'}'" : "']'"} before this ${describeChar(c)}: an inner ${topIsObject ? "'{'" : "'['"} is still open.`,
      pos,
      pos + 1,
      [{ start: opener, end: opener + 1, message: `The ${topIsObject ? "'{'" : "'['"} that is still open.` }],
    );
    this.finishContainer(top, this.lastValueEnd, true);
    this.pos = pos; // the outer container takes this bracket next
  }

  private finishContainer(node: number, end: number, unterminated: boolean): void {
    this.depth--;
    this.table.end[node] = Math.max(end, this.table.start[node] + 1);
    this.table.next[node] = this.table.count;
    if (unterminated) {
      this.table.flags[node] |= NodeFlags.Unterminated;
      this.clearKey();
      this.lastValueEnd = this.table.end[node];
      this.commaPos = -1;
      this.expect = this.depth === 0 ? EXPECT_VALUE : EXPECT_COMMA_OR_CLOSE;
      return;
    }
    this.afterValue(end);
  }

  private finishAtEnd(): void {
    if (this.keyStart >= 0 && this.depth > 0) {
      this.report(SyntaxCode.missingValue, 'The text ends before this property has a value.', this.keyStart, this.keyEnd);
      this.clearKey();
    }
    const end = this.length;
    // Report the outermost brackets first: when there are too many to list, those matter most.
    for (let level = 0; level < this.depth; level++) {
      const node = this.stack[level];
      const opener = this.table.start[node];
      const isObject = this.table.kind[node] === NodeKind.Object;
      this.report(
        SyntaxCode.unclosed,
        isObject ? "This '{' is never closed: '}' is missing." : "This '[' is never closed: ']' is missing.",
        opener,
        opener + 1,
      );
    }
    while (this.depth > 0) {
      this.finishContainer(this.stack[this.depth - 1], end, true);
    }
  }

  // --- tokens ---------------------------------------------------------------------------------

  /** Scans a string starting at its quote; returns the offset after it and sets `stringFlags`. */
  private scanString(start: number): number {
    const text = this.text;
    const length = this.length;
    let pos = start + 1;
    const quote = this.longLines ? text.indexOf('"', pos) : -1;
    if (quote >= 0) {
      if (this.nextBackslash < pos) this.nextBackslash = indexOrLength(text.indexOf('\\', pos), length);
      if (quote < this.nextBackslash) {
        if (this.nextControl < pos) this.nextControl = this.nextControlCharacter(pos);
        if (this.nextLineFeed < pos) this.nextLineFeed = indexOrLength(text.indexOf('\n', pos), length);
        if (quote < this.nextControl && quote < this.nextLineFeed) {
          this.stringFlags = 0;
          return quote + 1;
        }
      }
    }
    let flags = 0;
    for (;;) {
      // Most characters of a string need no attention: skip them in one step of the regular
      // expression engine, which is several times faster than reading them one at a time.
      PLAIN_STRING_RUN.lastIndex = pos;
      if (PLAIN_STRING_RUN.test(text)) {
        pos = PLAIN_STRING_RUN.lastIndex;
      }
      if (pos >= length) {
        this.report(SyntaxCode.unterminatedString, 'This string is never closed: the closing " is missing.', start, length);
        this.stringFlags = flags | NodeFlags.Unterminated;
        return length;
      }
      const c = text.charCodeAt(pos);
      if (c === CH_QUOTE) {
        this.stringFlags = flags;
        return pos + 1;
      }
      if (c === CH_BACKSLASH) {
        flags |= NodeFlags.HasEscapes;
        pos = this.scanEscape(pos);
        continue;
      }
      if (c < CH_SPACE) {
        if (c === CH_LF || c === CH_CR) {
          const breakEnd = c === CH_CR && text.charCodeAt(pos + 1) === CH_LF ? pos + 2 : pos + 1;
          if (lineBreakEndsString(text, breakEnd)) {
            this.report(SyntaxCode.unterminatedString, 'This string is never closed: the closing " is missing at the end of the line.', start, pos);
            this.stringFlags = flags | NodeFlags.Unterminated;
            return pos;
          }
          this.report(SyntaxCode.lineBreakInString, 'A string cannot contain a raw line break; write it as \\n.', pos, breakEnd);
          flags |= NodeFlags.HasControlCharacters;
          pos = breakEnd;
          continue;
        }
        this.report(
          SyntaxCode.controlCharacter,
          `A string cannot contain the control character U+${c.toString(16).toUpperCase().padStart(4, '0')}; escape it.`,
          pos,
          pos + 1,
        );
        flags |= NodeFlags.HasControlCharacters;
      }
      pos++;
    }
  }

  /**
   * A position at or after `from` before which no control character other than the line feed
   * comes: the first such character, or the end of the window looked at. Each character is looked
   * for in a window that stays in the processor's cache (one search per character over a large
   * text would read it from memory thirty-one times), and only again once the scan passes where
   * its last search stopped.
   */
  private nextControlCharacter(from: number): number {
    const next = this.nextOfControl;
    const windowEnd = Math.min(this.length, from + CONTROL_WINDOW);
    let window: string | undefined;
    let first = this.length;
    for (let code = 0; code < CH_SPACE; code++) {
      if (code === CH_LF) continue;
      if (next[code] < from) {
        window ??= this.text.slice(from, windowEnd);
        const at = window.indexOf(CONTROL_CHARACTERS[code]);
        next[code] = at < 0 ? windowEnd : from + at;
      }
      if (next[code] < first) first = next[code];
    }
    return first;
  }

  private scanEscape(backslash: number): number {
    const text = this.text;
    const c = text.charCodeAt(backslash + 1);
    switch (c) {
      case CH_QUOTE:
      case CH_BACKSLASH:
      case 47: // /
      case 98: // b
      case 102: // f
      case 110: // n
      case 114: // r
      case 116: // t
        return backslash + 2;
      case 117: {
        // u
        for (let i = 2; i < 6; i++) {
          if (!isHexDigit(text.charCodeAt(backslash + i))) {
            this.report(SyntaxCode.invalidEscape, 'A \\u escape needs four hexadecimal digits.', backslash, backslash + i);
            return backslash + i;
          }
        }
        return backslash + 6;
      }
      default:
        if (backslash + 1 >= this.length || c === CH_LF || c === CH_CR) {
          this.report(SyntaxCode.invalidEscape, 'A backslash must be followed by an escape character.', backslash, backslash + 1);
          return backslash + 1;
        }
        this.report(SyntaxCode.invalidEscape, `\\${text.charAt(backslash + 1)} is not a JSON escape; use \\\\ for a backslash.`, backslash, backslash + 2);
        return backslash + 2;
    }
  }

  private scanNumber(start: number): void {
    const text = this.text;
    let pos = start;
    let valid = true;
    if (text.charCodeAt(pos) === CH_MINUS) {
      pos++;
    }
    const digitsStart = pos;
    while (isDigit(text.charCodeAt(pos))) {
      pos++;
    }
    if (pos === digitsStart || (text.charCodeAt(digitsStart) === CH_0 && pos - digitsStart > 1)) {
      valid = false;
    }
    if (text.charCodeAt(pos) === CH_DOT) {
      pos++;
      const fraction = pos;
      while (isDigit(text.charCodeAt(pos))) {
        pos++;
      }
      valid &&= pos > fraction;
    }
    const e = text.charCodeAt(pos);
    if (e === 101 || e === 69) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 43 || sign === CH_MINUS) {
        pos++;
      }
      const exponent = pos;
      while (isDigit(text.charCodeAt(pos))) {
        pos++;
      }
      valid &&= pos > exponent;
    }
    if (pos < this.length && !isDelimiter(text.charCodeAt(pos)) && text.charCodeAt(pos) !== CH_COLON) {
      this.scanWord(start);
      return;
    }
    if (!valid) {
      this.report(SyntaxCode.invalidNumber, `${text.slice(start, pos)} is not a valid JSON number.`, start, pos);
      const node = this.addNode(NodeKind.Invalid, start);
      this.completeScalar(node, pos);
      return;
    }
    const node = this.addNode(NodeKind.Number, start);
    this.completeScalar(node, pos);
    if (this.commaPos === pos && this.expect === EXPECT_VALUE) {
      this.scanPlainNumbers();
    }
  }

  /**
   * Reads on through an array after one of its numbers while the next items are plain integers
   * (digits, perhaps after a minus sign), each followed at once by a comma or the closing
   * bracket, leaving the state as the general path would. A dumped byte buffer is tens of
   * thousands of such numbers, signed, and taking each in turn through the states cost a large
   * part of reading the file that holds it.
   */
  private scanPlainNumbers(): void {
    const text = this.text;
    const table = this.table;
    let pos = this.pos;
    for (;;) {
      const digits = text.charCodeAt(pos) === CH_MINUS ? pos + 1 : pos;
      const first = text.charCodeAt(digits);
      if (first < CH_0 || first > CH_9) return;
      let end = digits + 1;
      while (isDigit(text.charCodeAt(end))) end++;
      const after = text.charCodeAt(end);
      if ((first === CH_0 && end - digits > 1) || (after !== CH_COMMA && after !== CH_CLOSE_BRACKET)) return;
      const node = table.add(NodeKind.Number, pos, -1, -1);
      table.end[node] = end;
      this.lastValueEnd = end;
      if (after === CH_CLOSE_BRACKET) {
        this.pos = end;
        this.commaPos = -1;
        this.expect = EXPECT_COMMA_OR_CLOSE;
        return;
      }
      this.commaPos = end;
      pos = end + 1;
      this.pos = pos;
    }
  }

  /** Reads a bare word: `true`, `false`, `null`, or something that is not JSON. */
  private scanWord(start: number, skipOnly = false): void {
    const end = this.tokenEnd(start);
    if (!skipOnly) {
      // The keywords are recognised in place: cutting a string out for each would be most of the cost.
      const keyword = keywordAt(this.text, start, end);
      if (keyword !== 0) {
        this.completeScalar(this.addNode(keyword, start), end);
        return;
      }
    }
    const word = this.text.slice(start, end);
    if (!skipOnly) {
      if (word === 'true' || word === 'false') {
        this.completeScalar(this.addNode(NodeKind.Boolean, start), end);
        return;
      }
      if (word === 'null') {
        this.completeScalar(this.addNode(NodeKind.Null, start), end);
        return;
      }
      const quote = word.indexOf('"');
      if (quote === word.length - 1 && quote > 0) {
        this.report(SyntaxCode.missingOpenQuote, 'This string is missing its opening quote.', start, end, undefined, {
          title: 'Add the opening quote',
          replacement: '"',
          start,
          end: start,
        });
        const node = this.addNode(NodeKind.String, start);
        this.table.flags[node] |= NodeFlags.MissingOpenQuote;
        this.completeScalar(node, end);
        return;
      }
    }
    if (word === '...' || word === '\u2026') {
      this.report(SyntaxCode.placeholder, 'The placeholder ... is not JSON: replace it with real values or remove it.', start, end);
    } else if (word.length > 0) {
      const shown = word.length > 40 ? `${word.slice(0, 40)}…` : word;
      this.report(
        SyntaxCode.invalidToken,
        skipOnly ? `${shown} is not a property: expected "name": value.` : `${shown} is not a JSON value: strings need double quotes.`,
        start,
        end,
      );
    }
    if (skipOnly) {
      this.pos = Math.max(end, start + 1);
      return;
    }
    const node = this.addNode(NodeKind.Invalid, start);
    this.completeScalar(node, Math.max(end, start + 1));
  }

  /** The end of a run of characters that are not delimiters (at least one character). */
  private tokenEnd(start: number): number {
    const text = this.text;
    const first = text.charCodeAt(start);
    if (first === CH_QUOTE) {
      // A string token: up to its closing quote on the same line.
      for (let pos = start + 1; pos < this.length; pos++) {
        const c = text.charCodeAt(pos);
        if (c === CH_QUOTE) return pos + 1;
        if (c === CH_BACKSLASH) pos++;
        else if (c === CH_LF || c === CH_CR) return pos;
      }
      return this.length;
    }
    if (isDelimiter(first) || first === CH_COLON) {
      return start + 1;
    }
    let pos = start + 1;
    while (pos < this.length && !isDelimiter(text.charCodeAt(pos))) {
      pos++;
    }
    return pos;
  }
}

/** NodeKind.Boolean for `true` or `false`, NodeKind.Null for `null` filling [start, end), else 0. */
function keywordAt(text: string, start: number, end: number): NodeKind | 0 {
  const length = end - start;
  if (length === 4) {
    if (text.startsWith('true', start)) return NodeKind.Boolean;
    if (text.startsWith('null', start)) return NodeKind.Null;
  } else if (length === 5 && text.startsWith('false', start)) {
    return NodeKind.Boolean;
  }
  return 0;
}

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

import { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lineStartsAfterBreaks } from './model/json/lineIndex';
import { lastAtOrBefore } from './model/json/sortedSearch';

/**
 * A TextDocument that applies an edit without building the whole new text. Building it costs a
 * copy of the whole file (about 10 ms for 20 MB), paid on every keystroke by the stock
 * implementation; here the text is kept as pieces (slices of an earlier text and the typed
 * strings) and joined only when something reads all of it. The model re-reads an edited record
 * from `slice`, so typing in a large log costs time in proportion to the record, not the file.
 *
 * Positions behave exactly as in vscode-languageserver-textdocument (`\r\n`, `\r` and `\n` end
 * lines; offsets and positions are clamped the same way).
 */
export class PieceTextDocument implements TextDocument {
  /** Join the pieces into one text once there are this many: slicing stays cheap and old texts are let go. */
  static readonly MAX_PIECES = 64;
  /** Neighbouring pieces up to this length are merged, so typing at one place adds no pieces. */
  private static readonly SMALL_PIECE = 256;

  private pieces: string[];
  /** Offset of each piece in the text. */
  private pieceStarts: number[];
  private textLength: number;
  /** The pieces joined, kept until the next edit. */
  private joined: string | undefined;
  private lineOffsets: number[] | undefined;

  private constructor(
    readonly uri: string,
    readonly languageId: string,
    private currentVersion: number,
    content: string,
  ) {
    this.pieces = [content];
    this.pieceStarts = [0];
    this.textLength = content.length;
    this.joined = content;
  }

  static create(uri: string, languageId: string, version: number, content: string): PieceTextDocument {
    return new PieceTextDocument(uri, languageId, version, content);
  }

  get version(): number {
    return this.currentVersion;
  }

  get length(): number {
    return this.textLength;
  }

  /** How many pieces the text is kept in. */
  get pieceCount(): number {
    return this.pieces.length;
  }

  get lineCount(): number {
    return this.getLineOffsets().length;
  }

  /**
   * The whole text (or the text of `range`). Reading the whole text joins the pieces for good, so
   * the texts they were cut from can be collected.
   */
  getText(range?: Range): string {
    if (range) {
      const start = this.offsetAt(range.start);
      const end = this.offsetAt(range.end);
      // A range given end first reads the same text, as String.substring does.
      return this.slice(Math.min(start, end), Math.max(start, end));
    }
    const text = this.wholeText();
    if (this.pieces.length > 1) {
      // Reading a character makes V8 flatten the joined string; the pieces are then no longer needed.
      text.charCodeAt(0);
      this.pieces = [text];
      this.pieceStarts = [0];
    }
    return text;
  }

  /**
   * The whole text as one string without copying it: V8 keeps a string built by concatenation as
   * a tree of its parts and copies them into one flat string the first time a character is read.
   */
  wholeText(): string {
    if (this.joined === undefined) {
      let text = '';
      for (const piece of this.pieces) {
        text += piece;
      }
      this.joined = text;
    }
    return this.joined;
  }

  /** The text of `[start, end)`, cut from the pieces; never reads the rest of the text. */
  slice(start: number, end: number): string {
    start = clamp(start, 0, this.textLength);
    end = clamp(end, start, this.textLength);
    if (start === end) {
      return '';
    }
    let index = this.pieceIndexAt(start);
    const first = this.pieces[index];
    const firstStart = this.pieceStarts[index];
    if (end <= firstStart + first.length) {
      return first.substring(start - firstStart, end - firstStart);
    }
    let text = first.substring(start - firstStart);
    for (index++; index < this.pieces.length; index++) {
      const piece = this.pieces[index];
      const pieceStart = this.pieceStarts[index];
      if (end <= pieceStart + piece.length) {
        text += piece.substring(0, end - pieceStart);
        break;
      }
      text += piece;
    }
    return text;
  }

  /** The UTF-16 code unit at `offset`, or NaN outside the text. */
  charCodeAt(offset: number): number {
    if (offset < 0 || offset >= this.textLength) {
      return NaN;
    }
    const index = this.pieceIndexAt(offset);
    return this.pieces[index].charCodeAt(offset - this.pieceStarts[index]);
  }

  positionAt(offset: number): Position {
    offset = clamp(offset, 0, this.textLength);
    const lineOffsets = this.getLineOffsets();
    const line = lastAtOrBefore(lineOffsets, offset);
    const character = this.beforeLineBreak(offset, lineOffsets[line]) - lineOffsets[line];
    return { line, character };
  }

  offsetAt(position: Position): number {
    const lineOffsets = this.getLineOffsets();
    if (position.line >= lineOffsets.length) {
      return this.textLength;
    }
    if (position.line < 0) {
      return 0;
    }
    const lineStart = lineOffsets[position.line];
    if (position.character <= 0) {
      return lineStart;
    }
    return this.beforeLineBreak(Math.min(lineStart + position.character, this.nextLineStart(position.line)), lineStart);
  }

  /** The range of a line without its line break (lines outside the text are clamped to it). */
  getLineRange(line: number): Range {
    const lineOffsets = this.getLineOffsets();
    if (line < 0) {
      return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    }
    if (line >= lineOffsets.length) {
      const last = lineOffsets.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.textLength - lineOffsets[last] } };
    }
    const lineStart = lineOffsets[line];
    const end = this.beforeLineBreak(this.nextLineStart(line), lineStart);
    return { start: { line, character: 0 }, end: { line, character: end - lineStart } };
  }

  /** The line break that ends a line: `\r\n`, `\n`, `\r`, or '' for the last line and lines outside the text. */
  getEOLCharacters(line: number): string {
    const lineOffsets = this.getLineOffsets();
    if (line < 0 || line >= lineOffsets.length) {
      return '';
    }
    const next = this.nextLineStart(line);
    return this.slice(this.beforeLineBreak(next, lineOffsets[line]), next);
  }

  /** Applies the changes in order, as TextDocuments does on didChange. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change) {
        this.applyRangeChange(change.range, change.text);
      } else {
        this.pieces = [change.text];
        this.pieceStarts = [0];
        this.textLength = change.text.length;
        this.joined = change.text;
        this.lineOffsets = undefined;
      }
    }
    this.currentVersion = version;
  }

  private applyRangeChange(range: Range, text: string): void {
    const ordered = comparePositions(range.start, range.end) <= 0 ? range : { start: range.end, end: range.start };
    const start = this.offsetAt(ordered.start);
    const end = this.offsetAt(ordered.end);
    this.replacePieces(start, end, text);

    const insertedEnd = start + text.length;
    const lineOffsets = this.lineOffsets;
    if (lineOffsets === undefined) {
      return;
    }
    // A `\r\n` split by the edit's edges is one line break that neither side's offsets describe.
    if (
      (this.charCodeAt(start - 1) === CR && this.charCodeAt(start) === LF) ||
      (this.charCodeAt(insertedEnd - 1) === CR && this.charCodeAt(insertedEnd) === LF)
    ) {
      this.lineOffsets = undefined;
      return;
    }
    const startLine = Math.max(ordered.start.line, 0);
    const endLine = Math.min(Math.max(ordered.end.line, 0), lineOffsets.length - 1);
    const added = lineStartsAfterBreaks(text, start);
    const removedLines = Math.max(0, endLine - startLine);
    let offsets = lineOffsets;
    if (removedLines === added.length) {
      for (let i = 0; i < added.length; i++) {
        lineOffsets[startLine + 1 + i] = added[i];
      }
    } else {
      const head = lineOffsets.slice(0, startLine + 1);
      const tail = lineOffsets.slice(startLine + 1 + removedLines);
      offsets = head.concat(added, tail);
      this.lineOffsets = offsets;
    }
    const delta = text.length - (end - start);
    if (delta !== 0) {
      for (let i = startLine + 1 + added.length; i < offsets.length; i++) {
        offsets[i] += delta;
      }
    }
  }

  private replacePieces(start: number, end: number, text: string): void {
    const pieces: string[] = [];
    const push = (piece: string): void => {
      if (piece.length === 0) {
        return;
      }
      const last = pieces.length - 1;
      if (last >= 0 && pieces[last].length + piece.length <= PieceTextDocument.SMALL_PIECE) {
        pieces[last] += piece;
      } else {
        pieces.push(piece);
      }
    };
    let position = 0;
    let inserted = false;
    for (const piece of this.pieces) {
      const pieceEnd = position + piece.length;
      if (pieceEnd <= start) {
        push(piece);
      } else if (position >= end && inserted) {
        push(piece);
      } else {
        if (start > position) {
          push(piece.substring(0, start - position));
        }
        if (!inserted) {
          push(text);
          inserted = true;
        }
        if (end < pieceEnd) {
          push(piece.substring(Math.max(0, end - position)));
        }
      }
      position = pieceEnd;
    }
    if (!inserted) {
      push(text);
    }
    this.textLength += text.length - (end - start);
    this.joined = undefined;
    if (pieces.length > PieceTextDocument.MAX_PIECES) {
      const whole = pieces.join('');
      this.pieces = [whole];
      this.pieceStarts = [0];
      this.joined = whole;
      return;
    }
    this.pieces = pieces.length > 0 ? pieces : [''];
    this.pieceStarts = new Array<number>(this.pieces.length);
    let offset = 0;
    for (let i = 0; i < this.pieces.length; i++) {
      this.pieceStarts[i] = offset;
      offset += this.pieces[i].length;
    }
  }

  private pieceIndexAt(offset: number): number {
    return lastAtOrBefore(this.pieceStarts, offset);
  }

  private getLineOffsets(): number[] {
    if (this.lineOffsets === undefined) {
      const offsets = [0];
      for (const start of lineStartsAfterBreaks(this.getText())) offsets.push(start);
      this.lineOffsets = offsets;
    }
    return this.lineOffsets;
  }

  /** Where the line after `line` starts (the text's length for the last line). */
  private nextLineStart(line: number): number {
    const lineOffsets = this.getLineOffsets();
    return line + 1 < lineOffsets.length ? lineOffsets[line + 1] : this.textLength;
  }

  /** Moves an offset that falls after a line's last character back before its line break. */
  private beforeLineBreak(offset: number, lineStart: number): number {
    while (offset > lineStart && isLineBreak(this.charCodeAt(offset - 1))) {
      offset--;
    }
    return offset;
  }
}

const CR = 0x0d;
const LF = 0x0a;

function isLineBreak(code: number): boolean {
  return code === CR || code === LF;
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(value, high));
}

function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

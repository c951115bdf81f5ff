/**
 * Finds the records of a CloudTrail file in text that arrives chunk by chunk, without ever
 * holding more than one record (plus the chunk being read). It tracks only what separating
 * records needs: whether it is inside a string (and after a backslash), the bracket depth, and
 * near the top the property name before an array, so that it knows where records live:
 *
 * - `{"Records":[record, ...]}` (delivered files, console downloads): records at depth 2;
 * - `{"Events":[item, ...]}` (lookup-events output): items at depth 2, each holding its event;
 * - `[record, ...]`: records at depth 1;
 * - top-level objects, one after another (one event per line, a single event, an envelope).
 *
 * Strings are skipped with `indexOf`, so the cost per character of string content is that of a
 * native search; the structure between strings is read character by character.
 *
 * Offsets and positions are those of the document an editor shows for the file: UTF-16 code
 * units, a leading byte order mark not counted, lines ended by LF, CRLF or a lone CR.
 */

/** Where a record was found. */
export type RecordContainer =
  /** An element of a `Records` array. */
  | 'records'
  /** An item of a lookup-events `Events` array. */
  | 'events'
  /** An element of a top-level array. */
  | 'array'
  /** A top-level object of its own. */
  | 'top';

/** Where a record is in the document an editor shows for the file. */
export interface RecordPlace {
  /** Offsets of the record's first character and just past its last one. */
  readonly start: number;
  readonly end: number;
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

export interface RecordText extends RecordPlace {
  readonly text: string;
  readonly container: RecordContainer;
}

export interface SplitterOptions {
  /** Records longer than this many characters are skipped (and counted), so that memory stays bounded. */
  maxRecordChars?: number;
}

/** CloudTrail drops request and response bodies above 100 KB, so real records stay far below this. */
export const DEFAULT_MAX_RECORD_CHARS = 16 * 1024 * 1024;

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
const CH_BOM = 0xfeff;

// What the depth-1 array of a top-level object holds.
const WRAPPER_NONE = 0;
const WRAPPER_RECORDS = 1;
const WRAPPER_EVENTS = 2;

/** Longest property name worth remembering at depth 1 ("Records", "Events"). */
const KEY_CAPTURE_LIMIT = 16;

export class RecordSplitter {
  /** Records skipped for being longer than `maxRecordChars`. */
  oversizedRecords = 0;
  /** Values where records live that are not objects (a string or number inside `Records`). */
  nonObjectEntries = 0;
  /** Top-level objects that hold a `Records` or `Events` array. */
  wrappers = 0;
  /** Top-level arrays. */
  topArrays = 0;
  /** The code of the document's first character that is not white space, or -1 before there is one. */
  firstCharacter = -1;

  private readonly maxRecordChars: number;

  /** Offset of the current chunk's first character in the document. */
  private base = 0;
  private started = false;
  private depth = 0;
  /** Kind of each open container (true = object), by depth. */
  private objectAt: boolean[] = [];

  private inString = false;
  /** The previous chunk ended inside a string, just after an unescaped backslash. */
  private escapeNext = false;

  /** The top-level object being read, if any, and what its depth-1 array holds. */
  private wrapperKind = WRAPPER_NONE;
  /** The depth-1 property name being read or just read (only short ones), and whether a colon followed it. */
  private keyCapture: string | undefined;
  private capturingKey = false;
  /** Where the captured key's text starts in the current chunk. */
  private keyCaptureFrom = 0;
  private keyFollowedByColon = false;
  /** A value is expected at the depth where records live (after `[` or `,`), for counting non-objects. */
  private valueExpected = true;

  // The record being read.
  private recordOpen = false;
  private recordDepth = 0;
  private recordContainer: RecordContainer = 'top';
  private recordStart = 0;
  private recordStartLine = 0;
  private recordStartCharacter = 0;
  /** Text of the record from earlier chunks. */
  private recordParts: string[] = [];
  private recordPartsLength = 0;
  private recordOversized = false;

  // Line tracking: lines are counted up to `lineScanned` (a document offset).
  private line = 0;
  private lineStart = 0;
  private lineScanned = 0;
  /** The previous chunk ended with CR: whether it ends a line depends on the next character. */
  private pendingCR = false;
  private chunkHasCR = false;
  /** Cached results of `nextBreak` in the current chunk (-1: not searched yet). */
  private nextLF = -1;
  private nextCR = -1;

  constructor(
    private readonly onRecord: (record: RecordText) => void,
    options: SplitterOptions = {},
  ) {
    this.maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  /** Characters read so far (the document's length once `end` was called). */
  get length(): number {
    return this.base;
  }

  /** Reads the next piece of text. */
  write(chunk: string): void {
    let from = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === CH_BOM) {
        from = 1;
      }
    }
    const text = from === 0 ? chunk : chunk.slice(from);
    this.chunkHasCR = text.includes('\r');
    this.nextLF = -1;
    this.nextCR = -1;
    if (this.firstCharacter < 0) {
      const first = /\S/.exec(text);
      if (first) this.firstCharacter = text.charCodeAt(first.index);
    }
    this.scan(text);
    this.countLines(text, text.length);
    if (this.recordOpen && !this.recordOversized) {
      const startInChunk = Math.max(0, this.recordStart - this.base);
      const part = startInChunk === 0 ? text : text.slice(startInChunk);
      this.recordParts.push(part);
      this.recordPartsLength += part.length;
      if (this.recordPartsLength > this.maxRecordChars) {
        this.dropOversizedRecord();
      }
    }
    this.base += text.length;
  }

  /** The text has ended; a record still open there is incomplete and dropped. */
  end(): { truncatedRecord: boolean } {
    if (this.pendingCR) {
      this.pendingCR = false;
      this.line++;
      this.lineStart = this.base;
    }
    const truncatedRecord = this.recordOpen;
    this.recordOpen = false;
    this.recordParts = [];
    this.recordPartsLength = 0;
    return { truncatedRecord };
  }

  private scan(text: string): void {
    const length = text.length;
    let pos = 0;
    if (this.inString) {
      pos = this.skipString(text, 0);
    }
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === CH_QUOTE) {
        this.onStringStart(pos);
        pos = this.skipString(text, pos + 1);
        continue;
      }
      if (c === CH_SPACE || c === CH_LF || c === CH_CR || c === CH_TAB) {
        pos++;
        continue;
      }
      if (c === CH_OPEN_BRACE || c === CH_OPEN_BRACKET) {
        this.onOpen(text, pos, c === CH_OPEN_BRACE);
      } else if (c === CH_CLOSE_BRACE || c === CH_CLOSE_BRACKET) {
        this.onClose(text, pos);
      } else if (c === CH_COMMA) {
        if (this.depth === this.entryDepth()) {
          this.valueExpected = true;
        }
      } else if (c === CH_COLON) {
        if (this.depth === 1 && this.keyCapture !== undefined) {
          this.keyFollowedByColon = true;
        }
      } else {
        this.onScalarCharacter();
      }
      pos++;
    }
  }

  /** The depth at which records (or their containers' entries) start in the current state. */
  private entryDepth(): number {
    if (this.wrapperKind !== WRAPPER_NONE) {
      return 2;
    }
    return this.depth >= 1 && !this.objectAt[0] ? 1 : 0;
  }

  private onScalarCharacter(): void {
    // Only the first character of a value matters: it makes that value a non-object entry.
    if (this.valueExpected && !this.recordOpen && this.isEntryDepth()) {
      this.nonObjectEntries++;
      this.valueExpected = false;
    }
  }

  private isEntryDepth(): boolean {
    if (this.wrapperKind !== WRAPPER_NONE) {
      return this.depth === 2;
    }
    return this.depth === 1 && !this.objectAt[0];
  }

  private onStringStart(pos: number): void {
    if (this.depth === 0 && !this.recordOpen) {
      return; // a string at the top level: no record, and the file's first character says it is no log
    }
    if (this.valueExpected && !this.recordOpen && this.isEntryDepth()) {
      this.nonObjectEntries++;
      this.valueExpected = false;
      return;
    }
    if (this.depth === 1 && this.objectAt[0] && this.wrapperKind === WRAPPER_NONE) {
      // A property name (or value) of a top-level object: remember short ones to spot "Records".
      this.capturingKey = true;
      this.keyCapture = '';
      this.keyFollowedByColon = false;
      this.keyCaptureFrom = pos + 1;
    }
  }

  /** Skips string content from `pos`; returns the position after the closing quote, or the chunk's length. */
  private skipString(text: string, pos: number): number {
    this.inString = true;
    if (this.escapeNext) {
      this.escapeNext = false;
      pos++;
      if (this.capturingKey) this.keyCaptureFrom = pos;
    }
    const from = pos;
    for (;;) {
      const quote = text.indexOf('"', pos);
      if (quote < 0) {
        // The string goes on in the next chunk: was the chunk's last character an escaping backslash?
        let backslashes = 0;
        for (let k = text.length - 1; k >= from && text.charCodeAt(k) === CH_BACKSLASH; k--) {
          backslashes++;
        }
        this.escapeNext = (backslashes & 1) === 1;
        if (this.capturingKey) this.captureKeyText(text, this.keyCaptureFrom, text.length);
        this.keyCaptureFrom = 0;
        return text.length;
      }
      let backslashes = 0;
      for (let k = quote - 1; k >= from && text.charCodeAt(k) === CH_BACKSLASH; k--) {
        backslashes++;
      }
      if ((backslashes & 1) === 0) {
        this.inString = false;
        if (this.capturingKey) {
          this.captureKeyText(text, this.keyCaptureFrom, quote);
          this.capturingKey = false;
        }
        return quote + 1;
      }
      pos = quote + 1;
    }
  }

  private captureKeyText(text: string, from: number, to: number): void {
    if (this.keyCapture === undefined) {
      return;
    }
    if (this.keyCapture.length + (to - from) > KEY_CAPTURE_LIMIT) {
      this.keyCapture = undefined;
      return;
    }
    this.keyCapture += text.slice(from, to);
  }

  private onOpen(text: string, pos: number, isObject: boolean): void {
    const depth = this.depth;
    if (!this.recordOpen) {
      if (depth === 0) {
        this.valueExpected = false;
        if (isObject) {
          // A top-level object: a record of its own unless it turns out to wrap a Records array.
          this.wrapperKind = WRAPPER_NONE;
          this.keyCapture = undefined;
          this.openRecord(text, pos, depth, 'top');
        } else {
          this.topArrays++;
          this.valueExpected = true;
        }
      } else if (this.valueExpected && this.isEntryDepth()) {
        this.valueExpected = false;
        if (isObject) {
          const container = this.wrapperKind === WRAPPER_RECORDS ? 'records' : this.wrapperKind === WRAPPER_EVENTS ? 'events' : 'array';
          this.openRecord(text, pos, depth, container);
        } else {
          this.nonObjectEntries++;
        }
      }
    } else if (depth === 1 && !isObject && this.recordContainer === 'top' && this.keyFollowedByColon) {
      // `{"Records": [` or `{"Events": [`: the top-level object is a wrapper, not a record.
      const key = this.keyCapture;
      if (key === 'Records' || key === 'Events') {
        this.recordOpen = false;
        this.recordParts = [];
        this.recordPartsLength = 0;
        this.recordOversized = false;
        this.wrapperKind = key === 'Records' ? WRAPPER_RECORDS : WRAPPER_EVENTS;
        this.wrappers++;
        this.valueExpected = true;
      }
    }
    if (depth === 1) {
      this.keyCapture = undefined;
      this.keyFollowedByColon = false;
    }
    this.objectAt[depth] = isObject;
    this.depth = depth + 1;
  }

  private onClose(text: string, pos: number): void {
    if (this.depth === 0) {
      return; // an unmatched bracket at the top: nothing to close
    }
    this.depth--;
    const depth = this.depth;
    if (this.recordOpen && depth === this.recordDepth) {
      this.closeRecord(text, pos + 1);
    }
    if (this.wrapperKind !== WRAPPER_NONE) {
      if (depth === 1) {
        // The Records array ended; the wrapper object may hold more properties.
        this.valueExpected = false;
      } else if (depth === 0) {
        this.wrapperKind = WRAPPER_NONE;
      }
    }
    if (depth === 1) {
      this.keyCapture = undefined;
      this.keyFollowedByColon = false;
    }
    if (depth === 0) {
      this.valueExpected = true;
    }
  }

  private openRecord(text: string, pos: number, depth: number, container: RecordContainer): void {
    this.recordOpen = true;
    this.recordOversized = false;
    this.recordDepth = depth;
    this.recordContainer = container;
    this.recordStart = this.base + pos;
    this.countLines(text, pos);
    this.recordStartLine = this.line;
    this.recordStartCharacter = this.recordStart - this.lineStart;
    this.recordParts = [];
    this.recordPartsLength = 0;
  }

  private closeRecord(text: string, endInChunk: number): void {
    this.recordOpen = false;
    const end = this.base + endInChunk;
    if (this.recordOversized) {
      this.recordOversized = false;
      return;
    }
    const startInChunk = this.recordStart - this.base;
    let recordText: string;
    if (startInChunk >= 0) {
      recordText = text.slice(startInChunk, endInChunk);
    } else {
      this.recordParts.push(text.slice(0, endInChunk));
      recordText = this.recordParts.join('');
      this.recordParts = [];
      this.recordPartsLength = 0;
    }
    if (recordText.length > this.maxRecordChars) {
      this.oversizedRecords++;
      return;
    }
    this.countLines(text, endInChunk);
    this.onRecord({
      text: recordText,
      container: this.recordContainer,
      start: this.recordStart,
      end,
      startLine: this.recordStartLine,
      startCharacter: this.recordStartCharacter,
      endLine: this.line,
      endCharacter: end - this.lineStart,
    });
  }

  private dropOversizedRecord(): void {
    this.recordOversized = true;
    this.recordParts = [];
    this.recordPartsLength = 0;
    // The record stays open (its end must still be found); a huge top-level object may yet turn
    // out to wrap a Records array.
    this.oversizedRecords++;
  }

  /** Counts line breaks of the current chunk up to chunk position `upTo`. */
  private countLines(text: string, upTo: number): void {
    const base = this.base;
    const from = this.lineScanned - base;
    if (from >= upTo) {
      return;
    }
    if (this.pendingCR) {
      this.pendingCR = false;
      if (text.charCodeAt(from) !== CH_LF) {
        this.line++;
        this.lineStart = base + from;
      }
    }
    for (let lf = this.nextBreak(text, from, CH_LF); lf < upTo; lf = this.nextBreak(text, lf + 1, CH_LF)) {
      this.line++;
      this.lineStart = base + lf + 1;
    }
    if (this.chunkHasCR) {
      for (let cr = this.nextBreak(text, from, CH_CR); cr < upTo; cr = this.nextBreak(text, cr + 1, CH_CR)) {
        if (cr + 1 >= text.length) {
          this.pendingCR = true; // decided by the next chunk's first character
        } else if (text.charCodeAt(cr + 1) !== CH_LF) {
          this.addLoneCR(base + cr + 1);
        }
      }
    }
    this.lineScanned = base + upTo;
  }

  /**
   * The chunk position of the first LF (or CR) at or after `from`, or the chunk's length. The
   * last answer is kept: on a file that is one long line, searching the rest of the chunk again
   * for every record would cost a pass over the chunk per record.
   */
  private nextBreak(text: string, from: number, c: number): number {
    if (c === CH_LF) {
      if (this.nextLF < from) {
        const found = text.indexOf('\n', from);
        this.nextLF = found < 0 ? text.length : found;
      }
      return this.nextLF;
    }
    if (this.nextCR < from) {
      const found = text.indexOf('\r', from);
      this.nextCR = found < 0 ? text.length : found;
    }
    return this.nextCR;
  }

  /** A lone CR ends a line; the LF pass has counted the others, so insert it in order. */
  private addLoneCR(nextLineStart: number): void {
    this.line++;
    if (nextLineStart > this.lineStart) {
      this.lineStart = nextLineStart;
    }
  }
}

import { CloudTrailDocument, CloudTrailRecord, isEnvelope, looksLikeEvent, parseCloudTrail, summarizeRecord } from '../cloudTrailDocument';
import { FileDetections, FileDetector } from '../detections/fileDetections';
import { LineIndex } from '../json/lineIndex';
import { NO_NODE, NodeFlags, NodeKind } from '../json/nodeTable';
import { FileLinksBuilder, positionInText } from '../links/fileLinks';
import { FileEntriesBuilder } from './fileEntries';
import { EntrySummary, RecordSummarizer } from './recordSummaries';
import { RecordSplitter, RecordText } from './recordSplitter';

/**
 * Turns the text of one log file, given chunk by chunk, into index entries. No I/O: the file
 * indexer reads and decompresses, this decides what the text holds.
 *
 * A file whose text stays below `wholeDocumentChars` is read by the document model itself
 * (`parseCloudTrail`), exactly as the editor reads it, broken JSON included; that is also the
 * fastest way for the small files CloudTrail delivers. A longer file goes through the record
 * splitter, so that memory stays at one record however long the file is.
 */

export interface LogTextOptions {
  /** Longer records are skipped (splitter only). */
  maxRecordChars?: number;
  /** Files up to this many characters are parsed whole. */
  wholeDocumentChars?: number;
  /** Tests every event against Sigma rules as it is read. */
  detector?: FileDetector;
}

export const DEFAULT_WHOLE_DOCUMENT_CHARS = 8 * 1024 * 1024;

export type LogShape = 'records' | 'lookupEvents' | 'array' | 'lines' | 'single';

export type LogVerdict = { cloudTrail: true; shape: LogShape } | { cloudTrail: false; reason: 'notJson' | 'noEvents' | 'digest' | 'empty' };

export interface LogTextResult {
  verdict: LogVerdict;
  /** Entries that were not events (non-objects where records live, lookup items without an event, records too long). */
  skippedEntries: number;
  /** The text ended inside a record, which was left out. */
  truncatedRecord: boolean;
}

const CH_OPEN_BRACE = 0x7b;
const CH_OPEN_BRACKET = 0x5b;

export class LogTextIndexer {
  readonly builder = new FileEntriesBuilder();
  /** The linked values of the entries (see `links/fileLinks.ts`). */
  readonly links = new FileLinksBuilder();
  private readonly wholeDocumentChars: number;
  /** Text kept while the file may still be parsed whole; undefined once the splitter took over. */
  private buffered: string[] | undefined = [];
  private bufferedChars = 0;
  /** Set once the text outgrows the buffer: from then on records are split off as they arrive. */
  private streaming: { splitter: RecordSplitter; summarizer: RecordSummarizer } | undefined;
  private firstCharacter = -1;
  private started = false;
  private characterCount = 0;

  // What the splitter path found so far.
  private decided: 'undecided' | 'cloudTrail' | 'rejected' = 'undecided';
  private rejectReason: 'notJson' | 'noEvents' | 'digest' = 'noEvents';
  private sawDigest = false;
  private skipped = 0;
  private readonly found = { records: 0, events: 0, array: 0, top: 0 };

  constructor(private readonly options: LogTextOptions = {}) {
    this.wholeDocumentChars = options.wholeDocumentChars ?? DEFAULT_WHOLE_DOCUMENT_CHARS;
  }

  /** Characters of the document so far (a leading byte order mark not counted). */
  get characters(): number {
    return this.characterCount;
  }

  get events(): number {
    return this.builder.size;
  }

  /** What the Sigma rules found, when a detector was given. */
  detections(): FileDetections | undefined {
    return this.options.detector?.result();
  }

  /** True once the text is known not to be a CloudTrail log: the rest need not be read. */
  get rejected(): boolean {
    return this.decided === 'rejected';
  }

  write(chunk: string): void {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // the editor does not show it either
    }
    this.characterCount += text.length;
    if (this.firstCharacter < 0) {
      const first = /\S/.exec(text);
      if (first) {
        this.firstCharacter = text.charCodeAt(first.index);
        if (this.firstCharacter !== CH_OPEN_BRACE && this.firstCharacter !== CH_OPEN_BRACKET) {
          this.reject('notJson');
          return;
        }
      }
    }
    if (this.decided === 'rejected') {
      return;
    }
    if (this.buffered) {
      this.buffered.push(text);
      this.bufferedChars += text.length;
      if (this.bufferedChars > this.wholeDocumentChars) {
        const pieces = this.buffered;
        this.buffered = undefined;
        const { splitter } = this.startSplitter();
        for (const piece of pieces) splitter.write(piece);
      }
      return;
    }
    this.streamingParts().splitter.write(text);
  }

  /**
   * The text has ended. `damaged`: it ended early because the file is damaged; a record it cut
   * off is then left out rather than read half.
   */
  end(damaged = false): LogTextResult {
    if (this.decided === 'rejected') {
      return { verdict: { cloudTrail: false, reason: this.rejectReason }, skippedEntries: this.skipped, truncatedRecord: false };
    }
    if (this.buffered) {
      const text = this.buffered.join('');
      this.buffered = undefined;
      return this.indexDocument(text, damaged);
    }
    const { splitter, summarizer } = this.streamingParts();
    const { truncatedRecord } = splitter.end();
    summarizer.flush();
    this.skipped += splitter.oversizedRecords + splitter.nonObjectEntries + (truncatedRecord ? 1 : 0);
    const result = { skippedEntries: this.skipped, truncatedRecord };
    // Flushing the last records may have decided it.
    if (this.rejected) {
      return { verdict: { cloudTrail: false, reason: this.rejectReason }, ...result };
    }
    if (this.decided === 'undecided' && splitter.wrappers === 0) {
      return { verdict: { cloudTrail: false, reason: this.sawDigest ? 'digest' : 'noEvents' }, ...result };
    }
    const found = this.found;
    const shape: LogShape =
      found.events > 0
        ? 'lookupEvents'
        : found.records > 0 || found.array + found.top === 0
          ? 'records'
          : found.array > 0
            ? 'array'
            : found.top > 1
              ? 'lines'
              : 'single';
    return { verdict: { cloudTrail: true, shape }, ...result };
  }

  private reject(reason: 'notJson' | 'noEvents' | 'digest'): void {
    this.decided = 'rejected';
    this.rejectReason = reason;
    this.buffered = undefined;
  }

  // --- long files: the splitter ----------------------------------------------------------------

  private startSplitter(): { splitter: RecordSplitter; summarizer: RecordSummarizer } {
    const summarizer = new RecordSummarizer((record, entry, recordStart) => {
      this.onEntry(record, entry, recordStart);
    });
    const splitter = new RecordSplitter(
      (record) => {
        summarizer.add(record);
      },
      { maxRecordChars: this.options.maxRecordChars },
    );
    this.streaming = { splitter, summarizer };
    return this.streaming;
  }

  /** The splitter, which exists whenever the text is neither buffered nor rejected. */
  private streamingParts(): { splitter: RecordSplitter; summarizer: RecordSummarizer } {
    if (!this.streaming) throw new Error('The log text is read as a stream only after it outgrew the buffer.');
    return this.streaming;
  }

  /**
   * Whether the file is CloudTrail is decided by what its entries are: anything inside `Records`
   * or `Events` is; a top-level array is if its first object is an event; top-level objects count
   * when they are events (other objects are skipped).
   */
  private onEntry(record: RecordText, entry: EntrySummary, recordStart: number): void {
    if (this.decided === 'rejected') {
      return;
    }
    const container = record.container;
    if (entry.kind === 'event' || container === 'records' || container === 'events') {
      this.decided = 'cloudTrail';
    } else if (container === 'array' && this.decided === 'undecided') {
      this.reject(entry.kind === 'digest' ? 'digest' : 'noEvents');
      return;
    }
    if (entry.summary && (entry.kind === 'event' || container !== 'top')) {
      const event = entry.event;
      this.links.add(
        this.builder.size,
        event && {
          view: event.view,
          event: event.node,
          ...(event.embedded
            ? {}
            : { positionOf: (offset: number) => positionInText(record.text, record.startLine, record.startCharacter, offset - recordStart) }),
        },
      );
      if (entry.event) this.options.detector?.test(entry.event.view, entry.event.node, entry.summary, this.builder.size);
      this.builder.add(record, entry.summary);
      this.found[container]++;
    } else {
      if (entry.kind === 'digest') this.sawDigest = true;
      this.skipped++;
    }
  }

  // --- short files: the document model ---------------------------------------------------------

  private indexDocument(text: string, damaged: boolean): LogTextResult {
    // Each record is summarized below, in the walk that also reads its linked values.
    const document = parseCloudTrail(text, { maxProblems: 16, transient: true, summaries: false });
    const shape = document.shape;
    const none = (reason: 'notJson' | 'noEvents' | 'digest' | 'empty'): LogTextResult => ({
      verdict: { cloudTrail: false, reason },
      skippedEntries: 0,
      truncatedRecord: false,
    });
    if (shape === 'digest') return none('digest');
    if (shape === 'empty') return none(this.firstCharacter < 0 ? 'empty' : 'noEvents');
    if (shape === 'binary') return none('notJson');
    if (document.records.length === 0 && shape !== 'records' && shape !== 'lookupEvents') return none('noEvents');
    if (shape === 'array' && !holdsEvent(document, 0)) return none('noEvents');

    const lines = new LineIndex(text);
    let truncatedRecord = false;
    for (const record of document.records) {
      if (damaged && isCutShort(document, record.index)) {
        truncatedRecord = true;
        continue;
      }
      const start = lines.positionAt(record.start);
      const end = lines.positionAt(record.end);
      const source = record.source;
      const linked = this.links.begin(this.builder.size, {
        view: source.view,
        event: record.node,
        ...(source.embedded ? {} : { positionOf: (offset: number) => lines.positionAt(source.toDocument(offset)) }),
      });
      const summary = summarizeRecord(source.view, record.node, linked ? this.links : undefined);
      if (linked) this.links.end();
      this.options.detector?.test(source.view, record.node, summary, this.builder.size);
      this.builder.add(
        {
          start: record.start,
          end: record.end,
          startLine: start.line,
          startCharacter: start.character,
          endLine: end.line,
          endCharacter: end.character,
        },
        summary,
      );
    }
    const logShape: LogShape = shape === 'eventBridge' ? 'single' : shape === 'unknown' ? 'lines' : shape;
    return { verdict: { cloudTrail: true, shape: logShape }, skippedEntries: truncatedRecord ? 1 : 0, truncatedRecord };
  }
}

/** Whether the record at `index` is an event (or wraps one), as the splitter path would decide. */
function holdsEvent(document: CloudTrailDocument, index: number): boolean {
  const record = document.records[index] as CloudTrailRecord | undefined;
  if (!record || record.node === NO_NODE) return false;
  const view = record.source.view;
  return record.wrapper !== undefined || (view.kind(record.node) === NodeKind.Object && (looksLikeEvent(view, record.node) || isEnvelope(view, record.node)));
}

/** A record the text ended inside of: the tolerant scanner closed it at the end of the text. */
function isCutShort(document: CloudTrailDocument, index: number): boolean {
  const record = document.records[index];
  if (record.end >= document.text.length) {
    return true;
  }
  return record.node !== NO_NODE && !record.source.embedded && (record.source.view.table.flags[record.node] & NodeFlags.Unterminated) !== 0;
}

import { isEnvelope, looksLikeEvent, RecordSummary, summarizeRecord } from '../cloudTrailDocument';
import { scanJson } from '../json/jsonScanner';
import { JsonView, NO_NODE, NodeKind } from '../json/nodeTable';
import { RecordContainer, RecordText } from './recordSplitter';

/** What an entry found by the splitter turned out to be. */
export type EntryKind =
  /** A CloudTrail event (or an envelope or lookup-events item holding one). */
  | 'event'
  /** An object where records live that has none of the events' properties; still a record, as in the editor. */
  | 'object'
  /** A log-file-integrity digest. */
  | 'digest'
  /** Nothing that holds an event (a JSON object of some other kind, a lookup item without its event). */
  | 'other';

export interface EntrySummary {
  kind: EntryKind;
  /** Present for 'event' and 'object'. */
  summary?: RecordSummary;
  /** The event object the summary was read from, while its view lives (for the link index). */
  event?: { view: JsonView; node: number; embedded: boolean };
}

/**
 * The summary of one entry, read the way the document model reads the same entry in an open
 * file (see `parseCloudTrail`), so that the folder tree and the editor agree.
 */
export function summarizeEntry(view: JsonView, node: number, container: RecordContainer): EntrySummary {
  if (node === NO_NODE || view.kind(node) !== NodeKind.Object) {
    return { kind: 'other' };
  }
  // A lookup-events item, inside `Events` or on a line of its own (`jq -c '.Events[]'`).
  if (container === 'events' || (container === 'top' && view.property(node, 'CloudTrailEvent') !== NO_NODE)) {
    return summarizeLookupItem(view, node);
  }
  if (isEnvelope(view, node)) {
    const detail = view.property(node, 'detail');
    return detail !== NO_NODE && view.kind(detail) === NodeKind.Object
      ? { kind: 'event', summary: summarizeRecord(view, detail), event: { view, node: detail, embedded: false } }
      : { kind: 'other' };
  }
  if (looksLikeEvent(view, node)) {
    return { kind: 'event', summary: summarizeRecord(view, node), event: { view, node, embedded: false } };
  }
  if (container === 'top') {
    const digest = view.property(node, 'digestStartTime') !== NO_NODE || view.property(node, 'logFiles') !== NO_NODE;
    return { kind: digest ? 'digest' : 'other' };
  }
  // Inside Records or an array every object is a record, even one that holds no event fields.
  return { kind: 'object', summary: summarizeRecord(view, node), event: { view, node, embedded: false } };
}

function summarizeLookupItem(view: JsonView, item: number): EntrySummary {
  const embedded = view.property(item, 'CloudTrailEvent');
  if (embedded === NO_NODE) {
    // Insights events from lookup-events are the records themselves.
    return looksLikeEvent(view, item) ? { kind: 'event', summary: summarizeRecord(view, item) } : { kind: 'other' };
  }
  if (view.kind(embedded) === NodeKind.Object) {
    return { kind: 'event', summary: summarizeRecord(view, embedded), event: { view, node: embedded, embedded: false } };
  }
  const json = view.string(embedded);
  if (json === undefined) {
    return { kind: 'other' };
  }
  const inner = scanJson(json, { maxProblems: 1 });
  const root = inner.roots[0] ?? NO_NODE;
  const innerView = new JsonView(json, inner.table);
  return root !== NO_NODE && innerView.kind(root) === NodeKind.Object
    ? { kind: 'event', summary: summarizeRecord(innerView, root), event: { view: innerView, node: root, embedded: true } }
    : { kind: 'other' };
}

/** Scanning stops collecting syntax problems early: the folder index reports none of them. */
const SCAN_OPTIONS = { maxProblems: 16 };

/**
 * Summarizes records in batches. One `scanJson` over `[r1,r2,...]` of about a hundred records
 * costs much less than a scan per record (one node table instead of a hundred), and the batch
 * bounds memory like a single record does.
 */
export class RecordSummarizer {
  private pending: RecordText[] = [];
  private pendingChars = 0;

  constructor(
    /** `recordStart`: where the record's text starts in the view of `entry.event`. */
    private readonly onEntry: (record: RecordText, entry: EntrySummary, recordStart: number) => void,
    private readonly batchChars = 96 * 1024,
  ) {}

  add(record: RecordText): void {
    this.pending.push(record);
    this.pendingChars += record.text.length + 1;
    if (this.pendingChars >= this.batchChars) {
      this.flush();
    }
  }

  flush(): void {
    const records = this.pending;
    if (records.length === 0) {
      return;
    }
    this.pending = [];
    this.pendingChars = 0;
    if (records.length === 1) {
      this.summarizeAlone(records[0]);
      return;
    }
    const starts = new Array<number>(records.length);
    let offset = 1;
    for (let i = 0; i < records.length; i++) {
      starts[i] = offset;
      offset += records[i].text.length + 1;
    }
    const batch = `[${records.map((record) => record.text).join(',')}]`;
    const scan = scanJson(batch, SCAN_OPTIONS);
    const view = new JsonView(batch, scan.table);
    const table = scan.table;
    const root = scan.roots[0] ?? NO_NODE;
    // Each record should be one element starting where it was put; a record whose text is broken
    // JSON may have been read differently, and is then read again on its own.
    let child = root !== NO_NODE && view.kind(root) === NodeKind.Array ? view.firstChild(root) : NO_NODE;
    for (let i = 0; i < records.length; i++) {
      while (child !== NO_NODE && table.start[child] < starts[i]) {
        child = view.nextSibling(root, child);
      }
      if (child !== NO_NODE && table.start[child] === starts[i] && table.end[child] === starts[i] + records[i].text.length) {
        this.onEntry(records[i], summarizeEntry(view, child, records[i].container), starts[i]);
      } else {
        this.summarizeAlone(records[i]);
      }
    }
  }

  private summarizeAlone(record: RecordText): void {
    const scan = scanJson(record.text, SCAN_OPTIONS);
    const view = new JsonView(record.text, scan.table);
    this.onEntry(record, summarizeEntry(view, scan.roots[0] ?? NO_NODE, record.container), 0);
  }
}

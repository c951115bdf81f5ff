import { decodeStringWithOffsets, toInnerOffset } from './json/embeddedJson';
import { IdentitySummary, NO_IDENTITY, summarizeIdentity } from './identity';
import { scanJson } from './json/jsonScanner';
import { JsonView, KeyNames, NO_NODE, NodeKind, NodeTable } from './json/nodeTable';
import { compareProblems, Problem, ShapeCode, SyntaxCode } from './problems';
import { RecordWalker } from './recordWalker';

/** How the events are laid out in the file. */
export type DocumentShape =
  /** `{"Records":[...]}`, as delivered to S3 and downloaded from the console. */
  | 'records'
  /** `[record, ...]`. */
  | 'array'
  /** One event object on its own. */
  | 'single'
  /** `aws cloudtrail lookup-events` output: each record is the JSON string `CloudTrailEvent`. */
  | 'lookupEvents'
  /** Several JSON values one after another, usually one per line. */
  | 'lines'
  /** One EventBridge event whose `detail` is the record. */
  | 'eventBridge'
  /** A log-file-integrity digest: no events. */
  | 'digest'
  | 'empty'
  | 'binary'
  | 'unknown';

/**
 * The text a record's nodes point into. For most records that is the document itself; for an
 * event embedded in a string it is the unescaped string, with a map back to the document; for the
 * record last re-read after an edit, a copy of its own text and nodes (see `RecordCopySource`).
 */
export interface RecordSource {
  readonly view: JsonView;
  readonly embedded: boolean;
  // Functions rather than methods: callers take them apart (`const { toDocument } = record.source`).
  readonly toDocument: (offset: number) => number;
  readonly fromDocument: (offset: number) => number;
  /** The row in the document's node table of one of this source's nodes; NO_NODE when the document's tree does not hold it (an embedded event). */
  readonly documentNode: (node: number) => number;
}

/**
 * The source of the records read from the document's own tree. All of them share one, and an
 * incremental update points it at the new text and tree rather than touching every record.
 */
export class DocumentSource implements RecordSource {
  readonly embedded = false;
  constructor(public view: JsonView) {}
  readonly toDocument = (offset: number): number => offset;
  readonly fromDocument = (offset: number): number => offset;
  readonly documentNode = (node: number): number => node;
}

/**
 * The source of a record re-read on its own after an edit: its text cut from the new document
 * text and the nodes scanned from it. The same nodes sit in the document's table from the entry's
 * row on, and the text from the entry's offset on, so mapping is adding those two numbers.
 */
export class RecordCopySource implements RecordSource {
  readonly embedded = false;
  constructor(
    readonly view: JsonView,
    /** Document offset of the copy's first character. */
    readonly textStart: number,
    /** Document row of the copy's first node. */
    readonly firstRow: number,
  ) {}
  readonly toDocument = (offset: number): number => offset + this.textStart;
  readonly fromDocument = (offset: number): number => offset - this.textStart;
  readonly documentNode = (node: number): number => (node === NO_NODE ? NO_NODE : node + this.firstRow);
}

export interface RecordSummary {
  eventVersion?: string;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  errorCode?: string;
  eventID?: string;
  readOnly?: boolean;
  eventType?: string;
  /** Read for the Sigma rules, which ask every record about it (the folder index does not keep it). */
  userAgent?: string;
  identity: IdentitySummary;
}

export interface CloudTrailRecord {
  /** Position of the record in the file, from 0. */
  readonly index: number;
  /** The whole entry in the document: the element of `Records`, the `Events` item, the envelope. */
  readonly start: number;
  readonly end: number;
  /** The event object in `source`, or NO_NODE when the entry holds no readable event. */
  readonly node: number;
  readonly source: RecordSource;
  /** The node in the document of the wrapper around the event (EventBridge envelope or `Events` item). */
  readonly wrapper?: { kind: 'eventBridge' | 'lookupEvents' | 'string'; node: number };
  /** The document node of the whole entry, and where it sits: what an edit inside it needs to re-read just this record. */
  readonly entry: number;
  readonly placement: RecordPlacement;
  readonly summary: RecordSummary;
}

/** Where a record's entry sits in the file. */
export type RecordPlacement = 'element' | 'line' | 'root' | 'embedded';

export interface CloudTrailDocument {
  readonly text: string;
  readonly shape: DocumentShape;
  readonly view: JsonView;
  readonly roots: readonly number[];
  readonly records: readonly CloudTrailRecord[];
  /** Syntax and shape problems, sorted by offset. */
  readonly problems: readonly Problem[];
  readonly problemsTruncated: boolean;
}

export interface ParseOptions {
  maxProblems?: number;
  /** The document is read once and dropped (see ScanOptions). */
  transient?: boolean;
  /**
   * False: records are not summarized, and all carry UNREAD_SUMMARY. For a reader that
   * summarizes each record itself, in the walk that reads what else it needs (see RecordWalker).
   */
  summaries?: boolean;
}

/** The summary of every record of a document parsed with `summaries: false`. */
export const UNREAD_SUMMARY: RecordSummary = Object.freeze({ identity: Object.freeze({ key: NO_IDENTITY, label: NO_IDENTITY }) });

const EVENT_KEYS = ['eventVersion', 'eventName', 'eventSource', 'eventTime', 'userIdentity', 'eventID', 'awsRegion'];

/** Reads a CloudTrail file of any shape in one pass. */
export function parseCloudTrail(text: string, options: ParseOptions = {}): CloudTrailDocument {
  if (looksBinary(text)) {
    const table = new NodeTable(16);
    return {
      text,
      shape: 'binary',
      view: new JsonView(text, table),
      roots: [],
      records: [],
      problems: [
        {
          code: SyntaxCode.binary,
          severity: 'error',
          message: 'This file is not text: it holds binary data (is it still compressed?). CloudTrail logs are JSON.',
          start: 0,
          end: Math.min(1, text.length),
        },
      ],
      problemsTruncated: false,
    };
  }
  const scan = scanJson(text, options);
  const builder = new DocumentBuilder(text, scan.table, scan.roots, options);
  builder.build();
  const problems = scan.problems.concat(builder.problems);
  problems.sort(compareProblems);
  return {
    text,
    shape: builder.shape,
    view: builder.view,
    roots: scan.roots,
    records: builder.records,
    problems,
    problemsTruncated: scan.problemsTruncated,
  };
}

/** The record whose entry contains `offset`, by binary search. */
export function recordAt(document: CloudTrailDocument, offset: number): CloudTrailRecord | undefined {
  const records = document.records;
  let low = 0;
  let high = records.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const record = records[mid];
    if (offset < record.start) {
      high = mid - 1;
    } else if (offset >= record.end) {
      low = mid + 1;
    } else {
      return record;
    }
  }
  return undefined;
}

/** Text that starts with a NUL byte, or whose start is full of control characters, is not a log. */
function looksBinary(text: string): boolean {
  const sample = Math.min(text.length, 4096);
  if (text.charCodeAt(0) === 0) {
    return true;
  }
  let suspicious = 0;
  for (let i = 0; i < sample; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) {
      suspicious++;
    }
  }
  return sample > 0 && suspicious / sample > 0.1;
}

class DocumentBuilder {
  readonly view: JsonView;
  readonly records: CloudTrailRecord[] = [];
  readonly problems: Problem[] = [];
  shape: DocumentShape = 'empty';
  private readonly documentSource: DocumentSource;

  constructor(
    text: string,
    table: NodeTable,
    private readonly roots: number[],
    private readonly options: ParseOptions,
  ) {
    this.view = new JsonView(text, table);
    this.documentSource = new DocumentSource(this.view);
  }

  readEntry(entry: number, placement: RecordPlacement): void {
    if (placement === 'element') {
      this.currentPlacement = 'element';
      this.addElement(entry);
    } else {
      this.addTopLevel(entry, placement === 'line');
    }
  }

  build(): void {
    const roots = this.roots;
    if (roots.length === 0) {
      this.shape = 'empty';
      return;
    }
    if (roots.length > 1) {
      this.shape = 'lines';
      for (const root of roots) {
        this.addTopLevel(root, true);
      }
      return;
    }
    this.addTopLevel(roots[0], false);
  }

  /** Where the entries being read sit; set while walking the file. */
  private currentPlacement: RecordPlacement = 'root';

  private addTopLevel(root: number, inLines: boolean): void {
    const view = this.view;
    this.currentPlacement = inLines ? 'line' : 'root';
    const kind = view.kind(root);
    if (kind === NodeKind.Array) {
      if (!inLines) this.shape = 'array';
      this.addElements(root);
      return;
    }
    if (kind !== NodeKind.Object) {
      this.problem(
        inLines ? ShapeCode.recordNotObject : ShapeCode.notCloudTrail,
        'warning',
        inLines ? 'Each line of a one-event-per-line file must be a JSON object.' : 'A CloudTrail log is a JSON object or array; this is a single value.',
        root,
      );
      if (!inLines) this.shape = 'unknown';
      return;
    }
    const records = view.property(root, 'Records');
    if (records !== NO_NODE) {
      if (!inLines) this.shape = 'records';
      if (view.kind(records) === NodeKind.Array) {
        this.addElements(records);
      } else {
        this.problem(ShapeCode.recordNotObject, 'error', '"Records" must be an array of events.', records);
      }
      return;
    }
    const events = view.property(root, 'Events');
    if (events !== NO_NODE && view.kind(events) === NodeKind.Array) {
      if (!inLines) this.shape = 'lookupEvents';
      for (const item of view.children(events)) {
        this.addLookupEvent(item);
      }
      return;
    }
    if (view.property(root, 'CloudTrailEvent') !== NO_NODE) {
      // One item of lookup-events output on its own: what `jq -c '.Events[]'` and boto3 scripts write, one per line.
      if (!inLines) this.shape = 'lookupEvents';
      this.addLookupEvent(root);
      return;
    }
    if (isEnvelope(view, root)) {
      if (!inLines) this.shape = 'eventBridge';
      this.addEnvelope(root, false);
      return;
    }
    if (view.property(root, 'digestStartTime') !== NO_NODE || view.property(root, 'logFiles') !== NO_NODE) {
      if (!inLines) this.shape = 'digest';
      this.problem(ShapeCode.digestFile, 'info', 'This is a CloudTrail digest file (log integrity validation): it lists log files, not events.', root, true);
      return;
    }
    if (looksLikeEvent(view, root)) {
      if (!inLines) {
        this.shape = 'single';
        this.problem(
          ShapeCode.singleEvent,
          'hint',
          'This file holds one event on its own; a delivered log file wraps its events in {"Records": [...]}.',
          root,
          true,
        );
      }
      this.addRecord(root, root, this.documentSource);
      return;
    }
    if (!inLines) this.shape = 'unknown';
    this.problem(
      ShapeCode.notCloudTrail,
      'warning',
      'This does not look like CloudTrail: expected {"Records": [...]}, an array of events, lookup-events output or an event object.',
      root,
      true,
    );
  }

  private addElements(array: number): void {
    this.currentPlacement = 'element';
    for (const element of this.view.children(array)) {
      this.addElement(element);
    }
  }

  /** Reads one element of `Records` or of a bare array. */
  addElement(element: number): void {
    const view = this.view;
    {
      const kind = view.kind(element);
      if (kind === NodeKind.Object) {
        if (isEnvelope(view, element)) {
          const detailType = view.property(element, 'detail-type');
          this.problem(
            ShapeCode.envelopeInRecords,
            'warning',
            'This entry is an EventBridge event, not a CloudTrail record: the record is its "detail". Log files list the records themselves.',
            detailType !== NO_NODE ? detailType : element,
            true,
          );
          this.addEnvelope(element, true);
        } else {
          this.addRecord(element, element, this.documentSource);
        }
      } else if (kind === NodeKind.String) {
        this.problem(
          ShapeCode.recordIsString,
          'warning',
          'This record is a JSON string holding an event, not an event object; remove the quotes and escapes around it.',
          element,
        );
        this.addEmbedded(element, element, 'string');
      } else {
        this.problem(ShapeCode.recordNotObject, 'error', 'Each record must be a JSON object (an event).', element, view.isContainer(element));
      }
    }
  }

  private addEnvelope(envelope: number, nested: boolean): void {
    const detail = this.view.property(envelope, 'detail');
    if (detail !== NO_NODE && this.view.kind(detail) === NodeKind.Object) {
      this.addRecord(envelope, detail, this.documentSource, { kind: 'eventBridge', node: envelope });
    } else if (!nested || detail !== NO_NODE) {
      this.problem(
        ShapeCode.recordNotObject,
        'error',
        'The EventBridge event has no "detail" object holding the record.',
        detail !== NO_NODE ? detail : envelope,
        detail === NO_NODE,
      );
    }
  }

  private addLookupEvent(item: number): void {
    const view = this.view;
    if (view.kind(item) !== NodeKind.Object) {
      this.problem(ShapeCode.recordNotObject, 'error', 'Each item of "Events" must be an object.', item);
      return;
    }
    const embedded = view.property(item, 'CloudTrailEvent');
    if (embedded === NO_NODE && looksLikeEvent(view, item)) {
      // Insights events from lookup-events (--event-category insight) are the records themselves.
      this.addRecord(item, item, this.documentSource);
      return;
    }
    if (embedded === NO_NODE) {
      this.problem(ShapeCode.embeddedEventNotString, 'warning', 'This item has no "CloudTrailEvent", so its event cannot be read.', item, true);
      return;
    }
    if (view.kind(embedded) === NodeKind.Object) {
      // Some tools expand the string; accept it as the record.
      this.addRecord(item, embedded, this.documentSource, { kind: 'lookupEvents', node: item });
      return;
    }
    if (view.kind(embedded) !== NodeKind.String) {
      this.problem(ShapeCode.embeddedEventNotString, 'error', '"CloudTrailEvent" must be a string holding the event as JSON.', embedded);
      return;
    }
    this.addEmbedded(item, embedded, 'lookupEvents');
  }

  /** Reads the event held in the string `stringNode` as a record spanning `entry`. */
  private addEmbedded(entry: number, stringNode: number, kind: 'lookupEvents' | 'string'): void {
    const table = this.view.table;
    const decoded = decodeStringWithOffsets(this.view.text, table.start[stringNode], table.end[stringNode]);
    const inner = scanJson(decoded.text, this.options);
    const toOuter = decoded.toOuter;
    const toDocument = (offset: number): number => toOuter[Math.min(Math.max(offset, 0), toOuter.length - 1)];
    for (const problem of inner.problems) {
      this.problems.push({
        ...problem,
        message: `In the embedded event: ${problem.message}`,
        start: toDocument(problem.start),
        end: toDocument(problem.end),
        related: problem.related?.map((r) => ({ ...r, start: toDocument(r.start), end: toDocument(r.end) })),
        // Text put inside the string that holds the event must be escaped as that string's content.
        ...(problem.fix && {
          fix: {
            title: problem.fix.title,
            replacement: JSON.stringify(problem.fix.replacement).slice(1, -1),
            start: toDocument(problem.fix.start ?? problem.start),
            end: toDocument(problem.fix.end ?? problem.end),
          },
        }),
      });
    }
    const source: RecordSource = {
      view: new JsonView(decoded.text, inner.table),
      embedded: true,
      toDocument,
      fromDocument: (offset: number) => toInnerOffset(toOuter, offset),
      documentNode: () => NO_NODE,
    };
    const root = inner.roots[0] ?? NO_NODE;
    if (root === NO_NODE || source.view.kind(root) !== NodeKind.Object) {
      this.problem(ShapeCode.embeddedEventNotString, 'error', 'The embedded event is not a JSON object.', stringNode);
      return;
    }
    this.addRecord(entry, root, source, { kind, node: entry });
  }

  private addRecord(entry: number, node: number, source: RecordSource, wrapper?: CloudTrailRecord['wrapper']): void {
    const table = this.view.table;
    const record: CloudTrailRecord = {
      index: this.records.length,
      entry,
      placement: source.embedded ? 'embedded' : this.currentPlacement,
      start: table.start[entry],
      end: table.end[entry],
      node,
      source,
      summary: this.options.summaries === false ? UNREAD_SUMMARY : summarizeRecord(source.view, node),
      ...(wrapper ? { wrapper } : {}),
    };
    this.records.push(record);
  }

  /** Reports a shape problem on a node, or on its first character when `atStart` (a whole record is too wide a range). */
  private problem(code: string, severity: Problem['severity'], message: string, node: number, atStart = false): void {
    const table = this.view.table;
    const start = table.keyStart[node] >= 0 ? table.keyStart[node] : table.start[node];
    const end = atStart ? (table.keyStart[node] >= 0 ? table.keyEnd[node] : table.start[node] + 1) : table.end[node];
    this.problems.push({ code, severity, message, start, end });
  }
}

/** An EventBridge event whose `detail` holds a CloudTrail record. */
export function isEnvelope(view: JsonView, node: number): boolean {
  return view.property(node, 'detail') !== NO_NODE && (view.property(node, 'detail-type') !== NO_NODE || view.property(node, 'source') !== NO_NODE);
}

/** An object with at least one property that only CloudTrail events have. */
export function looksLikeEvent(view: JsonView, node: number): boolean {
  return EVENT_KEYS.some((key) => view.property(node, key) !== NO_NODE);
}

const SUMMARY_KEYS = [
  'eventVersion',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'errorCode',
  'eventID',
  'eventType',
  'readOnly',
  'userIdentity',
  'userAgent',
  // Only looked for when a walker is told the record's properties (see RecordWalker).
  'sourceIPAddress',
  'requestID',
  'sharedEventID',
  'resources',
  'requestParameters',
  'responseElements',
] as const;
/** The summary's own names: a walk for the summary alone looks for no more than these. */
const SUMMARY_KEY_NAMES = new KeyNames(SUMMARY_KEYS.slice(0, SUMMARY_KEYS.indexOf('userAgent') + 1));
const WALKED_KEY_NAMES = new KeyNames(SUMMARY_KEYS);

/**
 * The summary fields of one record, read in one walk over its properties. A `walker` is told the
 * properties it asks about as the walk passes them (those of userIdentity too).
 */
export function summarizeRecord(view: JsonView, node: number, walker?: RecordWalker): RecordSummary {
  const summary: RecordSummary = { identity: summarizeIdentity(view, NO_NODE) };
  if (node === NO_NODE || view.kind(node) !== NodeKind.Object) {
    return summary;
  }
  const names = walker ? WALKED_KEY_NAMES : SUMMARY_KEY_NAMES;
  const next = view.table.next;
  const stop = next[node];
  for (let child = node + 1; child < stop; child = next[child]) {
    const keyIndex = view.keyIndexIn(child, names);
    if (keyIndex < 0) {
      continue;
    }
    const name = SUMMARY_KEYS[keyIndex];
    switch (name) {
      case 'eventVersion':
        summary.eventVersion = view.string(child);
        break;
      case 'eventTime':
        summary.eventTime = view.string(child);
        break;
      case 'eventSource':
        summary.eventSource = view.string(child);
        break;
      case 'eventName':
        summary.eventName = view.string(child);
        walker?.recordProperty('eventName', child);
        break;
      case 'awsRegion':
        summary.awsRegion = view.string(child);
        break;
      case 'errorCode':
        summary.errorCode = view.string(child);
        break;
      case 'eventID':
        summary.eventID = view.string(child);
        break;
      case 'eventType':
        summary.eventType = view.string(child);
        break;
      case 'userAgent':
        summary.userAgent = view.string(child);
        walker?.recordProperty('userAgent', child);
        break;
      case 'readOnly': {
        const value = view.scalar(child);
        if (typeof value === 'boolean') summary.readOnly = value;
        else if (value === 'true' || value === 'false') summary.readOnly = value === 'true';
        break;
      }
      case 'userIdentity':
        summary.identity = summarizeIdentity(view, child, walker);
        break;
      case 'sourceIPAddress':
      case 'requestID':
      case 'sharedEventID':
      case 'resources':
      case 'requestParameters':
      case 'responseElements':
        walker?.recordProperty(name, child);
        break;
    }
  }
  return summary;
}

/**
 * Reads the one entry `entry` of a document again (after an edit inside it): its record and its
 * shape problems, as a full parse would give them. Used by incremental updates.
 */
export function readEntry(
  text: string,
  table: NodeTable,
  entry: number,
  placement: RecordPlacement,
  options: ParseOptions = {},
): { records: CloudTrailRecord[]; problems: Problem[] } {
  const builder = new DocumentBuilder(text, table, [], options);
  builder.readEntry(entry, placement);
  return { records: builder.records, problems: builder.problems };
}

/**
 * The link index of one parsed log: every linked value of every record, kept as two hashes, a
 * kind and role, and the node that holds it, in typed arrays. Built once per model (a model is
 * one document version) in one walk over the records, without decoding a string; a question
 * scans the hashes and reads back only the values that match.
 */
import { CloudTrailDocument, CloudTrailRecord, recordAt } from '../cloudTrailDocument';
import { parseEventTime } from '../folderIndex/fileEntries';
import { JsonView, NO_NODE, NodeTable } from '../json/nodeTable';
import { collectRecordFacts, FactSink, LinkKind, LinkRole, nodeHash, valueHash } from './linkFacts';
import { LinkHit, LinkStore, StoreCoverage } from './linkStore';
import { RangeOf, readRecordDetails, RecordDetails, TextPosition, TextRange } from './recordDetails';

export class DocumentLinkIndex {
  count = 0;
  /** One hash per value: a match is confirmed by reading the value. */
  hashes: Int32Array;
  /** kind << 4 | role. */
  meta: Uint8Array;
  records: Uint32Array;
  nodes: Int32Array;

  constructor(capacity: number) {
    const size = Math.max(16, capacity);
    this.hashes = new Int32Array(size);
    this.meta = new Uint8Array(size);
    this.records = new Uint32Array(size);
    this.nodes = new Int32Array(size);
    this.eventNames = new Int32Array(0);
  }

  /** Per record: its eventName node in the record's source, or NO_NODE. */
  eventNames: Int32Array;

  static build(model: CloudTrailDocument): DocumentLinkIndex {
    const index = new DocumentLinkIndex(model.records.length * 10);
    index.eventNames = new Int32Array(model.records.length).fill(NO_NODE);
    const sink = recordFactSink;
    sink.index = index;
    try {
      for (const record of model.records) {
        if (record.node === NO_NODE) continue;
        sink.view = record.source.view;
        sink.record = record.index;
        collectRecordFacts(sink.view, record.node, sink);
      }
    } finally {
      sink.release();
    }
    return index;
  }

  /** Adds one linked value: its hash, kind << 4 | role, its record and its node. */
  add(hash: number, meta: number, record: number, node: number): void {
    if (this.count === this.meta.length) this.grow();
    const i = this.count++;
    this.hashes[i] = hash;
    this.meta[i] = meta;
    this.records[i] = record;
    this.nodes[i] = node;
  }

  private grow(): void {
    const size = this.meta.length * 2;
    const hashes = new Int32Array(size);
    hashes.set(this.hashes);
    const meta = new Uint8Array(size);
    meta.set(this.meta);
    const records = new Uint32Array(size);
    records.set(this.records);
    const nodes = new Int32Array(size);
    nodes.set(this.nodes);
    this.hashes = hashes;
    this.meta = meta;
    this.records = records;
    this.nodes = nodes;
  }

  /** Bytes held by the columns. */
  byteSize(): number {
    return this.hashes.byteLength + this.meta.byteLength + this.records.byteLength + this.nodes.byteLength + this.eventNames.byteLength;
  }
}

const NO_VIEW = new JsonView('', new NodeTable(0));
const NO_INDEX = new DocumentLinkIndex(0);

/** Adds the facts of the record being walked (`view`, `record`) to a document's index (`index`). */
class RecordFactSink implements FactSink {
  index = NO_INDEX;
  view = NO_VIEW;
  record = 0;

  fact(kind: LinkKind, role: LinkRole, node: number): void {
    this.index.add(nodeHash(this.view, node), (kind << 4) | role, this.record, node);
  }

  eventName(node: number): void {
    this.index.eventNames[this.record] = node;
  }

  /** Lets go of the index and the log built last. */
  release(): void {
    this.index = NO_INDEX;
    this.view = NO_VIEW;
  }
}

/**
 * The one sink of every build. The engine's optimized code for the walk refers to the sink object
 * it ran with and is thrown away when that object is collected: with a sink made for each build,
 * every full garbage collection sent the next build back to unoptimized code while the walk was
 * optimized again (26 to 36 ms instead of 16 for the 20 MB one-line log of the benchmark).
 */
const recordFactSink = new RecordFactSink();

const indexes = new WeakMap<CloudTrailDocument, DocumentLinkIndex>();

/** The link index of a model, built the first time it is asked for. */
export function documentLinkIndex(model: CloudTrailDocument): DocumentLinkIndex {
  let index = indexes.get(model);
  if (!index) {
    index = DocumentLinkIndex.build(model);
    indexes.set(model, index);
  }
  return index;
}

/** A linked value under the cursor. */
export interface ValueAt {
  kind: LinkKind;
  role: LinkRole;
  value: string;
  record: CloudTrailRecord;
  /** The value's node in the record's source, and its document offsets. */
  node: number;
  start: number;
  end: number;
}

/** The linked value at a document offset, if the offset is inside one. */
export function linkedValueAt(model: CloudTrailDocument, offset: number): ValueAt | undefined {
  const record = recordAt(model, offset);
  if (!record || record.node === NO_NODE) return undefined;
  const { view, fromDocument, toDocument } = record.source;
  const at = view.nodeAt(record.node, fromDocument(offset));
  if (!at || at.onKey) return undefined;
  let found: ValueAt | undefined;
  collectRecordFacts(view, record.node, {
    fact(kind, role, node) {
      if (found === undefined && node === at.node) {
        found = {
          kind,
          role,
          value: view.string(node) ?? '',
          record,
          node,
          start: toDocument(view.table.start[node]),
          end: toDocument(view.table.end[node]),
        };
      }
    },
  });
  return found;
}

/** Offsets of a document to positions, as the editor counts them. */
export type PositionAt = (offset: number) => TextPosition;

/** One open log as a link store. */
export class DocumentLinks implements LinkStore {
  readonly index: DocumentLinkIndex;

  constructor(
    readonly model: CloudTrailDocument,
    readonly uri: string,
    private readonly positionAt: PositionAt,
    private readonly name = 'this log',
  ) {
    this.index = documentLinkIndex(model);
  }

  /** Every occurrence of the value: record and node, in document order (several per record possible). */
  occurrences(kind: LinkKind, value: string): { record: CloudTrailRecord; node: number; role: LinkRole }[] {
    const hash = valueHash(value);
    const { hashes, meta, records, nodes, count } = this.index;
    const out: { record: CloudTrailRecord; node: number; role: LinkRole }[] = [];
    for (let i = 0; i < count; i++) {
      if (hashes[i] !== hash || meta[i] >> 4 !== kind) continue;
      const record = this.model.records[records[i]];
      if (record.source.view.string(nodes[i]) === value) {
        out.push({ record, node: nodes[i], role: (meta[i] & 15) as LinkRole });
      }
    }
    return out;
  }

  /** The document range of a node of a record. */
  nodeRange(record: CloudTrailRecord, node: number): TextRange {
    const { view, toDocument } = record.source;
    return { start: this.positionAt(toDocument(view.table.start[node])), end: this.positionAt(toDocument(view.table.end[node])) };
  }

  hits(kind: LinkKind, value: string): LinkHit[] {
    const out: LinkHit[] = [];
    let last: { record: CloudTrailRecord; roles: LinkRole[] } | undefined;
    for (const occurrence of this.occurrences(kind, value)) {
      if (last?.record === occurrence.record) {
        if (!last.roles.includes(occurrence.role)) last.roles.push(occurrence.role);
        continue;
      }
      last = { record: occurrence.record, roles: [occurrence.role] };
      out.push(this.hit(occurrence.record, kind, last.roles));
    }
    return out;
  }

  eventsNamed(eventSource: string, eventName: string): LinkHit[] {
    return this.model.records
      .filter((record) => record.summary.eventName === eventName && record.summary.eventSource === eventSource)
      .map((record) => this.hit(record, LinkKind.arn, []));
  }

  details(hit: Pick<LinkHit, 'uri' | 'index'>): RecordDetails | undefined {
    const record = hit.uri === this.uri ? this.model.records[hit.index] : undefined;
    if (!record || record.node === NO_NODE) return undefined;
    const toDocument = record.source.toDocument;
    const rangeOf: RangeOf = (start, end) => ({ start: this.positionAt(toDocument(start)), end: this.positionAt(toDocument(end)) });
    const details = readRecordDetails(
      record.source.view,
      record.node,
      { uri: this.uri, index: record.index, entryStart: record.start, entryEnd: record.end },
      rangeOf,
    );
    // The entry's own range is in document offsets already.
    details.range = { start: this.positionAt(record.start), end: this.positionAt(record.end) };
    return details;
  }

  coverage(): StoreCoverage {
    let earliest: string | undefined;
    let latest: string | undefined;
    const accounts = new Set<string>();
    for (const record of this.model.records) {
      const time = record.summary.eventTime;
      if (time !== undefined) {
        if (earliest === undefined || time < earliest) earliest = time;
        if (latest === undefined || time > latest) latest = time;
      }
    }
    for (const record of this.model.records) {
      const account = record.node === NO_NODE ? undefined : record.source.view.stringProperty(record.node, 'recipientAccountId');
      if (account) accounts.add(account);
      if (accounts.size > 50) break;
    }
    return {
      name: this.name,
      records: this.model.records.length,
      ...(earliest !== undefined ? { earliest } : {}),
      ...(latest !== undefined ? { latest } : {}),
      accounts: [...accounts].sort(),
    };
  }

  private hit(record: CloudTrailRecord, kind: LinkKind, roles: LinkRole[]): LinkHit {
    const summary = record.summary;
    const { view, toDocument } = record.source;
    const name = this.index.eventNames[record.index] ?? NO_NODE;
    const anchorStart = name !== NO_NODE ? toDocument(view.table.start[name]) : record.start;
    const anchorEnd = name !== NO_NODE ? toDocument(view.table.end[name]) : record.start + 1;
    const hit: { -readonly [K in keyof LinkHit]: LinkHit[K] } = {
      store: this,
      uri: this.uri,
      index: record.index,
      kind,
      roles,
      time: summary.eventTime === undefined ? NaN : parseEventTime(summary.eventTime),
      anchor: { start: this.positionAt(anchorStart), end: this.positionAt(anchorEnd) },
    };
    if (summary.eventTime !== undefined) hit.eventTime = summary.eventTime;
    if (summary.eventName !== undefined) hit.eventName = summary.eventName;
    if (summary.eventSource !== undefined) hit.eventSource = summary.eventSource;
    if (summary.eventID !== undefined) hit.eventID = summary.eventID;
    if (summary.errorCode !== undefined) hit.errorCode = summary.errorCode;
    hit.identity = {
      key: summary.identity.key,
      label: summary.identity.label,
      ...(summary.identity.type !== undefined ? { type: summary.identity.type } : {}),
    };
    return hit;
  }
}

/**
 * Records reshaped by log forwarders. SIEM pipelines add their own top-level objects to each
 * CloudTrail record (`aws`, `evt`, `http`, `network`, `usr`) and move some fields into them:
 * `sourceIPAddress` to `network.client.ip`, `userAgent` to `http.useragent`. Such a record is still
 * a CloudTrail record: the added objects are not unknown fields, a moved field is not missing, and
 * whoever reads the record reads the moved value where the field would be.
 */
import { CloudTrailDocument } from './cloudTrailDocument';
import { JsonView, KeyNames, NO_NODE, NodeKind } from './json/nodeTable';
import { Problem, ShapeCode } from './problems';

/** Top-level objects that forwarders add to records. */
export const FORWARDER_KEYS: ReadonlySet<string> = new Set(['aws', 'evt', 'http', 'network', 'usr']);

/** CloudTrail fields that forwarders move, and where to. */
export const MOVED_FIELDS: readonly { readonly field: string; readonly path: readonly string[] }[] = [
  { field: 'sourceIPAddress', path: ['network', 'client', 'ip'] },
  { field: 'userAgent', path: ['http', 'useragent'] },
];

const FORWARDER_KEY_NAMES = new KeyNames([...FORWARDER_KEYS]);

/** A top-level property a forwarder added: one of its keys, holding an object. */
export function isForwarderProperty(view: JsonView, property: number): boolean {
  // Asked of every top-level property of many records after each edit: no key is cut out of the text.
  return view.kind(property) === NodeKind.Object && view.keyIndexIn(property, FORWARDER_KEY_NAMES) >= 0;
}

/** The node at `path` below `node`, or NO_NODE. */
function nodeAt(view: JsonView, node: number, path: readonly string[]): number {
  let at = node;
  for (const name of path) {
    if (at === NO_NODE || view.kind(at) !== NodeKind.Object) return NO_NODE;
    at = view.property(at, name);
  }
  return at;
}

/**
 * The value of a top-level field of a record: the field itself, or, when the record lacks it, the
 * place a forwarder moved it to. NO_NODE when neither is there.
 */
export function recordFieldValue(view: JsonView, record: number, field: string): number {
  const own = view.property(record, field);
  if (own !== NO_NODE) return own;
  const moved = MOVED_FIELDS.find((candidate) => candidate.field === field);
  return moved ? nodeAt(view, record, moved.path) : NO_NODE;
}

/** Where a forwarder moved a field the record lacks, as "network.client.ip"; undefined when it did not. */
export function movedTo(view: JsonView, record: number, field: string): string | undefined {
  const moved = MOVED_FIELDS.find((candidate) => candidate.field === field);
  if (!moved || view.property(record, field) !== NO_NODE || nodeAt(view, record, moved.path) === NO_NODE) return undefined;
  return moved.path.join('.');
}

/** A forwarder reshapes every record the same way: the first records tell. */
const RECORDS_LOOKED_AT = 1000;

/** Whether the note of `forwardedNote` depends on the record at this position (else an edit there leaves it as it was). */
export function forwardedNoteReads(record: number): boolean {
  return record < RECORDS_LOOKED_AT;
}

/**
 * The one note of a file whose records a forwarder reshaped: which objects it added and which
 * fields it moved. Undefined for other files.
 */
export function forwardedNote(document: CloudTrailDocument): Problem | undefined {
  const added = new Set<string>();
  const moved = new Set<string>();
  let first: { start: number; end: number } | undefined;
  const records = document.records;
  for (let r = 0; r < records.length && r < RECORDS_LOOKED_AT; r++) {
    const record = records[r];
    const view = record.source.view;
    if (record.node === NO_NODE || view.kind(record.node) !== NodeKind.Object) continue;
    for (const property of view.children(record.node)) {
      if (!isForwarderProperty(view, property)) continue;
      added.add(view.key(property) ?? '');
      first ??= { start: record.source.toDocument(view.table.keyStart[property]), end: record.source.toDocument(view.table.keyEnd[property]) };
    }
    if (added.size === 0) continue;
    for (const { field, path } of MOVED_FIELDS) {
      if (movedTo(view, record.node, field) !== undefined) moved.add(`${field} to ${path.join('.')}`);
    }
  }
  if (!first) return undefined;
  const movedText = moved.size > 0 ? ` and moved ${[...moved].join(', ')}; the moved values are read from there` : '';
  return {
    code: ShapeCode.forwarded,
    severity: 'info',
    message: `These records were reshaped by a log forwarder: it added ${[...added].sort().join(', ')}${movedText}.`,
    start: first.start,
    end: first.end,
  };
}

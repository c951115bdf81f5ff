/**
 * The linked values of one indexed file, for the folder index: each distinct value once (as two
 * hashes), the entries holding it as a run of postings, and where each entry's eventName sits so
 * that a reference can point at it without reading the file again. About four bytes per linked
 * value of an event, plus twelve per distinct value; the buffers travel from the indexing worker
 * without a copy.
 */
import { JsonView, NO_NODE, NodeTable } from '../json/nodeTable';
import { TupleIds } from '../tupleIds';
import { RecordWalker, WalkedIdentityKey, WalkedRecordKey } from '../recordWalker';
import { collectRecordFacts, FactSink, identityPropertyFacts, LinkKind, LinkRole, nodeHashes, recordPropertyFacts } from './linkFacts';

export interface FileLinks {
  /** Two hashes per distinct value, ordered by the first hash (unsigned) so that a value is found by binary search. */
  values: Int32Array;
  /** Postings of value v: `postings[starts[v] .. starts[v + 1])`. */
  starts: Uint32Array;
  /** entry << 8 | kind << 4 | role. */
  postings: Uint32Array;
  /** Per entry: line, character and length of its eventName value; length 0 when unknown. */
  anchors: Uint32Array;
}

export function emptyFileLinks(): FileLinks {
  return { values: new Int32Array(0), starts: new Uint32Array(1), postings: new Uint32Array(0), anchors: new Uint32Array(0) };
}

export function fileLinkBuffers(links: FileLinks): ArrayBuffer[] {
  return [links.values, links.starts, links.postings, links.anchors].map((array) => array.buffer as ArrayBuffer);
}

export function fileLinksBytes(links: FileLinks): number {
  return links.values.byteLength + links.starts.byteLength + links.postings.byteLength + links.anchors.byteLength;
}

/** Where one entry's event is: its view and node, and how to place a view offset in the document. */
export interface EntryEvent {
  view: JsonView;
  event: number;
  /** The document position of a view offset of this event; undefined when it cannot be placed (an event inside a string). */
  positionOf?: (offset: number) => { line: number; character: number };
}

export class FileLinksBuilder implements FactSink, RecordWalker {
  /** Distinct values, by their two hashes. */
  private readonly values = new TupleIds(2);
  private facts = new Uint32Array(1024);
  private factCount = 0;
  private anchors = new Uint32Array(256 * 3);
  /** The entry whose facts are being collected. */
  private entry = 0;
  private view = new JsonView('', new NodeTable(0));
  private positionOf: EntryEvent['positionOf'];

  /** Adds the linked values of entry `entry` (entries come in order, from 0). */
  add(entry: number, source: EntryEvent | undefined): void {
    if (this.begin(entry, source)) {
      collectRecordFacts(this.view, source.event, this);
      this.end();
    }
  }

  /**
   * Starts entry `entry` (entries come in order, from 0) for a reader that walks its event
   * anyway: when this returns true, the reader passes this builder as the RecordWalker of
   * `summarizeRecord` on `source`, which tells it the properties that hold linked values, then
   * calls `end`. Same facts, same order as `add`, without a walk of its own.
   */
  begin(entry: number, source: EntryEvent | undefined): source is EntryEvent {
    if ((entry + 1) * 3 > this.anchors.length) {
      this.anchors = grow(this.anchors, Math.max((entry + 1) * 3, this.anchors.length * 2));
    }
    if (!source || source.event === NO_NODE) return false;
    this.entry = entry;
    this.view = source.view;
    this.positionOf = source.positionOf;
    this.eventNameNode = NO_NODE;
    return true;
  }

  /** Ends the entry `begin` started: where its eventName is. */
  end(): void {
    const name = this.eventNameNode;
    if (name !== NO_NODE && this.positionOf) {
      const view = this.view;
      const at = this.positionOf(view.table.start[name]);
      this.anchors[this.entry * 3] = at.line;
      this.anchors[this.entry * 3 + 1] = at.character;
      this.anchors[this.entry * 3 + 2] = view.table.end[name] - view.table.start[name];
    }
    this.positionOf = undefined;
  }

  /** A property of the entry's event, told by the summary's walk (RecordWalker). */
  recordProperty(name: WalkedRecordKey, node: number): void {
    recordPropertyFacts(this.view, name, node, this);
  }

  /** A property of the entry's userIdentity, told by the summary's walk (RecordWalker). */
  identityProperty(name: WalkedIdentityKey, node: number): void {
    identityPropertyFacts(this.view, name, node, this);
  }

  /** The eventName node of the entry being added, found in the walk that collects its facts. */
  private eventNameNode = NO_NODE;

  /** The entry's eventName node (FactSink). */
  eventName(node: number): void {
    this.eventNameNode = node;
  }

  /** One linked value of the entry (FactSink). */
  fact(kind: LinkKind, role: LinkRole, node: number): void {
    nodeHashes(this.view, node, this.values.key, 0);
    const id = this.values.idOf();
    if (this.factCount * 2 + 2 > this.facts.length) this.facts = grow(this.facts, this.facts.length * 2);
    this.facts[this.factCount * 2] = id;
    this.facts[this.factCount * 2 + 1] = (this.entry << 8) | (kind << 4) | role;
    this.factCount++;
  }

  /** The columns: values ordered by hash, postings grouped by value (entries stay in order within a value). */
  finish(entryCount: number): FileLinks {
    const count = this.values.size;
    const hashes = this.values.tuples;
    const order = sortedByHash(hashes, count);
    const rank = new Uint32Array(count);
    const values = new Int32Array(count * 2);
    for (let r = 0; r < count; r++) {
      rank[order[r]] = r;
      values[r * 2] = hashes[order[r] * 2];
      values[r * 2 + 1] = hashes[order[r] * 2 + 1];
    }
    const starts = new Uint32Array(count + 1);
    for (let i = 0; i < this.factCount; i++) starts[rank[this.facts[i * 2]] + 1]++;
    for (let v = 0; v < count; v++) starts[v + 1] += starts[v];
    const fill = starts.slice(0, count);
    const postings = new Uint32Array(this.factCount);
    for (let i = 0; i < this.factCount; i++) postings[fill[rank[this.facts[i * 2]]]++] = this.facts[i * 2 + 1];
    const anchors = new Uint32Array(entryCount * 3);
    anchors.set(this.anchors.subarray(0, Math.min(this.anchors.length, entryCount * 3)));
    return { values, starts, postings, anchors };
  }
}

/** Value ids in the order of their first hash, unsigned (ties by id). */
function sortedByHash(values: Int32Array, count: number): Uint32Array {
  const order = new Uint32Array(count);
  if (count < 2 ** 21) {
    // hash * 2^21 + id stays an exact integer: one numeric sort, no comparator.
    const keys = new Float64Array(count);
    for (let id = 0; id < count; id++) keys[id] = (values[id * 2] >>> 0) * 2 ** 21 + id;
    keys.sort();
    for (let r = 0; r < count; r++) order[r] = keys[r] % 2 ** 21;
    return order;
  }
  for (let id = 0; id < count; id++) order[id] = id;
  return order.sort((a, b) => (values[a * 2] >>> 0) - (values[b * 2] >>> 0) || a - b);
}

/** The first of `count` hash-ordered values whose first hash is `hash`, or -1. */
export function findValue(values: Int32Array, hash: number): number {
  const wanted = hash >>> 0;
  let low = 0;
  let high = values.length / 2;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid * 2] >>> 0 < wanted) low = mid + 1;
    else high = mid;
  }
  return low < values.length / 2 && values[low * 2] >>> 0 === wanted ? low : -1;
}

function grow<T extends Int32Array | Uint32Array>(array: T, size: number): T {
  const fresh = new (array.constructor as new (n: number) => T)(size);
  fresh.set(array);
  return fresh;
}

/** The document position of `offset` in `text`, a piece of a document that starts at line `startLine`, character `startCharacter`. */
export function positionInText(text: string, startLine: number, startCharacter: number, offset: number): { line: number; character: number } {
  let line = startLine;
  let lineStart = -1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at;
  }
  return { line, character: lineStart < 0 ? startCharacter + offset : offset - lineStart - 1 };
}

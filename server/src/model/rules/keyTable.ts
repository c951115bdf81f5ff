/**
 * Finds which of a fixed set of names a property has, straight from the text: no string is cut
 * out of the document for it. The rules look up every property of every record this way, so on a
 * 20 MB log this saves hundreds of thousands of small strings.
 */
import { JsonView, NodeFlags } from '../nodeTable';

const BUCKETS = 512;

/**
 * Whether `word` is written in `text` at `start`. A plain loop: on a large document text this is
 * several times faster than `String.prototype.startsWith` with a position.
 */
export function matchesAt(text: string, start: number, word: string): boolean {
  const length = word.length;
  if (start + length > text.length) {
    return false;
  }
  for (let i = 0; i < length; i++) {
    if (text.charCodeAt(start + i) !== word.charCodeAt(i)) {
      return false;
    }
  }
  return true;
}

export class KeyTable {
  /** Candidate indexes by a hash of length and first and last characters; -1 ends a bucket. */
  private readonly buckets: Int16Array[] = [];

  constructor(readonly names: readonly string[]) {
    const lists: number[][] = Array.from({ length: BUCKETS }, () => []);
    names.forEach((name, index) => lists[KeyTable.bucket(name.length, name.charCodeAt(0), name.charCodeAt(name.length - 1))].push(index));
    this.buckets = lists.map((list) => Int16Array.from([...list, -1]));
  }

  private static bucket(length: number, first: number, last: number): number {
    return (length * 31 + first * 7 + last) & (BUCKETS - 1);
  }

  /** The index in `names` of the property name of `node`, or -1 (also for names with escapes). */
  lookup(view: JsonView, node: number): number {
    const table = view.table;
    const keyStart = table.keyStart[node];
    if (keyStart < 0) {
      return -1;
    }
    const quoted = (table.flags[node] & NodeFlags.UnquotedKey) === 0 ? 1 : 0;
    const start = keyStart + quoted;
    const length = table.keyEnd[node] - quoted - start;
    if (length <= 0) {
      return -1;
    }
    return this.lookupRange(view.text, start, length);
  }

  /** The index in `names` of the text `[start, start + length)`, or -1. */
  lookupRange(text: string, start: number, length: number): number {
    if (length <= 0) {
      return -1;
    }
    const candidates = this.buckets[KeyTable.bucket(length, text.charCodeAt(start), text.charCodeAt(start + length - 1))];
    for (let i = 0; candidates[i] >= 0; i++) {
      const name = this.names[candidates[i]];
      if (name.length === length && matchesAt(text, start, name)) {
        return candidates[i];
      }
    }
    return -1;
  }
}

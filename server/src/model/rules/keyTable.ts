/**
 * Finds which of a fixed set of names a property has, straight from the text: no string is cut
 * out of the document for it. The rules look up every property of every record this way, so on a
 * 20 MB log this saves hundreds of thousands of small strings.
 */
import { JsonView, NodeFlags } from '../json/nodeTable';

const BUCKETS = 1024;

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
  /** The first candidate index of each bucket, by a hash of a name's length and three of its characters; -1 when none. */
  private readonly heads = new Int16Array(BUCKETS).fill(-1);
  /** The next candidate in the same bucket, by index; -1 ends it. */
  private readonly chain: Int16Array;
  /** Every name's characters, one after another, and where each name starts among them. */
  private readonly characters: Uint16Array;
  private readonly offsets: Int32Array;
  private readonly lengths: Int32Array;
  /** The name that followed each name (by index + 1; 0: the start of an object) the last time: see `lookupNext`. */
  private readonly following: Int16Array;
  /** No name is listed twice, so a name that matches is the one `lookup` finds. */
  private readonly unique: boolean;

  constructor(readonly names: readonly string[]) {
    this.chain = new Int16Array(names.length).fill(-1);
    this.following = new Int16Array(names.length + 1).fill(-1);
    this.unique = new Set(names).size === names.length;
    this.offsets = new Int32Array(names.length);
    this.lengths = Int32Array.from(names, (name) => name.length);
    this.characters = new Uint16Array(names.reduce((sum, name) => sum + name.length, 0));
    let offset = 0;
    names.forEach((name, index) => {
      this.offsets[index] = offset;
      for (let i = 0; i < name.length; i++) this.characters[offset + i] = name.charCodeAt(i);
      offset += name.length;
    });
    // Added last to first, so that each bucket lists its names in the order given.
    for (let index = names.length - 1; index >= 0; index--) {
      const name = names[index];
      if (name.length === 0) continue;
      const bucket = KeyTable.bucket(name.length, name.charCodeAt(0), name.charCodeAt(name.length >> 1), name.charCodeAt(name.length - 1));
      this.chain[index] = this.heads[bucket];
      this.heads[bucket] = index;
    }
  }

  private static bucket(length: number, first: number, middle: number, last: number): number {
    return (Math.imul(length * 0x3c6ef372 + first * 0x2545f491 + middle * 0x9e3779b1 + last, 0x27d4eb2d) >>> 16) & (BUCKETS - 1);
  }

  /** The index in `names` of the property name of `node`, or -1 (also for names with escapes). */
  lookup(view: JsonView, node: number): number {
    return this.lookupExpecting(view, node, -1);
  }

  /**
   * `lookup` of the properties of an object in turn, `previous` being the result for the property
   * before (-1 for the first one, or when it had no name here). Objects of a log list their
   * properties in much the same order, so the name that followed `previous` last time is
   * compared first, which saves finding its bucket.
   */
  lookupNext(view: JsonView, node: number, previous: number): number {
    const found = this.lookupExpecting(view, node, this.unique ? this.following[previous + 1] : -1);
    if (found >= 0) {
      this.following[previous + 1] = found;
    }
    return found;
  }

  /** `lookup`, comparing the name at index `expected` (when not -1) before searching its bucket. */
  private lookupExpecting(view: JsonView, node: number, expected: number): number {
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
    if (expected >= 0 && this.lengths[expected] === length && this.matches(view.text, start, length, expected)) {
      return expected;
    }
    return this.lookupRange(view.text, start, length);
  }

  private matches(text: string, start: number, length: number, index: number): boolean {
    const characters = this.characters;
    const offset = this.offsets[index];
    for (let i = 0; i < length; i++) {
      if (text.charCodeAt(start + i) !== characters[offset + i]) {
        return false;
      }
    }
    return true;
  }

  /** The index in `names` of the text `[start, start + length)`, or -1. */
  lookupRange(text: string, start: number, length: number): number {
    if (length <= 0) {
      return -1;
    }
    const bucket = KeyTable.bucket(length, text.charCodeAt(start), text.charCodeAt(start + (length >> 1)), text.charCodeAt(start + length - 1));
    for (let index = this.heads[bucket]; index >= 0; index = this.chain[index]) {
      if (this.lengths[index] === length && this.matches(text, start, length, index)) {
        return index;
      }
    }
    return -1;
  }
}

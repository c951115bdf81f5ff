/**
 * Reading string values straight from the document text. A 20 MB log has some 350,000 strings,
 * most of them values the rules have seen before or can judge by their characters alone (a GUID,
 * an account ID, an IPv4 address); cutting each one out of the text as a string of its own, and
 * hashing it to look it up, would cost more than most checks do.
 */
import { JsonView, NO_NODE, NodeFlags, NodeKind, NodeTable } from '../json/nodeTable';

/**
 * Where the characters of a string node's value begin, when the text holds them as they are (no
 * escapes); -1 for other nodes. Together with `plainEnd`, the same range `JsonView.string` reads.
 */
export function plainStart(table: NodeTable, node: number): number {
  const flags = table.flags[node];
  if (table.kind[node] !== NodeKind.String || flags & NodeFlags.HasEscapes) {
    return -1;
  }
  return table.start[node] + (flags & NodeFlags.MissingOpenQuote ? 0 : 1);
}

/** Where the value of a string node whose `plainStart` is `start` ends. */
export function plainEnd(table: NodeTable, node: number, start: number): number {
  const end = table.end[node] - (table.flags[node] & NodeFlags.Unterminated ? 0 : 1);
  return end > start ? end : start;
}

/**
 * Whether a string node may hold an ARN: its text starts with `arn:`, or has a backslash among its
 * first characters ("\u0061rn:..." is an ARN too, once decoded).
 */
export function mayHoldArn(table: NodeTable, text: string, node: number): boolean {
  const flags = table.flags[node];
  const start = table.start[node] + (flags & NodeFlags.MissingOpenQuote ? 0 : 1);
  if (text.charCodeAt(start) === 97 /* a */ && text.charCodeAt(start + 1) === 114 && text.charCodeAt(start + 2) === 110 && text.charCodeAt(start + 3) === 58) {
    return true;
  }
  if (flags & NodeFlags.HasEscapes) {
    for (let i = start; i < start + 4; i++) {
      if (text.charCodeAt(i) === 92 /* \ */) return true;
    }
  }
  return false;
}

/** Whether `text` holds exactly `word` in `[start, end)`. */
export function equalsAt(text: string, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) {
    return false;
  }
  for (let i = 0; i < word.length; i++) {
    if (text.charCodeAt(start + i) !== word.charCodeAt(i)) {
      return false;
    }
  }
  return true;
}

/** Twelve ASCII digits in `[start, end)`: what `isAccountId` accepts. */
export function isAccountIdAt(text: string, start: number, end: number): boolean {
  if (end - start !== 12) {
    return false;
  }
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      return false;
    }
  }
  return true;
}

/** Whether two ranges of `text` of `length` characters are the same. */
export function sameTextAt(text: string, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) {
    if (text.charCodeAt(a + i) !== text.charCodeAt(b + i)) {
      return false;
    }
  }
  return true;
}

/**
 * A hash of the text in `[start, end)`: its length and six of its characters, spread over it.
 * Values that agree in all of those cost one more comparison, never a wrong answer.
 */
export function sampledHash(text: string, start: number, end: number): number {
  const length = end - start;
  let hash = Math.imul(length, 0x9e3779b1);
  if (length <= 6) {
    for (let i = start; i < end; i++) {
      hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    }
  } else {
    hash = Math.imul(hash ^ text.charCodeAt(start), 0x01000193);
    hash = Math.imul(hash ^ text.charCodeAt(start + (length >> 2)), 0x01000193);
    hash = Math.imul(hash ^ text.charCodeAt(start + (length >> 1)), 0x01000193);
    hash = Math.imul(hash ^ text.charCodeAt(start + ((length * 3) >> 2)), 0x01000193);
    hash = Math.imul(hash ^ text.charCodeAt(end - 2), 0x01000193);
    hash = Math.imul(hash ^ text.charCodeAt(end - 1), 0x01000193);
  }
  return hash ^ (hash >>> 15);
}

/** The most slots a look-up tries: values made to share a hash cost a bounded number of comparisons. */
const MAX_PROBES = 8;

/**
 * A copy of `value` that does not share memory with the text it was cut from: a string kept in a
 * table that outlives a document must not keep the whole document alive.
 */
function detached(value: string): string {
  return value.length < 13 ? value : (JSON.parse(JSON.stringify(value)) as string);
}

/**
 * A bounded set of strings that can be asked about a range of a text without cutting it out. When
 * it fills up it starts again empty, so hostile input (a million distinct values) costs memory of
 * `limit` strings at most; a member may be forgotten, but a value never taken for another.
 */
export class TextSet {
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly values: (string | undefined)[];
  private count = 0;

  constructor(private readonly limit = 2048) {
    let capacity = 16;
    while (capacity < limit * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.hashes = new Int32Array(capacity);
    this.values = new Array<string | undefined>(capacity).fill(undefined);
  }

  /** The member equal to `text` in `[start, end)`, or undefined. */
  findRange(text: string, start: number, end: number): string | undefined {
    const hash = sampledHash(text, start, end);
    const length = end - start;
    let slot = hash & this.mask;
    for (let probe = 0; probe < MAX_PROBES; probe++, slot = (slot + 1) & this.mask) {
      const value = this.values[slot];
      if (value === undefined) {
        return undefined;
      }
      if (this.hashes[slot] === hash && value.length === length && equalsAt(text, start, end, value)) {
        return value;
      }
    }
    return undefined;
  }

  has(value: string): boolean {
    return this.findRange(value, 0, value.length) !== undefined;
  }

  hasRange(text: string, start: number, end: number): boolean {
    return this.findRange(text, start, end) !== undefined;
  }

  /** Adds `value` (a copy of it) and returns the member. */
  add(value: string): string {
    const found = this.findRange(value, 0, value.length);
    if (found !== undefined) {
      return found;
    }
    const member = detached(value);
    const hash = sampledHash(member, 0, member.length);
    if (this.count >= this.limit) {
      this.values.fill(undefined);
      this.count = 0;
    }
    let slot = this.freeSlot(hash);
    if (slot < 0) {
      // Values made to share a hash: the newest takes the place of one of them, which is forgotten.
      slot = hash & this.mask;
    } else {
      this.count++;
    }
    this.hashes[slot] = hash;
    this.values[slot] = member;
    return member;
  }

  /** The first free slot a look-up of `hash` reaches, or -1 past MAX_PROBES. */
  private freeSlot(hash: number): number {
    let slot = hash & this.mask;
    for (let probe = 0; probe < MAX_PROBES; probe++, slot = (slot + 1) & this.mask) {
      if (this.values[slot] === undefined) {
        return slot;
      }
    }
    return -1;
  }

  /**
   * The text in `[start, end)` as a string, the same string each time it is asked for: values
   * that repeat are cut out of the text once, and the maps they are looked up in hash them once.
   */
  intern(text: string, start: number, end: number): string {
    return this.findRange(text, start, end) ?? this.add(text.slice(start, end));
  }
}

/** Whether `word` is written at `at` and ends by `to`. */
export function startsWithAt(text: string, at: number, to: number, word: string): boolean {
  if (at + word.length > to) {
    return false;
  }
  for (let i = 0; i < word.length; i++) {
    if (text.charCodeAt(at + i) !== word.charCodeAt(i)) {
      return false;
    }
  }
  return true;
}

/**
 * Where the parts of the ARN in `[from, to)` start, written into `into` as [partition, service,
 * region, account, resource] offsets in the text: `arnOffsets` read in place. False when the text
 * does not start with `arn:` or has fewer than six parts.
 */
export function arnOffsetsAt(text: string, from: number, to: number, into: Int32Array): boolean {
  if (!startsWithAt(text, from, to, 'arn:')) {
    return false;
  }
  into[0] = from + 4;
  let part = 1;
  for (let i = from + 4; i < to; i++) {
    if (text.charCodeAt(i) === 58 /* : */) {
      into[part++] = i + 1;
      if (part === 5) {
        return true;
      }
    }
  }
  return false;
}

/**
 * The first property of `object` named exactly `name`, or NO_NODE (also when `object` is not an
 * object): `JsonView.property`, comparing characters in place.
 */
export function propertyOf(view: JsonView, object: number, name: string): number {
  const table = view.table;
  if (object === NO_NODE || table.kind[object] !== NodeKind.Object) {
    return NO_NODE;
  }
  const next = table.next;
  const stop = next[object];
  for (let child = object + 1; child < stop; child = next[child]) {
    if (keyIs(view, child, name)) {
      return child;
    }
  }
  return NO_NODE;
}

/** True when the property name of `node` is exactly `name` (without decoding it). */
export function keyIs(view: JsonView, node: number, name: string): boolean {
  const table = view.table;
  const start = table.keyStart[node];
  if (start < 0) {
    return false;
  }
  const quoted = (table.flags[node] & NodeFlags.UnquotedKey) === 0;
  const nameStart = quoted ? start + 1 : start;
  const nameEnd = quoted ? table.keyEnd[node] - 1 : table.keyEnd[node];
  return nameEnd - nameStart === name.length && startsWithAt(view.text, nameStart, nameEnd, name);
}

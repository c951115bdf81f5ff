/**
 * A compact, flat syntax tree: one row per JSON value, stored column-wise in typed arrays and in
 * pre-order, so that every subtree is the contiguous run of rows `[node, next[node])`.
 *
 * Keeping values as offsets into the text (instead of JS objects) is what lets a 50 MB log be
 * held and re-read cheaply: strings are only decoded when somebody asks for them.
 */

export const NodeKind = {
  Object: 1,
  Array: 2,
  String: 3,
  Number: 4,
  Boolean: 5,
  Null: 6,
  /** A token that is not JSON (`byte`, `...`, an unquoted word). */
  Invalid: 7,
} as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

export const NodeFlags = {
  None: 0,
  /** The string contains backslash escapes and must be unescaped to read it. */
  HasEscapes: 1,
  /** The property name before this value was written without quotes. */
  UnquotedKey: 2,
  /** A string that lacks its opening quote (`"arn": arn:aws:...",`). */
  MissingOpenQuote: 4,
  /** A string or container that runs to the end of the text or was cut short by recovery. */
  Unterminated: 8,
  /** A string with a raw line break or control character inside. */
  HasControlCharacters: 16,
  /** The property name before this value contains backslash escapes. */
  KeyHasEscapes: 32,
} as const;

export const NO_NODE = -1;

export class NodeTable {
  kind: Uint8Array;
  flags: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  /** Offset of the property name's first character (its quote), or -1 for array elements and roots. */
  keyStart: Int32Array;
  keyEnd: Int32Array;
  /** The row just past this node's subtree; the next sibling when there is one. */
  next: Int32Array;
  count = 0;

  constructor(capacity = 1024) {
    capacity = Math.max(16, capacity);
    this.kind = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.keyStart = new Int32Array(capacity);
    this.keyEnd = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
  }

  add(kind: NodeKind, start: number, keyStart: number, keyEnd: number): number {
    if (this.count === this.kind.length) {
      this.grow();
    }
    const node = this.count++;
    this.kind[node] = kind;
    this.flags[node] = 0;
    this.start[node] = start;
    this.end[node] = start;
    this.keyStart[node] = keyStart;
    this.keyEnd[node] = keyEnd;
    this.next[node] = node + 1;
    return node;
  }

  /** Drops unused capacity once the table is complete. */
  trim(): void {
    if (this.kind.length - this.count > 64) {
      this.resize(this.count);
    }
  }

  private grow(): void {
    this.resize(this.kind.length * 2);
  }

  private resize(capacity: number): void {
    const copy = <T extends Uint8Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const fresh = make(capacity);
      fresh.set(old.subarray(0, Math.min(old.length, capacity)));
      return fresh;
    };
    this.kind = copy(this.kind, (n) => new Uint8Array(n));
    this.flags = copy(this.flags, (n) => new Uint8Array(n));
    this.start = copy(this.start, (n) => new Int32Array(n));
    this.end = copy(this.end, (n) => new Int32Array(n));
    this.keyStart = copy(this.keyStart, (n) => new Int32Array(n));
    this.keyEnd = copy(this.keyEnd, (n) => new Int32Array(n));
    this.next = copy(this.next, (n) => new Int32Array(n));
  }

  /** Bytes held by the columns: what the benchmark reports as the tree's memory. */
  byteSize(): number {
    return this.kind.byteLength * 2 + this.start.byteLength * 5;
  }
}

/**
 * Property names that hot loops look for together (a record's summary fields, its linked
 * values). A name is found from four things read in place (its length and its first, middle and
 * last characters), hashed to a slot, then compared character by character: nearly always one
 * comparison per property, whatever the number of names.
 */
export class KeyNames {
  /** Per slot, the position of the first name that hashes to it, or -1... */
  readonly slots: Int32Array;
  /** ...and per name, the next name in the same slot, or -1 (names alike in all four things share one). */
  readonly sameSlot: Int32Array;
  /** The multiplier that spreads these names over the slots (chosen for the fewest shared slots). */
  readonly seed: number;
  /** Right shift that turns the 32-bit product into a slot. */
  readonly shift: number;
  /** The names' character codes one after another, name i from `codeStarts[i]`. */
  readonly codes: Uint16Array;
  readonly codeStarts: Int32Array;
  readonly lengths: Int32Array;

  /** `names` must be non-empty and hold no backslashes; a name given twice is found at its first position. */
  constructor(readonly names: readonly string[]) {
    if (names.some((name) => name.length === 0 || name.includes('\\'))) {
      throw new Error('Prepared property names must be non-empty and hold no backslashes.');
    }
    this.lengths = Int32Array.from(names, (name) => name.length);
    this.codeStarts = new Int32Array(names.length);
    this.codes = new Uint16Array(names.reduce((sum, name) => sum + name.length, 0));
    let at = 0;
    names.forEach((name, i) => {
      this.codeStarts[i] = at;
      for (let j = 0; j < name.length; j++) this.codes[at++] = name.charCodeAt(j);
    });
    // Eight slots or more per name: one of a few seeds nearly always places every name alone.
    const bits = Math.max(4, Math.ceil(Math.log2(names.length)) + 3);
    this.shift = 32 - bits;
    const slotsOf = (seed: number): number[] =>
      names.map((name) => keySlot(name.length, name.charCodeAt(0), name.charCodeAt(name.length >> 1), name.charCodeAt(name.length - 1), seed, this.shift));
    let best = { seed: 1, shared: Infinity };
    for (let attempt = 1; attempt <= 64 && best.shared > 0; attempt++) {
      const seed = (Math.imul(attempt, 0x9e3779b1) | 1) >>> 0;
      const slots = slotsOf(seed);
      const shared = slots.length - new Set(slots).size;
      if (shared < best.shared) best = { seed, shared };
    }
    this.seed = best.seed;
    this.slots = new Int32Array(1 << bits).fill(-1);
    this.sameSlot = new Int32Array(names.length).fill(-1);
    // Last name first, so that each slot's chain runs in the names' order.
    const slots = slotsOf(this.seed);
    for (let i = names.length - 1; i >= 0; i--) {
      this.sameSlot[i] = this.slots[slots[i]];
      this.slots[slots[i]] = i;
    }
  }
}

function sameCodes(text: string, at: number, codes: Uint16Array, from: number, length: number): boolean {
  for (let i = 0; i < length; i++) {
    if (text.charCodeAt(at + i) !== codes[from + i]) return false;
  }
  return true;
}

function keySlot(length: number, first: number, middle: number, last: number, seed: number, shift: number): number {
  return Math.imul(length ^ (first << 5) ^ (middle << 13) ^ (last << 21), seed) >>> shift;
}

/**
 * Reading a NodeTable against the text it was built from. Every method is cheap; strings are
 * decoded on demand.
 */
export class JsonView {
  constructor(
    readonly text: string,
    readonly table: NodeTable,
  ) {}

  kind(node: number): NodeKind {
    return this.table.kind[node] as NodeKind;
  }

  isContainer(node: number): boolean {
    const kind = this.table.kind[node];
    return kind === NodeKind.Object || kind === NodeKind.Array;
  }

  /** The first child of a container, or NO_NODE. */
  firstChild(node: number): number {
    return this.isContainer(node) && this.table.next[node] > node + 1 ? node + 1 : NO_NODE;
  }

  /** The next sibling of `child` inside `parent`, or NO_NODE. */
  nextSibling(parent: number, child: number): number {
    const after = this.table.next[child];
    return after < this.table.next[parent] ? after : NO_NODE;
  }

  *children(node: number): IterableIterator<number> {
    if (!this.isContainer(node)) {
      return;
    }
    const stop = this.table.next[node];
    for (let child = node + 1; child < stop; child = this.table.next[child]) {
      yield child;
    }
  }

  childCount(node: number): number {
    let count = 0;
    if (this.isContainer(node)) {
      const stop = this.table.next[node];
      for (let child = node + 1; child < stop; child = this.table.next[child]) {
        count++;
      }
    }
    return count;
  }

  /** The property name of a value inside an object, unquoted and unescaped; undefined for others. */
  key(node: number): string | undefined {
    const keyStart = this.table.keyStart[node];
    if (keyStart < 0) {
      return undefined;
    }
    const keyEnd = this.table.keyEnd[node];
    if (this.table.flags[node] & NodeFlags.UnquotedKey) {
      return this.text.slice(keyStart, keyEnd);
    }
    const raw = this.text.slice(keyStart + 1, keyEnd - 1);
    return raw.includes('\\') ? unescapeJsonString(raw) : raw;
  }

  /**
   * The position in `names` of the property name of `node`, or -1: `names.indexOf(key(node))`
   * without cutting the name out of the text, which counts when it is asked of every property of
   * every record. `names` must hold no backslashes.
   */
  keyIndex(node: number, names: readonly string[]): number {
    const { keyStart, keyEnd, flags } = this.table;
    const start = keyStart[node];
    if (start < 0) {
      return -1;
    }
    const quoted = (flags[node] & NodeFlags.UnquotedKey) === 0;
    const nameStart = quoted ? start + 1 : start;
    const nameLength = Math.max(0, (quoted ? keyEnd[node] - 1 : keyEnd[node]) - nameStart);
    const text = this.text;
    for (let i = 0; i < names.length; i++) {
      if (names[i].length === nameLength && text.startsWith(names[i], nameStart)) {
        return i;
      }
    }
    // A name written with escapes ("\u0065ventName") can still be one of them once decoded.
    if (quoted) {
      for (let i = nameStart; i < nameStart + nameLength; i++) {
        if (text.charCodeAt(i) === 0x5c) {
          return names.indexOf(this.key(node) ?? '');
        }
      }
    }
    return -1;
  }

  /** `keyIndex` for prepared names: the position in `keys.names` of the property name of `node`, or -1. */
  keyIndexIn(node: number, keys: KeyNames): number {
    const { keyStart, keyEnd, flags } = this.table;
    const start = keyStart[node];
    if (start < 0) {
      return -1;
    }
    if (flags[node] & (NodeFlags.UnquotedKey | NodeFlags.KeyHasEscapes)) {
      return this.keyIndex(node, keys.names);
    }
    const at = start + 1;
    const length = keyEnd[node] - at - 1;
    if (length <= 0) {
      return -1;
    }
    const text = this.text;
    let index = keys.slots[keySlot(length, text.charCodeAt(at), text.charCodeAt(at + (length >> 1)), text.charCodeAt(at + length - 1), keys.seed, keys.shift)];
    while (index >= 0) {
      if (keys.lengths[index] === length && sameCodes(text, at, keys.codes, keys.codeStarts[index], length)) return index;
      index = keys.sameSlot[index];
    }
    return -1;
  }

  /**
   * Finds the property `name` of an object. When the name is written more than once, the last
   * one, as JSON.parse reads it (the duplicate-key rule reports the others); a name written with
   * escapes (`"\u0052ecords"`) counts as its decoded text.
   */
  property(node: number, name: string): number {
    if (this.table.kind[node] !== NodeKind.Object) {
      return NO_NODE;
    }
    const stop = this.table.next[node];
    const { keyStart, keyEnd, flags } = this.table;
    const text = this.text;
    // Most names of the right length differ in their first letter: that check costs no call.
    const first = name.length > 0 ? name.charCodeAt(0) : -1;
    let found = NO_NODE;
    for (let child = node + 1; child < stop; child = this.table.next[child]) {
      const start = keyStart[child];
      if (start < 0) {
        continue;
      }
      if (flags[child] & NodeFlags.KeyHasEscapes) {
        if (this.key(child) === name) {
          found = child;
        }
        continue;
      }
      const quoted = (flags[child] & NodeFlags.UnquotedKey) === 0;
      const nameStart = quoted ? start + 1 : start;
      const nameEnd = quoted ? keyEnd[child] - 1 : keyEnd[child];
      if (nameEnd - nameStart === name.length && (first < 0 || text.charCodeAt(nameStart) === first) && text.startsWith(name, nameStart)) {
        found = child;
      }
    }
    return found;
  }

  /** Follows a path of property names. */
  path(node: number, ...names: string[]): number {
    let current = node;
    for (const name of names) {
      if (current === NO_NODE) {
        return NO_NODE;
      }
      current = this.property(current, name);
    }
    return current;
  }

  /** The decoded value of a string node (also a string that lacks its opening quote); undefined otherwise. */
  string(node: number): string | undefined {
    if (node === NO_NODE || this.table.kind[node] !== NodeKind.String) {
      return undefined;
    }
    const flags = this.table.flags[node];
    const start = this.table.start[node] + (flags & NodeFlags.MissingOpenQuote ? 0 : 1);
    const end = this.table.end[node] - (flags & NodeFlags.Unterminated ? 0 : 1);
    const raw = this.text.slice(start, Math.max(start, end));
    return flags & NodeFlags.HasEscapes ? unescapeJsonString(raw) : raw;
  }

  /**
   * The first `maxLength` decoded characters of a string node, and whether the string goes on:
   * what an explanation of an attacker-written value reads, whatever the value's length.
   */
  stringPrefix(node: number, maxLength: number): { text: string; cut: boolean } | undefined {
    if (node === NO_NODE || this.table.kind[node] !== NodeKind.String) {
      return undefined;
    }
    const flags = this.table.flags[node];
    const start = this.table.start[node] + (flags & NodeFlags.MissingOpenQuote ? 0 : 1);
    const end = Math.max(start, this.table.end[node] - (flags & NodeFlags.Unterminated ? 0 : 1));
    if (!(flags & NodeFlags.HasEscapes)) {
      return { text: this.text.slice(start, Math.min(end, start + maxLength)), cut: end - start > maxLength };
    }
    // Every escape stands for one character, so maxLength decoded characters come from at most
    // 6 * maxLength raw ones; one more decoded character tells whether the string goes on.
    const decoded = unescapeJsonString(this.text.slice(start, Math.min(end, start + 6 * (maxLength + 1))), maxLength + 1);
    return decoded.length > maxLength ? { text: decoded.slice(0, maxLength), cut: true } : { text: decoded, cut: false };
  }

  /** The string value of `node`'s property `name`, if it is a string. */
  stringProperty(node: number, name: string): string | undefined {
    return this.string(this.property(node, name));
  }

  /** The raw source text of a node. */
  source(node: number): string {
    return this.text.slice(this.table.start[node], this.table.end[node]);
  }

  /** A scalar as a JS value: string, number, boolean, null; undefined for containers and invalid tokens. */
  scalar(node: number): string | number | boolean | null | undefined {
    switch (this.table.kind[node]) {
      case NodeKind.String:
        return this.string(node);
      case NodeKind.Number:
        return Number(this.source(node));
      case NodeKind.Boolean:
        return this.text.charCodeAt(this.table.start[node]) === 0x74; /* t */
      case NodeKind.Null:
        return null;
      default:
        return undefined;
    }
  }

  /**
   * The innermost node whose range (or property name) contains `offset`, below `root`, with the
   * property path leading to it. Iterative, so deep nesting cannot overflow the stack.
   */
  nodeAt(root: number, offset: number): { node: number; path: (string | number)[]; onKey: boolean } | undefined {
    const { start, end, keyStart, keyEnd, next } = this.table;
    if (root === NO_NODE || offset < start[root] || offset >= end[root]) {
      return undefined;
    }
    const path: (string | number)[] = [];
    let node = root;
    let onKey = false;
    descend: for (;;) {
      if (!this.isContainer(node)) {
        break;
      }
      const stop = next[node];
      let index = 0;
      for (let child = node + 1; child < stop; child = next[child], index++) {
        const inKey = keyStart[child] >= 0 && offset >= keyStart[child] && offset < keyEnd[child];
        if (inKey || (offset >= start[child] && offset < end[child])) {
          path.push(keyStart[child] >= 0 ? (this.key(child) ?? '') : index);
          node = child;
          onKey = inKey;
          if (inKey) {
            break descend;
          }
          continue descend;
        }
      }
      break;
    }
    return { node, path, onKey };
  }
}

/** What each one-letter JSON escape stands for. */
export const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * Unescapes the inside of a JSON string, tolerating the broken escapes the scanner already
 * reported. With `maxLength`, stops once that many characters are decoded, so a caller that
 * wants a prefix of a long string reads only that much of it.
 */
export function unescapeJsonString(raw: string, maxLength = Number.POSITIVE_INFINITY): string {
  let result = '';
  let last = 0;
  for (let i = raw.indexOf('\\'); i >= 0 && i < raw.length && result.length < maxLength; i = raw.indexOf('\\', last)) {
    result += raw.slice(last, i);
    const escape = raw.charAt(i + 1);
    if (escape === 'u' && isHex4(raw, i + 2)) {
      result += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
      last = i + 6;
    } else {
      result += SIMPLE_ESCAPES[escape] ?? escape;
      last = i + 2;
    }
  }
  if (result.length < maxLength) {
    result += raw.slice(last);
  }
  return result.length > maxLength ? result.slice(0, maxLength) : result;
}

function isHex4(text: string, at: number): boolean {
  if (at + 4 > text.length) {
    return false;
  }
  for (let i = at; i < at + 4; i++) {
    const code = text.charCodeAt(i) | 0x20;
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) {
      return false;
    }
  }
  return true;
}

/**
 * Replaces the subtree of `oldRoot` with the rows of `replacement` (scanned from a slice of the
 * new text that starts at document offset `base`), and moves every later offset by `delta`, the
 * change in text length. Returns the table holding the result (the same one when the row count
 * did not change) and the change in row count.
 */
export function spliceSubtree(table: NodeTable, oldRoot: number, replacement: NodeTable, base: number, delta: number): { table: NodeTable; rowDelta: number } {
  const oldEnd = table.next[oldRoot];
  const rowDelta = replacement.count - (oldEnd - oldRoot);
  const target = rowDelta === 0 ? table : new NodeTable(table.count + rowDelta);
  const editStart = table.start[oldRoot];
  const rootKeyStart = table.keyStart[oldRoot];
  const rootKeyEnd = table.keyEnd[oldRoot];
  const rootKeyFlags = table.flags[oldRoot] & NodeFlags.UnquotedKey;

  if (target !== table) {
    // Rows before the subtree keep their place.
    target.kind.set(table.kind.subarray(0, oldRoot));
    target.flags.set(table.flags.subarray(0, oldRoot));
    target.start.set(table.start.subarray(0, oldRoot));
    target.end.set(table.end.subarray(0, oldRoot));
    target.keyStart.set(table.keyStart.subarray(0, oldRoot));
    target.keyEnd.set(table.keyEnd.subarray(0, oldRoot));
    target.next.set(table.next.subarray(0, oldRoot));
    // Rows after it move down by rowDelta.
    const after = oldRoot + replacement.count;
    target.kind.set(table.kind.subarray(oldEnd, table.count), after);
    target.flags.set(table.flags.subarray(oldEnd, table.count), after);
    target.start.set(table.start.subarray(oldEnd, table.count), after);
    target.end.set(table.end.subarray(oldEnd, table.count), after);
    target.keyStart.set(table.keyStart.subarray(oldEnd, table.count), after);
    target.keyEnd.set(table.keyEnd.subarray(oldEnd, table.count), after);
    target.next.set(table.next.subarray(oldEnd, table.count), after);
    target.count = table.count + rowDelta;
  }

  // Ancestors of the subtree: they end later and (if rows were added) their subtree grew. They are
  // found by walking down from the first root, skipping every sibling subtree on the way.
  if (delta !== 0 || rowDelta !== 0) {
    let row = 0;
    while (row < oldRoot) {
      if (target.next[row] > oldRoot) {
        target.end[row] += delta;
        target.next[row] += rowDelta;
        row++;
      } else {
        row = target.next[row];
      }
    }
  }

  // The new subtree.
  for (let i = 0; i < replacement.count; i++) {
    const row = oldRoot + i;
    target.kind[row] = replacement.kind[i];
    target.flags[row] = replacement.flags[i];
    target.start[row] = replacement.start[i] + base;
    target.end[row] = replacement.end[i] + base;
    target.keyStart[row] = replacement.keyStart[i] >= 0 ? replacement.keyStart[i] + base : -1;
    target.keyEnd[row] = replacement.keyStart[i] >= 0 ? replacement.keyEnd[i] + base : -1;
    target.next[row] = replacement.next[i] + oldRoot;
  }
  // The root's property name lies outside the edited slice: keep it.
  target.keyStart[oldRoot] = rootKeyStart;
  target.keyEnd[oldRoot] = rootKeyEnd;
  target.flags[oldRoot] |= rootKeyFlags;

  // Later rows: offsets move by delta, row links by rowDelta; one column at a time, as these loops
  // run over every row after the edit.
  const first = oldRoot + replacement.count;
  const count = target.count;
  if (delta !== 0) {
    const { start, end, keyStart, keyEnd } = target;
    for (let row = first; row < count; row++) start[row] += delta;
    for (let row = first; row < count; row++) end[row] += delta;
    // Rows without a property name hold -1 there and must keep it. Mixed keyed and unkeyed rows
    // make a branch unpredictable; a mask (delta where keyStart >= editStart, else 0) costs less.
    const last = editStart - 1;
    for (let row = first; row < count; row++) {
      const moveBy = ((last - keyStart[row]) >> 31) & delta;
      keyStart[row] += moveBy;
      keyEnd[row] += moveBy;
    }
  }
  if (rowDelta !== 0) {
    const next = target.next;
    for (let row = first; row < count; row++) next[row] += rowDelta;
  }
  return { table: target, rowDelta };
}

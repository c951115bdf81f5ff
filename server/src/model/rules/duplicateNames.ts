/**
 * Property names written twice in one object. Both the check of each record and the check of the
 * text around the records use these; they append what they find as pairs of rows (the later
 * property, then the first one with its name), in the order of the later ones.
 */
import { JsonView, NO_NODE, NodeFlags, NodeTable } from '../json/nodeTable';
import { RowList } from './rowList';

/** Objects with at most this many properties are checked by comparing every pair of signatures... */
const PAIRWISE_LIMIT = 8;
/** ...with at most this many through a small table, and beyond through a map of name hashes. */
const TABLE_LIMIT = 32;

/** Scratch space for one object's properties, reused from object to object. */
let hashes: Int32Array = new Int32Array(64);
let members: Int32Array = new Int32Array(64);

const ESCAPED = -1;
const NO_NAME = -2;

/**
 * The duplicate names among the properties of `object`. Names are compared by a signature
 * first, so most properties cost a step or two.
 */
export function duplicateNamesOf(view: JsonView, object: number, found: RowList): void {
  const next = view.table.next;
  let count = 0;
  let escapes = false;
  for (let child = object + 1; child < next[object]; child = next[child]) {
    if (count === hashes.length) {
      hashes = growInt32(hashes);
      members = growInt32(members);
    }
    const hash = keyHash(view, child);
    // A name with escapes hashes by its decoded text, which only the slow path below computes.
    escapes ||= hash === ESCAPED;
    hashes[count] = hash;
    members[count] = child;
    count++;
  }
  if (count < 2) {
    return;
  }
  if (escapes) {
    byDecodedName(view, count, found);
  } else if (count <= PAIRWISE_LIMIT) {
    pairwise(view, count, found);
  } else if (count <= TABLE_LIMIT) {
    byFirstOfName(view, count, found);
  } else {
    byHash(view, count, found);
  }
}

/** Which names of a fixed list the properties of an object have, found while reading it for other reasons. */
export interface KnownNames {
  /** The object (NO_NODE when none was read)... */
  readonly object: number;
  /** ...its properties, in order... */
  readonly children: Int32Array;
  /** ...and the index of each one's name in the list, -1 when its name (as written, without decoding) is not in it. */
  readonly names: Int32Array;
  readonly count: number;
  /** Whether a property's name is written with escapes. */
  readonly escapes: boolean;
}

/** A KnownNames filled property by property, reused from object to object. */
export class KnownNamesList implements KnownNames {
  object = NO_NODE;
  children: Int32Array = new Int32Array(32);
  names: Int32Array = new Int32Array(32);
  count = 0;
  escapes = false;

  /** Starts over for `object` (NO_NODE: no object). */
  begin(object: number): void {
    this.object = object;
    this.count = 0;
    this.escapes = false;
  }

  /** Adds a property of the object (in `table`) and the index of its name, -1 for none. */
  add(table: NodeTable, child: number, name: number): void {
    if (this.count === this.children.length) {
      this.children = growInt32(this.children);
      this.names = growInt32(this.names);
    }
    this.children[this.count] = child;
    this.names[this.count] = name;
    this.count++;
    // What keyHash calls ESCAPED: a name, with escapes.
    if (table.flags[child] & NodeFlags.KeyHasEscapes && table.keyStart[child] >= 0 && table.keyEnd[child] !== table.keyStart[child]) {
      this.escapes = true;
    }
  }
}

/** The first property of each listed name, by the name's index, while `firstStamps` holds the current stamp for it. */
let firstOfName: Int32Array = new Int32Array(64);
let firstStamps: Int32Array = new Int32Array(64);
let firstStamp = 0;

/**
 * `duplicateNamesOf`, for an object whose properties were already matched against a list of
 * names: two properties with a listed name are the same name when they have the same index, so
 * only the others need comparing. The same pairs as `duplicateNamesOf`, in the same order.
 */
export function duplicateNamesKnown(view: JsonView, object: number, known: KnownNames, found: RowList): void {
  // Escaped names are compared decoded, with every other name: the general way.
  if (known.escapes) {
    duplicateNamesOf(view, object, found);
    return;
  }
  const { children, names, count } = known;
  if (++firstStamp === 0x7fffffff) {
    firstStamps.fill(0);
    firstStamp = 1;
  }
  let others = 0;
  for (let i = 0; i < count; i++) {
    const name = names[i];
    if (name >= 0) {
      if (name >= firstOfName.length) {
        firstOfName = growInt32(firstOfName, name + 1);
        firstStamps = growInt32(firstStamps, name + 1);
      }
      if (firstStamps[name] === firstStamp) {
        found.push(children[i]);
        found.push(firstOfName[name]);
      } else {
        firstStamps[name] = firstStamp;
        firstOfName[name] = children[i];
      }
      continue;
    }
    // A name not in the list: compared with the earlier ones not in the list, as `duplicateNamesOf` does.
    const child = children[i];
    const hash = keyHash(view, child);
    if (hash === NO_NAME && count > TABLE_LIMIT) {
      continue;
    }
    let first = -1;
    for (let j = 0; j < others; j++) {
      if (hashes[j] === hash && sameRawKey(view, members[j], child)) {
        first = members[j];
        break;
      }
    }
    if (first >= 0) {
      found.push(child);
      found.push(first);
    } else {
      if (others === hashes.length) {
        hashes = growInt32(hashes);
        members = growInt32(members);
      }
      hashes[others] = hash;
      members[others] = child;
      others++;
    }
  }
}

/** Pairs each property with the first earlier one of the same name: for small objects, the fewest steps. */
function pairwise(view: JsonView, count: number, found: RowList): void {
  for (let i = 1; i < count; i++) {
    const hash = hashes[i];
    for (let j = 0; j < i; j++) {
      if (hashes[j] === hash && sameRawKey(view, members[j], members[i])) {
        found.push(members[i]);
        found.push(members[j]);
        break;
      }
    }
  }
}

/** Slots of the table `byFirstOfName` fills, twice the most properties it is used for. */
const TABLE_SIZE = 2 * TABLE_LIMIT;
/** A slot is in use for the current object when its stamp is the object's: no clearing between objects. */
const slotStamps = new Int32Array(TABLE_SIZE);
const slotHashes = new Int32Array(TABLE_SIZE);
const slotMembers = new Int32Array(TABLE_SIZE);
let stamp = 0;

/**
 * Pairs each property with the first one of the object with the same name, keeping only the first
 * property of each name in a small hash table: what comparing every pair would find, for a few
 * steps per property. Properties without a name count as one name here, as they do when compared
 * pairwise.
 */
function byFirstOfName(view: JsonView, count: number, found: RowList): void {
  if (++stamp === 0x7fffffff) {
    slotStamps.fill(0);
    stamp = 1;
  }
  for (let i = 0; i < count; i++) {
    const hash = hashes[i];
    const member = members[i];
    let slot = (Math.imul(hash, 0x9e3779b1) >>> 16) & (TABLE_SIZE - 1);
    for (;;) {
      if (slotStamps[slot] !== stamp) {
        slotStamps[slot] = stamp;
        slotHashes[slot] = hash;
        slotMembers[slot] = member;
        break;
      }
      if (slotHashes[slot] === hash && sameRawKey(view, slotMembers[slot], member)) {
        found.push(member);
        found.push(slotMembers[slot]);
        break;
      }
      slot = (slot + 1) & (TABLE_SIZE - 1);
    }
  }
}

/** A cheap signature of a property name (length, first and last characters); ESCAPED or NO_NAME for the special cases. */
function keyHash(view: JsonView, node: number): number {
  const table = view.table;
  const start = table.keyStart[node];
  if (start < 0 || table.keyEnd[node] === start) {
    return NO_NAME;
  }
  if (table.flags[node] & NodeFlags.KeyHasEscapes) {
    return ESCAPED;
  }
  const quoted = (table.flags[node] & NodeFlags.UnquotedKey) === 0 ? 1 : 0;
  const from = start + quoted;
  const length = table.keyEnd[node] - quoted - from;
  const text = view.text;
  return ((length & 0x7fff) << 16) ^ (text.charCodeAt(from) << 8) ^ text.charCodeAt(from + length - 1);
}

function sameRawKey(view: JsonView, a: number, b: number): boolean {
  const table = view.table;
  const aQuoted = (table.flags[a] & NodeFlags.UnquotedKey) === 0 ? 1 : 0;
  const bQuoted = (table.flags[b] & NodeFlags.UnquotedKey) === 0 ? 1 : 0;
  const aFrom = table.keyStart[a] + aQuoted;
  const bFrom = table.keyStart[b] + bQuoted;
  const length = table.keyEnd[a] - aQuoted - aFrom;
  if (length !== table.keyEnd[b] - bQuoted - bFrom) {
    return false;
  }
  const text = view.text;
  for (let i = 0; i < length; i++) {
    if (text.charCodeAt(aFrom + i) !== text.charCodeAt(bFrom + i)) {
      return false;
    }
  }
  return true;
}

function byHash(view: JsonView, count: number, found: RowList): void {
  const seen = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    if (hashes[i] === NO_NAME) continue;
    const earlier = seen.get(hashes[i]);
    const first = earlier?.find((j) => sameRawKey(view, members[j], members[i]));
    if (first !== undefined) {
      found.push(members[i]);
      found.push(members[first]);
    } else if (earlier) {
      earlier.push(i);
    } else {
      seen.set(hashes[i], [i]);
    }
  }
}

/** The slow path for objects with escaped names ("a" and "\u0061" are the same name). */
function byDecodedName(view: JsonView, count: number, found: RowList): void {
  const seen = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    if (hashes[i] === NO_NAME) continue;
    const name = view.key(members[i]) ?? '';
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, members[i]);
    } else {
      found.push(members[i]);
      found.push(first);
    }
  }
}

function growInt32(array: Int32Array, atLeast = 0): Int32Array {
  const bigger = new Int32Array(Math.max(array.length * 2, atLeast));
  bigger.set(array);
  return bigger;
}

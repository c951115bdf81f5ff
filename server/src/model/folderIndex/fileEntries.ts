import { RecordSummary } from '../cloudTrailDocument';
import { IdentitySummary } from '../identity';
import { RecordPlace } from './recordSplitter';

/**
 * The events of one file, stored column-wise in typed arrays: about a hundred bytes per event
 * however long the record is, and cheap to hand from a worker thread to the main thread (the
 * buffers are transferred, not copied).
 *
 * Text fields are ids into a string table that travels with the entries. The values repeat a lot
 * (a folder holds a few hundred event names, regions and identities), so each is stored once.
 * eventTime and eventID, which hardly repeat, are stored as numbers and bytes when they have
 * their usual form, and as text otherwise.
 */

/** The text columns, in the order of `FileEntries.strings`. */
export const TextField = {
  eventName: 0,
  eventSource: 1,
  awsRegion: 2,
  errorCode: 3,
  eventType: 4,
  eventVersion: 5,
  /** Not a string id: the index of the identity in the identity table. */
  identity: 6,
  /** eventTime when it is not `YYYY-MM-DDTHH:MM:SSZ` (then `time` is NaN, or the time of a text with a fraction). */
  eventTimeText: 7,
  /** eventID when it is not a lower-case UUID. */
  eventIdText: 8,
} as const;
export const TEXT_FIELD_COUNT = 9;

/** String id 0 means "absent". */
export const ABSENT = 0;

export const EntryFlags = {
  /** readOnly was a boolean (or "true"/"false"). */
  readOnlyKnown: 1,
  readOnly: 2,
  /** eventID is held as 16 bytes in `eventId`. */
  eventIdBytes: 4,
} as const;

export interface FileEntries {
  count: number;
  /** Offset of the record's first character in the decompressed document (UTF-16 units). */
  start: Float64Array;
  /** The record's length in characters. */
  length: Uint32Array;
  /** Start line, start character, end line, end character: four per entry, zero-based. */
  positions: Uint32Array;
  /** TEXT_FIELD_COUNT string ids per entry. */
  strings: Uint32Array;
  /** eventTime in milliseconds since 1970 (UTC), or NaN when it is missing or not an ISO time. */
  time: Float64Array;
  /** eventID as 16 bytes per entry (see EntryFlags.eventIdBytes). */
  eventId: Uint8Array;
  flags: Uint8Array;
  /**
   * userIdentity.accessKeyId per entry, as an id into the file's own table of access keys
   * (ABSENT when there is none), for the grouping by access key. A column of its own rather than
   * a field of the identity table: keys change with every session, while identities are shared
   * by many sessions. The keys stay in the file's table instead of the folder's: nearly every
   * session has a key of its own, so a folder holds about as many keys as sessions, and putting
   * each in one table for the folder would cost a lookup per key for every file indexed.
   */
  accessKeyId: Uint32Array;
  /**
   * The entries' positions sorted by `time` (unreadable times last, ties in file order), so that a
   * time range is found by binary search: brushing a timeline then visits only the events inside it.
   */
  timeOrder: Uint32Array;
}

/** The buffers of entries, for `postMessage` transfer lists. */
export function entryBuffers(entries: FileEntries): ArrayBuffer[] {
  return [
    entries.start,
    entries.length,
    entries.positions,
    entries.strings,
    entries.time,
    entries.eventId,
    entries.flags,
    entries.accessKeyId,
    entries.timeOrder,
  ].map((array) => array.buffer as ArrayBuffer);
}

/** Interns strings: id 0 is reserved for "absent". */
export class StringTable {
  readonly values: string[] = [''];
  private readonly ids = new Map<string, number>();

  id(value: string | undefined): number {
    if (value === undefined) {
      return ABSENT;
    }
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  get(id: number): string | undefined {
    return id === ABSENT ? undefined : this.values[id];
  }

  get size(): number {
    return this.values.length;
  }
}

/**
 * Interns identity summaries. Most events of a folder come from a few principals, so each
 * identity is stored once and events refer to it by index. The principalId is left out: the
 * identity's key and label already use it when nothing better names the principal, and an
 * assumed-role principalId differs with every session. So is the access key id, which differs
 * with every session too (kept in the entries' `accessKeyId` column instead).
 */
export class IdentityTable {
  readonly values: IdentitySummary[] = [];
  /** Ids by identity key; identities sharing a key (rare) are told apart field by field. */
  private readonly ids = new Map<string, number[]>();

  /** @param keep what the table keeps of an identity it has not met (see keptIdentity) */
  constructor(private readonly keep: (identity: IdentitySummary) => IdentitySummary = keptIdentity) {}

  id(identity: IdentitySummary): number {
    const candidates = this.ids.get(identity.key);
    if (candidates) {
      for (const candidate of candidates) {
        if (sameIdentity(this.values[candidate], identity)) {
          return candidate;
        }
      }
    }
    const id = this.values.length;
    const kept = this.keep(identity);
    this.values.push(kept);
    // Keyed by what is kept: the key of `identity` may be a slice of a whole log.
    if (candidates) candidates.push(id);
    else this.ids.set(kept.key, [id]);
    return id;
  }
}

/**
 * What the table keeps of an identity: every field but the principalId and access key, in one
 * shape for all identities (a field without a value is there, undefined). Grouping reads these
 * for every event, and objects of one shape are read fastest; an identity that came from a worker
 * as JSON, which drops fields without a value, is given the same shape again.
 */
function keptIdentity(identity: IdentitySummary): IdentitySummary {
  return {
    key: identity.key,
    label: identity.label,
    type: identity.type,
    arn: identity.arn,
    accountId: identity.accountId,
    userName: identity.userName,
    invokedBy: identity.invokedBy,
    sessionIssuerArn: identity.sessionIssuerArn,
    sessionIssuerName: identity.sessionIssuerName,
    sessionName: identity.sessionName,
  };
}

function sameIdentity(a: IdentitySummary, b: IdentitySummary): boolean {
  return (
    a.label === b.label &&
    a.type === b.type &&
    a.arn === b.arn &&
    a.accountId === b.accountId &&
    a.userName === b.userName &&
    a.invokedBy === b.invokedBy &&
    a.sessionIssuerArn === b.sessionIssuerArn &&
    a.sessionIssuerName === b.sessionIssuerName &&
    a.sessionName === b.sessionName
  );
}

/** Collects the entries of one file. */
export class FileEntriesBuilder {
  readonly strings = new StringTable();
  /** The table of `accessKeyId` (see FileEntries). */
  readonly accessKeys = new StringTable();
  readonly identities = new IdentityTable();
  private count = 0;
  private capacity: number;
  private start: Float64Array;
  private length: Uint32Array;
  private positions: Uint32Array;
  private text: Uint32Array;
  private time: Float64Array;
  private eventId: Uint8Array;
  private flags: Uint8Array;
  private accessKeyId: Uint32Array;

  constructor(capacity = 256) {
    this.capacity = capacity;
    this.start = new Float64Array(capacity);
    this.length = new Uint32Array(capacity);
    this.positions = new Uint32Array(capacity * 4);
    this.text = new Uint32Array(capacity * TEXT_FIELD_COUNT);
    this.time = new Float64Array(capacity);
    this.eventId = new Uint8Array(capacity * 16);
    this.flags = new Uint8Array(capacity);
    this.accessKeyId = new Uint32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /**
   * The id of a field's value, trying that field's previous value first: consecutive events
   * often share their region, version or service, and comparing with one string is cheaper than
   * hashing it for the table.
   */
  private recent(field: number, value: string | undefined): number {
    if (value === undefined) {
      return ABSENT;
    }
    if (value === this.lastValue[field]) {
      return this.lastId[field];
    }
    const id = this.strings.id(value);
    this.lastValue[field] = value;
    this.lastId[field] = id;
    return id;
  }

  /** As `recent`, for the access key column: the events of one session follow each other. */
  private recentAccessKey(value: string | undefined): number {
    if (value === undefined) return ABSENT;
    if (value !== this.lastAccessKey) {
      this.lastAccessKey = value;
      this.lastAccessKeyId = this.accessKeys.id(value);
    }
    return this.lastAccessKeyId;
  }

  private lastAccessKey: string | undefined;
  private lastAccessKeyId = ABSENT;

  private readonly lastValue: (string | undefined)[] = new Array<string | undefined>(TEXT_FIELD_COUNT).fill(undefined);
  private readonly lastId = new Uint32Array(TEXT_FIELD_COUNT);

  add(record: RecordPlace, summary: RecordSummary): void {
    if (this.count === this.capacity) {
      this.resize(this.capacity * 2);
    }
    const i = this.count++;
    this.start[i] = record.start;
    this.length[i] = record.end - record.start;
    const p = i * 4;
    this.positions[p] = record.startLine;
    this.positions[p + 1] = record.startCharacter;
    this.positions[p + 2] = record.endLine;
    this.positions[p + 3] = record.endCharacter;
    const strings = this.strings;
    const t = i * TEXT_FIELD_COUNT;
    const text = this.text;
    const identity = summary.identity;
    text[t + TextField.eventName] = this.recent(TextField.eventName, summary.eventName);
    text[t + TextField.eventSource] = this.recent(TextField.eventSource, summary.eventSource);
    text[t + TextField.awsRegion] = this.recent(TextField.awsRegion, summary.awsRegion);
    text[t + TextField.errorCode] = summary.errorCode === undefined ? ABSENT : strings.id(summary.errorCode);
    text[t + TextField.eventType] = this.recent(TextField.eventType, summary.eventType);
    text[t + TextField.eventVersion] = this.recent(TextField.eventVersion, summary.eventVersion);
    text[t + TextField.identity] = this.identities.id(identity);
    this.accessKeyId[i] = this.recentAccessKey(identity.accessKeyId);
    let flags = 0;
    const time = summary.eventTime === undefined ? NaN : parseEventTime(summary.eventTime);
    this.time[i] = time;
    text[t + TextField.eventTimeText] =
      summary.eventTime === undefined || Number.isNaN(time) || !isPlainEventTime(summary.eventTime) ? strings.id(summary.eventTime) : ABSENT;
    if (summary.eventID !== undefined && writeUuid(summary.eventID, this.eventId, i * 16)) {
      flags |= EntryFlags.eventIdBytes;
      text[t + TextField.eventIdText] = ABSENT;
    } else {
      text[t + TextField.eventIdText] = strings.id(summary.eventID);
    }
    if (summary.readOnly !== undefined) {
      flags |= EntryFlags.readOnlyKnown | (summary.readOnly ? EntryFlags.readOnly : 0);
    }
    this.flags[i] = flags;
  }

  /** The entries, with arrays cut to their size. */
  finish(): { entries: FileEntries; strings: string[]; accessKeys: string[]; identities: IdentitySummary[] } {
    this.resize(this.count);
    return {
      entries: {
        count: this.count,
        start: this.start,
        length: this.length,
        positions: this.positions,
        strings: this.text,
        time: this.time,
        eventId: this.eventId,
        flags: this.flags,
        accessKeyId: this.accessKeyId,
        timeOrder: timeOrderOf(this.time),
      },
      strings: this.strings.values,
      accessKeys: this.accessKeys.values,
      identities: this.identities.values,
    };
  }

  private resize(capacity: number): void {
    const grow = <T extends Float64Array | Uint32Array | Uint8Array>(old: T, perEntry: number, make: (n: number) => T): T => {
      const fresh = make(capacity * perEntry);
      fresh.set(old.subarray(0, Math.min(old.length, capacity * perEntry)));
      return fresh;
    };
    this.start = grow(this.start, 1, (n) => new Float64Array(n));
    this.length = grow(this.length, 1, (n) => new Uint32Array(n));
    this.positions = grow(this.positions, 4, (n) => new Uint32Array(n));
    this.text = grow(this.text, TEXT_FIELD_COUNT, (n) => new Uint32Array(n));
    this.time = grow(this.time, 1, (n) => new Float64Array(n));
    this.eventId = grow(this.eventId, 16, (n) => new Uint8Array(n));
    this.flags = grow(this.flags, 1, (n) => new Uint8Array(n));
    this.accessKeyId = grow(this.accessKeyId, 1, (n) => new Uint32Array(n));
    this.capacity = capacity;
  }
}

/** Positions sorted by time: unreadable (NaN) times last, equal times in position order. */
function timeOrderOf(time: Float64Array): Uint32Array {
  const order = new Uint32Array(time.length);
  let sorted = true;
  for (let i = 0; i < order.length; i++) {
    order[i] = i;
    // Files written in time order need no sort.
    if (i > 0 && (Number.isNaN(time[i - 1]) ? !Number.isNaN(time[i]) : time[i - 1] > time[i])) sorted = false;
  }
  if (sorted) return order;
  const keyed = Array.from(order);
  sortingTimes = time;
  keyed.sort(byTimeThenPosition);
  sortingTimes = NO_TIMES;
  order.set(keyed);
  return order;
}

// The comparator is one function for every file: a closure made for each file would be a new
// function, optimized again for each.
const NO_TIMES: Float64Array = new Float64Array(0);
let sortingTimes: Float64Array = NO_TIMES;
function byTimeThenPosition(a: number, b: number): number {
  return compareEventTimes(sortingTimes[a], sortingTimes[b]) || a - b;
}

/** Orders times in milliseconds: unreadable times (NaN) after every other, equal to each other. */
export function compareEventTimes(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}

/**
 * The positions in `entries.timeOrder` of the entries whose time lies in [from, to): every entry
 * of the range is at a position in [first, end).
 */
export function timeOrderSpan(entries: FileEntries, from: number, to: number): { first: number; end: number } {
  const { time, timeOrder } = entries;
  // The first position whose time is not before `from`, then the first whose time is not before `to`
  // (NaN is never before anything, and sorts last).
  const lowerBound = (bound: number, low: number): number => {
    let high = timeOrder.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (time[timeOrder[middle]] < bound) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const first = lowerBound(from, 0);
  return { first, end: Math.max(first, lowerBound(to, first)) };
}

/** An empty set of entries (a file that holds none). */
export function emptyEntries(): FileEntries {
  return new FileEntriesBuilder(0).finish().entries;
}

// --- eventTime -------------------------------------------------------------------------------

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fff]Z` as milliseconds since 1970, or NaN for any other text. Only the
 * plain form (no fraction) is kept as a number alone; other texts are kept as text as well.
 */
export function parseEventTime(text: string): number {
  const length = text.length;
  if (
    length < 20 ||
    length > 24 ||
    length === 21 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(length - 1) !== 90
  ) {
    return NaN;
  }
  let fraction = 0;
  if (length > 20) {
    const digitsAfter = digits(text, 20, length - 21);
    if (text.charCodeAt(19) !== 46 || digitsAfter < 0) return NaN;
    fraction = digitsAfter * 10 ** (24 - length);
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (
    year < 1000 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > DAYS_IN_MONTH[month - 1] ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    hour < 0 ||
    minute < 0 ||
    second < 0
  ) {
    return NaN;
  }
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) {
    return NaN;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) + fraction;
}

/** Whether `formatEventTime` gives `text` back exactly. */
export function isPlainEventTime(text: string): boolean {
  return text.length === 20;
}

export function formatEventTime(time: number): string {
  return new Date(time).toISOString().replace('.000Z', 'Z');
}

// --- eventID ---------------------------------------------------------------------------------

const HEX = '0123456789abcdef';
const DASHES = [8, 13, 18, 23];

/** The value of each lower-case hexadecimal digit by character code (below 128), -1 for every other character. */
const HEX_VALUES = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) HEX_VALUES[HEX.charCodeAt(digit)] = digit;
/** Where the two digits of each of a UUID's 16 bytes are. */
const BYTE_DIGITS = Uint8Array.from([0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34]);

/** Writes a lower-case UUID as 16 bytes; false (and nothing written that matters) for any other text. */
export function writeUuid(text: string, out: Uint8Array, offset: number): boolean {
  if (text.length !== 36 || text.charCodeAt(8) !== 45 || text.charCodeAt(13) !== 45 || text.charCodeAt(18) !== 45 || text.charCodeAt(23) !== 45) {
    return false;
  }
  // Without a branch per digit: which of digits and letters comes next cannot be foretold, and
  // every wrong guess of the processor cost more than the digit. A character from 128 up, or one
  // that is no digit, makes `invalid` negative.
  let invalid = 0;
  for (let byte = 0; byte < 16; byte++) {
    const high = text.charCodeAt(BYTE_DIGITS[byte]);
    const low = text.charCodeAt(BYTE_DIGITS[byte] + 1);
    const highValue = HEX_VALUES[high & 127];
    const lowValue = HEX_VALUES[low & 127];
    invalid |= -((high | low) >> 7) | highValue | lowValue;
    out[offset + byte] = (highValue << 4) | lowValue;
  }
  return invalid >= 0;
}

export function readUuid(bytes: Uint8Array, offset: number): string {
  let text = '';
  for (let byte = 0, i = 0; byte < 16; byte++) {
    if (DASHES.includes(i)) {
      text += '-';
      i++;
    }
    const value = bytes[offset + byte];
    text += HEX[value >> 4] + HEX[value & 15];
    i += 2;
  }
  return text;
}

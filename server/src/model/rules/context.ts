/**
 * What every rule works with while it checks one record: the record's fields found in one pass,
 * facts read from them (version, event type, whether the call failed), and a reporter that turns
 * node ranges of the record's own text into problems at document offsets.
 *
 * One RecordContext is reused for every record of a file, so checking 15,000 records allocates
 * little beyond the problems themselves.
 */
import { CloudTrailRecord } from '../cloudTrailDocument';
import { JsonView, NO_NODE, NodeFlags, NodeKind, NodeTable } from '../json/nodeTable';
import { Problem, RelatedLocation, Severity } from '../problems';
import { defaultSeverity, RuleCode } from './catalogue';
import { Field, FIELD_COUNT, FIELD_KEYS, fieldSlot } from './fields';
import { EVENT_CATEGORIES, EVENT_TYPES, KNOWN_EVENT_VERSIONS, versionNumber } from './awsNames';
import { KeyTable } from './keyTable';
import { KnownNames, KnownNamesList } from './duplicateNames';
import { IdentityParts } from './identityParts';
import { RecordScan } from './recordScan';
import { arnOffsetsAt, plainEnd, plainStart, TextSet } from './rawText';

export { keyIs, propertyOf } from './rawText';

export type RuleSettings = Readonly<Record<string, Severity | 'off'>>;

export interface RuleOptions {
  /** The user's severity per code; a rule whose default is off runs only when this names it. */
  rules?: RuleSettings;
}

export interface ReportOptions {
  severity?: Severity;
  /** Offsets in the record's own text, like every offset given to the reporter. */
  related?: { start: number; end: number; message: string }[];
  fix?: { title: string; replacement: string; start: number; end: number };
}

/**
 * The severity a problem of `code` is reported with: the user's setting, else the rule's own
 * choice for this case, else the catalogue's default; undefined when the rule is off.
 */
export function resolveSeverity(code: RuleCode, settings: RuleSettings | undefined, preferred?: Severity): Severity | undefined {
  const setting = settings?.[code];
  if (setting !== undefined) {
    return setting === 'off' ? undefined : setting;
  }
  const fallback = defaultSeverity(code);
  return fallback === 'off' ? undefined : (preferred ?? fallback);
}

/** Longest piece of log text quoted in a message. */
const QUOTE_LIMIT = 80;

/** A piece of log text for a message: in quotes, control characters escaped, cut when long. */
export function quote(text: string): string {
  const cut = text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
  return JSON.stringify(cut);
}

/**
 * Values already found valid, so that the values a log repeats in every record (its region, its
 * services, its callers' ARNs) are checked once. Emptied when it grows large, so memory stays
 * bounded on hostile input.
 */
export class KnownGood {
  /** For values asked about as strings (the interned ones hash once)... */
  private readonly values = new Set<string>();
  /** ...and for values asked about as ranges of a text. */
  private readonly ranges: TextSet;

  constructor(private readonly limit = 2048) {
    this.ranges = new TextSet(limit);
  }

  has(value: string): boolean {
    return this.values.has(value);
  }

  /** Whether the text in `[start, end)` is a value already found valid, without cutting it out. */
  hasRange(text: string, start: number, end: number): boolean {
    return this.ranges.hasRange(text, start, end);
  }

  add(value: string): void {
    if (this.values.size >= this.limit) {
      this.values.clear();
    }
    this.values.add(this.ranges.add(value));
  }
}

/**
 * The fields whose values a log repeats from record to record (a few services, regions, event
 * names): read through one table of strings, so each distinct value is cut out of the text once.
 */
const VOCABULARY_FIELDS: readonly number[] = [
  Field.eventVersion,
  Field.eventSource,
  Field.eventName,
  Field.awsRegion,
  Field.eventType,
  Field.eventCategory,
  Field.errorCode,
];
const IS_VOCABULARY = new Uint8Array(FIELD_COUNT);
for (const slot of VOCABULARY_FIELDS) IS_VOCABULARY[slot] = 1;
const vocabulary = new TextSet(4096);

/** The values CloudTrail writes in the fields with a fixed set of them, found by name without hashing the value. */
const FIXED_VALUES: (KeyTable | undefined)[] = new Array<KeyTable | undefined>(FIELD_COUNT);
FIXED_VALUES[Field.eventVersion] = new KeyTable(KNOWN_EVENT_VERSIONS);
FIXED_VALUES[Field.eventType] = new KeyTable([...EVENT_TYPES]);
FIXED_VALUES[Field.eventCategory] = new KeyTable([...EVENT_CATEGORIES]);

/** The value of a vocabulary field, written without escapes in `[start, end)`, as a string shared by every record. */
function vocabularyValue(slot: number, text: string, start: number, end: number): string {
  const fixed = FIXED_VALUES[slot];
  if (fixed) {
    const index = fixed.lookupRange(text, start, end - start);
    if (index >= 0) {
      return fixed.names[index];
    }
  }
  return vocabulary.intern(text, start, end);
}

/** How many ARNs of a record `arnParts` remembers. */
const ARN_MEMORY = 16;

/** The problems of a record that has none: one frozen array, rather than an empty one per record. */
const NO_PROBLEMS: Problem[] = Object.freeze([]) as unknown as Problem[];

export class RecordContext {
  record!: CloudTrailRecord;
  view!: JsonView;
  table!: NodeTable;
  text = '';
  /** The event object, in `view`. */
  node = NO_NODE;
  /** The node of each known top-level field (by slot), or NO_NODE. */
  readonly fields = new Int32Array(FIELD_COUNT).fill(NO_NODE);
  private readonly strings: (string | undefined)[] = new Array<string | undefined>(FIELD_COUNT);
  /** The slots whose string `string` has read for this record, as bits. */
  private stringsRead = 0;
  /** Top-level properties that are not CloudTrail fields. */
  readonly unknownFields: number[] = [];
  /** The slots of `fields` that the record has, as bits (slot n is 1 << n). */
  present = 0;
  /** eventVersion as major * 1000 + minor; NaN when missing or not a version. */
  version = NaN;
  eventType: string | undefined;
  problems: Problem[] = [];
  private readonly identityParts = new IdentityParts();
  private identityRead = false;
  /** The record's properties and which field each one's name is, as written (-1: none). */
  private readonly fieldNames = new KnownNamesList();
  private readonly knownNames: readonly KnownNames[] = [this.fieldNames, this.identityParts.identityNames, this.identityParts.sessionContextNames];
  private readonly recordScan = new RecordScan();
  private scanned = false;
  /** ARNs whose parts were found in this record (several rules read the same ones): nodes, and five offsets each. */
  private readonly arnNodes = new Int32Array(ARN_MEMORY);
  private readonly arnOffsets = new Int32Array(ARN_MEMORY * 5);
  private arnCount = 0;

  constructor(private readonly options: RuleOptions = {}) {}

  /** Prepares for `record`, reading its top-level fields once. */
  reset(record: CloudTrailRecord): void {
    this.record = record;
    this.view = record.source.view;
    this.table = this.view.table;
    this.text = this.view.text;
    this.node = record.node;
    // Only the slots the previous record had are set.
    for (let slots = this.present; slots !== 0; slots &= slots - 1) {
      this.fields[31 - Math.clz32(slots & -slots)] = NO_NODE;
    }
    this.present = 0;
    this.stringsRead = 0;
    if (this.unknownFields.length !== 0) {
      this.unknownFields.length = 0;
    }
    this.identityRead = false;
    this.scanned = false;
    this.arnCount = 0;
    this.fieldNames.begin(NO_NODE);
    this.problems = NO_PROBLEMS;
    const view = this.view;
    if (this.node !== NO_NODE && view.kind(this.node) === NodeKind.Object) {
      const next = this.table.next;
      const stop = next[this.node];
      this.fieldNames.begin(this.node);
      let previous = -1;
      for (let child = this.node + 1; child < stop; child = next[child]) {
        let slot = FIELD_KEYS.lookupNext(view, child, previous);
        previous = slot;
        this.fieldNames.add(this.table, child, slot);
        if (slot < 0) {
          // Not a field as written; it may still be one spelled with escapes.
          const name = view.key(child);
          slot = name === undefined ? -1 : fieldSlot(name);
        }
        if (slot < 0) {
          this.unknownFields.push(child);
        } else {
          // A field written twice is read from its last value, as JSON.parse reads it.
          this.fields[slot] = child;
          this.present |= 1 << slot;
        }
      }
    }
    this.version = versionNumber(this.string(Field.eventVersion));
    this.eventType = this.string(Field.eventType);
  }

  get eventSource(): string | undefined {
    return this.string(Field.eventSource);
  }

  get eventName(): string | undefined {
    return this.string(Field.eventName);
  }

  get awsRegion(): string | undefined {
    return this.string(Field.awsRegion);
  }

  /** The call failed (errorCode is set): its parameters and identity may be partial or wrong by nature. */
  get failed(): boolean {
    const errorCode = this.string(Field.errorCode);
    return errorCode !== undefined && errorCode !== '';
  }

  /** The parts of userIdentity, found on first use. */
  identity(): IdentityParts {
    if (!this.identityRead) {
      this.identityRead = true;
      this.identityParts.read(this.view, this.fields[Field.userIdentity]);
    }
    return this.identityParts;
  }

  /** What one pass over all of the record's rows finds (duplicate names, possible ARNs), on first use. */
  scan(): RecordScan {
    if (!this.scanned) {
      this.scanned = true;
      // The names of the identity's objects are matched while finding its parts, which the scan then uses.
      this.identity();
      this.recordScan.read(this.view, this.node, this.knownNames);
    }
    return this.recordScan;
  }

  /**
   * The decoded value of a string node whose values repeat from record to record (an identity
   * type, an enumeration), the same string each time; undefined for other nodes. A value among
   * `expected` is found there, without hashing it.
   */
  vocabularyString(node: number, expected?: KeyTable): string | undefined {
    const start = node === NO_NODE ? -1 : plainStart(this.table, node);
    if (start < 0) {
      return this.view.string(node);
    }
    const end = plainEnd(this.table, node, start);
    const index = expected ? expected.lookupRange(this.text, start, end - start) : -1;
    return expected && index >= 0 ? expected.names[index] : vocabulary.intern(this.text, start, end);
  }

  get isInsight(): boolean {
    return this.eventType === 'AwsCloudTrailInsight';
  }

  get isServiceEvent(): boolean {
    return this.eventType === 'AwsServiceEvent';
  }

  /** The string value of a top-level field, if it is a string (read once per record). */
  string(slot: number): string | undefined {
    if ((this.stringsRead & (1 << slot)) === 0) {
      this.stringsRead |= 1 << slot;
      const node = this.fields[slot];
      const start = IS_VOCABULARY[slot] === 1 && node !== NO_NODE ? plainStart(this.table, node) : -1;
      this.strings[slot] = start >= 0 ? vocabularyValue(slot, this.text, start, plainEnd(this.table, node, start)) : this.view.string(node);
    }
    return this.strings[slot];
  }

  // --- ranges, in the record's own text ------------------------------------------------------

  /** The property name of `node` when it has one, else its value. */
  keyStart(node: number): number {
    return this.table.keyStart[node] >= 0 ? this.table.keyStart[node] : this.table.start[node];
  }

  keyEnd(node: number): number {
    return this.table.keyStart[node] >= 0 ? this.table.keyEnd[node] : this.table.end[node];
  }

  /**
   * Where the characters of a string node's value begin in the text, when they can be addressed
   * one by one (no escapes); -1 otherwise.
   */
  contentStart(node: number): number {
    const flags = this.table.flags[node];
    if (this.table.kind[node] !== NodeKind.String || flags & NodeFlags.HasEscapes) {
      return -1;
    }
    return this.table.start[node] + (flags & NodeFlags.MissingOpenQuote ? 0 : 1);
  }

  /** `contentStart` of a string node, or -1 for other nodes and NO_NODE. */
  plainStart(node: number): number {
    return node === NO_NODE ? -1 : plainStart(this.table, node);
  }

  /** Where the value of a string node whose `plainStart` is `start` ends. */
  plainEnd(node: number, start: number): number {
    return plainEnd(this.table, node, start);
  }

  /**
   * Where the parts of the ARN held by string node `node` start: `arnOffsetsAt` of its value, for
   * a string written without escapes (false for other nodes, and for values that are no ARN).
   */
  arnParts(node: number, into: Int32Array): boolean {
    const offsets = this.arnOffsets;
    for (let i = 0; i < this.arnCount; i++) {
      if (this.arnNodes[i] === node) {
        const at = i * 5;
        if (offsets[at] < 0) {
          return false;
        }
        into[0] = offsets[at];
        into[1] = offsets[at + 1];
        into[2] = offsets[at + 2];
        into[3] = offsets[at + 3];
        into[4] = offsets[at + 4];
        return true;
      }
    }
    const start = node === NO_NODE ? -1 : plainStart(this.table, node);
    const found = start >= 0 && arnOffsetsAt(this.text, start, plainEnd(this.table, node, start), into);
    if (this.arnCount < ARN_MEMORY) {
      const at = this.arnCount * 5;
      this.arnNodes[this.arnCount++] = node;
      if (found) {
        offsets[at] = into[0];
        offsets[at + 1] = into[1];
        offsets[at + 2] = into[2];
        offsets[at + 3] = into[3];
        offsets[at + 4] = into[4];
      } else {
        offsets[at] = -1;
      }
    }
    return found;
  }

  /** The range of `[from, to)` of a string's value, or the whole value when it has escapes. */
  partOfString(node: number, from: number, to: number): [number, number] {
    const content = this.contentStart(node);
    return content < 0 ? [this.table.start[node], this.table.end[node]] : [content + from, content + to];
  }

  // --- reporting -----------------------------------------------------------------------------

  report(code: RuleCode, message: string, start: number, end: number, options: ReportOptions = {}): void {
    const severity = resolveSeverity(code, this.options.rules, options.severity);
    if (severity === undefined) {
      return;
    }
    const source = this.record.source;
    const problem: Problem = {
      code,
      severity,
      message,
      start: source.toDocument(start),
      end: source.toDocument(Math.max(start, end)),
    };
    if (options.related) {
      problem.related = options.related.map((related): RelatedLocation => ({
        start: source.toDocument(related.start),
        end: source.toDocument(related.end),
        message: related.message,
      }));
    }
    if (options.fix) {
      const fix = options.fix;
      // Inside an event held in a JSON string, the new text must be escaped as that string's content.
      const replacement = source.embedded ? JSON.stringify(fix.replacement).slice(1, -1) : fix.replacement;
      problem.fix = { title: fix.title, replacement, start: source.toDocument(fix.start), end: source.toDocument(fix.end) };
    }
    if (this.problems === NO_PROBLEMS) {
      this.problems = [];
    }
    this.problems.push(problem);
  }

  /** Reports on a node's value. */
  reportValue(code: RuleCode, message: string, node: number, options?: ReportOptions): void {
    this.report(code, message, this.table.start[node], this.table.end[node], options);
  }

  /** Reports on a node's property name (on its value when it has none). */
  reportKey(code: RuleCode, message: string, node: number, options?: ReportOptions): void {
    this.report(code, message, this.keyStart(node), this.keyEnd(node), options);
  }

  /** A related location on a node's value. */
  relatedValue(node: number, message: string): { start: number; end: number; message: string } {
    return { start: this.table.start[node], end: this.table.end[node], message };
  }

  /** A fix that replaces a node's whole value. */
  replaceValue(node: number, title: string, replacement: string): ReportOptions['fix'] {
    return { title, replacement, start: this.table.start[node], end: this.table.end[node] };
  }
}

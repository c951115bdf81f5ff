/**
 * What every rule works with while it checks one record: the record's fields found in one pass,
 * facts read from them (version, event type, whether the call failed), and a reporter that turns
 * node ranges of the record's own text into problems at document offsets.
 *
 * One RecordContext is reused for every record of a file, so checking 15,000 records allocates
 * little beyond the problems themselves.
 */
import { CloudTrailRecord } from '../cloudTrailDocument';
import { JsonView, NO_NODE, NodeFlags, NodeKind, NodeTable } from '../nodeTable';
import { Problem, RelatedLocation, Severity } from '../problems';
import { defaultSeverity, RuleCode } from './catalogue';
import { Field, FIELD_COUNT, FIELD_KEYS, fieldSlot } from './fields';
import { versionNumber } from './awsNames';
import { matchesAt } from './keyTable';

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
  private readonly values = new Set<string>();

  constructor(private readonly limit = 2048) {}

  has(value: string): boolean {
    return this.values.has(value);
  }

  add(value: string): void {
    if (this.values.size >= this.limit) {
      this.values.clear();
    }
    this.values.add(value);
  }
}

export class RecordContext {
  record!: CloudTrailRecord;
  view!: JsonView;
  table!: NodeTable;
  text = '';
  /** The event object, in `view`. */
  node = NO_NODE;
  /** The node of each known top-level field (by slot), or NO_NODE. */
  readonly fields = new Int32Array(FIELD_COUNT);
  private readonly strings: (string | undefined)[] = new Array<string | undefined>(FIELD_COUNT);
  private readonly stringRead = new Uint8Array(FIELD_COUNT);
  /** Top-level properties that are not CloudTrail fields. */
  readonly unknownFields: number[] = [];
  /** eventVersion as major * 1000 + minor; NaN when missing or not a version. */
  version = NaN;
  eventType: string | undefined;
  eventSource: string | undefined;
  eventName: string | undefined;
  awsRegion: string | undefined;
  /** The call failed (errorCode is set): its parameters and identity may be partial or wrong by nature. */
  failed = false;
  problems: Problem[] = [];

  constructor(private readonly options: RuleOptions = {}) {}

  /** Prepares for `record`, reading its top-level fields once. */
  reset(record: CloudTrailRecord): void {
    this.record = record;
    this.view = record.source.view;
    this.table = this.view.table;
    this.text = this.view.text;
    this.node = record.node;
    this.fields.fill(NO_NODE);
    this.stringRead.fill(0);
    this.unknownFields.length = 0;
    this.problems = [];
    const view = this.view;
    if (this.node !== NO_NODE && view.kind(this.node) === NodeKind.Object) {
      const next = this.table.next;
      const stop = next[this.node];
      for (let child = this.node + 1; child < stop; child = next[child]) {
        let slot = FIELD_KEYS.lookup(view, child);
        if (slot < 0) {
          // Not a field as written; it may still be one spelled with escapes.
          const name = view.key(child);
          slot = name === undefined ? -1 : fieldSlot(name);
        }
        if (slot < 0) {
          this.unknownFields.push(child);
        } else if (this.fields[slot] === NO_NODE) {
          this.fields[slot] = child;
        }
      }
    }
    this.version = versionNumber(this.string(Field.eventVersion));
    this.eventType = this.string(Field.eventType);
    this.eventSource = this.string(Field.eventSource);
    this.eventName = this.string(Field.eventName);
    this.awsRegion = this.string(Field.awsRegion);
    const errorCode = this.string(Field.errorCode);
    this.failed = errorCode !== undefined && errorCode !== '';
  }

  get isInsight(): boolean {
    return this.eventType === 'AwsCloudTrailInsight';
  }

  get isServiceEvent(): boolean {
    return this.eventType === 'AwsServiceEvent';
  }

  /** The string value of a top-level field, if it is a string (read once per record). */
  string(slot: number): string | undefined {
    if (this.stringRead[slot] === 0) {
      this.stringRead[slot] = 1;
      this.strings[slot] = this.view.string(this.fields[slot]);
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
      problem.related = options.related.map(
        (related): RelatedLocation => ({ start: source.toDocument(related.start), end: source.toDocument(related.end), message: related.message }),
      );
    }
    if (options.fix) {
      const fix = options.fix;
      // Inside an event held in a JSON string, the new text must be escaped as that string's content.
      const replacement = source.embedded ? JSON.stringify(fix.replacement).slice(1, -1) : fix.replacement;
      problem.fix = { title: fix.title, replacement, start: source.toDocument(fix.start), end: source.toDocument(fix.end) };
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
  return nameEnd - nameStart === name.length && matchesAt(view.text, nameStart, name);
}

/**
 * Groups the events of one or more CloudTrail documents into a tree of who did what: by action
 * (eventSource + eventName), by identity (the principal; assumed-role sessions under their role),
 * by IAM access level, by access key, by the ATT&CK tactic the attack catalogue gives the event,
 * or one inside another. Pure: works
 * on parsed documents, knows nothing of LSP or VS Code.
 */
import { CloudTrailDocument, CloudTrailRecord, recordAt } from './cloudTrailDocument';
import { ATTACK_CATALOGUE_CREDIT, attackEntry, tacticName, tacticRank } from './detections/attackCatalogue';
import { accessLevelFilterValue, eventAccessLevel, eventAccessLevelRank } from './iam';
import { arnAccount, IdentitySummary, nonEmpty } from './identity';
import { JsonView, NO_NODE, NodeKind } from './json/nodeTable';
import { Problem } from './problems';
import { parseTimestamp } from './explain/time';

/**
 * `tactic` groups by the ATT&CK tactics of the TrailDiscover catalogue: an event with several
 * tactics is in each of their groups, and events the catalogue does not list are in one group
 * of their own, last.
 */
export type GroupDimension = 'action' | 'identity' | 'accessLevel' | 'accessKey' | 'tactic';

export interface EventFilter {
  /** Case-insensitive text looked for in the values of the record (not its property names); in quotes, a whole string value. */
  text?: string;
  /** Only events that carry an errorCode. */
  errorsOnly?: boolean;
  /** Only events whose readOnly is not true. */
  writesOnly?: boolean;
  /** Only events of this service: "acm.amazonaws.com" or its short form "acm". */
  service?: string;
  /**
   * Only events of this IAM access level: "Permissions management", "Write", "Tagging", "Read",
   * "List", "No IAM permission" or "Not known" (or as a person types them: "permissions", "none").
   */
  accessLevel?: string;
  /** Only events at or after this time (an ISO 8601 time such as 2024-05-01T10:00:00Z). */
  from?: string;
  /** Only events before this time. */
  to?: string;
}

/** A filter's time range, read once: `contains` takes milliseconds since 1970 (NaN is never inside). */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
  contains(time: number): boolean;
}

/** The filter's time range, or undefined when it names none (or only times that cannot be read). */
export function timeRangeOf(filter: EventFilter | undefined): TimeRange | undefined {
  const from = filter?.from === undefined ? Number.NEGATIVE_INFINITY : readFilterTime(filter.from);
  const to = filter?.to === undefined ? Number.POSITIVE_INFINITY : readFilterTime(filter.to);
  if (Number.isNaN(from) || Number.isNaN(to) || (from === Number.NEGATIVE_INFINITY && to === Number.POSITIVE_INFINITY)) {
    return undefined;
  }
  return { from, to, contains: (time) => time >= from && time < to };
}

function readFilterTime(text: string): number {
  return typeof text === 'string' && text.length <= 64 ? (parseTimestamp(text)?.epochMs ?? Number.NaN) : Number.NaN;
}

/** A record's eventTime in milliseconds since 1970, or NaN when it has none that reads as a time. */
export function eventTimeMs(summary: { eventTime?: string }): number {
  const text = summary.eventTime;
  return text === undefined || text.length > 64 ? Number.NaN : (parseTimestamp(text)?.epochMs ?? Number.NaN);
}

export interface GroupingOptions {
  /** The group levels from the top; an empty list puts every event in one group. */
  groupBy: readonly GroupDimension[];
  filter?: EventFilter;
  /**
   * For records without an `arn`: the identity key of the principal they are tied to, when the
   * caller worked it out itself (a folder index, whose records keep no principalId or access
   * key). By default the ties are read from the grouped records.
   */
  joinedIdentity?: (event: GroupedEvent) => string | undefined;
  /** Only these events are grouped (before the filter): for a caller that groups part of a document it keeps. */
  include?: (event: GroupedEvent) => boolean;
}

/** One event of a grouping: a record and the position of its document in the grouped list. */
export interface GroupedEvent {
  readonly documentIndex: number;
  readonly record: CloudTrailRecord;
}

export type GroupKind = 'action' | 'identity' | 'role' | 'accessLevel' | 'accessKey' | 'tactic' | 'all';

export interface EventGroupNode {
  key: string;
  label: string;
  description?: string;
  kind: GroupKind;
  /** For identity and role groups: the userIdentity type. */
  identityType?: string;
  /** For identity and role groups: the account of the principal or role, when the log names it. */
  accountId?: string;
  /** For action groups. */
  eventSource?: string;
  eventName?: string;
  /** For action groups: true when every event only reads, false when one writes, else unknown. */
  readOnly?: boolean;
  /** Where the group comes from, to be shown with it: the attack catalogue's credit for tactic groups. */
  credit?: string;
  /** For action and access-level groups: the IAM access level of the events (see eventAccessLevel). */
  accessLevel?: string;
  count: number;
  errorCount: number;
  /** Subgroups, largest first; absent at the innermost level. */
  groups?: EventGroupNode[];
  /** At the innermost level: the events, oldest first. */
  events?: GroupedEvent[];
}

export interface Grouping {
  groups: EventGroupNode[];
  /** Events in the documents. */
  total: number;
  /** Events that passed the filter. */
  matched: number;
}

/** Where an event sits in a grouping: the keys of its groups from the top, and its place among the innermost group's events. */
export interface EventLocation {
  path: string[];
  position: number;
}

export const NO_EVENT_NAME = '(no event name)';
export const NO_ACCESS_KEY = '(no access key)';
export const ALL_EVENTS_LABEL = 'All events';
/** The key of the tactic group of events the attack catalogue does not list (tactic keys are ATT&CK ids). */
export const NO_TACTIC_KEY = 'none';
export const NO_TACTIC_LABEL = 'Not in the attack catalogue';

/** Groups the events of `documents` (their records in time order) as `options` asks. */
export function groupEvents(documents: readonly CloudTrailDocument[], options: GroupingOptions): Grouping {
  const events = eventsInTimeOrder(documents);
  const accepts = compileFilter(options.filter);
  const include = options.include;
  const matched = include ? events.filter((event) => include(event) && (!accepts || accepts(event))) : accepts ? events.filter(accepts) : events.slice();
  const keys = documents.map(recordKeysOf);
  // Ties are read from every event the view shows, so that a record's group does not depend on the level it is grouped at.
  const joined = options.groupBy.includes('identity') ? joinRecordsWithoutArn(matched, keys, options.joinedIdentity) : new Map<GroupedEvent, IdentityJoin>();
  const context: GroupingContext = { groupBy: options.groupBy, documents, keys, joined };
  const groups = context.groupBy.length === 0 ? [finishGroup(newGroup('', ALL_EVENTS_LABEL, 'all'), matched, context, 0)] : partition(matched, context, 0);
  return { groups: matched.length === 0 ? [] : groups, total: events.length, matched: matched.length };
}

/** The group at `path` (keys from the top), or undefined when there is none. */
export function findGroup(groups: readonly EventGroupNode[], path: readonly string[]): EventGroupNode | undefined {
  let level: readonly EventGroupNode[] | undefined = groups;
  let found: EventGroupNode | undefined;
  for (const key of path) {
    found = level?.find((group) => group.key === key);
    if (!found) {
      return undefined;
    }
    level = found.groups;
  }
  return found;
}

/** Finds an event in a grouping; undefined when the filter left it out. */
export function locateEvent(grouping: Grouping, documentIndex: number, recordIndex: number): EventLocation | undefined {
  const path: string[] = [];
  const search = (groups: readonly EventGroupNode[]): EventLocation | undefined => {
    for (const group of groups) {
      path.push(group.key);
      if (group.events) {
        const position = group.events.findIndex((e) => e.record.index === recordIndex && e.documentIndex === documentIndex);
        if (position >= 0) {
          return { path: path.slice(), position };
        }
      } else if (group.groups) {
        const found = search(group.groups);
        if (found) {
          return found;
        }
      }
      path.pop();
    }
    return undefined;
  };
  return search(grouping.groups);
}

/** One page of a group's events: `limit` of them from `offset`, and how many follow. */
export function pageEvents(group: EventGroupNode, offset: number, limit: number): { events: GroupedEvent[]; more: number } {
  const all = group.events ?? [];
  const start = Math.min(Math.max(0, offset), all.length);
  const end = Math.min(all.length, start + Math.max(0, limit));
  return { events: all.slice(start, end), more: all.length - end };
}

/**
 * For each record of `document`, whether a problem of at least warning severity starts inside it
 * (1) or not (0).
 */
export function recordsWithProblems(document: CloudTrailDocument, problems: readonly Problem[]): Uint8Array {
  const marks = new Uint8Array(document.records.length);
  for (const problem of problems) {
    if (problem.severity === 'error' || problem.severity === 'warning') {
      const record = recordAt(document, problem.start);
      if (record) marks[record.index] = 1;
    }
  }
  return marks;
}

/** The service part of an eventSource: "acm" for "acm.amazonaws.com". */
export function shortServiceName(eventSource: string): string {
  const suffix = '.amazonaws.com';
  return eventSource.endsWith(suffix) ? eventSource.slice(0, -suffix.length) : eventSource;
}

/** The key of an action group: the eventSource and the eventName. */
export function actionKey(eventSource: string | undefined, eventName: string | undefined): string {
  return `${eventSource ?? ''}:${eventName ?? ''}`;
}

// ---------------------------------------------------------------------------------------------
// Time order

const timeOrders = new WeakMap<CloudTrailDocument, Uint32Array>();

/** Record indexes of a document sorted by eventTime (records without one last), computed once per model. */
export function timeOrder(document: CloudTrailDocument): Uint32Array {
  let order = timeOrders.get(document);
  if (!order) {
    order = sortByTime(document.records.map((record) => record.summary.eventTime));
    timeOrders.set(document, order);
  }
  return order;
}

/**
 * Positions of `times` in time order; equal or missing times keep their order, missing ones last.
 * CloudTrail times (`2026-11-24T10:03:11Z`, sometimes with milliseconds) are read as numbers and
 * sorted natively; anything else falls back to comparing the text.
 */
export function sortByTime(times: readonly (string | undefined)[]): Uint32Array {
  const count = times.length;
  const order = new Uint32Array(count);
  const millis = new Float64Array(count);
  let sorted = true;
  let numeric = true;
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    order[i] = i;
    const time = times[i];
    const value = time === undefined ? Number.POSITIVE_INFINITY : isoMillis(time);
    if (Number.isNaN(value)) numeric = false;
    millis[i] = value;
    if (i > 0 && !(millis[i - 1] <= value)) sorted = false;
    if (value !== Number.POSITIVE_INFINITY) {
      if (value < earliest) earliest = value;
      if (value > latest) latest = value;
    }
  }
  if (sorted && numeric) {
    return order;
  }
  // One number per event, (time - earliest) * stride + position: a plain numeric sort then orders
  // by time and keeps equal times in their order. It must stay an exact integer.
  let stride = 1;
  while (stride <= count) stride *= 2;
  const span = earliest === Number.POSITIVE_INFINITY ? 0 : latest - earliest + 1;
  if (numeric && (span + 1) * stride < Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const value = millis[i] === Number.POSITIVE_INFINITY ? span : millis[i] - earliest;
      keys[i] = value * stride + i;
    }
    keys.sort();
    for (let i = 0; i < count; i++) order[i] = keys[i] % stride;
    return order;
  }
  const text = times.map((time) => time ?? '\uffff');
  return order.sort((a, b) => (text[a] < text[b] ? -1 : text[a] > text[b] ? 1 : a - b));
}

/** Milliseconds since 1970 of `YYYY-MM-DDTHH:MM:SS[.fff]Z`, or NaN for any other text. */
function isoMillis(time: string): number {
  const length = time.length;
  if (length < 20 || time.charCodeAt(4) !== 45 || time.charCodeAt(7) !== 45 || time.charCodeAt(10) !== 84 || time.charCodeAt(length - 1) !== 90) {
    return Number.NaN;
  }
  let fraction = 0;
  if (length > 20) {
    if (time.charCodeAt(19) !== 46 || length > 24) return Number.NaN;
    fraction = decimalDigits(time, 20, length - 1) * 10 ** (24 - length);
  }
  if (time.charCodeAt(13) !== 58 || time.charCodeAt(16) !== 58) return Number.NaN;
  return (
    Date.UTC(
      decimalDigits(time, 0, 4),
      decimalDigits(time, 5, 7) - 1,
      decimalDigits(time, 8, 10),
      decimalDigits(time, 11, 13),
      decimalDigits(time, 14, 16),
      decimalDigits(time, 17, 19),
    ) + fraction
  );
}

/** The number the decimal digits of `text` from `start` to `end` write; NaN when another character is among them. */
function decimalDigits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

const singleDocumentEvents = new WeakMap<CloudTrailDocument, readonly GroupedEvent[]>();

/** The events of the documents in time order; for one document, computed once per model. */
function eventsInTimeOrder(documents: readonly CloudTrailDocument[]): readonly GroupedEvent[] {
  if (documents.length === 1) {
    const document = documents[0];
    let events = singleDocumentEvents.get(document);
    if (!events) {
      events = Array.from(timeOrder(document), (index) => ({ documentIndex: 0, record: document.records[index] }));
      singleDocumentEvents.set(document, events);
    }
    return events;
  }
  const events: GroupedEvent[] = [];
  documents.forEach((document, documentIndex) => {
    for (const index of timeOrder(document)) {
      events.push({ documentIndex, record: document.records[index] });
    }
  });
  // Equal times keep document order, then record order.
  return Array.from(sortByTime(events.map((event) => event.record.summary.eventTime)), (position) => events[position]);
}

// ---------------------------------------------------------------------------------------------
// Filter

const lowerCaseTexts = new WeakMap<object, string | null>();

/** The lower-case copy of a source text, or null when lower-casing changes its length (offsets would not line up). */
function lowerCaseText(owner: object, text: string): string | null {
  let lower = lowerCaseTexts.get(owner);
  if (lower === undefined) {
    const candidate = text.toLowerCase();
    lower = candidate.length === text.length ? candidate : null;
    lowerCaseTexts.set(owner, lower);
  }
  return lower;
}

/**
 * True when `needle` (already lower case) occurs in a value of the record: a string (its quotes
 * included, so `"alice"` finds the value alice and not alicia), a number, a boolean. Property
 * names do not count: every record has an "eventName", so searching for "event" would find them
 * all. For lookup-events output the values are those of the event unescaped from its string.
 */
function recordContains(event: GroupedEvent, needle: string): boolean {
  const { record } = event;
  const view = record.source.view;
  if (record.node === NO_NODE) {
    return false;
  }
  const start = view.table.start[record.node];
  const end = view.table.end[record.node];
  if (end - start < needle.length) {
    return false;
  }
  const lower = lowerCaseText(view, view.text);
  const text = lower === null ? view.text.slice(start, end).toLowerCase() : lower.slice(start, end);
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (liesInOneValue(view, record.node, start + at, start + at + needle.length)) {
      return true;
    }
  }
  return false;
}

/** True when `[from, to)` lies inside one scalar token below `root` (not in a property name, not across tokens). */
function liesInOneValue(view: JsonView, root: number, from: number, to: number): boolean {
  const { kind, start, end, next } = view.table;
  let node = root;
  for (;;) {
    if (kind[node] !== NodeKind.Object && kind[node] !== NodeKind.Array) {
      return from >= start[node] && to <= end[node];
    }
    let inside = NO_NODE;
    const stop = next[node];
    for (let child = node + 1; child < stop && start[child] <= from; child = next[child]) {
      if (from < end[child]) {
        inside = child;
        break;
      }
    }
    if (inside === NO_NODE) {
      return false;
    }
    node = inside;
  }
}

function matchesService(eventSource: string | undefined, wanted: string): boolean {
  if (!eventSource) {
    return false;
  }
  const source = eventSource.toLowerCase();
  return source === wanted || shortServiceName(source) === wanted;
}

/** A predicate for `filter`, or undefined when it lets every event through. */
export function compileFilter(filter: EventFilter | undefined): ((event: GroupedEvent) => boolean) | undefined {
  if (!filter) {
    return undefined;
  }
  const needle = filter.text?.trim().toLowerCase() ?? '';
  const service = filter.service?.trim().toLowerCase() ?? '';
  const errorsOnly = filter.errorsOnly === true;
  const writesOnly = filter.writesOnly === true;
  const range = timeRangeOf(filter);
  // A level nobody can have (a typo) lets no event through rather than every event.
  const accessLevel = accessLevelFilterValue(filter.accessLevel);
  if (!needle && !service && !errorsOnly && !writesOnly && !range && accessLevel === undefined) {
    return undefined;
  }
  return (event) => {
    const summary = event.record.summary;
    if (range && !range.contains(eventTimeMs(summary))) return false;
    if (errorsOnly && !summary.errorCode) return false;
    if (writesOnly && summary.readOnly === true) return false;
    if (service && !matchesService(summary.eventSource, service)) return false;
    if (accessLevel !== undefined && eventAccessLevel(summary.eventSource, summary.eventName, summary.eventType) !== accessLevel) return false;
    return !needle || recordContains(event, needle);
  };
}

// ---------------------------------------------------------------------------------------------
// Grouping

/**
 * The grouping keys of every record of one model, computed once per model. Equal keys are one
 * string object, so that map lookups compare them by identity rather than character by character
 * (keys read from the log are slices of a large text, slow to compare).
 */
interface RecordKeys {
  action: string[];
  identity: string[];
  /** userIdentity.accessKeyId, or NO_ACCESS_KEY: read when a grouping by access key first asks. */
  accessKey?: string[];
  /** For assumed-role sessions: the role's key. */
  role: (string | undefined)[];
  /** 1 for a record with an errorCode. */
  failed: Uint8Array;
  /** 1 for readOnly true, 2 for readOnly false, 0 when unknown. */
  access: Uint8Array;
  /** The tactic keys of each record, read when a grouping by tactic first asks. */
  tactics?: (readonly string[])[];
  /**
   * The IAM access level (eventAccessLevel), worked out when first asked: a grouping by action
   * asks it of one event per group only.
   */
  accessLevel: (string | undefined)[];
}

function accessLevelAt(document: CloudTrailDocument, keys: RecordKeys, index: number): string {
  let level = keys.accessLevel[index];
  if (level === undefined) {
    const summary = document.records[index].summary;
    level = eventAccessLevel(summary.eventSource, summary.eventName, summary.eventType);
    keys.accessLevel[index] = level;
  }
  return level;
}

function accessKeysOf(document: CloudTrailDocument, keys: RecordKeys): string[] {
  keys.accessKey ??= document.records.map((record) => record.summary.identity.accessKeyId ?? NO_ACCESS_KEY);
  return keys.accessKey;
}

const recordKeysCache = new WeakMap<CloudTrailDocument, RecordKeys>();

function recordKeysOf(document: CloudTrailDocument): RecordKeys {
  let keys = recordKeysCache.get(document);
  if (!keys) {
    const records = document.records;
    const canonical = new Map<string, string>();
    const intern = (key: string): string => {
      const known = canonical.get(key);
      if (known !== undefined) return known;
      canonical.set(key, key);
      return key;
    };
    // By eventSource, then eventName: no key is built for a pair already seen.
    const actions = new Map<string | undefined, Map<string | undefined, string>>();
    const actionKeyOf = (eventSource: string | undefined, eventName: string | undefined): string => {
      let byName = actions.get(eventSource);
      if (!byName) {
        byName = new Map();
        actions.set(eventSource, byName);
      }
      let key = byName.get(eventName);
      if (key === undefined) {
        key = actionKey(eventSource, eventName);
        byName.set(eventName, key);
      }
      return key;
    };
    keys = {
      action: [],
      identity: [],
      role: [],
      failed: new Uint8Array(records.length),
      access: new Uint8Array(records.length),
      accessLevel: new Array<string | undefined>(records.length).fill(undefined),
    };
    for (let i = 0; i < records.length; i++) {
      const summary = records[i].summary;
      keys.failed[i] = summary.errorCode ? 1 : 0;
      keys.access[i] = summary.readOnly === true ? 1 : summary.readOnly === false ? 2 : 0;
      const role = roleKeyOf(summary.identity);
      keys.action.push(actionKeyOf(summary.eventSource, summary.eventName));
      keys.identity.push(intern(summary.identity.key));
      keys.role.push(role === undefined ? undefined : intern(role));
    }
    recordKeysCache.set(document, keys);
  }
  return keys;
}

interface GroupingContext {
  groupBy: readonly GroupDimension[];
  documents: readonly CloudTrailDocument[];
  /** By document index. */
  keys: readonly RecordKeys[];
  /** Records without an ARN and the principal they join (see joinRecordsWithoutArn). */
  joined: ReadonlyMap<GroupedEvent, IdentityJoin>;
}

interface IdentityJoin {
  identity: string;
  role: string | undefined;
  /** The principal's identity as a record with its ARN has it, to name the group. */
  summary: IdentitySummary;
}

function partition(events: readonly GroupedEvent[], context: GroupingContext, level: number): EventGroupNode[] {
  const groups: EventGroupNode[] = [];
  const keys = context.keys;
  if (context.groupBy[level] === 'tactic') {
    for (const [key, members] of bucketByMany(events, (event) =>
      tacticKeysOf(context.documents[event.documentIndex], keys[event.documentIndex], event.record.index),
    )) {
      groups.push(finishGroup(tacticGroup(key), members, context, level + 1));
    }
    return sortGroups(groups);
  }
  if (context.groupBy[level] === 'action') {
    for (const [key, members] of bucketBy(events, (event) => keys[event.documentIndex].action[event.record.index])) {
      const group = actionGroup(key, members[0].record);
      group.accessLevel = accessLevelAt(context.documents[members[0].documentIndex], keys[members[0].documentIndex], members[0].record.index);
      groups.push(finishGroup(group, members, context, level + 1));
    }
    return sortGroups(groups);
  }
  if (context.groupBy[level] === 'accessLevel') {
    for (const [key, members] of bucketBy(events, (event) =>
      accessLevelAt(context.documents[event.documentIndex], keys[event.documentIndex], event.record.index),
    )) {
      const group = newGroup(key, key, 'accessLevel');
      group.accessLevel = key;
      groups.push(finishGroup(group, members, context, level + 1));
    }
    return sortGroups(groups);
  }
  if (context.groupBy[level] === 'accessKey') {
    const accessKeys = context.documents.map((document, position) => accessKeysOf(document, keys[position]));
    for (const [key, members] of bucketBy(events, (event) => accessKeys[event.documentIndex][event.record.index])) {
      groups.push(finishGroup(accessKeyGroup(key, members), members, context, level + 1));
    }
    return sortGroups(groups);
  }
  // A principal whose own key is the key of a role (it made calls as the role itself) joins that role's group.
  const roleKeys = new Set<string>();
  for (const event of events) {
    const role = keys[event.documentIndex].role[event.record.index];
    if (role !== undefined) roleKeys.add(role);
  }
  const joined = context.joined;
  const identityKey = (event: GroupedEvent): string => joined.get(event)?.identity ?? keys[event.documentIndex].identity[event.record.index];
  const topKey = (event: GroupedEvent): string => {
    const join = joined.get(event);
    if (join) return join.role ?? join.identity;
    const documentKeys = keys[event.documentIndex];
    return documentKeys.role[event.record.index] ?? documentKeys.identity[event.record.index];
  };
  // A group is named after the principal's identity with its ARN, also when all its records here were joined to it.
  const named = (members: readonly GroupedEvent[]): IdentitySummary => {
    const own = members.find((event) => !joined.has(event));
    return own ? own.record.summary.identity : (joined.get(members[0])?.summary ?? members[0].record.summary.identity);
  };
  for (const [key, members] of bucketBy(events, topKey)) {
    if (!roleKeys.has(key)) {
      groups.push(finishGroup(identityGroup(named(members), false), members, context, level + 1));
      continue;
    }
    // roleKeys holds the key because one of these members has a role: the fallback is never taken.
    const session = members.find((event) => keys[event.documentIndex].role[event.record.index] !== undefined) ?? members[0];
    const role = roleGroup(key, session.record.summary.identity);
    countInto(role, members, keys);
    role.groups = [];
    for (const [, principals] of bucketBy(members, identityKey)) {
      role.groups.push(finishGroup(identityGroup(named(principals), true), principals, context, level + 1));
    }
    tellApartSameLabels(sortGroups(role.groups));
    groups.push(role);
  }
  return tellApartSameLabels(sortGroups(groups));
}

/**
 * Identity groups that would read the same (two roles called Admin in two accounts, two sessions
 * named the same) are told apart in their description: by account when their accounts differ,
 * else by their key (the ARN or principal ID), which the tooltip shows whole anyway.
 */
function tellApartSameLabels(groups: EventGroupNode[]): EventGroupNode[] {
  const byLabel = new Map<string, EventGroupNode[]>();
  for (const group of groups) {
    const same = byLabel.get(group.label);
    if (same) same.push(group);
    else byLabel.set(group.label, [group]);
  }
  for (const same of byLabel.values()) {
    if (same.length < 2) continue;
    const accounts = new Set(same.map((group) => group.accountId));
    for (const group of same) {
      const sharesAccount = same.some((other) => other !== group && other.accountId === group.accountId);
      group.description = group.accountId && accounts.size > 1 && !sharesAccount ? `account ${group.accountId}` : group.key;
    }
  }
  return groups;
}

/** Splits events by key, keeping their order inside each bucket. */
function bucketBy(events: readonly GroupedEvent[], keyOf: (event: GroupedEvent) => string): Map<string, GroupedEvent[]> {
  const buckets = new Map<string, GroupedEvent[]>();
  for (const event of events) {
    const key = keyOf(event);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(event);
    else buckets.set(key, [event]);
  }
  return buckets;
}

/** Splits events by their keys, an event going into the bucket of each of its keys, keeping their order inside each bucket. */
function bucketByMany(events: readonly GroupedEvent[], keysOf: (event: GroupedEvent) => readonly string[]): Map<string, GroupedEvent[]> {
  const buckets = new Map<string, GroupedEvent[]>();
  for (const event of events) {
    for (const key of keysOf(event)) {
      const bucket = buckets.get(key);
      if (bucket) bucket.push(event);
      else buckets.set(key, [event]);
    }
  }
  return buckets;
}

const NO_TACTIC_KEYS: readonly string[] = [NO_TACTIC_KEY];

/**
 * Records whose userIdentity has no `arn` (nor `invokedBy`), tied to exactly one principal that
 * has an ARN among the grouped records: by the same `principalId` in the same account, or by the
 * same `accessKeyId`. Each maps to that principal's identity key (and its role's key, for a
 * session). A tie to two principals, or to none, joins nothing: the record keeps its own group.
 */
function joinRecordsWithoutArn(
  events: readonly GroupedEvent[],
  keys: readonly RecordKeys[],
  joinedIdentity: ((event: GroupedEvent) => string | undefined) | undefined,
): Map<GroupedEvent, IdentityJoin> {
  const joined = new Map<GroupedEvent, IdentityJoin>();
  const withoutArn = events.filter((event) => {
    const identity = event.record.summary.identity;
    return (
      identity.arn === undefined &&
      identity.invokedBy === undefined &&
      (joinedIdentity !== undefined || identity.principalId !== undefined || identity.accessKeyId !== undefined)
    );
  });
  if (withoutArn.length === 0) return joined;
  const principalTie = (account: string, principalId: string): string => `p\u0000${account}\u0000${principalId}`;
  const keyTie = (accessKeyId: string): string => `k\u0000${accessKeyId}`;
  const ties = new Map<string, Map<string, Omit<IdentityJoin, 'identity'>>>();
  const tie = (key: string, identity: string, principal: Omit<IdentityJoin, 'identity'>): void => {
    let principals = ties.get(key);
    if (!principals) {
      principals = new Map();
      ties.set(key, principals);
    }
    principals.set(identity, principal);
  };
  for (const event of events) {
    const identity = event.record.summary.identity;
    if (identity.arn === undefined) continue;
    const documentKeys = keys[event.documentIndex];
    const key = documentKeys.identity[event.record.index];
    const principal = { role: documentKeys.role[event.record.index], summary: identity };
    const account = identity.accountId ?? arnAccount(identity.arn);
    if (identity.principalId !== undefined && account !== undefined) tie(principalTie(account, identity.principalId), key, principal);
    if (identity.accessKeyId !== undefined) tie(keyTie(identity.accessKeyId), key, principal);
    tie(`i\u0000${key}`, key, principal);
  }
  for (const event of withoutArn) {
    if (joinedIdentity) {
      const target = joinedIdentity(event);
      const principal = target === undefined ? undefined : ties.get(`i\u0000${target}`)?.get(target);
      if (target !== undefined && principal) joined.set(event, { identity: target, ...principal });
      continue;
    }
    const identity = event.record.summary.identity;
    const candidates = new Map<string, Omit<IdentityJoin, 'identity'>>();
    const add = (principals: Map<string, Omit<IdentityJoin, 'identity'>> | undefined): void => {
      for (const [key, principal] of principals ?? []) candidates.set(key, principal);
    };
    if (identity.principalId !== undefined && identity.accountId !== undefined) add(ties.get(principalTie(identity.accountId, identity.principalId)));
    if (identity.accessKeyId !== undefined) add(ties.get(keyTie(identity.accessKeyId)));
    if (candidates.size !== 1) continue;
    const [[key, principal]] = candidates;
    joined.set(event, { identity: key, ...principal });
  }
  return joined;
}

/** The tactic keys of a record: the ATT&CK ids of its event's tactics, or the key of the uncatalogued group. */
function tacticKeysOf(document: CloudTrailDocument, keys: RecordKeys, index: number): readonly string[] {
  keys.tactics ??= tacticKeysOfRecords(document.records);
  return keys.tactics[index];
}

/** The tactic keys of every record, looked up once per distinct (eventSource, eventName). */
function tacticKeysOfRecords(records: readonly CloudTrailRecord[]): (readonly string[])[] {
  const known = new Map<string | undefined, Map<string | undefined, readonly string[]>>();
  return records.map(({ summary: { eventSource, eventName } }) => {
    let byName = known.get(eventSource);
    if (!byName) {
      byName = new Map();
      known.set(eventSource, byName);
    }
    let tactics = byName.get(eventName);
    if (tactics === undefined) {
      const entry = attackEntry(eventSource, eventName);
      tactics = entry && entry.tactics.length > 0 ? entry.tactics.map((tactic) => tactic.id) : NO_TACTIC_KEYS;
      byName.set(eventName, tactics);
    }
    return tactics;
  });
}

/** Counts a group's events and fills it with the next level, or with the events at the innermost level. */
function finishGroup(group: EventGroupNode, events: GroupedEvent[], context: GroupingContext, nextLevel: number): EventGroupNode {
  countInto(group, events, context.keys);
  if (nextLevel < context.groupBy.length) {
    group.groups = partition(events, context, nextLevel);
  } else {
    group.events = events;
  }
  return group;
}

function countInto(group: EventGroupNode, events: readonly GroupedEvent[], keys: readonly RecordKeys[]): void {
  let errors = 0;
  let reads = 0;
  let writes = 0;
  for (const event of events) {
    const documentKeys = keys[event.documentIndex];
    const index = event.record.index;
    errors += documentKeys.failed[index];
    const access = documentKeys.access[index];
    if (access === 1) reads++;
    else if (access === 2) writes++;
  }
  group.count = events.length;
  group.errorCount = errors;
  if (group.kind === 'action') {
    if (writes > 0) group.readOnly = false;
    else if (reads === events.length && reads > 0) group.readOnly = true;
  }
}

/**
 * The order of sibling groups: tactics in ATT&CK's order (uncatalogued events last), access levels
 * in their fixed order (Permissions management first), the others with the most events first,
 * then by label and key.
 */
export function compareGroups(a: EventGroupNode, b: EventGroupNode): number {
  if (a.kind === 'tactic' && b.kind === 'tactic') {
    return tacticOrder(a.key) - tacticOrder(b.key) || compareText(a.key, b.key);
  }
  return (
    (a.kind === 'accessLevel' && b.kind === 'accessLevel' ? eventAccessLevelRank(a.key) - eventAccessLevelRank(b.key) : 0) ||
    b.count - a.count ||
    compareText(a.label, b.label) ||
    compareText(a.key, b.key)
  );
}

function tacticOrder(key: string): number {
  return key === NO_TACTIC_KEY ? Number.MAX_SAFE_INTEGER : tacticRank(key);
}

export function sortGroups(groups: EventGroupNode[]): EventGroupNode[] {
  return groups.sort(compareGroups);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A new group; every group has the same properties, in the same order, so reading them stays fast. */
function newGroup(key: string, label: string, kind: GroupKind): EventGroupNode {
  return {
    key,
    label,
    description: undefined,
    kind,
    identityType: undefined,
    accountId: undefined,
    eventSource: undefined,
    eventName: undefined,
    readOnly: undefined,
    credit: undefined,
    accessLevel: undefined,
    count: 0,
    errorCount: 0,
    groups: undefined,
    events: undefined,
  };
}

function actionGroup(key: string, record: CloudTrailRecord): EventGroupNode {
  const { eventSource, eventName } = record.summary;
  const group = newGroup(key, nonEmpty(eventName) ?? NO_EVENT_NAME, 'action');
  if (eventSource) {
    group.description = shortServiceName(eventSource);
    group.eventSource = eventSource;
  }
  if (eventName) group.eventName = eventName;
  return group;
}

/** The group of an ATT&CK tactic, named as the attack catalogue names it, with its id beside. */
function tacticGroup(key: string): EventGroupNode {
  const group = key === NO_TACTIC_KEY ? newGroup(key, NO_TACTIC_LABEL, 'tactic') : newGroup(key, tacticName(key) ?? key, 'tactic');
  if (key !== NO_TACTIC_KEY) group.description = key;
  group.credit = ATTACK_CATALOGUE_CREDIT;
  return group;
}

/** The events signed with one access key, described by its kind and the identity that used it. */
function accessKeyGroup(key: string, members: readonly GroupedEvent[]): EventGroupNode {
  const group = newGroup(key, key, 'accessKey');
  if (key === NO_ACCESS_KEY) return group;
  const kind = key.startsWith('AKIA') ? 'long-term' : key.startsWith('ASIA') ? 'temporary' : undefined;
  const identity = members[0].record.summary.identity;
  group.description = kind ? `${kind} \u00b7 ${identity.label}` : identity.label;
  if (identity.type) group.identityType = identity.type;
  return group;
}

/** The principal's own group; beneath a role it is named by its session. */
function identityGroup(identity: IdentitySummary, underRole: boolean): EventGroupNode {
  const label = underRole && identity.sessionName ? `session ${identity.sessionName}` : identity.label;
  const group = newGroup(identity.key, label, 'identity');
  if (identity.type) group.identityType = identity.type;
  group.accountId = identity.accountId ?? arnAccount(identity.arn);
  return group;
}

/** A role's group, described from one of its sessions. */
function roleGroup(key: string, session: IdentitySummary): EventGroupNode {
  const group = newGroup(key, `role ${session.sessionIssuerName ?? key.slice(key.lastIndexOf('/') + 1)}`, 'role');
  group.identityType = 'AssumedRole';
  group.accountId = arnAccount(key) ?? session.accountId;
  return group;
}

/** The role an assumed-role session belongs to: its session issuer, else the role named in its ARN. */
function roleKeyOf(identity: IdentitySummary): string | undefined {
  if (identity.type !== 'AssumedRole' && !identity.sessionName) {
    return undefined;
  }
  if (identity.sessionIssuerArn) {
    return identity.sessionIssuerArn;
  }
  if (identity.arn && identity.sessionName) {
    return identity.arn.slice(0, identity.arn.length - identity.sessionName.length - 1);
  }
  return undefined;
}

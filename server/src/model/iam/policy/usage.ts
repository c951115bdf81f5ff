/**
 * The calls a group of events made, counted by eventSource and eventName: how many succeeded and
 * failed, when, with which error codes, and which resource ARNs their records name. This is what
 * the policy generator and the comparison read; it comes from open documents (records at hand)
 * or from a folder index (summaries only: no resources).
 */
import { CloudTrailDocument, isEnvelope } from '../../cloudTrailDocument';
import { scanJson } from '../../json/jsonScanner';
import { EventFilter, EventGroupNode, GroupDimension, GroupedEvent, groupEvents } from '../../eventGrouping';
import { JsonView, NO_NODE, NodeKind } from '../../json/nodeTable';
import { formatEventTime, TEXT_FIELD_COUNT, TextField } from '../../folderIndex/fileEntries';
import { FolderIndex, IndexedFile } from '../../folderIndex/folderIndex';
import { groupFolderEvents } from '../../folderIndex/folderGrouping';

/** The ARNs of one kind of call, each distinct list once with how many calls named it. */
export interface ArnTally {
  lists: Map<string, { arns: readonly string[]; count: number }>;
  /** Calls whose record was not read (a folder index keeps no request content). */
  unread: number;
}

export interface CallUsage {
  eventSource: string;
  eventName: string;
  /** The eventType of the first of these calls. */
  eventType?: string;
  succeeded: number;
  failed: number;
  /** eventTime of the first and last successful call. */
  first?: string;
  last?: string;
  /** eventTime of the first and last failed call. */
  failedFirst?: string;
  failedLast?: string;
  /** Error codes of the failed calls, with counts. */
  errorCodes: Map<string, number>;
  succeededArns: ArnTally;
  failedArns: ArnTally;
}

export interface Usage {
  calls: CallUsage[];
  /** Events looked at, and those without an eventSource or eventName (not a call anyone can grant). */
  events: number;
  unnamed: number;
  /** The events' content was read (open documents), so resources are known where records name them. */
  resourcesRead: boolean;
}

export class UsageBuilder {
  private readonly byAction = new Map<string, Map<string, CallUsage>>();
  private events = 0;
  private unnamed = 0;

  constructor(private readonly resourcesRead: boolean) {}

  /**
   * Counts `count` calls of one kind: failed when `errorCode` is set, between `first` and `last`,
   * all naming `arns` (undefined when their records were not read).
   */
  add(
    eventSource: string | undefined,
    eventName: string | undefined,
    eventType: string | undefined,
    errorCode: string | undefined,
    first: string | undefined,
    last: string | undefined,
    count: number,
    arns: readonly string[] | undefined,
  ): void {
    this.events += count;
    if (!eventSource || !eventName) {
      this.unnamed += count;
      return;
    }
    let byName = this.byAction.get(eventSource);
    if (!byName) {
      byName = new Map();
      this.byAction.set(eventSource, byName);
    }
    let usage = byName.get(eventName);
    if (!usage) {
      usage = {
        eventSource,
        eventName,
        ...(eventType !== undefined ? { eventType } : {}),
        succeeded: 0,
        failed: 0,
        errorCodes: new Map(),
        succeededArns: emptyTally(),
        failedArns: emptyTally(),
      };
      byName.set(eventName, usage);
    }
    if (errorCode) {
      usage.failed += count;
      usage.errorCodes.set(errorCode, (usage.errorCodes.get(errorCode) ?? 0) + count);
      usage.failedFirst = earlier(usage.failedFirst, first);
      usage.failedLast = later(usage.failedLast, last);
      tally(usage.failedArns, arns, count);
    } else {
      usage.succeeded += count;
      usage.first = earlier(usage.first, first);
      usage.last = later(usage.last, last);
      tally(usage.succeededArns, arns, count);
    }
  }

  finish(): Usage {
    const calls: CallUsage[] = [];
    for (const byName of this.byAction.values()) calls.push(...byName.values());
    calls.sort((a, b) => compareText(a.eventSource, b.eventSource) || compareText(a.eventName, b.eventName));
    return { calls, events: this.events, unnamed: this.unnamed, resourcesRead: this.resourcesRead };
  }
}

function emptyTally(): ArnTally {
  return { lists: new Map(), unread: 0 };
}

function tally(target: ArnTally, arns: readonly string[] | undefined, count: number): void {
  if (arns === undefined) {
    target.unread += count;
    return;
  }
  const key = arns.join('\n');
  const known = target.lists.get(key);
  if (known) known.count += count;
  else target.lists.set(key, { arns, count });
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined ? b : b === undefined ? a : b < a ? b : a;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined ? b : b === undefined ? a : b > a ? b : a;
}

/** Code-unit order of two texts, for stable sorting. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Resources named by a record

/** A record names at most this many ARNs for the policy (a batch call may name thousands). */
const MAX_ARNS_PER_RECORD = 64;
/** Longer strings are not taken as ARNs. */
const MAX_ARN_LENGTH = 2048;
/** Values looked at in one record's requestParameters, responseElements and resources. */
const MAX_VALUES_PER_RECORD = 4096;

/**
 * The ARNs a record names where CloudTrail records resources: the `resources` list, and string
 * values starting with `arn:` in requestParameters and responseElements. Sorted, each once.
 */
export function recordArns(view: JsonView, record: number): string[] {
  if (record === NO_NODE || view.kind(record) !== NodeKind.Object) return [];
  const found = new Set<string>();
  const table = view.table;
  let budget = MAX_VALUES_PER_RECORD;
  const collect = (container: number): void => {
    if (container === NO_NODE || !view.isContainer(container)) return;
    const stop = table.next[container];
    for (let node = container + 1; node < stop && budget > 0 && found.size < MAX_ARNS_PER_RECORD; node++) {
      budget--;
      if (table.kind[node] !== NodeKind.String || table.end[node] - table.start[node] > MAX_ARN_LENGTH + 2) continue;
      if (!view.text.startsWith('arn:', table.start[node] + 1)) continue;
      const value = view.string(node);
      if (value !== undefined && isArn(value)) found.add(value);
    }
  };
  const resources = view.property(record, 'resources');
  if (resources !== NO_NODE && view.kind(resources) === NodeKind.Array) {
    for (const resource of view.children(resources)) {
      const arn = view.stringProperty(resource, 'ARN') ?? view.stringProperty(resource, 'arn');
      if (arn !== undefined && isArn(arn) && found.size < MAX_ARNS_PER_RECORD) found.add(arn);
    }
  }
  collect(view.property(record, 'requestParameters'));
  collect(view.property(record, 'responseElements'));
  return [...found].sort();
}

/** arn:partition:service:region:account:resource, with a resource part. */
function isArn(value: string): boolean {
  if (value.length > MAX_ARN_LENGTH) return false;
  let colons = 0;
  for (let i = 0; i < value.length && colons < 5; i++) {
    if (value.charCodeAt(i) === 58) colons++;
  }
  if (colons < 5) return false;
  const parts = value.split(':', 5);
  return parts[1].length > 0 && parts[2].length > 0 && value.length > parts.join(':').length + 1;
}

// ---------------------------------------------------------------------------------------------
// Choosing the events

/** Which events: the group at `group` (keys from the top) of the tree grouped by `groupBy` and filtered by `filter`. */
export interface EventSelection {
  groupBy: readonly GroupDimension[];
  filter?: EventFilter;
  /** Keys of one group from the top; empty or absent for every event that passes the filter. */
  group?: readonly string[];
}

/** The identity group key of the Events tree: an identity's key, or a role's key (all its sessions). */
export function identitySelection(key: string, filter?: EventFilter): EventSelection {
  return { groupBy: ['identity'], ...(filter ? { filter } : {}), group: [key] };
}

/** Finds a group by its keys from the top, or (for a one-key path) by its key at any depth: a session sits under its role. */
function locateGroup(groups: readonly EventGroupNode[], path: readonly string[]): EventGroupNode | undefined {
  let level: readonly EventGroupNode[] | undefined = groups;
  let found: EventGroupNode | undefined;
  for (const key of path) {
    found = level?.find((group) => group.key === key);
    if (!found) break;
    level = found.groups;
  }
  if (found || path.length !== 1) return found;
  const search = (candidates: readonly EventGroupNode[]): EventGroupNode | undefined => {
    for (const group of candidates) {
      if (group.key === path[0]) return group;
      const inner = group.groups ? search(group.groups) : undefined;
      if (inner) return inner;
    }
    return undefined;
  };
  return search(groups);
}

function leaves(group: EventGroupNode, visit: (leaf: EventGroupNode) => void): void {
  if (group.groups) for (const child of group.groups) leaves(child, visit);
  else visit(group);
}

/** Every event of the selected group, or undefined when the tree has no such group. */
export function selectDocumentEvents(documents: readonly CloudTrailDocument[], selection: EventSelection): GroupedEvent[] | undefined {
  const grouping = groupEvents(documents, { groupBy: selection.groupBy, ...(selection.filter ? { filter: selection.filter } : {}) });
  const path = selection.group ?? [];
  if (path.length === 0) {
    const all: GroupedEvent[] = [];
    for (const group of grouping.groups) leaves(group, (leaf) => all.push(...(leaf.events ?? [])));
    return all;
  }
  const found = locateGroup(grouping.groups, path);
  if (!found) return undefined;
  const events: GroupedEvent[] = [];
  leaves(found, (leaf) => events.push(...(leaf.events ?? [])));
  return events;
}

/** The usage of events of open documents: their records are read for resources. */
export function documentUsage(events: readonly GroupedEvent[]): Usage {
  const builder = new UsageBuilder(true);
  for (const { record } of events) {
    const { eventSource, eventName, eventType, errorCode, eventTime } = record.summary;
    builder.add(eventSource, eventName, eventType, errorCode, eventTime, eventTime, 1, recordArns(record.source.view, record.node));
  }
  return builder.finish();
}

/** How much of a folder index is read back for the resources of a policy. */
export interface FolderReadLimits {
  /** Selected events at the most. */
  maxEvents: number;
  /** Decompressed characters of the files holding them, at the most. */
  maxCharacters: number;
}

export const FOLDER_READ_LIMITS: FolderReadLimits = { maxEvents: 100_000, maxCharacters: 256 * 1024 * 1024 };

/** Reads an indexed file's (decompressed) text; undefined when it cannot be read any more. */
export type LogTextReader = (file: IndexedFile) => string | undefined;

/**
 * The usage of the selected events of a folder index. The index keeps summaries only, so the
 * records of the selected events are read back from their files for their resources (`read`),
 * when they are few enough (`limits`); otherwise the events are counted per event profile (a
 * folder of a million events has a few thousand) and no resource is known.
 * Undefined when the tree has no such group.
 */
export function folderUsage(
  index: FolderIndex,
  selection: EventSelection,
  read?: LogTextReader,
  limits: FolderReadLimits = FOLDER_READ_LIMITS,
): Usage | undefined {
  const grouping = groupFolderEvents(index, { groupBy: selection.groupBy, ...(selection.filter ? { filter: selection.filter } : {}) });
  const path = selection.group ?? [];
  const roots = path.length === 0 ? grouping.groups : [locateGroup(grouping.groups, path)];
  if (roots.some((group) => group === undefined)) return undefined;
  const selected = new Map<IndexedFile, number[]>();
  let events = 0;
  for (const root of roots) {
    if (!root) continue;
    leaves(root, (leaf) => {
      for (const { file, index: position } of grouping.eventsOf(leaf)) {
        const positions = selected.get(file);
        if (positions) positions.push(position);
        else selected.set(file, [position]);
        events++;
      }
    });
  }
  let characters = 0;
  for (const file of selected.keys()) characters += file.characters;
  if (read && events <= limits.maxEvents && characters <= limits.maxCharacters) {
    const usage = readUsage(index, selected, read);
    if (usage) return usage;
  }
  return profileUsage(index, selected);
}

/** The text of one entry of a file, and the ARNs its event names. */
function entryArns(text: string, start: number, length: number): string[] {
  const entry = text.slice(start, start + length);
  const scan = scanJson(entry, { maxProblems: 1 });
  const view = new JsonView(entry, scan.table);
  const root = scan.roots[0] ?? NO_NODE;
  if (root === NO_NODE || view.kind(root) !== NodeKind.Object) return [];
  const embedded = view.property(root, 'CloudTrailEvent');
  if (embedded !== NO_NODE && view.kind(embedded) === NodeKind.String) {
    const json = view.string(embedded) ?? '';
    const inner = scanJson(json, { maxProblems: 1 });
    return recordArns(new JsonView(json, inner.table), inner.roots[0] ?? NO_NODE);
  }
  if (embedded !== NO_NODE) return recordArns(view, embedded);
  return recordArns(view, isEnvelope(view, root) ? view.property(root, 'detail') : root);
}

/** Every selected event, its record read back; undefined when a file could not be read. */
function readUsage(index: FolderIndex, selected: Map<IndexedFile, number[]>, read: LogTextReader): Usage | undefined {
  const builder = new UsageBuilder(true);
  for (const [file, positions] of selected) {
    const text = read(file);
    if (text?.length !== file.characters) return undefined;
    for (const position of positions) {
      const event = index.event(file, position);
      builder.add(
        event.eventSource,
        event.eventName,
        event.eventType,
        event.errorCode,
        event.eventTime,
        event.eventTime,
        1,
        entryArns(text, event.start, event.length),
      );
    }
  }
  return builder.finish();
}

/** The selected events counted per event profile, with no resource known. */
function profileUsage(index: FolderIndex, selected: Map<IndexedFile, number[]>): Usage {
  const count = new Float64Array(index.profiles.length);
  const first = new Float64Array(index.profiles.length).fill(Number.POSITIVE_INFINITY);
  const last = new Float64Array(index.profiles.length).fill(Number.NEGATIVE_INFINITY);
  const eventTypes = new Uint32Array(index.profiles.length);
  for (const [file, positions] of selected) {
    for (const position of positions) {
      const profile = file.profiles[position];
      if (count[profile]++ === 0) eventTypes[profile] = file.entries.strings[position * TEXT_FIELD_COUNT + TextField.eventType];
      const time = file.entries.time[position];
      if (!Number.isNaN(time)) {
        if (time < first[profile]) first[profile] = time;
        if (time > last[profile]) last[profile] = time;
      }
    }
  }
  const builder = new UsageBuilder(false);
  for (const profile of index.profiles) {
    const calls = count[profile.id];
    if (calls === 0) continue;
    const known = first[profile.id] !== Number.POSITIVE_INFINITY;
    builder.add(
      profile.eventSource,
      profile.eventName,
      index.string(eventTypes[profile.id]),
      profile.errorCode,
      known ? formatEventTime(first[profile.id]) : undefined,
      known ? formatEventTime(last[profile.id]) : undefined,
      calls,
      undefined,
    );
  }
  return builder.finish();
}

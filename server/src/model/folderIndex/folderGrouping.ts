import { CloudTrailDocument, CloudTrailRecord, parseCloudTrail } from '../cloudTrailDocument';
import { EventFilter, EventGroupNode, GroupDimension, GroupedEvent, groupEvents, shortServiceName, sortGroups, TimeRange, timeRangeOf } from '../eventGrouping';
import { accessLevelFilterValue, eventAccessLevel } from '../iam';
import { ABSENT, EntryFlags, formatEventTime, readUuid, StringTable, TEXT_FIELD_COUNT, TextField, timeOrderSpan } from './fileEntries';
import { EventProfile, FolderIndex, IndexedFile } from './folderIndex';
import { folderIdentityJoins } from './identityJoins';

/**
 * The event tree of a folder index, grouped exactly as the tree of open documents is
 * (`groupEvents` of eventGrouping.ts), without an object per event.
 *
 * Grouping depends only on an event's profile (action, identity, error, readOnly), and on its
 * access key when grouping by key, so the classes of events that have matching events are handed
 * to `groupEvents` as the records of one stand-in document; the groups it makes are then counted
 * again with each class's number of events. The events of an innermost group are found (and put
 * in time order) only when that group is opened.
 */

export interface FolderGroupingOptions {
  groupBy: readonly GroupDimension[];
  /**
   * As for documents, except `text`: the index holds no record text, so it is looked for in the
   * indexed fields (event name and source, region, error code, event type and version, time,
   * event ID, access key, and the identity's name, ARN, account, type and session).
   */
  filter?: EventFilter;
}

/** An event of the index: its file and its position among the file's entries. */
export interface FolderEventRef {
  file: IndexedFile;
  index: number;
}

export interface FolderGrouping {
  /** The groups, as `groupEvents` makes them; innermost groups have an empty `events` list (see `eventsOf`). */
  groups: EventGroupNode[];
  total: number;
  matched: number;
  /** The events of an innermost group, oldest first (files in path order for equal times). */
  eventsOf(group: EventGroupNode): FolderEventRef[];
  /**
   * Every matching event, file by file (in time order within a file when the filter has a time
   * range), with the position of its top group in `groups` (once per top group: an event with
   * several tactics is in several): one pass over the index, for aggregates such as the timeline.
   */
  visitMatched(visit: (file: IndexedFile, index: number, topGroup: number) => void): void;
}

const ACCEPT = 1;
const REJECT = 0;
const CHECK_ENTRY = 2;
/** The profile matches; each event's time is still to be checked against the filter's range. */
const CHECK_TIME = 3;

export function groupFolderEvents(index: FolderIndex, options: FolderGroupingOptions): FolderGrouping {
  const profiles = index.profiles;
  const entryFilter = compileFolderFilter(index, options.filter);
  const profileMatch = new Uint8Array(profiles.length);
  for (const profile of profiles) {
    profileMatch[profile.id] = entryFilter.profile(profile);
  }
  const files = index.files();
  const classes = options.groupBy.includes('accessKey') ? classesByAccessKey(index, files) : classesByProfile(index);
  const matchedPerClass = new Float64Array(classes.count);
  let matched = 0;
  const range = timeRangeOf(options.filter);
  for (const file of files) {
    const classOf = classes.of(file);
    const profileOf = file.profiles;
    const { order, first, end } = candidatesOf(file, range);
    for (let k = first; k < end; k++) {
      const i = order ? order[k] : k;
      const verdict = profileMatch[profileOf[i]];
      // Every candidate is inside the filter's time range.
      if (verdict === ACCEPT || verdict === CHECK_TIME || (verdict === CHECK_ENTRY && entryFilter.entry(file, i, verdict))) {
        matchedPerClass[classOf[i]]++;
        matched++;
      }
    }
  }

  // The classes with matching events, as records of a stand-in document. Profiles are records of
  // one document kept per index version, whose grouping keys are then worked out once; classes
  // by access key are made for this grouping only, and so is their document.
  const used: number[] = [];
  for (let id = 0; id < classes.count; id++) {
    if (matchedPerClass[id] > 0) used.push(id);
  }
  const byProfile = classes.accessKeyId === noAccessKey;
  const standIn = byProfile
    ? profilesDocument(index)
    : profileDocument(
        used.map((id) => classes.profile(id)),
        used.map((id) => classes.accessKeyId(id)),
      );
  const classOfRecord = (record: number): number => (byProfile ? record : used[record]);
  const accepted = (file: IndexedFile, i: number): boolean => {
    const verdict = profileMatch[file.profiles[i]];
    return verdict === ACCEPT || (verdict !== REJECT && entryFilter.entry(file, i, verdict));
  };
  /** As `accepted`, for the candidates of `candidatesOf`, which are inside the time range. */
  const acceptedCandidate = (file: IndexedFile, i: number): boolean => {
    const verdict = profileMatch[file.profiles[i]];
    return verdict === ACCEPT || verdict === CHECK_TIME || (verdict === CHECK_ENTRY && entryFilter.entry(file, i, verdict));
  };
  const joins = options.groupBy.includes('identity')
    ? folderIdentityJoins(files, profiles, new Set(used.map((id) => classes.profile(id).id)), accepted)
    : undefined;
  const grouping = groupEvents([standIn], {
    groupBy: options.groupBy,
    ...(byProfile ? { include: (event: GroupedEvent) => matchedPerClass[event.record.index] > 0 } : {}),
    ...(joins ? { joinedIdentity: (event: GroupedEvent) => joins.get(classes.profile(classOfRecord(event.record.index)).id) } : {}),
  });

  const classesOfGroup = new WeakMap<EventGroupNode, Set<number>>();
  // A group is counted from the classes beneath it, each once: under a grouping by tactic an
  // event can be in several subgroups, so adding up the subgroups' counts would count it twice.
  const recount = (group: EventGroupNode): Set<number> => {
    let members: Set<number>;
    if (group.groups) {
      members = new Set();
      for (const child of group.groups) {
        for (const id of recount(child)) members.add(id);
      }
      sortGroups(group.groups);
    } else {
      members = new Set((group.events ?? []).map((event) => classOfRecord(event.record.index)));
      classesOfGroup.set(group, members);
      group.events = [];
    }
    let count = 0;
    let errors = 0;
    let reads = 0;
    let writes = 0;
    for (const id of members) {
      const profile = classes.profile(id);
      const events = matchedPerClass[id];
      count += events;
      if (profile.errorCode) errors += events;
      if (profile.readOnly === true) reads += events;
      else if (profile.readOnly === false) writes += events;
    }
    group.count = count;
    group.errorCount = errors;
    if (group.kind === 'action') {
      if (writes > 0) group.readOnly = false;
      else if (reads === count && reads > 0) group.readOnly = true;
      else delete group.readOnly;
    }
    return members;
  };
  for (const group of grouping.groups) {
    recount(group);
  }
  sortGroups(grouping.groups);

  const eventCache = new WeakMap<EventGroupNode, FolderEventRef[]>();
  const eventsOf = (group: EventGroupNode): FolderEventRef[] => {
    const members = classesOfGroup.get(group);
    if (!members) {
      return [];
    }
    let events = eventCache.get(group);
    if (!events) {
      events = collectInTimeOrder(files, range, (file, i) => members.has(classes.of(file)[i]) && acceptedCandidate(file, i));
      eventCache.set(group, events);
    }
    return events;
  };
  const visitMatched = (visit: (file: IndexedFile, index: number, topGroup: number) => void): void => {
    // Under a grouping by tactic a class can be in several top groups: its events are visited
    // once for each, as the events of open documents are.
    const topGroupsOfClass: number[][] = Array.from({ length: classes.count }, () => []);
    const mark = (group: EventGroupNode, position: number): void => {
      for (const id of classesOfGroup.get(group) ?? []) {
        const positions = topGroupsOfClass[id];
        if (positions[positions.length - 1] !== position) positions.push(position);
      }
      for (const child of group.groups ?? []) mark(child, position);
    };
    grouping.groups.forEach(mark);
    for (const file of files) {
      const classOf = classes.of(file);
      const { order, first, end } = candidatesOf(file, range);
      for (let k = first; k < end; k++) {
        const i = order ? order[k] : k;
        const topGroups = topGroupsOfClass[classOf[i]];
        if (topGroups.length > 0 && acceptedCandidate(file, i)) {
          for (const topGroup of topGroups) visit(file, i, topGroup);
        }
      }
    }
  };
  return { groups: grouping.groups, total: index.eventCount, matched, eventsOf, visitMatched };
}

const CACHED_GROUPINGS = 4;
const recentGroupings = new WeakMap<FolderIndex, { version: number; entries: { key: string; grouping: FolderGrouping }[] }>();

/**
 * `groupFolderEvents`, remembering the last few groupings of each version of an index: after a
 * brush, the Events view and the Timeline ask for the same grouping and filter. Groupings are
 * never changed by those who read them.
 */
export function cachedFolderGrouping(index: FolderIndex, options: FolderGroupingOptions): FolderGrouping {
  let recent = recentGroupings.get(index);
  if (recent?.version !== index.version) {
    recent = { version: index.version, entries: [] };
    recentGroupings.set(index, recent);
  }
  const key = groupingKey(options);
  const hit = recent.entries.findIndex((entry) => entry.key === key);
  if (hit >= 0) {
    const [entry] = recent.entries.splice(hit, 1);
    recent.entries.unshift(entry);
    return entry.grouping;
  }
  const grouping = groupFolderEvents(index, options);
  recent.entries.unshift({ key, grouping });
  recent.entries.length = Math.min(recent.entries.length, CACHED_GROUPINGS);
  return grouping;
}

/** What of the options decides a grouping, read as `compileFolderFilter` reads it: equal keys, equal groupings. */
function groupingKey(options: FolderGroupingOptions): string {
  const filter = options.filter;
  const range = timeRangeOf(filter);
  return JSON.stringify([
    options.groupBy,
    filter?.text?.trim().toLowerCase() ?? '',
    filter?.service?.trim().toLowerCase() ?? '',
    filter?.errorsOnly === true,
    filter?.writesOnly === true,
    accessLevelFilterValue(filter?.accessLevel) ?? null,
    range ? [range.from, range.to] : null,
  ]);
}

/**
 * The events that grouping cannot tell apart, by class id. Without a grouping by access key a
 * class is a profile; with one, a profile and a key (made for this grouping only, so that the
 * index keeps no profile per session).
 */
interface EventClasses {
  count: number;
  /** The class of each entry of a file. */
  of(file: IndexedFile): Uint32Array;
  profile(id: number): EventProfile;
  accessKeyId(id: number): string | undefined;
}

const noAccessKey = (): undefined => undefined;

function classesByProfile(index: FolderIndex): EventClasses {
  const profiles = index.profiles;
  return { count: profiles.length, of: (file) => file.profiles, profile: (id) => profiles[id], accessKeyId: noAccessKey };
}

const PROFILE_SPLIT = 2 ** 32;

function classesByAccessKey(index: FolderIndex, files: readonly IndexedFile[]): EventClasses {
  const profiles = index.profiles;
  const ids = new Map<number, number>();
  const classProfile: number[] = [];
  const classKey: number[] = [];
  const ofFile = new Map<IndexedFile, Uint32Array>();
  // Each file has its own table of keys: they get ids for the whole folder here, once per key of a file.
  const keys = new StringTable();
  for (const file of files) {
    const keyIds = file.accessKeys.map((key, id) => (id === ABSENT ? ABSENT : keys.id(key)));
    const fileKeys = file.entries.accessKeyId;
    const classOf = new Uint32Array(fileKeys.length);
    for (let i = 0; i < fileKeys.length; i++) {
      const key = keyIds[fileKeys[i]];
      const pair = file.profiles[i] * PROFILE_SPLIT + key;
      let id = ids.get(pair);
      if (id === undefined) {
        id = classProfile.length;
        classProfile.push(file.profiles[i]);
        classKey.push(key);
        ids.set(pair, id);
      }
      classOf[i] = id;
    }
    ofFile.set(file, classOf);
  }
  return {
    count: classProfile.length,
    of: (file) => ofFile.get(file) ?? new Uint32Array(file.entries.count),
    profile: (id) => profiles[classProfile[id]],
    accessKeyId: (id) => keys.get(classKey[id]),
  };
}

const profileDocuments = new WeakMap<FolderIndex, { version: number; document: CloudTrailDocument }>();

/** Every profile of the index as a record of one stand-in document (record i is profile i), built once per index version. */
function profilesDocument(index: FolderIndex): CloudTrailDocument {
  let known = profileDocuments.get(index);
  if (known?.version !== index.version) {
    known = { version: index.version, document: profileDocument(index.profiles, []) };
    profileDocuments.set(index, known);
  }
  return known.document;
}

function profileDocument(profiles: readonly EventProfile[], accessKeyIds: readonly (string | undefined)[]): CloudTrailDocument {
  // A record of a real (tiny) document lends every field the model may add to records; only
  // `index` and `summary` matter to grouping.
  const template = parseCloudTrail('[{}]');
  const lent = template.records[0];
  const records: CloudTrailRecord[] = profiles.map((profile, position) => {
    const accessKeyId = accessKeyIds[position];
    return {
      ...lent,
      index: position,
      summary: {
        identity: accessKeyId === undefined ? profile.identity : { ...profile.identity, accessKeyId },
        ...(profile.eventSource !== undefined ? { eventSource: profile.eventSource } : {}),
        ...(profile.eventName !== undefined ? { eventName: profile.eventName } : {}),
        ...(profile.errorCode !== undefined ? { errorCode: profile.errorCode } : {}),
        ...(profile.readOnly !== undefined ? { readOnly: profile.readOnly } : {}),
      },
    };
  });
  return { ...template, records };
}

/** The entries of `files` that `accepts`, in time order: by eventTime, then file order, then position. */
function collectInTimeOrder(
  files: readonly IndexedFile[],
  range: TimeRange | undefined,
  accepts: (file: IndexedFile, index: number) => boolean,
): FolderEventRef[] {
  const picked: FolderEventRef[] = [];
  const times: number[] = [];
  for (const file of files) {
    const time = file.entries.time;
    const { order, first, end } = candidatesOf(file, range);
    // Candidates of a range come in time order, equal times in position order, so the stable sort
    // below keeps file order, then position order, for equal times.
    for (let k = first; k < end; k++) {
      const i = order ? order[k] : k;
      if (accepts(file, i)) {
        picked.push({ file, index: i });
        times.push(Number.isNaN(time[i]) ? Number.POSITIVE_INFINITY : time[i]);
      }
    }
  }
  const order = Array.from(picked.keys());
  // Array.prototype.sort is stable: equal times keep file order, then entry order.
  order.sort((a, b) => times[a] - times[b] || 0);
  return order.map((position) => picked[position]);
}

/**
 * The entries of a file that can pass a filter: with a time range, those inside it (positions
 * `first` to `end` of `order`, found by binary search in the file's time order); without, all.
 */
function candidatesOf(file: IndexedFile, range: TimeRange | undefined): { order: Uint32Array | undefined; first: number; end: number } {
  if (!range) return { order: undefined, first: 0, end: file.entries.count };
  const { first, end } = timeOrderSpan(file.entries, range.from, range.to);
  return { order: file.entries.timeOrder, first, end };
}

interface FolderFilter {
  /** ACCEPT or REJECT every event of the profile, or CHECK_ENTRY / CHECK_TIME when it depends on the event. */
  profile(profile: EventProfile): number;
  /** For a CHECK_ENTRY or CHECK_TIME profile: whether this event passes. */
  entry(file: IndexedFile, index: number, verdict: number): boolean;
}

function compileFolderFilter(index: FolderIndex, filter: EventFilter | undefined): FolderFilter {
  const needle = filter?.text?.trim().toLowerCase() ?? '';
  const service = filter?.service?.trim().toLowerCase() ?? '';
  const errorsOnly = filter?.errorsOnly === true;
  const writesOnly = filter?.writesOnly === true;
  const accessLevel = accessLevelFilterValue(filter?.accessLevel);
  const range = timeRangeOf(filter);
  // Whether each string of the index contains the needle, worked out once per string.
  const stringMatches = new Uint8Array(index.strings.size);
  // As in an open log, where a value is searched with its quotes: `"alice"` is the whole value alice.
  const quoted = needle.includes('"');
  const contains = (value: string | undefined): boolean => value !== undefined && (quoted ? `"${value.toLowerCase()}"` : value.toLowerCase()).includes(needle);
  const stringHas = (id: number): boolean => {
    if (id === 0) return false;
    let known = stringMatches[id];
    if (known === 0) {
      known = contains(index.string(id)) ? 2 : 1;
      stringMatches[id] = known;
    }
    return known === 2;
  };
  // The same for each file's own table of access keys, made when a file is first searched.
  const keyMatches = new Map<IndexedFile, Uint8Array>();
  const accessKeyHas = (file: IndexedFile, id: number): boolean => {
    if (id === ABSENT) return false;
    let matches = keyMatches.get(file);
    if (!matches) {
      matches = new Uint8Array(file.accessKeys.length);
      keyMatches.set(file, matches);
    }
    if (matches[id] === 0) matches[id] = contains(file.accessKeys[id]) ? 2 : 1;
    return matches[id] === 2;
  };
  return {
    profile(profile) {
      if (errorsOnly && !profile.errorCode) return REJECT;
      if (writesOnly && profile.readOnly === true) return REJECT;
      if (service) {
        const source = profile.eventSource?.toLowerCase();
        if (!source || (source !== service && shortServiceName(source) !== service)) return REJECT;
      }
      // The index keeps no eventType per profile, so service events are read by their names here.
      if (accessLevel !== undefined && eventAccessLevel(profile.eventSource, profile.eventName) !== accessLevel) return REJECT;
      if (!needle) return range ? CHECK_TIME : ACCEPT;
      const identity = profile.identity;
      const hit = [
        profile.eventName,
        profile.eventSource,
        profile.errorCode,
        identity.label,
        identity.key,
        identity.arn,
        identity.accountId,
        identity.type,
        identity.userName,
        identity.sessionName,
        identity.sessionIssuerName,
      ].some(contains);
      return hit ? (range ? CHECK_TIME : ACCEPT) : CHECK_ENTRY;
    },
    entry(file, i, verdict) {
      const entries = file.entries;
      if (range && !range.contains(entries.time[i])) return false;
      if (verdict === CHECK_TIME) return true;
      const t = i * TEXT_FIELD_COUNT;
      const text = entries.strings;
      if (
        stringHas(text[t + TextField.awsRegion]) ||
        stringHas(text[t + TextField.eventType]) ||
        stringHas(text[t + TextField.eventVersion]) ||
        stringHas(text[t + TextField.eventTimeText]) ||
        stringHas(text[t + TextField.eventIdText]) ||
        accessKeyHas(file, entries.accessKeyId[i])
      ) {
        return true;
      }
      const time = entries.time[i];
      if (!Number.isNaN(time) && text[t + TextField.eventTimeText] === 0 && contains(formatEventTime(time))) return true;
      return (entries.flags[i] & EntryFlags.eventIdBytes) !== 0 && contains(readUuid(entries.eventId, i * 16));
    },
  };
}

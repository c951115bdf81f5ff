/**
 * Where a timeline's events come from: open documents (grouped by `groupEvents`) or a folder
 * index (grouped by `groupFolderEvents`), one series per top group of the chosen grouping, or
 * one series per Sigma rule that matched.
 */
import { CloudTrailDocument } from '../cloudTrailDocument';
import { EventFilter, EventGroupNode, eventTimeMs, findGroup, GroupDimension, GroupedEvent, groupEvents } from '../eventGrouping';
import { FolderIndex, IndexedFile } from '../folderIndex/folderIndex';
import { ABSENT, TEXT_FIELD_COUNT, TextField } from '../folderIndex/fileEntries';
import { FolderEventRef, groupFolderEvents } from '../folderIndex/folderGrouping';
import { EventFindings } from './eventFindings';
import { buildTimeline, ColumnsBuilder, TimelineData, TimelineOptions } from './timeBuckets';

export interface TimelineRequestOptions extends TimelineOptions {
  /** One series per group of this dimension; none: every event in one series. */
  groupBy?: GroupDimension;
  filter?: EventFilter;
  /** The rules each event matched: counted per bucket as findings. */
  findings?: EventFindings;
  /**
   * One series per Sigma rule instead of per group: an event is in the series of each rule it
   * matched, and events no rule matched are left out (counted in `withoutFindings`), so that the
   * few findings of a large log are not flattened under its many other events.
   */
  byFindingRule?: boolean;
}

export interface SourcedTimeline extends TimelineData {
  /** Under `byFindingRule`: events that pass the filter but matched no rule, not drawn. */
  withoutFindings?: number;
}

/**
 * How many entries the series of a grouping hold: its matching events, except that an event in
 * several top groups (several ATT&CK tactics) is in each of their series.
 */
function seriesEntries(groups: readonly EventGroupNode[]): number {
  return groups.reduce((sum, group) => sum + group.count, 0);
}

/** Every event of a group and of its subgroups. */
function visitGroupEvents(group: EventGroupNode, visit: (event: GroupedEvent) => void): void {
  for (const event of group.events ?? []) visit(event);
  for (const child of group.groups ?? []) visitGroupEvents(child, visit);
}

/** The columns of a timeline by finding rule: one entry per (event, rule) pair that `visit` hands on. */
function findingRuleTimeline(
  findings: EventFindings | undefined,
  options: TimelineRequestOptions,
  visitEvents: (visit: (place: number | IndexedFile, record: number, time: number, failed: boolean) => void) => void,
): SourcedTimeline {
  const columns = new ColumnsBuilder(findings?.size ?? 0, findings?.rules ?? []);
  let withoutFindings = 0;
  visitEvents((place, record, time, failed) => {
    const rules = findings?.rulesOf(place, record);
    if (!rules) {
      withoutFindings++;
      return;
    }
    for (const rule of rules) columns.add(time, rule, failed, 1);
  });
  return { ...buildTimeline(columns.build(), options), withoutFindings };
}

/** The timeline of open documents. */
export function timelineOfDocuments(documents: readonly CloudTrailDocument[], options: TimelineRequestOptions): SourcedTimeline {
  const { findings } = options;
  if (options.byFindingRule) {
    const all = groupEvents(documents, { groupBy: [], filter: options.filter });
    return findingRuleTimeline(findings, options, (visit) => {
      for (const group of all.groups) {
        visitGroupEvents(group, (event) => { visit(event.documentIndex, event.record.index, eventTimeMs(event.record.summary), event.record.summary.errorCode !== undefined); });
      }
    });
  }
  const grouping = groupEvents(documents, { groupBy: options.groupBy ? [options.groupBy] : [], filter: options.filter });
  const columns = new ColumnsBuilder(seriesEntries(grouping.groups), grouping.groups);
  grouping.groups.forEach((group, position) => {
    visitGroupEvents(group, (event) => {
      const matched = findings?.rulesOf(event.documentIndex, event.record.index)?.length ?? 0;
      columns.add(eventTimeMs(event.record.summary), position, event.record.summary.errorCode !== undefined, matched);
    });
  });
  return buildTimeline(columns.build(), options);
}

function folderEntryFailed(file: IndexedFile, i: number): boolean {
  return file.entries.strings[i * TEXT_FIELD_COUNT + TextField.errorCode] !== ABSENT;
}

/** The timeline of a folder index: one pass over its entries, no object per event. */
export function timelineOfFolder(index: FolderIndex, options: TimelineRequestOptions): SourcedTimeline {
  const { findings } = options;
  if (options.byFindingRule) {
    const all = groupFolderEvents(index, { groupBy: [], filter: options.filter });
    return findingRuleTimeline(findings, options, (visit) => {
      all.visitMatched((file, i) => { visit(file, i, file.entries.time[i], folderEntryFailed(file, i)); });
    });
  }
  const grouping = groupFolderEvents(index, { groupBy: options.groupBy ? [options.groupBy] : [], filter: options.filter });
  const columns = new ColumnsBuilder(seriesEntries(grouping.groups), grouping.groups);
  grouping.visitMatched((file, i, topGroup) => {
    columns.add(file.entries.time[i], topGroup, folderEntryFailed(file, i), findings?.rulesOf(file, i)?.length ?? 0);
  });
  return buildTimeline(columns.build(), options);
}

/** Which events an export or a timeline takes: the filter, and optionally one group of a grouping. */
export interface EventSelection {
  groupBy?: readonly GroupDimension[];
  filter?: EventFilter;
  /** Keys of one group from the top (as in the Events view); absent: every event that passes the filter. */
  group?: readonly string[];
}

function compareTimes(a: number, b: number): number {
  // Unreadable times (NaN) go last, keeping their order.
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}

/** The selected events of open documents, oldest first. */
export function selectDocumentEvents(documents: readonly CloudTrailDocument[], selection: EventSelection): GroupedEvent[] {
  const groupBy = selection.group && selection.group.length > 0 ? (selection.groupBy ?? []) : [];
  const grouping = groupEvents(documents, { groupBy, filter: selection.filter });
  const picked: GroupedEvent[] = [];
  const top = groupBy.length === 0 ? grouping.groups : [findGroup(grouping.groups, selection.group ?? [])];
  for (const group of top) {
    if (group) visitGroupEvents(group, (event) => picked.push(event));
  }
  const times = new Map(picked.map((event) => [event, eventTimeMs(event.record.summary)]));
  return picked.sort((a, b) => compareTimes(times.get(a) ?? Number.NaN, times.get(b) ?? Number.NaN));
}

/** The selected events of a folder index, oldest first, as (file, entry) pairs. */
export function selectFolderEvents(index: FolderIndex, selection: EventSelection): FolderEventRef[] {
  const groupBy = selection.group && selection.group.length > 0 ? (selection.groupBy ?? []) : [];
  const grouping = groupFolderEvents(index, { groupBy, filter: selection.filter });
  const top = groupBy.length === 0 ? grouping.groups : [findGroup(grouping.groups, selection.group ?? [])];
  const picked: FolderEventRef[] = [];
  const collect = (group: EventGroupNode): void => {
    if (group.groups) group.groups.forEach(collect);
    else picked.push(...grouping.eventsOf(group));
  };
  for (const group of top) {
    if (group) collect(group);
  }
  if (top.length > 1 || (top[0]?.groups?.length ?? 0) > 0) {
    picked.sort((a, b) => compareTimes(a.file.entries.time[a.index], b.file.entries.time[b.index]));
  }
  return picked;
}

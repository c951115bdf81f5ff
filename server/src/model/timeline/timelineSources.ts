/**
 * Where a timeline's events come from: open documents (grouped by `groupEvents`) or a folder
 * index (grouped by `groupFolderEvents`), one series per top group of the chosen grouping.
 */
import { CloudTrailDocument } from '../cloudTrailDocument';
import { EventFilter, EventGroupNode, eventTimeMs, findGroup, GroupDimension, GroupedEvent, groupEvents } from '../eventGrouping';
import { FolderIndex } from '../folderIndex/folderIndex';
import { ABSENT, TEXT_FIELD_COUNT, TextField } from '../folderIndex/fileEntries';
import { FolderEventRef, groupFolderEvents } from '../folderIndex/folderGrouping';
import { buildTimeline, ColumnsBuilder, TimelineData, TimelineOptions } from './timeBuckets';

export interface TimelineRequestOptions extends TimelineOptions {
  /** One series per group of this dimension; none: every event in one series. */
  groupBy?: GroupDimension;
  filter?: EventFilter;
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

/** The timeline of open documents. */
export function timelineOfDocuments(documents: readonly CloudTrailDocument[], options: TimelineRequestOptions): TimelineData {
  const grouping = groupEvents(documents, { groupBy: options.groupBy ? [options.groupBy] : [], filter: options.filter });
  const columns = new ColumnsBuilder(seriesEntries(grouping.groups), grouping.groups);
  grouping.groups.forEach((group, position) => {
    visitGroupEvents(group, (event) => { columns.add(eventTimeMs(event.record.summary), position, event.record.summary.errorCode !== undefined); });
  });
  return buildTimeline(columns.build(), options);
}

/** The timeline of a folder index: one pass over its entries, no object per event. */
export function timelineOfFolder(index: FolderIndex, options: TimelineRequestOptions): TimelineData {
  const grouping = groupFolderEvents(index, { groupBy: options.groupBy ? [options.groupBy] : [], filter: options.filter });
  const columns = new ColumnsBuilder(seriesEntries(grouping.groups), grouping.groups);
  grouping.visitMatched((file, i, topGroup) => {
    columns.add(file.entries.time[i], topGroup, file.entries.strings[i * TEXT_FIELD_COUNT + TextField.errorCode] !== ABSENT);
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

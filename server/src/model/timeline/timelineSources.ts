/**
 * Where a timeline's events come from: open documents (grouped by `groupEvents`) or a folder
 * index (grouped by `groupFolderEvents`), one series per top group of the chosen grouping.
 */
import { CloudTrailDocument } from '../cloudTrailDocument';
import { EventFilter, EventGroupNode, eventTimeMs, findGroup, GroupDimension, GroupedEvent, groupEvents } from '../eventGrouping';
import { FolderIndex } from '../folderIndex/folderIndex';
import { ABSENT, compareEventTimes, TEXT_FIELD_COUNT, TextField } from '../folderIndex/fileEntries';
import { cachedFolderGrouping, FolderEventRef, groupFolderEvents } from '../folderIndex/folderGrouping';
import { IndexedFile } from '../folderIndex/folderIndex';
import { buildTimeline, ColumnsBuilder, TimelineData, TimelineOptions } from './timeBuckets';

export interface TimelineRequestOptions extends TimelineOptions {
  /** One series per group of this dimension; none: every event in one series. */
  groupBy?: GroupDimension;
  filter?: EventFilter;
  /** One series per detection rule, counting the events each matched, instead of the grouping's series. */
  seriesByRule?: boolean;
}

/** A detection rule as a timeline series: its id and its title. */
export interface RuleSeries {
  key: string;
  label: string;
}

/** The findings of open documents: rule positions into `rules`, records by their index in their document. */
export interface DocumentTimelineFindings {
  rules: readonly RuleSeries[];
  byDocument: readonly (readonly { record: number; rule: number }[])[];
}

/** The findings of a folder index, as the index keeps them. */
export interface FolderTimelineFindings {
  rules: readonly RuleSeries[];
  findings: readonly { file: IndexedFile; entry: number; rule: number }[];
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

/** The rule positions that matched each record, per document or file: empty for records without findings. */
function rulesByRecord<Owner>(findings: Iterable<{ owner: Owner; record: number; rule: number }>): Map<Owner, Map<number, number[]>> {
  const byOwner = new Map<Owner, Map<number, number[]>>();
  for (const { owner, record, rule } of findings) {
    let records = byOwner.get(owner);
    if (!records) {
      records = new Map();
      byOwner.set(owner, records);
    }
    const rules = records.get(record);
    if (!rules) records.set(record, [rule]);
    else if (!rules.includes(rule)) rules.push(rule);
  }
  return byOwner;
}

/**
 * The timeline of open documents. With findings, events that a rule matched are marked; with
 * `seriesByRule`, the series are the rules and count the events (passing the filter) each matched.
 */
export function timelineOfDocuments(documents: readonly CloudTrailDocument[], options: TimelineRequestOptions, found?: DocumentTimelineFindings): TimelineData {
  const byRecord = rulesByRecord((found?.byDocument ?? []).flatMap((findings, owner) => findings.map(({ record, rule }) => ({ owner, record, rule }))));
  const rulesOf = (event: GroupedEvent): number[] | undefined => byRecord.get(event.documentIndex)?.get(event.record.index);
  if (options.seriesByRule === true) {
    const grouping = groupEvents(documents, { groupBy: [], filter: options.filter });
    const columns = new ColumnsBuilder(
      (found?.byDocument ?? []).reduce((sum, findings) => sum + findings.length, 0),
      found?.rules ?? [],
    );
    for (const group of grouping.groups) {
      visitGroupEvents(group, (event) => {
        const summary = event.record.summary;
        for (const rule of rulesOf(event) ?? []) columns.add(eventTimeMs(summary), rule, summary.errorCode !== undefined, true);
      });
    }
    return buildTimeline(columns.build(), options);
  }
  const grouping = groupEvents(documents, { groupBy: options.groupBy ? [options.groupBy] : [], filter: options.filter });
  const columns = new ColumnsBuilder(seriesEntries(grouping.groups), grouping.groups);
  grouping.groups.forEach((group, position) => {
    visitGroupEvents(group, (event) => {
      columns.add(eventTimeMs(event.record.summary), position, event.record.summary.errorCode !== undefined, rulesOf(event) !== undefined);
    });
  });
  return buildTimeline(columns.build(), options);
}

/** Flags of the entries with findings, per file, built once per list of findings (the server keeps one per index version). */
const flagsOfFindings = new WeakMap<FolderTimelineFindings['findings'], Map<IndexedFile, Uint8Array>>();

function findingFlags(findings: FolderTimelineFindings['findings']): Map<IndexedFile, Uint8Array> {
  const known = flagsOfFindings.get(findings);
  if (known) return known;
  const flagged = new Map<IndexedFile, Uint8Array>();
  for (const { file, entry } of findings) {
    let flags = flagged.get(file);
    if (!flags) {
      flags = new Uint8Array(file.entries.count);
      flagged.set(file, flags);
    }
    flags[entry] = 1;
  }
  flagsOfFindings.set(findings, flagged);
  return flagged;
}

/**
 * The timeline of a folder index: one pass over its entries, no object per event. Findings are
 * flags per entry; by rule, each finding of a shown event is one entry of its rule's series.
 */
export function timelineOfFolder(index: FolderIndex, options: TimelineRequestOptions, found?: FolderTimelineFindings): TimelineData {
  const flagged = found ? findingFlags(found.findings) : new Map<IndexedFile, Uint8Array>();
  const bySeries = options.seriesByRule === true;
  const grouping = cachedFolderGrouping(index, { groupBy: !bySeries && options.groupBy ? [options.groupBy] : [], filter: options.filter });
  const failedAt = (file: IndexedFile, i: number): boolean => file.entries.strings[i * TEXT_FIELD_COUNT + TextField.errorCode] !== ABSENT;
  if (!bySeries) {
    const columns = new ColumnsBuilder(seriesEntries(grouping.groups), grouping.groups);
    let flagsFile: IndexedFile | undefined;
    let flags: Uint8Array | undefined;
    grouping.visitMatched((file, i, topGroup) => {
      if (file !== flagsFile) {
        flagsFile = file;
        flags = flagged.get(file);
      }
      columns.add(file.entries.time[i], topGroup, failedAt(file, i), flags?.[i] === 1);
    });
    return buildTimeline(columns.build(), options);
  }
  // The shown events, then one entry per (shown event, rule) pair.
  const shown = new Map<IndexedFile, Uint8Array>();
  grouping.visitMatched((file, i) => {
    let flags = shown.get(file);
    if (!flags) {
      flags = new Uint8Array(file.entries.count);
      shown.set(file, flags);
    }
    flags[i] = 1;
  });
  const findings = found?.findings ?? [];
  const columns = new ColumnsBuilder(findings.length, found?.rules ?? []);
  const ruleCount = Math.max(1, found?.rules.length ?? 0);
  const seen = new Set<number>();
  for (const { file, entry, rule } of findings) {
    if (shown.get(file)?.[entry] !== 1) continue;
    // A record is counted once per rule, however many windows of a correlation it was in.
    const pair = (file.id * 2 ** 21 + entry) * ruleCount + rule;
    if (seen.has(pair)) continue;
    seen.add(pair);
    columns.add(file.entries.time[entry], rule, failedAt(file, entry), true);
  }
  return buildTimeline(columns.build(), options);
}

/** Which events an export or a timeline takes: the filter, and optionally one group of a grouping. */
export interface EventSelection {
  groupBy?: readonly GroupDimension[];
  filter?: EventFilter;
  /** Keys of one group from the top (as in the Events view); absent: every event that passes the filter. */
  group?: readonly string[];
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
  return picked.sort((a, b) => compareEventTimes(times.get(a) ?? Number.NaN, times.get(b) ?? Number.NaN));
}

/** The selected events of a folder index, oldest first, as (file, entry) pairs. */
export function selectFolderEvents(index: FolderIndex, selection: EventSelection): FolderEventRef[] {
  const groupBy = selection.group && selection.group.length > 0 ? (selection.groupBy ?? []) : [];
  // Not the shared grouping: the lists of events collected here would stay cached with it.
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
    picked.sort((a, b) => compareEventTimes(a.file.entries.time[a.index], b.file.entries.time[b.index]));
  }
  return picked;
}

/**
 * The events of a view written out for other tools: CSV of the usual CloudTrail columns, JSON
 * Lines of the whole records, or a timeline CSV in the columns incident responders work with.
 * Values are written as the log has them; the CSV writer does the quoting.
 */
import { stringify } from 'csv-stringify/sync';
import { CloudTrailRecord } from '../cloudTrailDocument';
import { RuleSet } from '../detections';
import { JsonView, NO_NODE } from '../json/nodeTable';

export type ExportFormat = 'csv' | 'jsonl' | 'timeline-csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'timeline-csv'];

/** One event to write: its record, the file it is in and the names of the rules it matched. */
export interface ExportEvent {
  record: CloudTrailRecord;
  /** The file (a path or URI) holding the record. */
  file: string;
  findings?: readonly string[];
}

/** The titles of the rules each record matched, by record position, for the finding column. */
export function findingTitles(rules: RuleSet, findings: Iterable<{ record: number; rule: number }>): Map<number, string[]> {
  const titles = new Map<number, string[]>();
  for (const { record, rule } of findings) {
    const title = rules.rules.at(rule)?.metadata.title;
    if (title === undefined) continue;
    const list = titles.get(record) ?? [];
    if (!list.includes(title)) list.push(title);
    titles.set(record, list);
  }
  return titles;
}

const CSV_COLUMNS = [
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'userIdentityType',
  'userIdentityArn',
  'accessKeyId',
  'recipientAccountId',
  'readOnly',
  'errorCode',
  'errorMessage',
  'eventID',
  'file',
  'record',
] as const;

const TIMELINE_COLUMNS = ['time', 'identity', 'source_ip', 'region', 'action', 'result', 'error', 'finding', 'file', 'record'] as const;

/** Values from a log are cut here in CSV cells; whole records go to JSON Lines. */
const MAX_CELL_LENGTH = 4096;

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `@`, a tab or carriage return first,
 * or `-` before something that is not a number) gets a leading apostrophe: the log's author must
 * not be able to make a responder's spreadsheet compute.
 */
function safeCell(value: string | undefined): string {
  if (value === undefined) return '';
  const cell = value.length > MAX_CELL_LENGTH ? value.slice(0, MAX_CELL_LENGTH) : value;
  const first = cell.charAt(0);
  if (first === '=' || first === '+' || first === '@' || first === '\t' || first === '\r' || (first === '-' && !/^-\d+(?:\.\d+)?$/.test(cell))) {
    return `'${cell}`;
  }
  return cell;
}

function stringAt(view: JsonView, node: number, ...path: string[]): string | undefined {
  if (node === NO_NODE) return undefined;
  const value = view.scalar(view.path(node, ...path));
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function csvRow(event: ExportEvent): string[] {
  const { record } = event;
  const { view } = record.source;
  const summary = record.summary;
  return [
    summary.eventTime,
    summary.eventSource,
    summary.eventName,
    summary.awsRegion,
    stringAt(view, record.node, 'sourceIPAddress'),
    stringAt(view, record.node, 'userAgent'),
    summary.identity.type,
    summary.identity.arn,
    stringAt(view, record.node, 'userIdentity', 'accessKeyId'),
    stringAt(view, record.node, 'recipientAccountId'),
    summary.readOnly === undefined ? undefined : String(summary.readOnly),
    summary.errorCode,
    stringAt(view, record.node, 'errorMessage'),
    summary.eventID,
    event.file,
    String(record.index),
  ].map(safeCell);
}

function timelineRow(event: ExportEvent): string[] {
  const { record } = event;
  const summary = record.summary;
  const action = summary.eventName === undefined ? undefined : `${summary.eventSource ?? ''}${summary.eventSource ? ' ' : ''}${summary.eventName}`;
  return [
    summary.eventTime,
    summary.identity.arn ?? summary.identity.label,
    stringAt(record.source.view, record.node, 'sourceIPAddress'),
    summary.awsRegion,
    action,
    summary.errorCode === undefined ? 'success' : 'failure',
    summary.errorCode,
    (event.findings ?? []).join('; '),
    event.file,
    String(record.index),
  ].map(safeCell);
}

/** The record as one line of JSON: the log's own text, compacted; a record that is not valid JSON is kept as text. */
export function recordJsonLine(event: ExportEvent): string {
  const { record } = event;
  const text = record.node === NO_NODE ? '' : record.source.view.source(record.node);
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return JSON.stringify({ unreadableRecord: { file: event.file, record: record.index, text } });
  }
}

/** The header line of a format (empty for JSON Lines). */
export function exportHeader(format: ExportFormat): string {
  if (format === 'jsonl') return '';
  return stringify([format === 'csv' ? [...CSV_COLUMNS] : [...TIMELINE_COLUMNS]]);
}

/** The lines of some events in a format, without the header; each ends with a line break. */
export function exportLines(format: ExportFormat, events: readonly ExportEvent[]): string {
  if (format === 'jsonl') {
    return events.map((event) => `${recordJsonLine(event)}\n`).join('');
  }
  return events.length === 0 ? '' : stringify(events.map(format === 'csv' ? csvRow : timelineRow));
}

/** A whole export: header and every event. */
export function exportText(format: ExportFormat, events: readonly ExportEvent[]): string {
  return exportHeader(format) + exportLines(format, events);
}

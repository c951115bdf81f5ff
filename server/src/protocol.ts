/**
 * The messages between the extension and the CloudTrail language server beyond standard LSP.
 * Defined once here; the client and the server both import this module, so the two sides cannot
 * drift apart.
 */
import { NotificationType, Range, RequestType, TextDocumentIdentifier, Position, WorkDoneProgressParams } from 'vscode-languageserver-protocol';

// The tree's grouping and filter are the model's own types (type-only: nothing of the model is bundled into the client).
export type { EventFilter, GroupDimension } from './model/eventGrouping';
import type { EventFilter, GroupDimension } from './model/eventGrouping';
import type { RuleLevel } from './model/detections/types';
export type { RuleLevel } from './model/detections/types';

export interface EventRef {
  /** Position of the record in its file, from 0. */
  index: number;
  eventID?: string;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  /** The identity group key of the event. */
  identity: string;
  /** The identity's readable label. */
  identityLabel?: string;
  identityType?: string;
  awsRegion?: string;
  errorCode?: string;
  readOnly?: boolean;
  /** The record's range in the document. */
  range: Range;
  /** The record has diagnostics of severity warning or error. */
  hasProblems?: boolean;
  /** The file holding the record, for folder indexes and trees over several documents. */
  uri?: string;
  /** From `cloudtrail/eventAt` when asked with `groupBy`: the keys of the event's groups from the top. */
  groupPath?: string[];
  /** With `groupPath`: the event's place among its innermost group's events, from 0. */
  positionInGroup?: number;
}

export interface EventGroup {
  key: string;
  label: string;
  description?: string;
  /**
   * What the group is: an action, an identity (with its type), a role holding sessions, an IAM
   * access level, an access key, an ATT&CK tactic of the attack catalogue (key and description:
   * its ATT&CK id; the group of events the catalogue does not list has no description; an event
   * with several tactics is in each), or every event (no grouping).
   */
  kind?: 'action' | 'identity' | 'role' | 'accessLevel' | 'accessKey' | 'tactic' | 'all';
  identityType?: string;
  /** For actions: the service, e.g. "acm.amazonaws.com". */
  eventSource?: string;
  /** For actions: whether every event of the group only reads. */
  readOnly?: boolean;
  /** Where the group's data comes from, to be shown with it (the attack catalogue's credit for tactics). */
  credit?: string;
  count: number;
  errorCount: number;
  groups?: EventGroup[];
  events?: EventRef[];
  /** Events after `events` that were left out; ask again with an `offset` (or a larger `limit`). */
  moreEvents?: number;
}

export interface EventTreeParams {
  textDocument: TextDocumentIdentifier;
  groupBy: GroupDimension[];
  filter?: EventFilter;
  /** The most events listed in one group (default 500; the rest are counted in `moreEvents`). */
  limit?: number;
  /** The first event listed in a group, for the next page (default 0). */
  offset?: number;
  /** Group the events of all these documents together (default: `textDocument` alone). */
  scope?: TextDocumentIdentifier[];
  /**
   * The URI of a folder (or file) indexed with `cloudtrail/indexFolder`: the tree then lists the
   * events of that index, and `textDocument` and `scope` are not used. Every EventRef carries the
   * `uri` of its file and its `range` in the (decompressed) document. `filter.text` is matched
   * against the indexed fields (names, identity, region, error, time, event ID), not whole records.
   */
  folder?: string;
  /** Keys of one group from the top: the answer then holds that group alone, with its contents. */
  group?: string[];
  /**
   * Levels of contents to list (default: all). 1 lists the top groups (or the contents of `group`)
   * with their counts but not their own contents, which are asked for when needed.
   */
  depth?: number;
}

export interface EventTreeResult {
  groups: EventGroup[];
  /** Events in the document, and events that passed the filter. */
  total: number;
  matched: number;
}

export namespace EventTreeRequest {
  export const method = 'cloudtrail/eventTree';
  export const type = new RequestType<EventTreeParams, EventTreeResult | null, void>(method);
}

export interface EventAtParams {
  textDocument: TextDocumentIdentifier;
  position: Position;
  /** To locate the event in the event tree: the tree's grouping, filter and scope. */
  groupBy?: GroupDimension[];
  filter?: EventFilter;
  scope?: TextDocumentIdentifier[];
}

export namespace EventAtRequest {
  export const method = 'cloudtrail/eventAt';
  export const type = new RequestType<EventAtParams, EventRef | null, void>(method);
}

export interface DocumentSummary {
  uri: string;
  version: number | null;
  shape: string;
  events: number;
  failedEvents: number;
  errors: number;
  warnings: number;
}

/** Sent whenever the server has a new model of a document (and when it is closed, with zero events). */
export namespace ModelChangedNotification {
  export const method = 'cloudtrail/modelChanged';
  export const type = new NotificationType<DocumentSummary>(method);
}

export interface IndexFolderParams extends WorkDoneProgressParams {
  /** A folder (every log file below it is indexed) or a single log file, as a `file:` URI. */
  uri: string;
  /** Read the files again even if the index exists already. */
  refresh?: boolean;
  /** Compressed files larger than this once decompressed are not indexed (default 1024). */
  maxDecompressedMB?: number;
}

export interface IndexedFileProblem {
  uri: string;
  status: 'damaged' | 'tooLarge' | 'unreadable';
  message: string;
}

export interface FolderIndexSummary {
  /** The index's URI, as in `IndexFolderParams.uri`: pass it as `EventTreeParams.folder`. */
  uri: string;
  /** Files looked at (all with a log file's extension). */
  files: number;
  /** Files whose events are in the index. */
  indexedFiles: number;
  events: number;
  /** Bytes of log content read (after decompression). */
  contentBytes: number;
  /** Files that are not CloudTrail logs, skipped. */
  notCloudTrail: number;
  /** Files that were damaged, too large or unreadable, each with a message for the user. */
  problems: IndexedFileProblem[];
  /** URIs of indexed files longer than VS Code hands to extensions (50 MB): no editor features for them. */
  largeFiles: string[];
  /** About how many bytes of memory the index takes. */
  indexBytes: number;
}

/**
 * Indexes a folder of logs (or one log file) from disk, reporting work-done progress (files done,
 * events indexed) when the request carries a `workDoneToken`; cancelling the request stops it.
 * The index is then kept up to date as files are added, changed or removed.
 */
export namespace IndexFolderRequest {
  export const method = 'cloudtrail/indexFolder';
  export const type = new RequestType<IndexFolderParams, FolderIndexSummary, void>(method);
}

/** Sent by the server when files of an indexed folder changed and the index was updated. */
export namespace FolderIndexChangedNotification {
  export const method = 'cloudtrail/folderIndexChanged';
  export const type = new NotificationType<FolderIndexSummary>(method);
}

/** Sent by the client when it no longer needs a folder index: the server drops it and stops watching. */
export namespace CloseFolderIndexNotification {
  export const method = 'cloudtrail/closeFolderIndex';
  export const type = new NotificationType<{ uri: string }>(method);
}

// --- The formatted view of a log ----------------------------------------------------------------

export interface FormattedLogParams {
  /**
   * The log: the URI of a document open on the server, or a `file:` URI read from disk (a gzip
   * file is decompressed).
   */
  uri: string;
  /** Compressed files larger than this once decompressed are refused (default 1024). */
  maxDecompressedMB?: number;
}

export interface FormattedLogResult {
  /** The log laid out one property per line; every token of the original, in order, unchanged. */
  text: string;
}

/** The formatted text of a log. The server keeps the map between its positions and the original's for `MapFormattedRangesRequest`. */
export namespace FormattedLogRequest {
  export const method = 'cloudtrail/formattedLog';
  export const type = new RequestType<FormattedLogParams, FormattedLogResult, void>(method);
}

export interface MapFormattedRangesParams extends FormattedLogParams {
  ranges: Range[];
  /** `formatted`: the ranges are in the original and are wanted in the formatted text; `original`: the other way. */
  to: 'formatted' | 'original';
}

/** Moves ranges between a log and its formatted text: each lands on the same tokens. */
export namespace MapFormattedRangesRequest {
  export const method = 'cloudtrail/mapFormattedRanges';
  export const type = new RequestType<MapFormattedRangesParams, Range[], void>(method);
}

// ---------------------------------------------------------------------------------------------
// Checking parameters
//
// A request's parameters come from the other end of a pipe and are checked before use: the
// server answers parameters of the wrong shape with an InvalidParams error, never with a guess.
// ---------------------------------------------------------------------------------------------

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOptional(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isDocumentIdentifier(value: unknown): value is TextDocumentIdentifier {
  return isObject(value) && typeof value.uri === 'string';
}

function isPosition(value: unknown): value is Position {
  return isObject(value) && isCount(value.line) && isCount(value.character);
}

const GROUP_DIMENSIONS: readonly unknown[] = ['action', 'identity', 'accessLevel', 'accessKey', 'tactic'] satisfies GroupDimension[];

function isGroupBy(value: unknown): value is GroupDimension[] {
  return Array.isArray(value) && value.length <= 8 && value.every((dimension) => GROUP_DIMENSIONS.includes(dimension));
}

function isFilter(value: unknown): value is EventFilter {
  return (
    isObject(value) &&
    isOptional(value.text, (text) => typeof text === 'string') &&
    isOptional(value.errorsOnly, (flag) => typeof flag === 'boolean') &&
    isOptional(value.writesOnly, (flag) => typeof flag === 'boolean') &&
    isOptional(value.service, (service) => typeof service === 'string') &&
    isOptional(value.from, (time) => typeof time === 'string') &&
    isOptional(value.to, (time) => typeof time === 'string')
  );
}

function isScope(value: unknown): value is TextDocumentIdentifier[] {
  return Array.isArray(value) && value.every(isDocumentIdentifier);
}

/** Whether `value` is a well-formed `cloudtrail/eventTree` request's parameters. */
export function isEventTreeParams(value: unknown): value is EventTreeParams {
  return (
    isObject(value) &&
    isDocumentIdentifier(value.textDocument) &&
    isGroupBy(value.groupBy) &&
    isOptional(value.filter, isFilter) &&
    isOptional(value.limit, isCount) &&
    isOptional(value.offset, isCount) &&
    isOptional(value.scope, isScope) &&
    isOptional(value.folder, (folder) => typeof folder === 'string') &&
    isOptional(value.group, (group) => Array.isArray(group) && group.every((key) => typeof key === 'string')) &&
    isOptional(value.depth, isCount)
  );
}

/** Whether `value` is a well-formed `cloudtrail/eventAt` request's parameters. */
export function isEventAtParams(value: unknown): value is EventAtParams {
  return (
    isObject(value) &&
    isDocumentIdentifier(value.textDocument) &&
    isPosition(value.position) &&
    isOptional(value.groupBy, isGroupBy) &&
    isOptional(value.filter, isFilter) &&
    isOptional(value.scope, isScope)
  );
}

/** Whether `value` is a well-formed `cloudtrail/indexFolder` request's parameters. */
export function isIndexFolderParams(value: unknown): value is IndexFolderParams {
  return (
    isObject(value) &&
    typeof value.uri === 'string' &&
    isOptional(value.refresh, (flag) => typeof flag === 'boolean') &&
    isOptional(value.maxDecompressedMB, (size) => typeof size === 'number' && Number.isFinite(size) && size > 0) &&
    isOptional(value.workDoneToken, (token) => typeof token === 'string' || typeof token === 'number')
  );
}

/** Whether `value` is a well-formed `cloudtrail/closeFolderIndex` notification's parameters. */
export function isCloseFolderIndexParams(value: unknown): value is { uri: string } {
  return isObject(value) && typeof value.uri === 'string';
}

/** Whether `value` holds a text document and a position, as hovers and the other position requests do. */
export function isTextDocumentPositionParams(value: unknown): value is { textDocument: TextDocumentIdentifier; position: Position } {
  return isObject(value) && isDocumentIdentifier(value.textDocument) && isPosition(value.position);
}

/** Whether `value` holds a text document, a range and the diagnostics of a code action request. */
export function isCodeActionParams(value: unknown): value is { textDocument: TextDocumentIdentifier; range: Range; context: { diagnostics: unknown[] } } {
  return (
    isObject(value) &&
    isDocumentIdentifier(value.textDocument) &&
    isObject(value.range) &&
    isPosition(value.range.start) &&
    isPosition(value.range.end) &&
    isObject(value.context) &&
    Array.isArray(value.context.diagnostics) &&
    value.context.diagnostics.every(
      (diagnostic) => isObject(diagnostic) && isObject(diagnostic.range) && isPosition(diagnostic.range.start) && isPosition(diagnostic.range.end),
    )
  );
}

/** Whether `value` holds a text document, as outline, folding and diagnostics requests do. */
export function isTextDocumentParams(value: unknown): value is { textDocument: TextDocumentIdentifier } {
  return isObject(value) && isDocumentIdentifier(value.textDocument);
}

/** Whether `value` is a well-formed `cloudtrail/formattedLog` request's parameters. */
export function isFormattedLogParams(value: unknown): value is FormattedLogParams {
  return (
    isObject(value) &&
    typeof value.uri === 'string' &&
    isOptional(value.maxDecompressedMB, (size) => typeof size === 'number' && Number.isFinite(size) && size > 0)
  );
}

function isRange(value: unknown): value is Range {
  return isObject(value) && isPosition(value.start) && isPosition(value.end);
}

/** Whether `value` is a well-formed `cloudtrail/mapFormattedRanges` request's parameters. */
export function isMapFormattedRangesParams(value: unknown): value is MapFormattedRangesParams {
  if (!isObject(value)) return false;
  const { to, ranges } = value;
  return isFormattedLogParams(value) && (to === 'formatted' || to === 'original') && Array.isArray(ranges) && ranges.every(isRange);
}

// ---------------------------------------------------------------------------------------------
// Inspecting the server
// ---------------------------------------------------------------------------------------------

export interface HeapAfterCollection {
  /** `process.memoryUsage().heapUsed` right after a full garbage collection, in bytes. */
  heapUsed: number;
  /** The resident set size at the same moment, in bytes. */
  rss: number;
}

/**
 * Collects garbage and answers how much heap is still in use: what tests and the benchmark use
 * to tell a leak from garbage not yet collected. Only a server started with `--expose-gc` can
 * collect on request; others answer with an error.
 */
export namespace HeapAfterCollectionRequest {
  export const method = 'cloudtrail/heapAfterCollection';
  export const type = new RequestType<null, HeapAfterCollection, void>(method);
}

// --- Timeline and export ---------------------------------------------------------------------

/** Which events a timeline or an export covers: open documents or a folder index, and the view's grouping and filter. */
export interface EventSelectionParams {
  textDocument?: TextDocumentIdentifier;
  /** Several open documents together (as the Events view's "all open logs"). */
  scope?: TextDocumentIdentifier[];
  /** A folder index's URI (as in `EventTreeParams.folder`); then the documents are not used. */
  folder?: string;
  groupBy?: GroupDimension[];
  filter?: EventFilter;
  /** Keys of one group from the top: only its events. */
  group?: string[];
}

export interface TimelineParams extends EventSelectionParams {
  /** About how many bars to draw (default 120). */
  bucketTarget?: number;
  /** The range to draw, ISO 8601 times; by default the events' own range. */
  from?: string;
  to?: string;
  /** One series per Sigma rule (the events it matched) instead of one per group of `groupBy[0]`. */
  seriesByRule?: boolean;
}

export interface TimelineSeriesWire {
  key: string;
  label: string;
  count: number;
}

export interface TimelineResult {
  /** Milliseconds since 1970 (UTC) of the first bucket's start and the last bucket's end. */
  start: number;
  end: number;
  bucketMs: number;
  /** One series per top group of `groupBy[0]`, largest first; small ones summed into one. */
  series: TimelineSeriesWire[];
  /** counts[series][bucket]. */
  counts: number[][];
  /** Failed calls per bucket. */
  failed: number[];
  /** Events that a Sigma rule matched, per bucket (empty lists when detections are off). */
  findings: number[];
  /** Events drawn, and events left out because their time cannot be read. */
  total: number;
  untimed: number;
  /** What the selection covers, for the view's message. */
  source: string;
}

/** Counts of events over time, aggregated on the server: the timeline never receives events. */
export namespace TimelineRequest {
  export const method = 'cloudtrail/timeline';
  export const type = new RequestType<TimelineParams, TimelineResult | null, void>(method);
}

export type ExportFormat = 'csv' | 'jsonl' | 'timeline-csv';

export interface ExportEventsParams extends EventSelectionParams {
  format: ExportFormat;
}

export interface ExportEventsResult {
  text: string;
  events: number;
  /** Files of a folder index that could not be read again, with why. */
  problems: string[];
}

export namespace ExportEventsRequest {
  export const method = 'cloudtrail/exportEvents';
  export const type = new RequestType<ExportEventsParams, ExportEventsResult | null, void>(method);
}

// ---------------------------------------------------------------------------------------------
// Findings of the Sigma rules, and SQL for Athena and CloudTrail Lake

/** How the Findings view groups findings: by the rule that matched, by the rule's ATT&CK tactics, or by who made the call. */
export type FindingsGrouping = 'rule' | 'tactic' | 'identity';

export interface FindingsParams {
  textDocument: TextDocumentIdentifier;
  /** Findings of all these documents together (default: `textDocument` alone). */
  scope?: TextDocumentIdentifier[];
  groupBy: FindingsGrouping;
  /** The most findings listed in one group (default 500; the rest are counted in `moreFindings`). */
  limit?: number;
  /** Only findings on events in [from, to) (ISO 8601 times), as the Events view's time filter keeps them. */
  from?: string;
  to?: string;
  /**
   * The URI of a folder indexed with `cloudtrail/indexFolder`: the findings of its logs (read
   * again from disk), and `textDocument` and `scope` are not used. Every event carries its `uri`.
   */
  folder?: string;
}

/** What a rule says about itself, for labels, tooltips and hovers (the rule file's own text). */
export interface FindingRule {
  /** The rule's position in the server's rule set, as `FindingRef.rule` names it. */
  index: number;
  id: string;
  title: string;
  level: RuleLevel;
  description?: string;
  /** Required by the rules' licence wherever a match is shown. */
  author?: string;
  tags: string[];
  /** ATT&CK tactics, hyphenated (`privilege-escalation`). */
  tactics: string[];
  falsepositives: string[];
  references: string[];
  origin: 'bundled' | 'user';
  /** The rule file, for rules of the user's folders. */
  file?: string;
  /** The rule can be copied as SQL (single-event rules; not correlations). */
  hasSql: boolean;
}

export interface FindingRef {
  /** The rule, as `FindingRule.index`. */
  rule: number;
  event: EventRef;
  /** For correlations: how many other events of the window made it match. */
  related?: number;
}

export interface FindingGroup {
  key: string;
  label: string;
  kind: FindingsGrouping;
  /** For rule groups: the rule; for tactic and identity groups: undefined. */
  rule?: number;
  /** For identity groups: the identity's type. */
  identityType?: string;
  /** Findings in the group (a finding whose rule has several tactics is under each). */
  count: number;
  findings: FindingRef[];
  moreFindings?: number;
}

export interface FindingsResult {
  /** The rules that matched, by index. */
  rules: FindingRule[];
  groups: FindingGroup[];
  /** Findings in the documents. */
  total: number;
  /** False when detections are turned off (`cloudtrail.detections.enabled`). */
  enabled: boolean;
}

/** The findings of the Sigma rules in open documents, grouped for the Findings view. */
export namespace FindingsRequest {
  export const method = 'cloudtrail/findings';
  export const type = new RequestType<FindingsParams, FindingsResult | null, void>(method);
}

export type SqlDialect = 'athena' | 'lake';

export interface RuleSqlParams {
  /** The rule's id. */
  ruleId: string;
  dialect: SqlDialect;
  /** Athena: the table (default cloudtrail_logs); Lake: the event data store ID. */
  table?: string;
}

export interface FilterSqlParams {
  filter: EventFilter;
  dialect: SqlDialect;
  table?: string;
}

/** The SQL, or why there is none (a correlation, a field SQL cannot reach). */
export type SqlResult = { sql: string } | { error: string };

/** A Sigma rule as one SQL query. */
export namespace RuleSqlRequest {
  export const method = 'cloudtrail/ruleSql';
  export const type = new RequestType<RuleSqlParams, SqlResult, void>(method);
}

/** The Events view's filter as one SQL query. */
export namespace FilterSqlRequest {
  export const method = 'cloudtrail/filterSql';
  export const type = new RequestType<FilterSqlParams, SqlResult, void>(method);
}

// ---------------------------------------------------------------------------------------------
// IAM access levels in the event tree

/** The access levels a group or filter can name, in the order the tree lists them. */
export { EVENT_ACCESS_LEVELS, NO_IAM_PERMISSION, NOT_KNOWN } from './model/iam/accessLevels';

export interface EventGroup {
  /**
   * For action and access-level groups: the IAM access level of the events ("Permissions
   * management", "Write", "Tagging", "Read", "List", "No IAM permission" or "Not known").
   */
  accessLevel?: string;
}

// ---------------------------------------------------------------------------------------------
// The trail: events related to one event

export interface RelatedEventsParams {
  /** The document or indexed file holding the event, and the event's position in it (EventRef.index). */
  uri: string;
  index: number;
  /** The most events returned (default 500). */
  limit?: number;
}

export interface RelatedEvent {
  /** The related event; `uri` is always set. */
  event: EventRef;
  /** What ties it to the asked event: "access key ASIA...", "session arn:...", "resource arn:...". */
  through: string;
}

/**
 * The events tied to one event by its access key, session, resources, shared event or request,
 * in the open document and every open folder index, oldest first.
 */
export namespace RelatedEventsRequest {
  export const method = 'cloudtrail/relatedEvents';
  export const type = new RequestType<RelatedEventsParams, RelatedEvent[], void>(method);
}

// ---------------------------------------------------------------------------------------------
// Least privilege: the IAM policy a group of events needed, and a policy compared with them

/**
 * Which events: those of a group of the Events tree, as the tree shows them (its documents or
 * folder index, grouping, filter and the keys of the group); the server finds the events itself.
 */
export interface PolicyEventsParams extends EventSelectionParams {
  /** What the events are, in words, for the notes ("role Deploy"). */
  subject?: string;
}

export interface GeneratePolicyParams extends PolicyEventsParams {
  /** Put the actions of failed calls in the policy too. */
  includeFailed?: boolean;
}

export interface GeneratePolicyResult {
  /** The policy document as JSON text. */
  policy: string;
  /** What goes with it: resources left as "*" and why, failed calls, calls without a known action (plain text). */
  notes: string;
  statements: number;
  actions: number;
  events: number;
}

/** The least-privilege policy of the events; null when the documents or the group are not there (any more). */
export namespace GeneratePolicyRequest {
  export const method = 'cloudtrail/generatePolicy';
  export const type = new RequestType<GeneratePolicyParams, GeneratePolicyResult | null, void>(method);
}

export interface ComparePolicyParams extends PolicyEventsParams {
  /** The policy document's text: identity policy JSON, or `aws iam get-policy-version` output. */
  policy: string;
  /** Its name for the report (a file name). */
  policyName?: string;
}

export type ComparePolicyResult =
  | { ok: true; report: string; used: number; unused: number; notGranted: number }
  /** The policy could not be read: the message names the place. */
  | { ok: false; message: string };

/** A policy document compared with the events; null when the documents or the group are not there. */
export namespace ComparePolicyRequest {
  export const method = 'cloudtrail/comparePolicy';
  export const type = new RequestType<ComparePolicyParams, ComparePolicyResult | null, void>(method);
}

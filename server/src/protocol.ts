/**
 * The messages between the extension and the CloudTrail language server beyond standard LSP.
 * Defined once here; the client and the server both import this module, so the two sides cannot
 * drift apart.
 */
import { NotificationType, Range, RequestType, TextDocumentIdentifier, Position, WorkDoneProgressParams } from 'vscode-languageserver-protocol';

// The tree's grouping and filter are the model's own types (type-only: nothing of the model is bundled into the client).
export type { EventFilter, GroupDimension } from './model/eventGrouping';
import type { EventFilter, GroupDimension } from './model/eventGrouping';

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
  /** What the group is: an action, an identity (with its type), a role holding sessions, an IAM access level, or every event (no grouping). */
  kind?: 'action' | 'identity' | 'role' | 'accessLevel' | 'all';
  identityType?: string;
  /** For actions: the service, e.g. "acm.amazonaws.com". */
  eventSource?: string;
  /** For actions: whether every event of the group only reads. */
  readOnly?: boolean;
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

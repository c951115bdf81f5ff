/**
 * The messages between the extension and the CloudTrail language server beyond standard LSP.
 * Defined once here; the client and the server both import this module, so the two sides cannot
 * drift apart.
 */
import { NotificationType, Range, RequestType, TextDocumentIdentifier, Position } from 'vscode-languageserver-protocol';

export type GroupDimension = 'action' | 'identity';

export interface EventFilter {
  /** Case-insensitive text matched against every value of the record. */
  text?: string;
  /** Only events that carry an errorCode. */
  errorsOnly?: boolean;
  /** Only events that change something (readOnly is not true). */
  writesOnly?: boolean;
  /** Only events of this service, e.g. "acm.amazonaws.com" or "acm". */
  service?: string;
}

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
  /** The file holding the record, for folder indexes. */
  uri?: string;
}

export interface EventGroup {
  key: string;
  label: string;
  description?: string;
  /** What the group is: an action, an identity (with its type), a role holding sessions. */
  kind?: 'action' | 'identity' | 'role';
  identityType?: string;
  /** For actions: whether every event of the group only reads. */
  readOnly?: boolean;
  count: number;
  errorCount: number;
  groups?: EventGroup[];
  events?: EventRef[];
  /** Events beyond `events` that were left out; ask again with a larger `limit`. */
  moreEvents?: number;
}

export interface EventTreeParams {
  textDocument: TextDocumentIdentifier;
  groupBy: GroupDimension[];
  filter?: EventFilter;
  /** The most events listed in one group (the rest are counted in `moreEvents`). */
  limit?: number;
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

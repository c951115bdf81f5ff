import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import {
  ComparePolicyRequest,
  DocumentSummary,
  EventAtRequest,
  EventTreeRequest,
  ExportEventsParams,
  ExportEventsRequest,
  ExportEventsResult,
  FilterSqlParams,
  FilterSqlRequest,
  FindingsRequest,
  FormattedLogParams,
  FormattedLogRequest,
  FormattedLogResult,
  GeneratePolicyRequest,
  MapFormattedRangesParams,
  MapFormattedRangesRequest,
  ModelChangedNotification,
  RelatedEventsRequest,
  RuleSqlParams,
  RuleSqlRequest,
  SqlResult,
  TimelineRequest,
} from '../../server/src/protocol';
import type { Range } from 'vscode-languageserver-protocol';
import { EventTreeServer } from './eventTree/eventTreeModel';
import { FindingsServer } from './findings/findingsModel';
import { PolicyServer } from './policy/policyActions';
import { RelatedEventsServer } from './eventTree/relatedEvents';
import { TimelineServer } from './timeline/timelineView';

/** The CloudTrail requests and notifications beyond standard LSP, as the extension's views use them. */
export interface CloudTrailServer extends EventTreeServer, TimelineServer, RelatedEventsServer, PolicyServer, FindingsServer {
  exportEvents(params: ExportEventsParams): Promise<ExportEventsResult | null>;
  ruleSql(params: RuleSqlParams): Promise<SqlResult>;
  filterSql(params: FilterSqlParams): Promise<SqlResult>;
  dispose(): void;
  /** The server has a new model of a document, or closed one (version null, no events). */
  readonly onModelChanged: vscode.Event<DocumentSummary>;
  formattedLog(params: FormattedLogParams): Promise<FormattedLogResult>;
  mapFormattedRanges(params: MapFormattedRangesParams): Promise<Range[]>;
}

/**
 * Wraps the language client. A client takes one handler per notification, so the model-changed
 * notification is received here once and handed on to every listener.
 */
export function connectCloudTrailServer(client: LanguageClient, ensureStarted: () => Promise<void>): CloudTrailServer {
  const modelChanged = new vscode.EventEmitter<DocumentSummary>();
  const handler = client.onNotification(ModelChangedNotification.type, (summary) => {
    modelChanged.fire(summary);
  });
  const running = async (): Promise<void> => {
    await ensureStarted();
    if (!client.isRunning()) {
      throw new Error('the CloudTrail language server is not running (see the CloudTrail output channel)');
    }
  };
  /** Sends a request once the server runs. */
  const send = async <R>(request: () => Promise<R>): Promise<R> => {
    await running();
    return request();
  };
  return {
    onModelChanged: modelChanged.event,
    eventTree: async (params) => send(() => client.sendRequest(EventTreeRequest.type, params)),
    eventAt: async (params) => send(() => client.sendRequest(EventAtRequest.type, params)),
    formattedLog: async (params) => send(() => client.sendRequest(FormattedLogRequest.type, params)),
    mapFormattedRanges: async (params) => send(() => client.sendRequest(MapFormattedRangesRequest.type, params)),
    timeline: async (params) => send(() => client.sendRequest(TimelineRequest.type, params)),
    exportEvents: async (params) => send(() => client.sendRequest(ExportEventsRequest.type, params)),
    generatePolicy: async (params) => send(() => client.sendRequest(GeneratePolicyRequest.type, params)),
    comparePolicy: async (params) => send(() => client.sendRequest(ComparePolicyRequest.type, params)),
    relatedEvents: async (params) => send(() => client.sendRequest(RelatedEventsRequest.type, params)),
    findings: async (params) => send(() => client.sendRequest(FindingsRequest.type, params)),
    ruleSql: async (params) => send(() => client.sendRequest(RuleSqlRequest.type, params)),
    filterSql: async (params) => send(() => client.sendRequest(FilterSqlRequest.type, params)),
    dispose: () => {
      handler.dispose();
      modelChanged.dispose();
    },
  };
}

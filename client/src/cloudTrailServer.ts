import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import {
  DocumentSummary,
  EventAtRequest,
  EventTreeRequest,
  ExportEventsParams,
  ExportEventsRequest,
  ExportEventsResult,
  FormattedLogParams,
  FormattedLogRequest,
  FormattedLogResult,
  MapFormattedRangesParams,
  MapFormattedRangesRequest,
  ModelChangedNotification,
  TimelineRequest,
} from '../../server/src/protocol';
import type { Range } from 'vscode-languageserver-protocol';
import { EventTreeServer } from './eventTree/eventTreeModel';
import { TimelineServer } from './timeline/timelineView';

/** The CloudTrail requests and notifications beyond standard LSP, as the extension's views use them. */
export interface CloudTrailServer extends EventTreeServer, TimelineServer {
  exportEvents(params: ExportEventsParams): Promise<ExportEventsResult | null>;
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
  return {
    onModelChanged: modelChanged.event,
    eventTree: async (params) => {
      await running();
      return client.sendRequest(EventTreeRequest.type, params);
    },
    eventAt: async (params) => {
      await running();
      return client.sendRequest(EventAtRequest.type, params);
    },
    formattedLog: async (params) => {
      await running();
      return client.sendRequest(FormattedLogRequest.type, params);
    },
    mapFormattedRanges: async (params) => {
      await running();
      return client.sendRequest(MapFormattedRangesRequest.type, params);
    },
    timeline: async (params) => {
      await running();
      return client.sendRequest(TimelineRequest.type, params);
    },
    exportEvents: async (params) => {
      await running();
      return client.sendRequest(ExportEventsRequest.type, params);
    },
    dispose: () => {
      handler.dispose();
      modelChanged.dispose();
    },
  };
}

import * as vscode from 'vscode';
import { CloudTrailServer } from '../cloudTrailServer';
import type { FormattedLogs } from '../formattedLogs';
import { registerStatusBar } from '../statusBar';
import { registerTimeline } from '../timeline/registerTimeline';
import { registerEventsView } from './eventsView';

/** The Events view, the Timeline panel and the status bar item, all fed by the language server. Returns the Events view's data provider. */
export function registerEventViews(
  context: vscode.ExtensionContext,
  server: CloudTrailServer,
  formattedLogs: FormattedLogs,
  log: vscode.LogOutputChannel,
): vscode.TreeDataProvider<unknown> {
  context.subscriptions.push(registerStatusBar(server.onModelChanged));
  const events = registerEventsView(context, server, formattedLogs, log);
  registerTimeline(context, server, events, log);
  return events.treeDataProvider;
}

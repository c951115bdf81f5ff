import * as vscode from 'vscode';
import { CloudTrailServer } from '../cloudTrailServer';
import type { FormattedLogs } from '../formattedLogs';
import { registerStatusBar } from '../statusBar';
import { registerEventsView } from './eventsView';

/** The Events view and the status bar item, both fed by the language server. Returns the view's data provider. */
export function registerEventViews(
  context: vscode.ExtensionContext,
  server: CloudTrailServer,
  formattedLogs: FormattedLogs,
  log: vscode.LogOutputChannel,
): vscode.TreeDataProvider<unknown> {
  context.subscriptions.push(registerStatusBar(server.onModelChanged));
  return registerEventsView(context, server, formattedLogs, log) as vscode.TreeDataProvider<unknown>;
}

import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { connectCloudTrailServer } from '../cloudTrailServer';
import { registerStatusBar } from '../statusBar';
import { registerFindingsView } from '../findings/findingsView';
import { registerTimeline } from '../timeline/registerTimeline';
import { registerEventsView } from './eventsView';

/** The Events and Findings views, the Timeline panel and the status bar item, all fed by the language server. Returns the Events view's data provider. */
export function registerEventViews(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  ensureStarted: () => Promise<void>,
  log: vscode.LogOutputChannel,
): vscode.TreeDataProvider<unknown> {
  const server = connectCloudTrailServer(client, ensureStarted);
  context.subscriptions.push(server, registerStatusBar(server.onModelChanged));
  const events = registerEventsView(context, server, log);
  registerFindingsView(context, server, events, log);
  registerTimeline(context, server, events, log);
  return events.treeDataProvider;
}

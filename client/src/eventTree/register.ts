import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { connectCloudTrailServer } from '../cloudTrailServer';
import { registerStatusBar } from '../statusBar';
import { registerEventsView } from './eventsView';

/** The Events view and the status bar item, both fed by the language server. Returns the view's data provider. */
export function registerEventViews(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  ensureStarted: () => Promise<void>,
  log: vscode.LogOutputChannel,
): vscode.TreeDataProvider<unknown> {
  const server = connectCloudTrailServer(client, ensureStarted);
  context.subscriptions.push(server, registerStatusBar(server.onModelChanged));
  return registerEventsView(context, server, log);
}

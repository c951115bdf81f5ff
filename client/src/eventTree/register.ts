import * as vscode from 'vscode';
import { CloudTrailServer } from '../cloudTrailServer';
import type { FormattedLogs } from '../formattedLogs';
import { registerStatusBar } from '../statusBar';
import { registerFindingsView } from '../findings/findingsView';
import { openLogAt } from '../folderIndex/openLog';
import type { EventNode } from './eventTreeModel';
import { registerTimeline } from '../timeline/registerTimeline';
import { registerEventsView } from './eventsView';
import { RelatedEventsUi, showRelatedEvents } from './relatedEvents';

/** The Events and Findings views, the Timeline panel and the status bar item, all fed by the language server. Returns the views' data providers. */
export function registerEventViews(
  context: vscode.ExtensionContext,
  server: CloudTrailServer,
  formattedLogs: FormattedLogs,
  log: vscode.LogOutputChannel,
): { events: vscode.TreeDataProvider<unknown>; findings: vscode.TreeDataProvider<unknown> } {
  context.subscriptions.push(registerStatusBar(server.onModelChanged));
  const ui: RelatedEventsUi = {
    pick: (items, title) => vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true }),
    open: (uri, range) =>
      openLogAt(vscode.Uri.parse(uri), new vscode.Selection(range.end.line, range.end.character, range.start.line, range.start.character), { preview: true }),
    inform: (message) => void vscode.window.showInformationMessage(message),
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudtrail.events.relatedEvents', (node?: EventNode) =>
      showRelatedEvents(server, node, ui).catch((error: unknown) => {
        log.error(`Could not list related events: ${error instanceof Error ? error.message : String(error)}`);
      }),
    ),
  );
  const events = registerEventsView(context, server, formattedLogs, log);
  const findings = registerFindingsView(context, server, events, log);
  registerTimeline(context, server, events, log);
  return { events: events.treeDataProvider, findings };
}

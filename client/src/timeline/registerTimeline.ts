import * as vscode from 'vscode';
import type { EventSelectionParams, ExportEventsParams, ExportEventsResult, ExportFormat } from '../../../server/src/protocol';
import { visibleText } from '../../../server/src/model/text/visibleText';
import { EventsView } from '../eventTree/eventsView';
import { GroupNode } from '../eventTree/eventTreeModel';
import { TIMELINE_VIEW_ID, TimelineServer, TimelineViewProvider } from './timelineView';

export interface ExportServer {
  exportEvents(params: ExportEventsParams): Promise<ExportEventsResult | null>;
}

const FORMATS: readonly { format: ExportFormat; label: string; detail: string; extension: string }[] = [
  {
    format: 'timeline-csv',
    label: 'Timeline CSV',
    detail: 'time, identity, source IP, region, action, result, error, finding, file, record',
    extension: 'csv',
  },
  { format: 'csv', label: 'CSV', detail: 'The usual CloudTrail fields, one event per row', extension: 'csv' },
  { format: 'jsonl', label: 'JSON Lines', detail: 'Each whole record as one line of JSON', extension: 'jsonl' },
];

/**
 * Asks for a format and a file, has the server write the events of `selection` in that format,
 * and saves them. The log files themselves are never written.
 */
export async function exportSelection(
  server: ExportServer,
  selection: EventSelectionParams | undefined,
  window: Pick<typeof vscode.window, 'showQuickPick' | 'showSaveDialog' | 'showInformationMessage' | 'showWarningMessage'> = vscode.window,
  writeFile: (uri: vscode.Uri, bytes: Uint8Array) => Thenable<void> = (uri, bytes) => vscode.workspace.fs.writeFile(uri, bytes),
): Promise<vscode.Uri | undefined> {
  if (!selection) {
    void window.showWarningMessage('Open a CloudTrail log, or a folder of logs, to export its events.');
    return undefined;
  }
  const picked = await window.showQuickPick(
    FORMATS.map((entry) => ({ label: entry.label, detail: entry.detail, entry })),
    { title: 'Export Events', placeHolder: 'The format to write the events the Events view shows in' },
  );
  if (!picked) return undefined;
  const target = await window.showSaveDialog({
    title: 'Export Events',
    filters: { [picked.entry.label]: [picked.entry.extension] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]
      ? vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, `cloudtrail-events.${picked.entry.extension}`)
      : undefined,
  });
  if (!target) return undefined;
  const result = await server.exportEvents({ ...selection, format: picked.entry.format });
  if (!result) {
    void window.showWarningMessage('The events to export are no longer open.');
    return undefined;
  }
  await writeFile(target, new TextEncoder().encode(result.text));
  const problems =
    result.problems.length > 0 ? ` ${result.problems.length} file(s) could not be read again: ${visibleText(result.problems.join('; '), 300)}` : '';
  void window.showInformationMessage(`Exported ${result.events.toLocaleString('en-US')} events to ${visibleText(target.fsPath, 200)}.${problems}`);
  return target;
}

/** The Timeline panel and the export commands. */
export function registerTimeline(
  context: vscode.ExtensionContext,
  server: TimelineServer & ExportServer,
  events: EventsView,
  log: vscode.LogOutputChannel,
): void {
  const { model, view } = events;
  const exportView = async (): Promise<void> => {
    await exportSelection(server, model.selection());
  };
  const provider = new TimelineViewProvider(context.extensionUri, server, model, log, exportView);
  const report = (error: unknown): void => {
    log.error(`Export failed: ${error instanceof Error ? error.message : String(error)}`);
  };
  context.subscriptions.push(
    provider,
    vscode.window.registerWebviewViewProvider(TIMELINE_VIEW_ID, provider),
    vscode.commands.registerCommand('cloudtrail.timeline.show', () => vscode.commands.executeCommand(`${TIMELINE_VIEW_ID}.focus`)),
    vscode.commands.registerCommand('cloudtrail.exportEvents', () => exportView().catch(report)),
    vscode.commands.registerCommand('cloudtrail.events.exportGroup', (node?: GroupNode) => {
      const selection = model.selection();
      if (node?.type !== 'group' || !selection) return exportView().catch(report);
      return exportSelection(server, { ...selection, group: [...node.path] }).catch(report);
    }),
    view.onDidChangeSelection((change) => {
      const node = change.selection.at(0);
      const time = node?.type === 'event' && node.event.eventTime ? Date.parse(node.event.eventTime) : Number.NaN;
      provider.mark(Number.isNaN(time) ? null : time);
    }),
  );
}

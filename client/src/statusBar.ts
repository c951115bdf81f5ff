import * as vscode from 'vscode';
import type { DocumentSummary } from '../../server/src/protocol';
import { LANGUAGE_ID } from './languageClient';
import { statusBarContent } from './statusBarText';

/** Opens the Timeline panel on what the Events view shows. */
const SHOW_TIMELINE = 'cloudtrail.timeline.show';

/**
 * A status bar item for the active CloudTrail log: its events, failed events and problems, from
 * the summaries the server sends whenever it has a new model. Clicking it opens the Timeline.
 */
export function registerStatusBar(onModelChanged: vscode.Event<DocumentSummary>): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('cloudtrail.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'CloudTrail Log';
  item.command = SHOW_TIMELINE;
  const summaries = new Map<string, DocumentSummary>();

  const update = (): void => {
    const document = vscode.window.activeTextEditor?.document;
    const summary = document?.languageId === LANGUAGE_ID ? summaries.get(document.uri.toString()) : undefined;
    if (!summary) {
      item.hide();
      return;
    }
    const content = statusBarContent(summary);
    item.text = content.text;
    item.tooltip = content.tooltip;
    item.accessibilityInformation = { label: content.tooltip };
    item.show();
  };

  const subscriptions = [
    item,
    onModelChanged((summary) => {
      if (summary.version === null) {
        summaries.delete(summary.uri);
      } else {
        summaries.set(summary.uri, summary);
      }
      update();
    }),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidCloseTextDocument((document) => {
      summaries.delete(document.uri.toString());
      update();
    }),
  ];
  update();
  return vscode.Disposable.from(...subscriptions);
}

import * as vscode from 'vscode';
import { LanguageClient, WorkDoneProgress } from 'vscode-languageclient/node';
import { CloseFolderIndexNotification, FolderIndexChangedNotification, FolderIndexSummary, IndexFolderRequest } from '../../../server/src/protocol';
import type { FolderScope } from '../eventTree/eventTreeModel';
import type { FormattedLogs } from '../formattedLogs';
import { CompressedLogEditorProvider, CompressedLogFileSystem, describeLargeLog, maxDecompressedMB, openCompressedLog } from './compressedLogs';
import { COMPRESSED_LOG_SCHEME, EDITOR_SYNC_LIMIT, isCompressedName, isLogName } from './logNames';

/**
 * Compressed logs, folders of logs and logs too large for the editor: the commands, the
 * decompressed view, the custom editor for `.gz`, and the folder scope of the Events view.
 */

/** The Events view's command that shows the events of a folder index (see eventsView.ts). */
export const SHOW_FOLDER_COMMAND = 'cloudtrail.events.showFolder';
/** The Events view's command that fetches a folder's events again, if the view shows that folder. */
export const REFRESH_FOLDER_COMMAND = 'cloudtrail.events.refreshFolder';

export function registerFolderIndex(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  ensureStarted: () => Promise<void>,
  formattedLogs: FormattedLogs,
  log: vscode.LogOutputChannel,
): void {
  const files = new CompressedLogFileSystem();
  const editors = new CompressedLogEditorProvider(async (original, options) => {
    if (formattedLogs.prefersFormatted(original)) await vscode.window.showTextDocument(formattedLogs.viewOf(original), options);
    else await openCompressedLog(original, options);
  });
  let shownFolder: string | undefined;
  let nextToken = 1;

  const running = async (): Promise<void> => {
    await ensureStarted();
    if (!client.isRunning()) {
      throw new Error('the CloudTrail language server is not running (see the CloudTrail output channel)');
    }
  };

  /** Indexes a folder (or one file) with progress and a cancel button; undefined when cancelled or failed. */
  const index = async (target: vscode.Uri, label: string): Promise<FolderIndexSummary | undefined> => {
    if (target.scheme !== 'file') {
      void vscode.window.showWarningMessage("Only folders on this computer's disk can be indexed.");
      return undefined;
    }
    await running();
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Indexing CloudTrail logs in ${label}`, cancellable: true },
      async (progress, cancel) => {
        const workDoneToken = `cloudtrail-index-${nextToken++}`;
        let reported = 0;
        const listening = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          if (value.kind === 'report') {
            const percentage = value.percentage ?? reported;
            progress.report({ message: value.message, increment: Math.max(0, percentage - reported) });
            reported = percentage;
          }
        });
        try {
          return await client.sendRequest(IndexFolderRequest.type, { uri: target.toString(), workDoneToken, maxDecompressedMB: maxDecompressedMB() }, cancel);
        } catch (error) {
          if (cancel.isCancellationRequested) {
            void vscode.window.showInformationMessage('Indexing was cancelled.');
          } else {
            log.error(`Indexing ${target.fsPath} failed: ${error instanceof Error ? error.message : String(error)}`);
            void vscode.window.showErrorMessage('The logs could not be indexed; the CloudTrail output channel says why.');
          }
          return undefined;
        } finally {
          listening.dispose();
        }
      },
    );
  };

  /** Shows an index in the Events view, and says what was skipped (file names go to the output channel only). */
  const show = async (summary: FolderIndexSummary, label: string, largeLogSize?: number): Promise<void> => {
    if (shownFolder !== undefined && shownFolder !== summary.uri) {
      void client.sendNotification(CloseFolderIndexNotification.type, { uri: shownFolder });
    }
    shownFolder = summary.uri;
    await vscode.commands.executeCommand(SHOW_FOLDER_COMMAND, { uri: summary.uri, label } satisfies FolderScope);
    reportSkipped(summary, label);
    if (largeLogSize !== undefined) {
      void vscode.window.showInformationMessage(describeLargeLog(largeLogSize));
    } else if (summary.largeFiles.length > 0) {
      void vscode.window.showInformationMessage(
        `${summary.largeFiles.length === 1 ? 'One of these logs is' : `${summary.largeFiles.length} of these logs are`} over 50 MB: VS Code gives extensions no access to such files, so they have no hovers, diagnostics or outline when opened. Their events are in the Events view.`,
      );
    }
    // Last, so that the messages above leave the focus on the events.
    await vscode.commands.executeCommand('cloudtrail.events.focus');
  };

  const reportSkipped = (summary: FolderIndexSummary, label: string): void => {
    const lines = [`${label}: ${summary.events} events in ${summary.indexedFiles} of ${summary.files} files.`];
    if (summary.notCloudTrail > 0) lines.push(`${summary.notCloudTrail} files are not CloudTrail logs and were skipped.`);
    for (const problem of summary.problems) lines.push(`  ${problem.message}`);
    for (const large of summary.largeFiles) lines.push(`  over 50 MB (no editor features): ${vscode.Uri.parse(large).fsPath}`);
    log.info(lines.join('\n'));
    if (summary.problems.length > 0 || summary.notCloudTrail > 0) {
      const parts: string[] = [];
      if (summary.problems.length > 0) parts.push(`${summary.problems.length} could not be read completely`);
      if (summary.notCloudTrail > 0) parts.push(`${summary.notCloudTrail} are not CloudTrail logs`);
      void vscode.window
        .showWarningMessage(`Indexed ${summary.events.toLocaleString('en-US')} events. Of ${summary.files} files, ${parts.join(' and ')}.`, 'Show Details')
        .then((choice) => {
          if (choice) log.show(true);
        });
    }
  };

  const openFolder = async (uri?: vscode.Uri): Promise<void> => {
    let folder = uri;
    if (!folder) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        openLabel: 'Index Logs',
        title: 'Open Folder of CloudTrail Logs',
      });
      folder = picked?.[0];
    }
    if (!folder) return;
    const label = folder.path.slice(folder.path.lastIndexOf('/') + 1) || folder.fsPath;
    const summary = await index(folder, label);
    if (summary) await show(summary, label);
  };

  const openCompressed = async (uri?: vscode.Uri): Promise<void> => {
    let file = uri;
    if (!file) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { 'Compressed logs': ['gz'] },
        title: 'Open Compressed CloudTrail Log',
      });
      file = picked?.[0];
    }
    if (file) await openCompressedLog(file, { preview: false });
  };

  /** A log too large for the editor was opened: list its events from a disk index. */
  const largeLogOpened = async (file: vscode.Uri, size: number): Promise<void> => {
    const label = file.path.slice(file.path.lastIndexOf('/') + 1);
    const summary = await index(file, label);
    if (summary) await show(summary, label, size);
  };

  const watchTabs = (event: vscode.TabChangeEvent): void => {
    for (const tab of event.opened) {
      const input = tab.input;
      if (!(input instanceof vscode.TabInputText) || input.uri.scheme !== 'file' || isCompressedName(input.uri.path) || !isLogName(input.uri.path)) continue;
      const uri = input.uri;
      vscode.workspace.fs.stat(uri).then(
        (stat) => (stat.size > EDITOR_SYNC_LIMIT ? largeLogOpened(uri, stat.size) : undefined),
        () => undefined,
      );
    }
  };

  indexWorkspaceOnOpen(openFolder, log);

  context.subscriptions.push(
    files,
    vscode.workspace.registerFileSystemProvider(COMPRESSED_LOG_SCHEME, files, { isReadonly: true, isCaseSensitive: true }),
    ...CompressedLogEditorProvider.viewTypes.map((viewType) =>
      vscode.window.registerCustomEditorProvider(viewType, editors, { supportsMultipleEditorsPerDocument: true }),
    ),
    files.onDidReadLargeLog(({ original, size }) => void largeLogOpened(original, size)),
    vscode.window.tabGroups.onDidChangeTabs(watchTabs),
    vscode.commands.registerCommand('cloudtrail.openFolderOfLogs', openFolder),
    vscode.commands.registerCommand('cloudtrail.openCompressedLog', openCompressed),
    client.onNotification(FolderIndexChangedNotification.type, (summary) => {
      // A change to the index refreshes the view if it still shows that folder; it never switches the view back to it.
      if (summary.uri === shownFolder) {
        void vscode.commands.executeCommand(REFRESH_FOLDER_COMMAND, summary.uri);
      }
    }),
  );
}

/**
 * With `cloudtrail.folder.indexOnOpen`, a window opened on a folder of logs starts on their events:
 * the first workspace folder is indexed and the Events view shows and focuses it.
 */
function indexWorkspaceOnOpen(openFolder: (uri: vscode.Uri) => Promise<void>, log: vscode.LogOutputChannel): void {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder?.uri.scheme !== 'file' || !vscode.workspace.getConfiguration('cloudtrail', folder.uri).get<boolean>('folder.indexOnOpen', false)) return;
  openFolder(folder.uri).catch((error: unknown) => {
    log.error(`Could not index ${folder.uri.fsPath} when the window opened: ${error instanceof Error ? error.message : String(error)}`);
  });
}

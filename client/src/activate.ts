import * as vscode from 'vscode';
import { createLanguageClient, LANGUAGE_ID } from './languageClient';
import { DETECTION_PREFIX_LENGTH, looksLikeCloudTrail } from './languageDetection';
import { registerEventViews } from './eventTree/register';
import { registerFolderIndex } from './folderIndex/registerFolderIndex';

/** What activate() returns to other extensions and to the extension-host tests. */
export interface CloudTrailExplorerApi {
  /** The data provider behind the Events view (cloudtrail.events). */
  eventsTreeDataProvider: vscode.TreeDataProvider<unknown>;
  /** The data provider behind the Findings view (cloudtrail.findings). */
  findingsTreeDataProvider: vscode.TreeDataProvider<unknown>;
}

/**
 * Registers everything the extension contributes. The language server is started on the first
 * CloudTrail document, so that activating for JSON files (to detect logs) costs no process.
 */
export async function activateCloudTrail(context: vscode.ExtensionContext): Promise<CloudTrailExplorerApi> {
  const outputChannel = vscode.window.createOutputChannel('CloudTrail', { log: true });
  context.subscriptions.push(outputChannel);
  const client = createLanguageClient(context, outputChannel);
  context.subscriptions.push({ dispose: () => void client.stop() });

  let started: Promise<void> | undefined;
  const ensureStarted = (): Promise<void> => {
    started ??= client.start().catch((error: unknown) => {
      outputChannel.error(`The CloudTrail language server did not start: ${String(error)}`);
      started = undefined;
    });
    return started;
  };
  const views = registerEventViews(context, client, ensureStarted, outputChannel);
  registerFolderIndex(context, client, ensureStarted, outputChannel);

  const onDocument = async (document: vscode.TextDocument): Promise<void> => {
    if (document.languageId === LANGUAGE_ID) {
      await ensureStarted();
      return;
    }
    if (document.languageId === 'json' && vscode.workspace.getConfiguration('cloudtrail', document).get<boolean>('autoDetect', true)) {
      const prefix = document.getText(new vscode.Range(0, 0, 200, 0)).slice(0, DETECTION_PREFIX_LENGTH);
      if (looksLikeCloudTrail(prefix)) {
        await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
      }
    }
  };

  const handleDocument = (document: vscode.TextDocument): Promise<void> =>
    onDocument(document).catch((error: unknown) => { outputChannel.error(`Could not set up ${document.uri.toString()}: ${String(error)}`); });

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((document) => void handleDocument(document)),
    vscode.commands.registerCommand('cloudtrail.treatAsCloudTrail', async (uri?: vscode.Uri) => {
      const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!document) {
        void vscode.window.showWarningMessage('Open a JSON file first, then run this command on it.');
        return;
      }
      await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
    }),
  );

  await Promise.all(vscode.workspace.textDocuments.map(handleDocument));
  return { eventsTreeDataProvider: views.events, findingsTreeDataProvider: views.findings };
}

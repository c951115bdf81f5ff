import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { compressedLocationsMiddleware } from './folderIndex/compressedLocations';

export const LANGUAGE_ID = 'cloudtrail';

/** Starts the CloudTrail language server in its own process, talking over IPC. */
export function createLanguageClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: LANGUAGE_ID }],
    outputChannel,
    traceOutputChannel: outputChannel,
    // The server pulls its settings with workspace/configuration; this section only makes the client
    // tell it when they change, which the pull model has no replacement for in vscode-languageclient.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    synchronize: { configurationSection: 'cloudtrail' },
    initializationOptions: { settings: vscode.workspace.getConfiguration('cloudtrail') },
    middleware: compressedLocationsMiddleware,
  };
  return new LanguageClient('cloudtrail', 'CloudTrail Language Server', serverOptions, clientOptions);
}

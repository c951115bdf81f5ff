import * as vscode from 'vscode';
import { activateCloudTrail, CloudTrailExplorerApi } from './activate';

export async function activate(context: vscode.ExtensionContext): Promise<CloudTrailExplorerApi> {
  return activateCloudTrail(context);
}

export function deactivate(): void {
  // The language client is stopped through context.subscriptions.
}

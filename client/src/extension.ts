import * as vscode from 'vscode';
import { activateCloudTrail } from './activate';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  await activateCloudTrail(context);
}

export function deactivate(): void {
  // The language client is stopped through context.subscriptions.
}

import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../languageClient';
import { comparePolicyCommand, EventsViewState, generatePolicyCommand, GroupOfView, PolicyEnvironment, PolicyServer, PolicySource } from './policyActions';

/** Policy files larger than this are not read: IAM's own limit is a few kilobytes. */
const MAX_POLICY_BYTES = 1024 * 1024;

/**
 * The policy commands: on a group of the Events view (its context menu), on the whole view (its
 * title bar) and on the active log (the command palette).
 */
export function registerPolicyCommands(
  context: vscode.ExtensionContext,
  server: PolicyServer,
  view: () => EventsViewState | undefined,
  log: vscode.LogOutputChannel,
): void {
  const env: PolicyEnvironment = {
    server,
    view,
    activeLog: () => {
      const document = vscode.window.activeTextEditor?.document;
      return document?.languageId === LANGUAGE_ID ? document.uri.toString() : undefined;
    },
    includeFailed: () => vscode.workspace.getConfiguration('cloudtrail').get<boolean>('policy.includeFailedCalls', false),
    pickPolicy,
    openDocument: async (content, language, beside) => {
      const document = await vscode.workspace.openTextDocument({ content, language });
      await vscode.window.showTextDocument(document, { preview: false, preserveFocus: beside, ...(beside ? { viewColumn: vscode.ViewColumn.Beside } : {}) });
    },
    showInformation: (message) => void vscode.window.showInformationMessage(message),
    showError: (message) => void vscode.window.showErrorMessage(message),
  };
  const run =
    (command: (target: GroupOfView | 'view' | 'activeLog', env: PolicyEnvironment) => Promise<void>, fallback: 'view' | 'activeLog') =>
    async (node?: unknown): Promise<void> => {
      try {
        await command(isGroup(node) ? node : fallback, env);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.error(`IAM policy: ${message}`);
        env.showError(`The IAM policy could not be made: ${message}`);
      }
    };
  context.subscriptions.push(
    vscode.commands.registerCommand('cloudtrail.events.generatePolicy', run(generatePolicyCommand, 'view')),
    vscode.commands.registerCommand('cloudtrail.events.comparePolicy', run(comparePolicyCommand, 'view')),
    vscode.commands.registerCommand('cloudtrail.generatePolicy', run(generatePolicyCommand, 'activeLog')),
    vscode.commands.registerCommand('cloudtrail.comparePolicy', run(comparePolicyCommand, 'activeLog')),
  );
}

function isGroup(node: unknown): node is GroupOfView {
  return typeof node === 'object' && node !== null && (node as { type?: unknown }).type === 'group' && Array.isArray((node as { path?: unknown }).path);
}

async function pickPolicy(): Promise<PolicySource | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'A policy file...', detail: 'An identity policy (.json), or the output of aws iam get-policy-version', source: 'file' as const },
      { label: 'The policy on the clipboard', source: 'clipboard' as const },
      { label: 'Type or paste the policy...', source: 'input' as const },
    ],
    { title: 'Compare with Policy', placeHolder: 'Where is the policy document?' },
  );
  if (!picked) return undefined;
  if (picked.source === 'file') {
    const files = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Compare',
      filters: { 'Policy documents': ['json'], 'All files': ['*'] },
    });
    const file = files?.[0];
    if (!file) return undefined;
    const stat = await vscode.workspace.fs.stat(file);
    if (stat.size > MAX_POLICY_BYTES) {
      void vscode.window.showErrorMessage(`${file.path.slice(file.path.lastIndexOf('/') + 1)} is larger than 1 MB: that is not a policy document.`);
      return undefined;
    }
    const bytes = await vscode.workspace.fs.readFile(file);
    return { text: new TextDecoder('utf-8').decode(bytes), name: file.path.slice(file.path.lastIndexOf('/') + 1) };
  }
  if (picked.source === 'clipboard') {
    return { text: await vscode.env.clipboard.readText(), name: 'The policy on the clipboard' };
  }
  const typed = await vscode.window.showInputBox({
    title: 'Compare with Policy',
    prompt: 'The policy document (JSON)',
    placeHolder: '{"Version": "2012-10-17", "Statement": [...]}',
    ignoreFocusOut: true,
  });
  return typed === undefined ? undefined : { text: typed, name: 'The typed policy' };
}

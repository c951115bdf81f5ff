import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { defined } from '../../defined';
import { closeAllEditors, EXTENSION_ID, LANGUAGE_ID, openInEditor, waitFor, waitForLanguage } from './helpers';

interface PolicyDocument {
  Version: string;
  Statement: { Sid: string; Effect: string; Action: string[]; Resource: string | string[] }[];
}

/** The untitled documents opened since `before`, by language. */
function untitledSince(before: ReadonlySet<vscode.TextDocument>, language: string): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter((document) => !before.has(document) && document.isUntitled && document.languageId === language);
}

describe('Generate IAM Policy', () => {
  afterEach(async () => {
    await closeAllEditors();
  });

  it('opens the policy of the active log as JSON, with its notes beside it', async () => {
    await defined(vscode.extensions.getExtension(EXTENSION_ID)).activate();
    const editor = await openInEditor('attack-events.json');
    await waitForLanguage(editor.document.uri, LANGUAGE_ID);
    const before = new Set(vscode.workspace.textDocuments);
    await vscode.commands.executeCommand('cloudtrail.generatePolicy');
    const [policyDocument] = await waitFor(() => {
      const found = untitledSince(before, 'json');
      return found.length > 0 ? found : undefined;
    }, 'an untitled JSON document with the policy');
    const policy = JSON.parse(policyDocument.getText()) as PolicyDocument;
    assert.equal(policy.Version, '2012-10-17');
    const actions = policy.Statement.flatMap((statement) => statement.Action);
    assert.ok(actions.includes('iam:CreateUser'), actions.join(', '));
    assert.ok(actions.includes('iam:AttachUserPolicy'), actions.join(', '));
    const [notes] = await waitFor(() => {
      const found = untitledSince(before, 'markdown');
      return found.length > 0 ? found : undefined;
    }, 'an untitled Markdown document with the notes');
    assert.match(notes.getText(), /^# Notes on the generated IAM policy/);
    assert.match(notes.getText(), /iam:AttachUserPolicy: its records do not name the resources/);
  });

  it('opens the policy of one identity group of the Events view, picked from its context menu', async () => {
    const api = await defined(vscode.extensions.getExtension<{ eventsTreeDataProvider?: vscode.TreeDataProvider<unknown> }>(EXTENSION_ID)).activate();
    const provider = api.eventsTreeDataProvider;
    assert.ok(provider, 'activate() returns { eventsTreeDataProvider }');
    const editor = await openInEditor('attack-events.json');
    await waitForLanguage(editor.document.uri, LANGUAGE_ID);
    await vscode.commands.executeCommand('workbench.view.extension.cloudtrail');
    await vscode.commands.executeCommand('cloudtrail.events.showActiveLog');
    await vscode.commands.executeCommand('cloudtrail.events.groupByIdentity');
    // The view groups the log by identity: each group is what a right-click hands to the command.
    const group = await waitFor(async () => {
      const groups = (await provider.getChildren(undefined)) ?? [];
      const items = await Promise.all(groups.map((node) => Promise.resolve(provider.getTreeItem(node))));
      const index = items.findIndex((item) => item.contextValue?.startsWith('cloudtrail.group.') === true);
      return groups.length > 0 && index >= 0 ? groups[index] : undefined;
    }, 'an identity group in the Events view');
    const before = new Set(vscode.workspace.textDocuments);
    await vscode.commands.executeCommand('cloudtrail.events.generatePolicy', group);
    const [policyDocument] = await waitFor(() => {
      const found = untitledSince(before, 'json');
      return found.length > 0 ? found : undefined;
    }, 'an untitled JSON document with the policy of the group');
    const policy = JSON.parse(policyDocument.getText()) as PolicyDocument;
    assert.ok(policy.Statement.flatMap((statement) => statement.Action).includes('iam:CreateUser'));
  });
});

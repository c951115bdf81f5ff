import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
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
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
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
});

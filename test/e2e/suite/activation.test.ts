import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor, waitForLanguage, workspaceFile } from './helpers';
import { defined } from '../../defined';

// Runs first (files run in name order): the workbench has opened nothing yet.
describe('activation', () => {
  it('stays inactive until a file is opened', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    assert.equal(extension.isActive, false);
  });

  it('activates when the first file opened is a pretty console download, and switches it from JSON to CloudTrail', async () => {
    const uri = workspaceFile('console-download.json');
    const document = await vscode.workspace.openTextDocument(uri);
    // Its first line is a lone "{", so VS Code itself can only call it JSON.
    assert.equal(document.languageId, 'json');
    await vscode.window.showTextDocument(document);
    const extension = defined(vscode.extensions.getExtension(EXTENSION_ID));
    await waitFor(() => extension.isActive, 'the extension to activate');
    await waitForLanguage(uri, 'cloudtrail');
  });
});

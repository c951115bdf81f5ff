import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { currentLanguage, openInEditor, sleep, waitForLanguage, workspaceFile } from './helpers';

const DELIVERED = '111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json';

describe('language detection', () => {
  it('gives a file under its delivered name the CloudTrail language at once', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile(DELIVERED));
    assert.equal(document.languageId, 'cloudtrail');
  });

  for (const [name, shape] of [
    ['lookup-events.json', 'the output of aws cloudtrail lookup-events'],
    ['attack-events.json', 'a bare array of events'],
    ['acm-request-certificate.json', 'an AWS documentation example'],
  ]) {
    it(`switches ${shape} from JSON to CloudTrail`, async () => {
      const uri = workspaceFile(name);
      const document = await vscode.workspace.openTextDocument(uri);
      assert.equal(document.languageId, 'json', 'VS Code alone opens it as JSON');
      await waitForLanguage(uri, 'cloudtrail');
    });
  }

  it('leaves ordinary JSON alone', async () => {
    const plain = workspaceFile('not-cloudtrail.json');
    await vscode.workspace.openTextDocument(plain);
    // A CloudTrail file opened after it is switched; by then the plain file has been looked at too.
    const later = workspaceFile('acm-get-certificate.json');
    await vscode.workspace.openTextDocument(later);
    await waitForLanguage(later, 'cloudtrail');
    assert.equal(currentLanguage(plain), 'json');
  });

  describe('with cloudtrail.autoDetect off', () => {
    before(() => vscode.workspace.getConfiguration('cloudtrail').update('autoDetect', false, vscode.ConfigurationTarget.Workspace));
    after(() => vscode.workspace.getConfiguration('cloudtrail').update('autoDetect', undefined, vscode.ConfigurationTarget.Workspace));

    it('keeps a CloudTrail-looking JSON file as JSON until "Treat This File as a CloudTrail Log" is run on it', async () => {
      const uri = workspaceFile('another-download.json');
      await vscode.workspace.openTextDocument(uri);
      await sleep(1500);
      assert.equal(currentLanguage(uri), 'json');
      await vscode.commands.executeCommand('cloudtrail.treatAsCloudTrail', uri);
      await waitForLanguage(uri, 'cloudtrail');
    });
  });

  it('"Treat This File as a CloudTrail Log" without a file switches the active editor', async () => {
    const editor = await openInEditor('not-cloudtrail.json');
    assert.equal(editor.document.languageId, 'json');
    await vscode.commands.executeCommand('cloudtrail.treatAsCloudTrail');
    await waitForLanguage(editor.document.uri, 'cloudtrail');
    await vscode.languages.setTextDocumentLanguage(editor.document, 'json');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

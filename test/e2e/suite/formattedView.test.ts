import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, hoverText, LANGUAGE_ID, offsetOf, openInEditor, waitFor, waitForDiagnostics, workspaceFile } from './helpers';

/** A delivered log of the test workspace: one line of JSON, compressed (see test/e2e/lib/workspace.mjs). */
const DELIVERED_GZ = '974349055189_CloudTrail_us-east-1_20140927T1950Z_6eYA9tIux8XBSUzz.json.gz';
/** An AWS documentation example that is broken as published. */
const BROKEN = 'acm-add-tags.cloudtrail.json';

/** Opens the delivered log in its decompressed view, as a person opening the .json.gz would. */
async function openDeliveredLog(): Promise<vscode.TextEditor> {
  await vscode.commands.executeCommand('cloudtrail.openCompressedLog', workspaceFile(DELIVERED_GZ));
  const editor = await waitFor(() => {
    const active = vscode.window.activeTextEditor;
    return active?.document.uri.scheme === 'cloudtrail-gz' ? active : undefined;
  }, 'the decompressed view of the log');
  await waitFor(() => editor.document.languageId === LANGUAGE_ID, 'the CloudTrail language');
  return editor;
}

async function activeFormattedView(): Promise<vscode.TextEditor> {
  return waitFor(() => {
    const editor = vscode.window.activeTextEditor;
    return editor?.document.uri.scheme === 'cloudtrail-formatted' ? editor : undefined;
  }, 'the formatted view to be the active editor');
}

/** The text each diagnostic covers, with its code, sorted. */
function tokensOf(document: vscode.TextDocument, diagnostics: vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => `${String(typeof d.code === 'object' ? d.code.value : d.code)} ${document.getText(d.range)}`).sort();
}

describe('the formatted view of a log', () => {
  afterEach(() => closeAllEditors());

  it('"Open Formatted" lays a delivered one-line log out, read-only, as CloudTrail with outline, hovers and folding', async () => {
    const original = await openDeliveredLog();
    assert.equal(original.document.lineCount, 1, 'the delivered log is one line');
    await vscode.commands.executeCommand('cloudtrail.openFormatted');
    const editor = await activeFormattedView();
    const document = editor.document;
    assert.ok(document.lineCount > 100, `laid out on ${document.lineCount} lines`);
    assert.deepEqual(JSON.parse(document.getText()), JSON.parse(original.document.getText()));
    await waitFor(() => document.languageId === LANGUAGE_ID, 'the CloudTrail language');
    const symbols = await waitFor(async () => {
      const found = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
      return found.length > 0 ? found : undefined;
    }, 'the outline of the formatted view');
    const originalSymbols = await waitFor(async () => {
      const found = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', original.document.uri);
      return found.length > 0 ? found : undefined;
    }, 'the outline of the original');
    assert.deepEqual(
      symbols.map((symbol) => symbol.name),
      originalSymbols.map((symbol) => symbol.name),
    );
    const at = document.positionAt(offsetOf(document.getText(), '"eventName"') + 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at);
    assert.ok(hoverText(hovers).length > 0, 'a hover on eventName');
    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri);
    assert.ok(folds.length >= symbols.length, 'every record folds');
    // The view is not a file: nothing can write it.
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(document.uri, new Uint8Array())), Error);
  });

  it('reports every problem of a broken example on the same token as in the original', async () => {
    const original = await openInEditor(BROKEN);
    const originalProblems = await waitForDiagnostics(original.document.uri, (found) => found.length > 0, 'the problems of the broken example');
    await vscode.commands.executeCommand('cloudtrail.openFormatted', original.document.uri);
    const editor = await activeFormattedView();
    const formattedProblems = await waitForDiagnostics(
      editor.document.uri,
      (found) => found.length === originalProblems.length,
      'as many problems in the formatted view',
    );
    assert.deepEqual(tokensOf(editor.document, formattedProblems), tokensOf(original.document, originalProblems));
  });

  it('keeps the cursor on its token when the view is opened, and "Open Original at This Position" goes back to it', async () => {
    const original = await openDeliveredLog();
    const text = original.document.getText();
    const offset = offsetOf(text, '"eventName"', 3) + 2;
    original.selection = new vscode.Selection(original.document.positionAt(offset), original.document.positionAt(offset));
    await vscode.commands.executeCommand('cloudtrail.openFormatted');
    const editor = await activeFormattedView();
    const formattedOffset = editor.document.offsetAt(editor.selection.active);
    assert.equal(editor.document.getText().slice(formattedOffset - 2, formattedOffset + 12), text.slice(offset - 2, offset + 12));
    await vscode.commands.executeCommand('cloudtrail.openOriginal');
    const back = await waitFor(() => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === original.document.uri.toString() ? active : undefined;
    }, 'the original to be active again');
    assert.equal(back.document.offsetAt(back.selection.active), offset);
  });

  it('opens a .json.gz formatted when cloudtrail.openCompressedLogsFormatted is on', async () => {
    const settings = vscode.workspace.getConfiguration('cloudtrail');
    await settings.update('openCompressedLogsFormatted', true, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('vscode.open', workspaceFile(DELIVERED_GZ));
      const editor = await activeFormattedView();
      assert.match(editor.document.getText(), /^\{\n {2}"Records":\[\n {4}\{\n/);
    } finally {
      await settings.update('openCompressedLogsFormatted', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

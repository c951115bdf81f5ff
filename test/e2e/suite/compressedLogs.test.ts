import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { parseCloudTrail } from '../../../server/src/model/cloudTrailDocument';
import { closeAllEditors, EXTENSION_ID, LANGUAGE_ID, waitFor, workspaceFile } from './helpers';
import { defined } from '../../defined';

/** A delivered log of the test workspace (see test/e2e/lib/workspace.mjs). */
const DELIVERED_GZ = '974349055189_CloudTrail_us-east-1_20140927T1950Z_6eYA9tIux8XBSUzz.json.gz';

interface CloudTrailExplorerApi {
  eventsTreeDataProvider?: vscode.TreeDataProvider<unknown>;
}

function decompressed(uri: vscode.Uri): string {
  return zlib.gunzipSync(fs.readFileSync(uri.fsPath)).toString('utf8');
}

async function activeCompressedView(): Promise<vscode.TextEditor> {
  return waitFor(() => {
    const editor = vscode.window.activeTextEditor;
    return editor?.document.uri.scheme === 'cloudtrail-gz' ? editor : undefined;
  }, 'the decompressed view of the log to be the active editor');
}

describe('compressed logs and folders of logs', () => {
  afterEach(() => closeAllEditors());
  // The next suites expect the Events view to show open documents again.
  after(() => vscode.commands.executeCommand('cloudtrail.events.showActiveLog'));

  it('"Open Compressed CloudTrail Log" shows the decompressed log, read-only, as CloudTrail with every feature', async () => {
    const original = workspaceFile(DELIVERED_GZ);
    await vscode.commands.executeCommand('cloudtrail.openCompressedLog', original);
    const editor = await activeCompressedView();
    const document = editor.document;
    assert.equal(document.getText(), decompressed(original));
    assert.ok(document.uri.path.endsWith('_6eYA9tIux8XBSUzz.json'), document.uri.path);
    await waitFor(() => document.languageId === LANGUAGE_ID, 'the CloudTrail language');
    const records = parseCloudTrail(document.getText()).records;
    const symbols = await waitFor(async () => {
      const found = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri);
      return found && found.length > 0 ? found : undefined;
    }, 'the outline of the decompressed log');
    assert.equal(symbols.length, records.length);
    const at = document.positionAt(document.getText().indexOf('"eventName"') + 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at);
    assert.ok(hovers.length > 0, 'a hover on eventName');
    assert.equal(vscode.workspace.fs.isWritableFileSystem('cloudtrail-gz'), false, 'the view is read-only');
  });

  it('opening the .json.gz itself opens the decompressed view in its place', async () => {
    await vscode.commands.executeCommand('vscode.open', workspaceFile(DELIVERED_GZ));
    const editor = await activeCompressedView();
    assert.match(editor.document.getText(), /"Records"/);
  });

  it('"Open Folder of Logs" lists the events of every log of the folder in the Events view', async () => {
    const extension = defined(vscode.extensions.getExtension<CloudTrailExplorerApi>(EXTENSION_ID));
    const provider = (await extension.activate()).eventsTreeDataProvider;
    assert.ok(provider);
    const folder = defined(vscode.workspace.workspaceFolders)[0].uri;
    let expected = 0;
    for (const [name, type] of await vscode.workspace.fs.readDirectory(folder)) {
      if (type !== vscode.FileType.File || !/\.(json|gz)$/.test(name)) continue;
      const uri = vscode.Uri.joinPath(folder, name);
      expected += parseCloudTrail(name.endsWith('.gz') ? decompressed(uri) : fs.readFileSync(uri.fsPath, 'utf8')).records.length;
    }
    await vscode.commands.executeCommand('cloudtrail.openFolderOfLogs', folder);
    const total = await waitFor(async () => {
      const groups = (await provider.getChildren(undefined)) ?? [];
      const items = await Promise.all(groups.map((group) => Promise.resolve(provider.getTreeItem(group))));
      const sum = items.reduce((count, item) => count + countOf(item), 0);
      return sum === expected ? sum : undefined;
    }, `the Events view to count the ${expected} events of the folder`);
    assert.equal(total, expected);
  });

  it('lists the events of a log over 50 MB, which VS Code hands to no extension, from a disk index', async () => {
    const extension = defined(vscode.extensions.getExtension<CloudTrailExplorerApi>(EXTENSION_ID));
    const provider = (await extension.activate()).eventsTreeDataProvider;
    assert.ok(provider);
    const records = (JSON.parse(decompressed(workspaceFile(DELIVERED_GZ))) as { Records: unknown[] }).Records.map((record) => JSON.stringify(record));
    const copies = Math.ceil((52 * 1024 * 1024) / records.join(',').length);
    const big = vscode.Uri.joinPath(workspaceFile(DELIVERED_GZ), '..', 'large', '974349055189_CloudTrail_us-east-1_20140927T2000Z_large.json');
    fs.mkdirSync(vscode.Uri.joinPath(big, '..').fsPath, { recursive: true });
    fs.writeFileSync(big.fsPath, `{"Records":[${Array.from({ length: copies }, () => records.join(',')).join(',')}]}`);
    const expected = copies * records.length;
    try {
      await vscode.commands.executeCommand('vscode.open', big);
      assert.ok(!vscode.workspace.textDocuments.some((document) => document.uri.toString() === big.toString()), 'VS Code gives extensions no document for it');
      await waitFor(
        async () => {
          const groups = (await provider.getChildren(undefined)) ?? [];
          const items = await Promise.all(groups.map((group) => Promise.resolve(provider.getTreeItem(group))));
          return items.reduce((count, item) => count + countOf(item), 0) === expected;
        },
        `the Events view to count the ${expected} events of the large log`,
        60_000,
      );
    } finally {
      fs.rmSync(vscode.Uri.joinPath(big, '..').fsPath, { recursive: true, force: true });
    }
  });
});

/** The count a group shows, in its description or else in its label (as tree.test.ts reads it). */
function countOf(item: vscode.TreeItem): number {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const match = /\b(\d[\d,]*)\b/.exec(`${typeof item.description === 'string' ? item.description : ''} ${label}`);
  return match ? Number(match[1].replace(/,/g, '')) : 0;
}

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseCloudTrail } from '../../../server/src/model/cloudTrailDocument';
import { openInEditor, waitFor } from './helpers';
import { defined } from '../../defined';
import { showTime } from '../../../server/src/model/explain/time';

async function outline(uri: vscode.Uri): Promise<vscode.DocumentSymbol[]> {
  return waitFor(async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', uri);
    return symbols && symbols.length > 0 ? symbols : undefined;
  }, `the outline of ${uri.path}`);
}

describe('outline', () => {
  for (const name of ['111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json', 'console-download.json', 'lookup-events.json']) {
    it(`lists every event of ${name} in file order, named by its time and eventName`, async () => {
      const editor = await openInEditor(name);
      const { document } = editor;
      const records = parseCloudTrail(document.getText()).records;
      assert.ok(records.length > 0);
      const symbols = await outline(document.uri);
      assert.equal(symbols.length, records.length);
      symbols.forEach((symbol, i) => {
        const { eventName, eventTime } = records[i].summary;
        assert.ok(symbol.name.includes(defined(eventName)), `${symbol.name} names ${eventName}`);
        const time = defined(showTime(eventTime)).full;
        assert.ok(symbol.name.includes(time), `${symbol.name} has the time ${time}`);
        assert.equal(document.offsetAt(symbol.range.start), records[i].start);
        assert.ok(symbol.range.contains(symbol.selectionRange));
      });
    });
  }
});

/**
 * Closing documents gives their memory back: after large logs are opened, edited and closed, the
 * server's heap (after a full collection) is within 20% of what it was before. The baseline is
 * taken after one small log went through the same requests, so that code compiled on first use
 * (a heap snapshot shows that is all a cold start adds) is not counted as kept data.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { HeapAfterCollectionRequest } from '../../server/src/protocol';
import { generateLog } from '../bench/generateLogs';
import { LspSession } from './lspSession';

async function openEditClose(session: LspSession, uri: string, text: string): Promise<void> {
  await session.open(uri, text);
  const document = TextDocument.create(uri, 'cloudtrail', 1, text);
  for (let edit = 0; edit < 3; edit++) {
    const position = document.positionAt(Math.floor(text.length / 2) + edit * 1000);
    await session.change(uri, [{ range: { start: position, end: position }, text: ' ' }]);
  }
  await session.hover(uri, document.positionAt(Math.floor(text.length / 3)));
  await session.connection.sendRequest('cloudtrail/eventTree', { textDocument: { uri }, groupBy: ['action'] });
  await session.close(uri);
}

describe('memory after closing documents', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start({}, undefined, undefined, ['--expose-gc']);
  });
  after(() => session.stop());

  it('returns the heap to within 20% of its size before a 20 MB log was opened, edited and closed twice', async () => {
    const heap = async (): Promise<number> => (await session.connection.sendRequest(HeapAfterCollectionRequest.type, null)).heapUsed;
    await openEditClose(session, 'file:///memory/warm-up.json', generateLog(200 * 1024, 'one-line').text);
    const before = await heap();
    const large = generateLog(20 * 1024 * 1024, 'one-line').text;
    for (let round = 0; round < 2; round++) {
      await openEditClose(session, `file:///memory/large-${String(round)}.json`, large);
    }
    const after = await heap();
    assert.ok(after <= before * 1.2, `heap ${String(after)} bytes after closing, ${String(before)} before`);
  });
});

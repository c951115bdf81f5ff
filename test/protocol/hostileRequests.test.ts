/**
 * Requests as a broken or hostile client sends them: parameters of the wrong shape, requests
 * after shutdown, values made to freeze the server or hide what they say.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCodes, MarkupContent, ResponseError, ShutdownRequest } from 'vscode-languageserver-protocol';
import { CloseFolderIndexNotification, EventAtRequest, EventTreeRequest, IndexFolderRequest } from '../../server/src/protocol';
import { readFixture } from '../fixtures';
import { visibleText } from '../unit/hoverRendering';
import { fileUri, LspSession } from './lspSession';

async function errorOf(request: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    const answer = await request;
    assert.fail(`answered ${JSON.stringify(answer)} instead of an error`);
  } catch (error) {
    assert.ok(error instanceof ResponseError, String(error));
    return error;
  }
}

const LOG = readFixture('aws-docs-acm/ct-acm-import.json');

describe('requests with parameters of the wrong shape', () => {
  let session: LspSession;
  const uri = fileUri('garbage-params.json');
  before(async () => {
    session = await LspSession.start();
    await session.open(uri, LOG);
  });
  after(() => session.stop());

  it('answers cloudtrail/eventAt with { line: "x", character: {} } with InvalidParams, not event 0', async () => {
    const error = await errorOf(session.connection.sendRequest(EventAtRequest.method, { textDocument: { uri }, position: { line: 'x', character: {} } }));
    assert.equal(error.code, ErrorCodes.InvalidParams);
  });

  it('refuses every custom request whose parameters are garbage, and still answers good ones', async () => {
    const garbage: [string, unknown][] = [
      [EventAtRequest.method, null],
      [EventAtRequest.method, { textDocument: 5, position: { line: 0, character: 0 } }],
      [EventAtRequest.method, { textDocument: { uri }, position: { line: -1, character: 0 } }],
      [EventAtRequest.method, { textDocument: { uri }, position: { line: 0, character: 0 }, groupBy: ['nonsense'] }],
      [EventTreeRequest.method, { textDocument: { uri } }],
      [EventTreeRequest.method, { textDocument: { uri }, groupBy: 'action' }],
      [EventTreeRequest.method, { textDocument: { uri }, groupBy: [], limit: 'all' }],
      [EventTreeRequest.method, { textDocument: { uri }, groupBy: [], filter: { text: 7 } }],
      [IndexFolderRequest.method, { uri: 42 }],
      [IndexFolderRequest.method, { uri: 'file:///tmp', maxDecompressedMB: -1 }],
      ['textDocument/hover', { textDocument: { uri }, position: { line: 'x', character: {} } }],
      ['textDocument/documentSymbol', { textDocument: null }],
      ['textDocument/foldingRange', []],
      ['textDocument/codeAction', { textDocument: { uri }, range: {}, context: {} }],
    ];
    for (const [method, params] of garbage) {
      const error = await errorOf(session.connection.sendRequest(method, params));
      assert.equal(error.code, ErrorCodes.InvalidParams, `${method} ${JSON.stringify(params)}`);
    }
    await session.connection.sendNotification(CloseFolderIndexNotification.method, { uri: {} });
    const event = await session.connection.sendRequest(EventAtRequest.type, { textDocument: { uri }, position: { line: 5, character: 4 } });
    assert.equal(event?.index, 0);
    const tree = await session.connection.sendRequest(EventTreeRequest.type, { textDocument: { uri }, groupBy: ['action'] });
    assert.equal(tree?.total, 1);
  });
});

describe('requests after shutdown', () => {
  it('refuses them with InvalidRequest, as the protocol asks', async () => {
    const session = await LspSession.start();
    const uri = fileUri('after-shutdown.json');
    await session.open(uri, LOG);
    await session.connection.sendRequest(ShutdownRequest.type);
    for (const [method, params] of [
      [EventAtRequest.method, { textDocument: { uri }, position: { line: 5, character: 4 } }],
      [EventTreeRequest.method, { textDocument: { uri }, groupBy: ['action'] }],
      ['textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 4 } }],
      ['textDocument/documentSymbol', { textDocument: { uri } }],
    ] as const) {
      const error = await errorOf(session.connection.sendRequest(method, params));
      assert.equal(error.code, ErrorCodes.InvalidRequest, method);
    }
    await session.stop();
  });
});

describe('hostile values over LSP', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start();
  });
  after(() => session.stop());

  it('answers a hover inside a 4 MB user agent, and the next request is not held up behind it', async () => {
    const uri = fileUri('long-user-agent.json');
    const userAgent = `aws-cli/2.15.30 ${'a'.repeat(4 * 1024 * 1024)}`;
    const text = JSON.stringify({
      Records: [{ eventVersion: '1.08', eventTime: '2024-05-01T10:00:00Z', eventSource: 'acm.amazonaws.com', eventName: 'ListCertificates', userAgent }],
    });
    await session.open(uri, text);
    const character = text.indexOf('"userAgent":"') + 20;
    const hover = await session.hover(uri, { line: 0, character });
    const shown = visibleText((hover?.contents as MarkupContent).value);
    assert.match(shown, /Client: AWS CLI 2\.15\.30/);
    assert.match(shown, /at least \d+ more characters/);
  });

  it('reports 1,000,000 unclosed brackets, capped, and answers the next hover', async () => {
    const uri = fileUri('unclosed-brackets.json');
    const diagnostics = await session.open(uri, '['.repeat(1_000_000));
    assert.ok(diagnostics.diagnostics.length > 0 && diagnostics.diagnostics.length <= 1001, String(diagnostics.diagnostics.length));
    assert.ok(diagnostics.diagnostics.every((diagnostic) => diagnostic.range.end.character <= 1_000_000));
    await session.hover(uri, { line: 0, character: 500_000 });
  });

  it('shows hidden characters in hovers and in the events answered by cloudtrail/eventAt', async () => {
    const uri = fileUri('hidden-characters.json');
    const text = JSON.stringify({
      Records: [
        {
          eventVersion: '1.08',
          userIdentity: { type: 'IAMUser', userName: 'adm\u200bin', arn: 'arn:aws:iam::111122223333:user/adm\u200bin' },
          eventTime: '2024-05-01T10:00:00Z',
          eventSource: 'acm.amazonaws.com',
          eventName: 'List\u202eCertificates',
        },
      ],
    });
    await session.open(uri, text);
    const hover = await session.hover(uri, { line: 0, character: text.indexOf('"userName":"') + 14 });
    const shown = visibleText((hover?.contents as MarkupContent).value);
    assert.match(shown, /adm<U\+200B>in/);
    assert.match(shown, /Hidden characters: this value holds 1 invisible or control character \(U\+200B\)/);
    const event = await session.connection.sendRequest(EventAtRequest.type, {
      textDocument: { uri },
      position: { line: 0, character: 20 },
      groupBy: ['identity'],
    });
    assert.ok(event);
    assert.equal(event.eventName, 'List<U+202E>Certificates');
    // Group keys name the tree's groups and stay as written; everything shown is made visible.
    const { groupPath, ...fields } = event;
    assert.deepEqual(groupPath, ['arn:aws:iam::111122223333:user/adm\u200bin']);
    assert.ok(!JSON.stringify(fields).includes('\u200b'), JSON.stringify(fields));
    assert.equal(fields.identityLabel, 'adm<U+200B>in (IAM user)');
  });
});

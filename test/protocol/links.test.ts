import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  CallHierarchyIncomingCallsRequest,
  CallHierarchyOutgoingCallsRequest,
  CallHierarchyPrepareRequest,
  DefinitionRequest,
  DocumentHighlightKind,
  DocumentHighlightRequest,
  Location,
  MarkupContent,
  Position,
  Range,
  ReferencesRequest,
} from 'vscode-languageserver-protocol';
import { IndexFolderRequest, RelatedEventsRequest } from '../../server/src/protocol';
import { FIXTURES, listFixtures, readFixture } from '../fixtures';
import { assertInert, visibleText } from '../unit/hoverRendering';
import { LspSession } from './lspSession';

const FILES = listFixtures('trail');
const fileOf = (part: string): string => FILES.find((file) => file.includes(part)) ?? '';
const uriOf = (relative: string): string => pathToFileURL(path.join(FIXTURES, relative)).href;
const AUDIT = fileOf('Audit00');
const DEPLOY = fileOf('Deploy0');
const ALICE_FILE = fileOf('Alice0');

/** The position of the `n`-th occurrence (from 0) of `needle` in `text`, `inside` characters into it. */
function positionOf(text: string, needle: string, n = 0, inside = 2): Position {
  let at = -1;
  for (let i = 0; i <= n; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} #${n} not found`);
  const before = text.slice(0, at + inside);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

function offsetOf(text: string, position: Position): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line; i++) offset += lines[i].length + 1;
  return offset + position.character;
}

function textOf(text: string, range: Range): string {
  return text.slice(offsetOf(text, range.start), offsetOf(text, range.end));
}

/** The record (its offsets) holding an offset of a one-record-per-element log, found by parsing it. */
function recordSpans(text: string): { start: number; end: number; eventID: string }[] {
  const spans: { start: number; end: number; eventID: string }[] = [];
  const records = (JSON.parse(text) as { Records: { eventID: string }[] }).Records;
  let from = text.indexOf('[') + 1;
  for (const record of records) {
    const start = text.indexOf('{', from);
    let depth = 0;
    let end = start;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    spans.push({ start, end, eventID: record.eventID });
    from = end;
  }
  return spans;
}

describe('the trail over LSP: references, definitions, highlights and the call hierarchy', () => {
  let session: LspSession;
  const texts = new Map<string, string>();

  before(async () => {
    session = await LspSession.start();
    for (const file of FILES) texts.set(uriOf(file), readFixture(file));
    await session.open(uriOf(AUDIT), texts.get(uriOf(AUDIT)) ?? '');
    await session.open(uriOf(DEPLOY), texts.get(uriOf(DEPLOY)) ?? '');
    await session.connection.sendRequest(IndexFolderRequest.type, { uri: pathToFileURL(path.join(FIXTURES, 'trail')).href });
  });
  after(async () => {
    await session.stop();
  });

  const references = (uri: string, position: Position): Promise<Location[] | null> =>
    session.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration: true } });
  const definition = (uri: string, position: Position) =>
    session.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position }) as Promise<Location[] | null>;

  it('lists every record holding the access key, across files, each range inside its record and on its action', async () => {
    const uri = uriOf(AUDIT);
    const text = texts.get(uri) ?? '';
    const position = positionOf(text, '"accessKeyId":"ASIAQWERTYAUDIT00003"', 0, 18);
    const locations = await references(uri, position);
    assert.ok(locations);
    // Four ACM calls of the session, the AssumeRole that issued the key, logged in B and in C.
    assert.equal(locations.length, 6);
    const names: string[] = [];
    for (const location of locations) {
      const fileText = texts.get(location.uri) ?? '';
      const spans = recordSpans(fileText);
      const start = offsetOf(fileText, location.range.start);
      const end = offsetOf(fileText, location.range.end);
      const record = spans.find((span) => start >= span.start && end <= span.end);
      assert.ok(record, `${location.uri} ${JSON.stringify(location.range)} lies inside a record`);
      const record0 = (JSON.parse(fileText) as { Records: Record<string, unknown>[] }).Records.find((r) => r.eventID === record.eventID);
      assert.ok(JSON.stringify(record0).includes('ASIAQWERTYAUDIT00003'), 'the record holds the key');
      names.push(textOf(fileText, location.range));
    }
    assert.deepEqual(names, ['"AssumeRole"', '"AssumeRole"', '"RequestCertificate"', '"DescribeCertificate"', '"AddTagsToCertificate"', '"DeleteCertificate"']);
  });

  it('goes from the key a record was signed with to the issued key in the AssumeRole that issued it', async () => {
    const uri = uriOf(AUDIT);
    const text = texts.get(uri) ?? '';
    const locations = await definition(uri, positionOf(text, '"accessKeyId":"ASIAQWERTYAUDIT00003"', 1, 18));
    assert.ok(locations && locations.length > 0);
    for (const location of locations) {
      const fileText = texts.get(location.uri) ?? '';
      assert.equal(textOf(fileText, location.range), '"ASIAQWERTYAUDIT00003"');
      const start = offsetOf(fileText, location.range.start);
      const record = recordSpans(fileText).find((span) => start >= span.start && start < span.end);
      assert.ok(record);
      const issuing = fileText.slice(record.start, record.end);
      assert.match(issuing, /"eventName":\s*"AssumeRole"/);
      assert.ok(issuing.lastIndexOf('"credentials"', start - record.start) >= 0, 'on responseElements.credentials.accessKeyId');
    }
    // In the pretty-printed account B log: the key of the DeployRole session, issued in A's and B's copies of the AssumeRole.
    const deploy = texts.get(uriOf(DEPLOY)) ?? '';
    const fromB = await definition(uriOf(DEPLOY), positionOf(deploy, '"accessKeyId": "ASIAQWERTYDEPLOY0002"', 1, 18));
    assert.ok(fromB);
    assert.deepEqual(new Set(fromB.map((l) => l.uri)), new Set([uriOf(ALICE_FILE), uriOf(DEPLOY)]));
  });

  it('goes from a certificate ARN to RequestCertificate and from a shared event to its other account', async () => {
    const uri = uriOf(AUDIT);
    const text = texts.get(uri) ?? '';
    const [made] = (await definition(uri, positionOf(text, '"certificateArn":"arn:aws:acm', 2, 20))) ?? [];
    assert.ok(made);
    assert.equal(made.uri, uri);
    assert.match(textOf(text, made.range), /^"arn:aws:acm:us-east-1:333333333333:certificate\//);
    assert.match(text.slice(0, offsetOf(text, made.range.start)).slice(-40), /"responseElements":\{"certificateArn":$/);
    const shared = await definition(uri, positionOf(text, '6e7f8091-0213-4b4c-9d5e-6f708192a314'));
    assert.ok(shared);
    assert.equal(shared.length, 1);
    assert.equal(shared[0].uri, uriOf(DEPLOY));
  });

  it('highlights the key in this log, written where it is issued', async () => {
    const uri = uriOf(AUDIT);
    const text = texts.get(uri) ?? '';
    const highlights = await session.connection.sendRequest(DocumentHighlightRequest.type, {
      textDocument: { uri },
      position: positionOf(text, 'ASIAQWERTYAUDIT00003', 2),
    });
    assert.ok(highlights);
    assert.equal(highlights.length, 5);
    assert.ok(highlights.every((h) => textOf(text, h.range) === '"ASIAQWERTYAUDIT00003"'));
    assert.equal(highlights.filter((h) => h.kind === DocumentHighlightKind.Write).length, 1);
  });

  it('walks "who is behind this" back to alice as incoming calls, and forward as outgoing calls', async () => {
    const uri = uriOf(AUDIT);
    const text = texts.get(uri) ?? '';
    const items = await session.connection.sendRequest(CallHierarchyPrepareRequest.type, {
      textDocument: { uri },
      position: positionOf(text, '"arn":"arn:aws:sts::333333333333:assumed-role/AuditRole/alice-audit"', 1, 10),
    });
    assert.ok(items);
    assert.equal(items.length, 1);
    const names = [items[0].name];
    let item = items[0];
    for (let hop = 0; hop < 6; hop++) {
      const calls = await session.connection.sendRequest(CallHierarchyIncomingCallsRequest.type, { item });
      if (!calls || calls.length === 0) break;
      item = calls[0].from;
      names.push(item.name);
    }
    assert.deepEqual(names, [
      'arn:aws:sts::333333333333:assumed-role/AuditRole/alice-audit',
      'arn:aws:sts::222222222222:assumed-role/DeployRole/alice-deploy',
      'arn:aws:iam::111111111111:user/alice',
      'arn:aws:iam::111111111111:user/alice',
    ]);
    // ...and forward again from alice's MFA session: the DeployRole session she made.
    const fromDeploy = await session.connection.sendRequest(CallHierarchyIncomingCallsRequest.type, { item: items[0] });
    assert.ok(fromDeploy && fromDeploy.length > 0);
    const fromAlice = await session.connection.sendRequest(CallHierarchyIncomingCallsRequest.type, { item: fromDeploy[0].from });
    assert.ok(fromAlice && fromAlice.length > 0);
    const aliceItem = fromAlice[0].from;
    const outgoing = await session.connection.sendRequest(CallHierarchyOutgoingCallsRequest.type, { item: aliceItem });
    assert.ok(outgoing?.some((call) => call.to.name === 'arn:aws:sts::222222222222:assumed-role/DeployRole/alice-deploy'));
  });

  it('says who is behind a session in the hover, as inert Markdown', async () => {
    const uri = uriOf(AUDIT);
    const text = texts.get(uri) ?? '';
    const hover = await session.hover(uri, positionOf(text, 'ASIAQWERTYAUDIT00003', 2));
    assert.ok(hover);
    const markdown = (hover.contents as MarkupContent).value;
    assertInert(markdown);
    const shown = visibleText(markdown);
    assert.match(shown, /Who is behind this\? alice \(IAM user, account 111111111111\)/);
    assert.match(shown, /issued by AssumeRole at 2026-03-15T09:09:12Z/);
    assert.match(shown, /long-term access key AKIAQWERTYALICE00001/);
  });

  it('tells the certificate its life in the hover', async () => {
    const uri = uriOf(AUDIT);
    const text = texts.get(uri) ?? '';
    const hover = await session.hover(uri, positionOf(text, '"certificateArn":"arn:aws:acm', 1, 20));
    const shown = visibleText((hover?.contents as MarkupContent).value);
    assert.match(shown, /Lifecycle/);
    assert.match(shown, /2026-03-15T09:11:45Z requested/);
    assert.match(shown, /2026-03-15T09:31:00Z deleted/);
  });

  it('lists related events of an event with what ties them', async () => {
    const related = await session.connection.sendRequest(RelatedEventsRequest.type, { uri: uriOf(AUDIT), index: 1 });
    assert.ok(related.some((r) => r.event.eventName === 'DeleteCertificate' && r.through.startsWith('access key')));
    assert.ok(related.some((r) => r.event.eventName === 'AssumeRole' && r.event.uri === uriOf(DEPLOY)));
    const times = related.map((r) => r.event.eventTime ?? '');
    assert.deepEqual(times, [...times].sort());
  });
});

import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DidCloseTextDocumentNotification, Position } from 'vscode-languageserver-protocol';
import {
  DocumentSummary,
  EventAtRequest,
  EventGroup,
  EventRef,
  EventTreeParams,
  EventTreeRequest,
  EventTreeResult,
  ModelChangedNotification,
} from '../../server/src/protocol';
import { listFixtures, readFixture } from '../fixtures';
import { groupedIdentities, identityKeyOf } from '../identityOracle';
import { fileUri, LspSession } from './lspSession';
import { defined } from '../defined';

type Json = Record<string, unknown>;

/** Offsets of LSP positions in `text` (both count UTF-16 code units). */
function offsetOf(text: string, position: Position): number {
  let line = 0;
  let offset = 0;
  while (line < position.line) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
    line++;
  }
  return offset + position.character;
}

function rawRecords(text: string): Json[] {
  const value = JSON.parse(text) as Json | Json[];
  return Array.isArray(value) ? value : (value.Records as Json[]);
}

/** Every event of a fully listed tree, with the keys of its groups. */
function eventsOf(groups: readonly EventGroup[], path: string[] = []): { path: string[]; event: EventRef }[] {
  return groups.flatMap((group) => [
    ...(group.events ?? []).map((event) => ({ path: [...path, group.key], event })),
    ...eventsOf(group.groups ?? [], [...path, group.key]),
  ]);
}

describe('cloudtrail/eventTree and cloudtrail/eventAt from the real server', () => {
  let session: LspSession;
  const summaries: DocumentSummary[] = [];
  const tree = (params: EventTreeParams): Promise<EventTreeResult | null> => session.connection.sendRequest(EventTreeRequest.type, params);

  before(async () => {
    session = await LspSession.start();
    session.connection.onNotification(ModelChangedNotification.type, (summary: DocumentSummary) => {
      summaries.push(summary);
    });
  });
  after(async () => {
    await session.stop();
  });

  it('groups every real log by action then identity, with counts, keys and ranges that land on the records', async () => {
    let events = 0;
    for (const file of listFixtures('real')) {
      const text = readFixture(file);
      const records = rawRecords(text);
      const uri = fileUri(file);
      await session.open(uri, text);
      const result = await tree({ textDocument: { uri }, groupBy: ['action', 'identity'], limit: 100_000 });
      assert.ok(result, file);
      assert.equal(result.total, records.length, file);
      assert.equal(result.matched, records.length, file);
      assert.equal(
        result.groups.reduce((sum, g) => sum + g.count, 0),
        records.length,
        file,
      );
      assert.equal(
        result.groups.reduce((sum, g) => sum + g.errorCount, 0),
        records.filter((r) => r.errorCode).length,
        file,
      );
      const listed = eventsOf(result.groups);
      assert.equal(listed.length, records.length, file);
      // A record without an ARN sits under the principal it is tied to; its own key stays on the event.
      const groupedUnder = groupedIdentities(records);
      for (const { path, event } of listed) {
        const slice = text.slice(offsetOf(text, event.range.start), offsetOf(text, event.range.end));
        const record = JSON.parse(slice) as Json;
        assert.deepEqual(record, records[event.index], `${file} #${event.index}`);
        assert.equal(event.eventID, record.eventID, file);
        assert.equal(event.eventName, record.eventName, file);
        assert.equal(event.errorCode, record.errorCode, file);
        assert.equal(event.identity, identityKeyOf(record.userIdentity as Json), file);
        assert.equal(path[0], `${record.eventSource as string}:${record.eventName as string}`, file);
        assert.equal(path[path.length - 1], identityKeyOf(groupedUnder[event.index]), file);
      }
      events += listed.length;
    }
    assert.ok(events > 1000, `only ${events} events`);
  });

  it('reads lookup-events output: ranges cover the Events items, times come from the embedded events', async () => {
    for (const file of ['shapes/lookup-events.json', 'shapes/lookup-events-event-tree.json']) {
      const text = readFixture(file);
      const items = (JSON.parse(text) as { Events: Json[] }).Events;
      const uri = fileUri(file);
      await session.open(uri, text);
      const result = await tree({ textDocument: { uri }, groupBy: ['identity', 'action'] });
      assert.ok(result);
      assert.equal(result.total, items.length);
      const listed = eventsOf(result.groups);
      assert.equal(listed.length, items.length);
      for (const { event } of listed) {
        const item = JSON.parse(text.slice(offsetOf(text, event.range.start), offsetOf(text, event.range.end))) as Json;
        const embedded = JSON.parse(item.CloudTrailEvent as string) as Json;
        assert.equal(item.EventId, event.eventID);
        assert.equal(embedded.eventTime, event.eventTime);
        assert.equal(embedded.eventName, event.eventName);
        assert.equal(event.identity, identityKeyOf(embedded.userIdentity as Json));
      }
    }
    const uri = fileUri('shapes/lookup-events-event-tree.json');
    const byIdentity = await tree({ textDocument: { uri }, groupBy: ['identity'] });
    assert.deepEqual(
      byIdentity?.groups.map((g) => [g.kind, g.label, g.count, g.errorCount, g.groups?.map((s) => s.label)]),
      [
        ['role', 'role CertManager', 3, 1, ['session bob']],
        ['identity', 'alice (IAM user)', 2, 0, undefined],
        ['identity', 'cloudformation.amazonaws.com (AWS service)', 1, 0, undefined],
      ],
    );
    const failed = await tree({ textDocument: { uri }, groupBy: ['action'], filter: { errorsOnly: true } });
    assert.deepEqual(
      failed?.groups.map((g) => [g.label, g.description, g.count, g.events?.map((e) => e.errorCode)]),
      [['ListCertificates', 'acm', 1, ['AccessDenied']]],
    );
    assert.equal(failed.matched, 1);
    assert.equal(failed.total, 6);
  });

  it('answers piece by piece: the top groups, one group, and its events page by page', async () => {
    const file = 'real/grycap-sample/974349055189_CloudTrail_us-east-1_20140927T1805Z_8137V0IkHQp9WiYb.json.gz';
    const uri = fileUri(file);
    const whole = await tree({ textDocument: { uri }, groupBy: ['identity', 'action'], limit: 100_000 });
    assert.ok(whole);
    const top = await tree({ textDocument: { uri }, groupBy: ['identity', 'action'], depth: 1 });
    assert.deepEqual(
      top?.groups,
      whole.groups.map(({ groups: _groups, events: _events, ...counts }) => counts),
    );
    const busiest = whole.groups[0];
    const opened = await tree({ textDocument: { uri }, groupBy: ['identity', 'action'], group: [busiest.key], depth: 1 });
    assert.equal(opened?.groups.length, 1);
    assert.deepEqual(
      opened.groups[0].groups?.map((g) => [g.key, g.count, g.events]),
      busiest.groups?.map((g) => [g.key, g.count, undefined]),
    );
    const action = defined(busiest.groups)[0];
    assert.ok(action.count > 3, `the busiest action has ${action.count} events`);
    const pages: EventRef[] = [];
    let offset = 0;
    for (;;) {
      const page = await tree({ textDocument: { uri }, groupBy: ['identity', 'action'], group: [busiest.key, action.key], offset, limit: 3 });
      const group = defined(page).groups[0];
      pages.push(...(group.events ?? []));
      offset += group.events?.length ?? 0;
      assert.equal(group.moreEvents ?? 0, action.count - offset);
      if (!group.moreEvents) break;
    }
    assert.deepEqual(pages, action.events);
    const gone = await tree({ textDocument: { uri }, groupBy: ['identity', 'action'], group: ['no such key'] });
    assert.deepEqual(gone?.groups, []);
  });

  it('groups several documents together and says which file each event is in', async () => {
    const files = ['shapes/lookup-events.json', 'shapes/lookup-events-event-tree.json'];
    const scope = files.map((file) => ({ uri: fileUri(file) }));
    const result = await tree({ textDocument: scope[0], scope, groupBy: ['action'] });
    assert.equal(result?.total, 12);
    const listed = eventsOf(result.groups);
    assert.equal(listed.length, 12);
    assert.deepEqual(new Set(listed.map(({ event }) => event.uri)), new Set(scope.map((s) => s.uri)));
  });

  it('finds the event at a position and where it sits in the tree', async () => {
    const file = 'real/grycap-sample/974349055189_CloudTrail_us-east-1_20140927T1805Z_8137V0IkHQp9WiYb.json.gz';
    const uri = fileUri(file);
    const groupBy: ('action' | 'identity')[] = ['identity', 'action'];
    const whole = await tree({ textDocument: { uri }, groupBy, limit: 100_000 });
    for (const { path, event } of eventsOf(defined(whole).groups)) {
      const inside = { line: event.range.start.line, character: event.range.start.character + 1 };
      const found = await session.connection.sendRequest(EventAtRequest.type, { textDocument: { uri }, position: inside, groupBy });
      assert.equal(found?.index, event.index);
      assert.deepEqual(found.groupPath, path);
      const group = defined(defined(defined(defined(whole).groups.find((g) => g.key === path[0])).groups).find((g) => g.key === path[1]));
      assert.equal(defined(group.events)[defined(found.positionInGroup)].index, event.index);
    }
    const outside = await session.connection.sendRequest(EventAtRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.equal(outside, null);
  });

  it('marks events whose record has a problem', async () => {
    const uri = fileUri('ct-acm-revoke.current.json');
    await session.open(uri, readFixture('aws-docs-acm/ct-acm-revoke.current.json'));
    const result = await tree({ textDocument: { uri }, groupBy: ['action'] });
    const events = eventsOf(defined(result).groups).map(({ event }) => event);
    assert.equal(events.length, 1);
    assert.equal(events[0].hasProblems, true);
  });

  it('says when a document model changes and when it closes, and answers null for a document it does not have', async () => {
    const file = 'real/trailscraper/events-for-smoke-test.json';
    const text = readFixture(file);
    const uri = fileUri(`again-${file}`);
    await session.open(uri, text);
    const opened = summaries.filter((s) => s.uri === uri);
    assert.equal(opened.length, 1);
    const records = rawRecords(text);
    assert.equal(opened[0].events, records.length);
    assert.equal(opened[0].failedEvents, records.filter((r) => r.errorCode).length);
    await session.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await waitFor(() => summaries.filter((s) => s.uri === uri).length === 2);
    assert.deepEqual(summaries.filter((s) => s.uri === uri)[1], {
      uri,
      version: null,
      shape: 'empty',
      events: 0,
      failedEvents: 0,
      errors: 0,
      warnings: 0,
    });
    assert.equal(await tree({ textDocument: { uri }, groupBy: ['action'] }), null);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.ok(condition(), 'timed out');
}

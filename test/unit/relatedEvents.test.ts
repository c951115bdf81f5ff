import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RelatedEventPick, relatedEventPicks, RelatedEventsUi, showRelatedEvents } from '../../client/src/eventTree/relatedEvents';
import type { EventNode } from '../../client/src/eventTree/eventTreeModel';
import type { RelatedEvent, RelatedEventsParams } from '../../server/src/protocol';

const RANGE = { start: { line: 3, character: 0 }, end: { line: 9, character: 1 } };

function related(eventName: string, through: string): RelatedEvent {
  return {
    event: {
      index: 2,
      eventName,
      eventTime: '2026-03-15T09:12:05Z',
      identity: 'arn:x',
      identityLabel: 'role AuditRole / session alice-audit',
      range: RANGE,
      uri: 'file:///logs/b%20c.json',
    },
    through,
  };
}

const node = {
  type: 'event',
  id: 'e',
  uri: 'file:///logs/a.json',
  showFile: false,
  parent: undefined,
  event: { index: 1, eventName: 'RequestCertificate', identity: 'arn:x', range: RANGE },
} as unknown as EventNode;

describe('Events view: related events', () => {
  it('makes one pick per event, with what ties it and its file, hostile text made visible', () => {
    const picks = relatedEventPicks([related('DeleteCertificate', 'access key ASIA1'), related('Get\u202eObject', 'resource arn:aws:s3:::b')]);
    assert.equal(picks[0].label, 'DeleteCertificate');
    assert.equal(picks[0].description, '2026-03-15T09:12:05Z · role AuditRole / session alice-audit');
    assert.equal(picks[0].detail, 'access key ASIA1 · b c.json');
    assert.ok(!picks[1].label.includes('\u202e'), 'no direction control reaches the list');
  });

  it('asks the server about the event of the node and opens the one picked at its record', async () => {
    const asked: RelatedEventsParams[] = [];
    const opened: [string, unknown][] = [];
    const ui: RelatedEventsUi = {
      pick: (items: RelatedEventPick[]) => Promise.resolve(items[0]),
      open: (uri, range) => {
        opened.push([uri, range]);
        return Promise.resolve();
      },
      inform: () => assert.fail('nothing to say'),
    };
    const server = {
      relatedEvents: (params: RelatedEventsParams) => (asked.push(params), Promise.resolve([related('DeleteCertificate', 'access key ASIA1')])),
    };
    await showRelatedEvents(server, node, ui);
    assert.deepEqual(asked, [{ uri: 'file:///logs/a.json', index: 1 }]);
    assert.deepEqual(opened, [['file:///logs/b%20c.json', RANGE]]);
  });

  it('says so when no event is related', async () => {
    const messages: string[] = [];
    const ui: RelatedEventsUi = { pick: () => assert.fail('no list'), open: () => assert.fail('nothing to open'), inform: (m) => messages.push(m) };
    await showRelatedEvents({ relatedEvents: () => Promise.resolve([]) }, node, ui);
    assert.match(messages[0], /No other event shares an access key, session, resource or request with RequestCertificate/);
  });
});

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { CloudTrailDocument, EventFilter, EventGroupNode, GroupDimension, groupEvents, parseCloudTrail } from '../../server/src/model';
import {
  cachedFolderGrouping,
  FileEntriesBuilder,
  FolderGrouping,
  FolderIndex,
  groupFolderEvents,
  indexFolder,
  InThreadRunner,
  timeOrderSpan,
} from '../../server/src/model/folderIndex';
import { FIXTURES, listFixtures, readFixture } from '../fixtures';
import { defined } from '../defined';

/** The groups without their events, for comparing two groupings. */
function shapeOf(groups: readonly EventGroupNode[]): unknown[] {
  return groups.map((group) => ({
    key: group.key,
    label: group.label,
    kind: group.kind,
    description: group.description,
    identityType: group.identityType,
    eventSource: group.eventSource,
    readOnly: group.readOnly,
    credit: group.credit,
    count: group.count,
    errorCount: group.errorCount,
    groups: group.groups ? shapeOf(group.groups) : undefined,
  }));
}

function innermost(groups: readonly EventGroupNode[], path: string[] = []): { path: string[]; group: EventGroupNode }[] {
  return groups.flatMap((group) => (group.groups ? innermost(group.groups, [...path, group.key]) : [{ path: [...path, group.key], group }]));
}

const GROUPINGS: GroupDimension[][] = [
  ['action'],
  ['identity'],
  ['action', 'identity'],
  ['identity', 'action'],
  ['accessLevel'],
  ['accessLevel', 'action'],
  ['tactic'],
  ['tactic', 'action'],
  ['identity', 'tactic'],
  ['accessKey'],
  ['accessKey', 'action'],
  ['identity', 'accessKey'],
  ['action', 'accessKey'],
  [],
];
const FILTERS: (EventFilter | undefined)[] = [
  undefined,
  { errorsOnly: true },
  { writesOnly: true },
  { service: 'ec2' },
  { service: 'sts.amazonaws.com', writesOnly: true },
  { accessLevel: 'permissions' },
  { accessLevel: 'List', service: 'ec2' },
];

describe('folder index: event tree of a folder', () => {
  let index: FolderIndex;
  let documents: CloudTrailDocument[];
  let paths: string[];

  before(async () => {
    index = await indexFolder(path.join(FIXTURES, 'real'), new InThreadRunner(), { maxDecompressedBytes: 1 << 30 });
    // The documents in the index's file order, which is path order.
    paths = index.files().map((file) => file.path);
    const byPath = new Map(listFixtures('real').map((relative) => [path.join(FIXTURES, relative), relative]));
    documents = paths.map((file) => parseCloudTrail(readFixture(defined(byPath.get(file)))));
  });

  for (const groupBy of GROUPINGS) {
    for (const filter of FILTERS) {
      it(`groups as the editor's tree does: by ${groupBy.join(' then ') || 'nothing'}, filter ${JSON.stringify(filter ?? {})}`, () => {
        assertSameGrouping(groupBy, filter);
      });
    }
  }

  function assertSameGrouping(groupBy: GroupDimension[], filter: EventFilter | undefined): void {
    const label = `${groupBy.join(' then ')} ${JSON.stringify(filter)}`;
    const expected = groupEvents(documents, { groupBy, filter });
    const actual = groupFolderEvents(index, { groupBy, filter });
    assert.equal(actual.total, expected.total);
    assert.equal(actual.matched, expected.matched, label);
    assert.deepEqual(shapeOf(actual.groups), shapeOf(expected.groups), label);
    const expectedLeaves = innermost(expected.groups);
    const actualLeaves = innermost(actual.groups);
    assert.equal(actualLeaves.length, expectedLeaves.length);
    expectedLeaves.forEach(({ path: keys, group }, i) => {
      assert.deepEqual(actualLeaves[i].path, keys);
      const events = actual.eventsOf(actualLeaves[i].group).map((event) => [event.file.path, event.index]);
      assert.deepEqual(
        events,
        (group.events ?? []).map((event) => [paths[event.documentIndex], event.record.index]),
        `${label}: ${keys.join(' / ')}`,
      );
    });
    // Aggregates visit the same events, each once per top group.
    const visited = new Map<number, number>();
    actual.visitMatched((_file, _entry, topGroup) => visited.set(topGroup, (visited.get(topGroup) ?? 0) + 1));
    assert.deepEqual(
      actual.groups.map((_group, position) => visited.get(position) ?? 0),
      actual.groups.map((group) => group.count),
      label,
    );
  }

  it('filters by time range as the editor does, at the edges of the range and inside files whose events are out of time order', () => {
    const times = documents
      .flatMap((document) => document.records.map((record) => record.summary.eventTime))
      .filter((time): time is string => time !== undefined && !Number.isNaN(Date.parse(time)))
      .sort();
    assert.ok(
      index.files().some((file) => file.entries.timeOrder.some((position, k) => position !== k)),
      'a fixture file lists events out of time order',
    );
    const at = (fraction: number): string => times[Math.floor(fraction * (times.length - 1))];
    const ranges: EventFilter[] = [
      { from: at(0.2), to: at(0.8) },
      // Both ends exactly on events: the first is in, the last is out.
      { from: at(0.45), to: at(0.55) },
      { from: at(0.9) },
      { to: at(0.1) },
      { from: at(0.5), to: at(0.5) },
      { from: '2000-01-01T00:00:00Z', to: '2000-01-02T00:00:00Z' },
    ];
    for (const range of ranges) {
      for (const groupBy of [['action'], ['identity', 'action'], ['accessKey'], ['tactic'], []] satisfies GroupDimension[][]) {
        assertSameGrouping(groupBy, range);
      }
      assertSameGrouping(['action'], { ...range, errorsOnly: true });
      // Text is looked for in the indexed fields only (not the whole record, as in the editor): the
      // range keeps exactly the events of the text alone whose time is inside it.
      const withText = groupFolderEvents(index, { groupBy: [], filter: { ...range, text: 'us-east-1' } });
      const textAlone = groupFolderEvents(index, { groupBy: [], filter: { text: 'us-east-1' } });
      const from = range.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(range.from);
      const to = range.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(range.to);
      const inside = textAlone.groups
        .flatMap((group) => textAlone.eventsOf(group))
        .filter((ref) => {
          const time = ref.file.entries.time[ref.index];
          return time >= from && time < to;
        });
      assert.deepEqual(
        withText.groups.flatMap((group) => withText.eventsOf(group)),
        inside,
        JSON.stringify(range),
      );
    }
  });

  it('keeps a recent grouping for the same question, until the index changes', async () => {
    const copy = await indexFolder(path.join(FIXTURES, 'real/trailscraper'), new InThreadRunner(), { maxDecompressedBytes: 1 << 30 });
    const first = cachedFolderGrouping(copy, { groupBy: ['action'], filter: { text: ' AssumeRole ', service: 'STS' } });
    assert.equal(cachedFolderGrouping(copy, { groupBy: ['action'], filter: { service: 'sts', text: 'assumerole' } }), first);
    assert.notEqual(cachedFolderGrouping(copy, { groupBy: ['identity'], filter: { service: 'sts', text: 'assumerole' } }), first);
    assert.notEqual(cachedFolderGrouping(copy, { groupBy: ['action'], filter: { service: 'sts' } }), first);
    copy.remove(copy.files()[0].path);
    const after = cachedFolderGrouping(copy, { groupBy: ['action'], filter: { service: 'sts', text: 'assumerole' } });
    assert.notEqual(after, first);
    assert.deepEqual(shapeOf(after.groups), shapeOf(groupFolderEvents(copy, { groupBy: ['action'], filter: { service: 'sts', text: 'assumerole' } }).groups));
  });

  it('orders each file by time for range searches: unreadable times last, equal times in file order', () => {
    const builder = new FileEntriesBuilder();
    const place = { start: 0, end: 1, startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 1 };
    const times = ['2024-01-01T00:00:05Z', 'yesterday', '2024-01-01T00:00:01Z', undefined, '2024-01-01T00:00:05Z', '2024-01-01T00:00:03Z'];
    for (const eventTime of times) builder.add(place, { identity: { key: 'k', label: 'k' }, ...(eventTime ? { eventTime } : {}) });
    const { entries } = builder.finish();
    assert.deepEqual([...entries.timeOrder], [2, 5, 0, 4, 1, 3]);
    const ms = (text: string): number => Date.parse(text);
    const span = (from: number, to: number): number[] => {
      const { first, end } = timeOrderSpan(entries, from, to);
      return [...entries.timeOrder.subarray(first, end)];
    };
    assert.deepEqual(span(ms('2024-01-01T00:00:01Z'), ms('2024-01-01T00:00:05Z')), [2, 5]);
    assert.deepEqual(span(ms('2024-01-01T00:00:02Z'), ms('2024-01-01T00:00:06Z')), [5, 0, 4]);
    assert.deepEqual(span(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY), [2, 5, 0, 4]);
    assert.deepEqual(span(ms('2024-01-01T00:00:06Z'), Number.POSITIVE_INFINITY), []);
    assert.deepEqual(span(ms('2024-01-01T00:00:04Z'), ms('2024-01-01T00:00:02Z')), []);
  });

  it('filters by text on the indexed fields: names, identity, region, time and event ID', () => {
    const count = (grouping: FolderGrouping): number => grouping.matched;
    const all = groupFolderEvents(index, { groupBy: ['action'] });
    const byName = groupFolderEvents(index, { groupBy: ['action'], filter: { text: 'describestacks' } });
    assert.ok(count(byName) > 0 && count(byName) < count(all));
    assert.ok(byName.groups.length >= 1);
    assert.ok(byName.groups.every((group) => group.label === 'DescribeStacks'));
    const firstFile = index.files()[0];
    const event = index.event(firstFile, 0);
    for (const needle of [defined(event.eventID), defined(event.eventTime), event.identity.label.toUpperCase()]) {
      const found = groupFolderEvents(index, { groupBy: [], filter: { text: needle } });
      assert.ok(found.matched >= 1, needle);
      const listed = found.eventsOf(found.groups[0]).map((ref) => index.event(ref.file, ref.index));
      assert.ok(
        listed.some((other) => other.file === firstFile && other.index === 0),
        needle,
      );
    }
    // In quotes, the whole value: the same events as the open log would give.
    const wholeName = groupFolderEvents(index, { groupBy: ['action'], filter: { text: '"DescribeStacks"' } });
    assert.equal(wholeName.matched, count(byName));
    assert.equal(groupFolderEvents(index, { groupBy: ['action'], filter: { text: '"DescribeStack"' } }).matched, 0);
    const nothing = groupFolderEvents(index, { groupBy: ['identity'], filter: { text: 'no such text anywhere' } });
    assert.equal(nothing.matched, 0);
    assert.deepEqual(nothing.groups, []);
  });

  it('groups by the access key each event was signed with, and finds events by their key', () => {
    const grouping = groupFolderEvents(index, { groupBy: ['accessKey'] });
    const keyGroups = grouping.groups.filter((group) => group.key.startsWith('AKIA') || group.key.startsWith('ASIA'));
    assert.ok(keyGroups.length >= 2, 'several keys in the fixtures');
    for (const group of keyGroups) {
      const events = grouping.eventsOf(group);
      assert.equal(events.length, group.count);
      for (const ref of events) assert.equal(index.event(ref.file, ref.index).identity.accessKeyId, group.key);
    }
    // Each file keeps its own table of keys: a key used in several files is still one group.
    const keyUses = new Map<string, { files: Set<string>; events: number }>();
    for (const file of index.files()) {
      for (let i = 0; i < file.entries.count; i++) {
        const accessKeyId = index.accessKeyIdOf(file, i);
        if (accessKeyId === undefined) continue;
        const uses = keyUses.get(accessKeyId) ?? { files: new Set<string>(), events: 0 };
        uses.files.add(file.path);
        uses.events++;
        keyUses.set(accessKeyId, uses);
      }
    }
    const shared = [...keyUses].filter(([, uses]) => uses.files.size > 1);
    assert.ok(shared.length > 0, 'a key is used in several fixture files');
    for (const [accessKeyId, uses] of shared) {
      assert.deepEqual(
        grouping.groups.filter((group) => group.key === accessKeyId).map((group) => group.count),
        [uses.events],
      );
      assert.equal(groupFolderEvents(index, { groupBy: [], filter: { text: accessKeyId } }).matched, uses.events);
    }
    const temporary = keyGroups.find((group) => group.key.startsWith('ASIA'));
    assert.match(defined(temporary).description ?? '', /^temporary \u00b7 /);
    const key = keyGroups[0].key;
    const found = groupFolderEvents(index, { groupBy: ['accessKey'], filter: { text: key.toLowerCase() } });
    assert.equal(found.matched, keyGroups[0].count);
    assert.deepEqual(
      found.groups.map((group) => group.key),
      [key],
    );
  });

  it('lists events oldest first', () => {
    const grouping = groupFolderEvents(index, { groupBy: [] });
    const events = grouping.eventsOf(grouping.groups[0]).map((ref) => index.event(ref.file, ref.index).eventTime ?? '\uffff');
    assert.equal(events.length, index.eventCount);
    assert.deepEqual(events, [...events].sort());
  });
});

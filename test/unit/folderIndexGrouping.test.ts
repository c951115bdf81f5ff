import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { CloudTrailDocument, EventFilter, EventGroupNode, GroupDimension, groupEvents, parseCloudTrail } from '../../server/src/model';
import { FolderGrouping, FolderIndex, groupFolderEvents, indexFolder, InThreadRunner } from '../../server/src/model/folderIndex';
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
        const expected = groupEvents(documents, { groupBy, filter });
        const actual = groupFolderEvents(index, { groupBy, filter });
        assert.equal(actual.total, expected.total);
        assert.equal(actual.matched, expected.matched);
        assert.deepEqual(shapeOf(actual.groups), shapeOf(expected.groups));
        const expectedLeaves = innermost(expected.groups);
        const actualLeaves = innermost(actual.groups);
        assert.equal(actualLeaves.length, expectedLeaves.length);
        expectedLeaves.forEach(({ path: keys, group }, i) => {
          assert.deepEqual(actualLeaves[i].path, keys);
          const events = actual.eventsOf(actualLeaves[i].group).map((event) => [event.file.path, event.index]);
          assert.deepEqual(
            events,
            (group.events ?? []).map((event) => [paths[event.documentIndex], event.record.index]),
            keys.join(' / '),
          );
        });
      });
    }
  }

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

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CloudTrailDocument,
  EventGroupNode,
  findGroup,
  GroupDimension,
  groupEvents,
  locateEvent,
  pageEvents,
  parseCloudTrail,
  Problem,
  recordsWithProblems,
  sortByTime,
} from '../../server/src/model';
import { listFixtures, readFixture } from '../fixtures';
import { groupedIdentities, identityKeyOf } from '../identityOracle';
import { defined } from '../defined';

// The expectations below are computed with JSON.parse and rules written out here again, not with
// the model's own readers, so that a mistake in the model cannot hide in both.

type Json = Record<string, unknown>;

/** The records of a fixture, read with JSON.parse. */
function rawRecords(text: string): Json[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return [];
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    // One JSON value per line.
    return trimmed
      .split(/\r?\n/)
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as Json);
  }
  if (Array.isArray(value)) return value as Json[];
  const object = value as Json;
  if (Array.isArray(object.Records)) return object.Records as Json[];
  if (Array.isArray(object.Events)) return (object.Events as Json[]).map((item) => JSON.parse(item.CloudTrailEvent as string) as Json);
  if (object.detail && typeof object.detail === 'object') return [object.detail as Json];
  return [object];
}

function roleKeyOf(identity: Json | undefined): string | undefined {
  if (!identity) return undefined;
  const arn = typeof identity.arn === 'string' ? identity.arn : '';
  const assumed = /^(.*:assumed-role\/.+)\/[^/]+$/.exec(arn);
  if (identity.type !== 'AssumedRole' && !assumed) return undefined;
  const issuer = ((identity.sessionContext as Json | undefined)?.sessionIssuer as Json | undefined)?.arn as string | undefined;
  if (issuer) return issuer;
  return assumed?.[1];
}

/** Expected groups: "key > key > key" -> [events, failed events], for every level. */
function expectedCounts(records: Json[], groupBy: GroupDimension[]): Map<string, [number, number]> {
  const identities = groupedIdentities(records);
  const roleKeys = new Set(identities.map((identity) => roleKeyOf(identity)).filter((k): k is string => k !== undefined));
  const counts = new Map<string, [number, number]>();
  for (const [position, record] of records.entries()) {
    const identity = identities[position];
    const path: string[] = [];
    const enter = (key: string): void => {
      path.push(key);
      const name = path.join(' > ');
      const count = counts.get(name) ?? [0, 0];
      count[0]++;
      if (record.errorCode) count[1]++;
      counts.set(name, count);
    };
    for (const dimension of groupBy) {
      if (dimension === 'action') {
        enter(`${(record.eventSource as string | undefined) ?? ''}:${(record.eventName as string | undefined) ?? ''}`);
      } else {
        const key = identityKeyOf(identity);
        // An assumed-role session sits under its role; so does a principal that is itself a role of the file.
        const role = roleKeyOf(identity) ?? (roleKeys.has(key) ? key : undefined);
        if (role !== undefined) enter(role);
        enter(key);
      }
    }
  }
  return counts;
}

/** The model's groups in the same form, checking on the way that each group's counts add up. */
function actualCounts(groups: readonly EventGroupNode[]): Map<string, [number, number]> {
  const counts = new Map<string, [number, number]>();
  const walk = (level: readonly EventGroupNode[], prefix: string[]): void => {
    for (const group of level) {
      const path = [...prefix, group.key];
      counts.set(path.join(' > '), [group.count, group.errorCount]);
      if (group.groups) {
        assert.equal(
          group.groups.reduce((sum, g) => sum + g.count, 0),
          group.count,
          path.join(' > '),
        );
        assert.equal(
          group.groups.reduce((sum, g) => sum + g.errorCount, 0),
          group.errorCount,
          path.join(' > '),
        );
        walk(group.groups, path);
      } else {
        assert.equal(group.events?.length, group.count, path.join(' > '));
      }
    }
  };
  walk(groups, []);
  return counts;
}

/** Records whose values (not keys) contain `needle`, case-insensitively. */
function valueContains(value: unknown, needle: string): boolean {
  if (typeof value === 'string') return value.toLowerCase().includes(needle);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).toLowerCase().includes(needle);
  if (Array.isArray(value)) return value.some((item) => valueContains(item, needle));
  if (value && typeof value === 'object') return Object.values(value).some((item) => valueContains(item, needle));
  return false;
}

/** The fixture with the most events and actions. */
const BUSY = 'real/grycap-sample/974349055189_CloudTrail_us-east-1_20140927T1805Z_8137V0IkHQp9WiYb.json.gz';

const GROUPINGS: GroupDimension[][] = [['action'], ['identity'], ['action', 'identity'], ['identity', 'action']];

const FIXTURE_FILES = [
  ...listFixtures('real'),
  'shapes/lookup-events.json',
  'shapes/lookup-events-event-tree.json',
  'shapes/console-download-pretty.json',
  'shapes/one-per-line.ndjson.json',
  'shapes/eventbridge-envelope.json',
  'aws-docs-acm/ct-acm-request.json',
  'aws-docs-acm/ct-acm-describe.json',
];

const loaded = new Map<string, { text: string; document: CloudTrailDocument; records: Json[] }>();
function load(file: string) {
  let entry = loaded.get(file);
  if (!entry) {
    const text = readFixture(file);
    entry = { text, document: parseCloudTrail(text), records: rawRecords(text) };
    loaded.set(file, entry);
  }
  return entry;
}

describe('event grouping', () => {
  it('counts events and failed events per group as JSON.parse sees them, in every grouping, for every fixture', () => {
    let checked = 0;
    for (const file of FIXTURE_FILES) {
      const { document, records } = load(file);
      assert.equal(document.records.length, records.length, file);
      for (const groupBy of GROUPINGS) {
        const grouping = groupEvents([document], { groupBy });
        assert.equal(grouping.total, records.length, file);
        assert.equal(grouping.matched, records.length, file);
        assert.deepEqual([...actualCounts(grouping.groups)].sort(), [...expectedCounts(records, groupBy)].sort(), `${file} grouped by ${groupBy.join(', ')}`);
        checked++;
      }
    }
    assert.ok(checked >= 4 * 100, `only ${checked} groupings checked`);
  });

  it('lists the events of each innermost group oldest first, each event exactly once', () => {
    for (const file of FIXTURE_FILES) {
      const { document, records } = load(file);
      const grouping = groupEvents([document], { groupBy: ['identity', 'action'] });
      const seen: string[] = [];
      const walk = (groups: readonly EventGroupNode[]): void => {
        for (const group of groups) {
          if (group.groups) walk(group.groups);
          const times = (group.events ?? []).map((e) => e.record.summary.eventTime ?? '');
          assert.deepEqual(times, [...times].sort(), `${file} ${group.key}`);
          seen.push(...(group.events ?? []).map((e) => String(e.record.index)));
        }
      };
      walk(grouping.groups);
      assert.deepEqual(seen.sort(), records.map((_, i) => String(i)).sort(), file);
    }
  });

  it('orders groups largest first', () => {
    const { document } = load(BUSY);
    const { groups } = groupEvents([document], { groupBy: ['action'] });
    assert.ok(groups.length > 3);
    for (let i = 1; i < groups.length; i++) {
      assert.ok(groups[i - 1].count >= groups[i].count);
    }
  });

  it('labels actions by name with the service as description, and identities readably', () => {
    const { document } = load('shapes/lookup-events-event-tree.json');
    const byAction = groupEvents([document], { groupBy: ['action'] });
    const describe = byAction.groups.find((g) => g.label === 'DescribeCertificate');
    assert.deepEqual(
      { key: describe?.key, description: describe?.description, count: describe?.count, readOnly: describe?.readOnly },
      { key: 'acm.amazonaws.com:DescribeCertificate', description: 'acm', count: 2, readOnly: true },
    );
    assert.equal(byAction.groups.find((g) => g.label === 'RequestCertificate')?.readOnly, false);

    const byIdentity = groupEvents([document], { groupBy: ['identity'] });
    assert.deepEqual(
      byIdentity.groups.map((g) => [g.kind, g.label, g.count, g.errorCount, g.identityType]),
      [
        ['role', 'role CertManager', 3, 1, 'AssumedRole'],
        ['identity', 'alice (IAM user)', 2, 0, 'IAMUser'],
        ['identity', 'cloudformation.amazonaws.com (AWS service)', 1, 0, 'AWSService'],
      ],
    );
    const role = byIdentity.groups[0];
    assert.equal(role.key, 'arn:aws:iam::111122223333:role/CertManager');
    assert.deepEqual(
      role.groups?.map((g) => [g.key, g.label, g.count]),
      [['arn:aws:sts::111122223333:assumed-role/CertManager/bob', 'session bob', 3]],
    );
    // lookup-events lists the newest first; the group lists the oldest first.
    assert.deepEqual(
      role.groups[0].events?.map((e) => `${e.record.summary.eventTime} ${e.record.summary.eventName}`),
      ['2026-11-24T10:04:58Z DescribeCertificate', '2026-11-24T10:05:42Z DescribeCertificate', '2026-11-24T10:06:03Z ListCertificates'],
    );
  });

  it('puts a session without its issuer under the role named in its ARN, and a role acting as itself under its own role group', () => {
    const event = (time: string, userIdentity: Json) =>
      JSON.stringify({ eventVersion: '1.08', eventTime: time, eventSource: 'acm.amazonaws.com', eventName: 'ListCertificates', userIdentity });
    const roleArn = 'arn:aws:iam::111122223333:role/CertManager';
    const text = `[${[
      event('2026-11-24T10:00:03Z', { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Deployer/ci', accountId: '111122223333' }),
      event('2026-11-24T10:00:02Z', { type: 'Role', arn: roleArn, accountId: '111122223333' }),
      event('2026-11-24T10:00:01Z', {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/CertManager/bob',
        sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn, userName: 'CertManager' } },
      }),
      event('2026-11-24T10:00:00Z', {}),
    ].join(',')}]`;
    const grouping = groupEvents([parseCloudTrail(text)], { groupBy: ['identity'] });
    const shape = (groups: readonly EventGroupNode[] | undefined): unknown =>
      groups?.map((g) => (g.groups ? [g.kind, g.key, g.label, g.count, shape(g.groups)] : [g.kind, g.key, g.label, g.count]));
    assert.deepEqual(shape(grouping.groups), [
      [
        'role',
        roleArn,
        'role CertManager',
        2,
        [
          ['identity', roleArn, 'CertManager (role)', 1],
          ['identity', 'arn:aws:sts::111122223333:assumed-role/CertManager/bob', 'session bob', 1],
        ],
      ],
      ['identity', '(no identity)', '(no identity)', 1],
      [
        'role',
        'arn:aws:sts::111122223333:assumed-role/Deployer',
        'role Deployer',
        1,
        [['identity', 'arn:aws:sts::111122223333:assumed-role/Deployer/ci', 'session ci', 1]],
      ],
    ]);
  });

  it('filters by failure, by write, by service and by text over the values of the record', () => {
    const cases: [string, string][] = [
      ['real/grycap-sample/974349055189_CloudTrail_sa-east-1_20180130T1435Z_UyZoptoOaA7dE14i.json.gz', 'alucloud00'],
      ['real/stratus-red-team/aws.persistence.iam-create-admin-user.json', 'ADMINISTRATORACCESS'],
      ['real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json', 'autoscaling'],
      ['shapes/lookup-events-event-tree.json', 'équipe'],
      ['shapes/lookup-events-event-tree.json', 'CertManager'],
    ];
    for (const [file, text] of cases) {
      const { document, records } = load(file);
      const count = (filter: Parameters<typeof groupEvents>[1]['filter']) => groupEvents([document], { groupBy: ['action'], filter }).matched;
      const needle = text.toLowerCase();
      const expectedText = records.filter((r) => valueContains(r, needle)).length;
      assert.ok(expectedText > 0, `${file}: "${text}" should match something`);
      assert.equal(count({ text }), expectedText, `${file} text ${text}`);
      assert.equal(count({ errorsOnly: true }), records.filter((r) => r.errorCode).length, file);
      assert.equal(count({ writesOnly: true }), records.filter((r) => r.readOnly !== true).length, file);
      const source = records[0].eventSource as string;
      const ofService = records.filter((r) => r.eventSource === source).length;
      assert.equal(count({ service: source }), ofService, file);
      assert.equal(count({ service: source.replace('.amazonaws.com', '').toUpperCase() }), ofService, file);
      assert.equal(
        count({ text, errorsOnly: true, writesOnly: true }),
        records.filter((r) => valueContains(r, needle) && r.errorCode && r.readOnly !== true).length,
        file,
      );
    }
  });

  it('looks for the text in values only: property names do not match, and quotes ask for a whole value', () => {
    const event = (userName: string, eventTime: string) => ({
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', accountId: '123456789012', userName },
      eventTime,
      eventSource: 'acm.amazonaws.com',
      eventName: 'ListCertificates',
      readOnly: true,
    });
    const document = parseCloudTrail(JSON.stringify({ Records: [event('alice', '2024-01-02T03:04:05Z'), event('alicia', '2024-01-02T03:04:06Z')] }, null, 2));
    const count = (text: string) => groupEvents([document], { groupBy: ['action'], filter: { text } }).matched;
    assert.equal(count('eventName'), 0, 'a property name');
    assert.equal(count('username'), 0, 'a nested property name');
    assert.equal(count('ALIC'), 2, 'alice and alicia, in any case');
    assert.equal(count('alice'), 1);
    assert.equal(count('"alice"'), 1, 'the whole value alice');
    assert.equal(count('listcertificates'), 2);
    assert.equal(count('true'), 2, 'a boolean value');
    assert.equal(count('123456789012'), 2);
    assert.equal(count('alice",'), 0, 'text running past the end of a value');
  });

  it('gives no groups when nothing passes the filter, and still counts the events', () => {
    const { document, records } = load('shapes/lookup-events-event-tree.json');
    const grouping = groupEvents([document], { groupBy: ['identity'], filter: { text: 'no such text anywhere' } });
    assert.deepEqual(grouping, { groups: [], total: records.length, matched: 0 });
  });

  it('puts every event in one group when asked for no grouping', () => {
    const { document, records } = load('shapes/lookup-events.json');
    const grouping = groupEvents([document], { groupBy: [] });
    assert.equal(grouping.groups.length, 1);
    assert.equal(grouping.groups[0].kind, 'all');
    assert.equal(grouping.groups[0].events?.length, records.length);
  });

  it('groups the events of several documents together, in time order', () => {
    const first = load('shapes/lookup-events-event-tree.json');
    const second = load('shapes/lookup-events.json');
    const grouping = groupEvents([first.document, second.document], { groupBy: [] });
    const events = grouping.groups[0].events ?? [];
    assert.equal(events.length, first.records.length + second.records.length);
    const times = events.map((e) => e.record.summary.eventTime ?? '');
    assert.deepEqual(times, [...times].sort());
    assert.deepEqual(new Set(events.map((e) => e.documentIndex)), new Set([0, 1]));
    const byAction = groupEvents([first.document, second.document], { groupBy: ['action'] });
    assert.equal(
      byAction.groups.reduce((sum, g) => sum + g.count, 0),
      events.length,
    );
  });

  it('finds a group by its keys, pages its events and locates every event', () => {
    const { document } = load(BUSY);
    const grouping = groupEvents([document], { groupBy: ['identity', 'action'] });
    for (const record of document.records) {
      const location = locateEvent(grouping, 0, record.index);
      assert.ok(location, `record ${record.index}`);
      const group = findGroup(grouping.groups, location.path);
      assert.equal(group?.events?.[location.position].record, record);
      const page = pageEvents(group, location.position, 1);
      assert.equal(page.events[0].record, record);
      assert.equal(page.more, group.count - location.position - 1);
    }
    assert.equal(findGroup(grouping.groups, ['no such key']), undefined);
    const filtered = groupEvents([document], { groupBy: ['action'], filter: { errorsOnly: true } });
    const succeeded = defined(document.records.find((r) => !r.summary.errorCode));
    assert.equal(locateEvent(filtered, 0, succeeded.index), undefined);
  });

  it('pages a long group', () => {
    const { document } = load(BUSY);
    const [all] = groupEvents([document], { groupBy: [] }).groups;
    const first = pageEvents(all, 0, 10);
    const second = pageEvents(all, 10, 10);
    assert.equal(first.events.length, 10);
    assert.equal(first.more, all.count - 10);
    assert.deepEqual(second.events, all.events?.slice(10, 20));
    assert.deepEqual(pageEvents(all, all.count + 5, 10), { events: [], more: 0 });
  });

  it('sorts times with and without milliseconds, keeps equal times in order and puts missing ones last', () => {
    const times = ['2026-11-24T10:00:01Z', undefined, '2026-11-24T10:00:00.500Z', '2026-11-24T10:00:01Z', '2025-01-01T00:00:00Z', '2026-11-24T10:00:00Z'];
    assert.deepEqual([...sortByTime(times)], [4, 5, 2, 0, 3, 1]);
    // Text that is not a CloudTrail time is compared as text.
    assert.deepEqual([...sortByTime(['b', 'a', undefined, 'a'])], [1, 3, 0, 2]);
    assert.deepEqual([...sortByTime([])], []);
  });

  it('marks the records in which a warning or an error starts', () => {
    const { document } = load('shapes/lookup-events-event-tree.json');
    const at = (record: number, severity: Problem['severity']): Problem => ({
      code: 'test',
      severity,
      message: 'test',
      start: document.records[record].start + 5,
      end: document.records[record].start + 6,
    });
    const marks = recordsWithProblems(document, [at(1, 'error'), at(3, 'warning'), at(4, 'hint'), { ...at(0, 'error'), start: 0, end: 1 }]);
    assert.deepEqual([...marks], [0, 1, 0, 1, 0, 0]);
  });
  it('tells apart identities that would read the same: by account, else by key', () => {
    const event = (userIdentity: Json, eventName: string): Json => ({
      eventVersion: '1.08',
      eventTime: '2024-11-24T10:12:58Z',
      eventSource: 'cloudtrail.amazonaws.com',
      eventName,
      awsRegion: 'us-east-1',
      userIdentity,
    });
    const user = (account: string, name: string): Json => ({
      type: 'IAMUser',
      principalId: `AIDA${account}`,
      arn: `arn:aws:iam::${account}:user/${name}`,
      accountId: account,
      userName: name,
    });
    const text = JSON.stringify({
      Records: [
        event(user('111111111111', 'admin'), 'DeleteTrail'),
        event(user('222222222222', 'admin'), 'StopLogging'),
        event(user('222222222222', 'admin'), 'StopLogging'),
        event(user('333333333333', 'carol'), 'DescribeTrails'),
      ],
    });
    const { groups } = groupEvents([parseCloudTrail(text)], { groupBy: ['identity'] });
    const shown = groups.map((group) => [group.label, group.description, group.count]);
    assert.deepEqual(shown, [
      [defined(groups[0]).label, 'account 222222222222', 2],
      [defined(groups[1]).label, 'account 111111111111', 1],
      ['carol (IAM user)', undefined, 1],
    ]);
    assert.equal(groups[0].label, groups[1].label, 'the two admins read the same without their description');

    // Same label and the same account: only the key tells them apart.
    const twins = JSON.stringify({
      Records: [
        event(user('111111111111', 'admin'), 'DeleteTrail'),
        event({ ...user('111111111111', 'admin'), arn: 'arn:aws:iam::111111111111:user/ops/admin' }, 'StopLogging'),
      ],
    });
    const pair = groupEvents([parseCloudTrail(twins)], { groupBy: ['identity'] }).groups;
    assert.equal(pair.length, 2);
    assert.equal(pair[0].label, pair[1].label);
    assert.deepEqual(pair.map((group) => group.description).sort(), ['arn:aws:iam::111111111111:user/admin', 'arn:aws:iam::111111111111:user/ops/admin']);
  });
});

describe('grouping by IAM access level', () => {
  const user = { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' };
  const event = (eventSource: string, eventName: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    eventVersion: '1.09',
    eventTime: '2026-11-24T10:00:00Z',
    eventSource,
    eventName,
    userIdentity: user,
    ...extra,
  });
  const document = parseCloudTrail(
    JSON.stringify({
      Records: [
        event('s3.amazonaws.com', 'ListBuckets'),
        event('iam.amazonaws.com', 'PutUserPolicy'),
        event('iam.amazonaws.com', 'CreateAccessKey'),
        event('s3.amazonaws.com', 'ListBuckets'),
        event('signin.amazonaws.com', 'ConsoleLogin', { eventType: 'AwsConsoleSignIn' }),
        event('iam.amazonaws.com', 'MakeMeAdmin'),
        event('iam.amazonaws.com', 'AttachRolePolicy', { errorCode: 'AccessDenied' }),
        event('kms.amazonaws.com', 'RotateKey', { eventType: 'AwsServiceEvent' }),
        event('ec2.amazonaws.com', 'CreateTags'),
      ],
    }),
  );

  it('puts Permissions management first, then Write, Tagging, Read, List, no permission and not known', () => {
    const grouping = groupEvents([document], { groupBy: ['accessLevel', 'action'] });
    assert.deepEqual(
      grouping.groups.map((group) => [group.label, group.kind, group.count, group.errorCount]),
      [
        ['Permissions management', 'accessLevel', 2, 1],
        ['Write', 'accessLevel', 1, 0],
        ['Tagging', 'accessLevel', 1, 0],
        ['List', 'accessLevel', 2, 0],
        ['No IAM permission', 'accessLevel', 2, 0],
        ['Not known', 'accessLevel', 1, 0],
      ],
    );
    const permissions = grouping.groups[0].groups ?? [];
    assert.deepEqual(
      permissions.map((group) => [group.label, group.accessLevel]),
      [
        ['AttachRolePolicy', 'Permissions management'],
        ['PutUserPolicy', 'Permissions management'],
      ],
    );
    assert.equal(findGroup(grouping.groups, ['No IAM permission', 'kms.amazonaws.com:RotateKey'])?.count, 1);
  });

  it('marks action groups with their access level', () => {
    const grouping = groupEvents([document], { groupBy: ['action'] });
    const levels = Object.fromEntries(grouping.groups.map((group) => [group.label, group.accessLevel]));
    assert.equal(levels.PutUserPolicy, 'Permissions management');
    assert.equal(levels.ListBuckets, 'List');
    assert.equal(levels.ConsoleLogin, 'No IAM permission');
    assert.equal(levels.MakeMeAdmin, 'Not known');
  });

  it('filters by an access level as a person types it, and matches nothing for a level that does not exist', () => {
    const permissions = groupEvents([document], { groupBy: ['action'], filter: { accessLevel: 'permissions' } });
    assert.equal(permissions.matched, 2);
    assert.deepEqual(permissions.groups.map((group) => group.label).sort(), ['AttachRolePolicy', 'PutUserPolicy']);
    assert.equal(groupEvents([document], { groupBy: [], filter: { accessLevel: 'No IAM permission' } }).matched, 2);
    assert.equal(groupEvents([document], { groupBy: [], filter: { accessLevel: 'unknown' } }).matched, 1);
    assert.equal(groupEvents([document], { groupBy: [], filter: { accessLevel: 'List', errorsOnly: true } }).matched, 0);
    assert.equal(groupEvents([document], { groupBy: [], filter: { accessLevel: 'admin' } }).matched, 0);
    assert.equal(groupEvents([document], { groupBy: [], filter: { accessLevel: '  ' } }).matched, 9);
  });
});

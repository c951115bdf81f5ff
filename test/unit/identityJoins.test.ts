import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EventGroupNode, groupEvents, parseCloudTrail } from '../../server/src/model';
import { groupFolderEvents, indexFolder, InThreadRunner } from '../../server/src/model/folderIndex';

const ALICE = 'arn:aws:iam::111111111111:user/alice';
const BOB = 'arn:aws:iam::111111111111:user/bob';

let clock = 0;
function record(identity: Record<string, string>, eventName = 'ListBuckets'): string {
  clock++;
  const time = new Date(Date.UTC(2024, 4, 1, 10, 0, clock)).toISOString().replace('.000', '');
  return JSON.stringify({
    eventVersion: '1.08',
    userIdentity: identity,
    eventTime: time,
    eventSource: 's3.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    eventID: `00000000-0000-4000-8000-${String(clock).padStart(12, '0')}`,
  });
}

const alice = { type: 'IAMUser', arn: ALICE, principalId: 'AIDAALICE', accountId: '111111111111', accessKeyId: 'AKIAALICE', userName: 'alice' };
const bob = { type: 'IAMUser', arn: BOB, principalId: 'AIDABOB', accountId: '111111111111', accessKeyId: 'AKIASHARED', userName: 'bob' };
const carol = {
  type: 'IAMUser',
  arn: 'arn:aws:iam::111111111111:user/carol',
  principalId: 'AIDACAROL',
  accountId: '111111111111',
  accessKeyId: 'AKIASHARED',
  userName: 'carol',
};

/** The records, and the group key each of them should land in (by identity). */
const CASES: { name: string; identity: Record<string, string>; expected: string }[] = [
  {
    name: 'no arn, same principalId and account',
    identity: { type: 'IAMUser', principalId: 'AIDAALICE', accountId: '111111111111', userName: 'alice' },
    expected: ALICE,
  },
  { name: 'no arn, same access key', identity: { type: 'IAMUser', principalId: 'AIDAUNSEEN', accessKeyId: 'AKIAALICE' }, expected: ALICE },
  {
    name: 'no arn, an access key two principals used',
    identity: { type: 'IAMUser', principalId: 'AIDANOBODY', accessKeyId: 'AKIASHARED' },
    expected: 'IAMUser:AIDANOBODY',
  },
  {
    name: 'no arn, same principalId in another account',
    identity: { type: 'IAMUser', principalId: 'AIDAALICE', accountId: '222222222222' },
    expected: 'IAMUser:AIDAALICE',
  },
  { name: 'no arn, principalId without an account', identity: { type: 'IAMUser', principalId: 'AIDAALICE' }, expected: 'IAMUser:AIDAALICE' },
  {
    name: 'no arn, principalId of alice but key of bob',
    identity: { type: 'IAMUser', principalId: 'AIDAALICE', accountId: '111111111111', accessKeyId: 'AKIASHARED' },
    expected: 'IAMUser:AIDAALICE',
  },
];

function keysOfLeaves(groups: readonly EventGroupNode[], prefix: string[] = []): Map<string, number> {
  const counts = new Map<string, number>();
  for (const group of groups) {
    if (group.groups) for (const [key, count] of keysOfLeaves(group.groups, [...prefix, group.key])) counts.set(key, count);
    else counts.set([...prefix, group.key].join(' > '), group.count);
  }
  return counts;
}

describe('records without an ARN join the principal they are tied to', () => {
  const base = [record(alice), record(bob), record(carol)];
  const extra = CASES.map((c) => record(c.identity, 'GetObject'));
  const text = `{"Records":[${[...base, ...extra].join(',')}]}`;
  const document = parseCloudTrail(text);
  let folder: string;

  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudtrail-joins-'));
    // Spread over two files: the ties are found across the files of a folder index.
    fs.writeFileSync(path.join(folder, 'a.json'), `{"Records":[${base.join(',')}]}`);
    fs.writeFileSync(path.join(folder, 'b.json'), `{"Records":[${extra.join(',')}]}`);
  });
  after(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });

  for (const [position, c] of CASES.entries()) {
    it(`${c.name}: ${c.expected === ALICE ? 'joins alice' : 'keeps its own group'}`, () => {
      const grouping = groupEvents([document], { groupBy: ['identity', 'action'] });
      const group = grouping.groups.find((candidate) =>
        (candidate.groups ?? []).some((child) => child.key === 's3.amazonaws.com:GetObject' && candidate.key === c.expected),
      );
      assert.ok(group, `a group ${c.expected} with a GetObject: ${grouping.groups.map((g) => g.key).join(', ')}`);
      const record = document.records[3 + position];
      assert.equal(record.summary.identity.arn, undefined);
    });
  }

  it('names the joined group after the principal, and counts each record once', () => {
    const grouping = groupEvents([document], { groupBy: ['identity'] });
    const aliceGroup = grouping.groups.find((group) => group.key === ALICE);
    assert.ok(aliceGroup);
    assert.equal(aliceGroup.label, 'alice (IAM user)');
    assert.equal(aliceGroup.count, 1 + CASES.filter((c) => c.expected === ALICE).length);
    assert.equal(
      grouping.groups.reduce((sum, group) => sum + group.count, 0),
      document.records.length,
    );
  });

  it('joins the same way whatever level identities are grouped at', () => {
    const byActionThenIdentity = keysOfLeaves(groupEvents([document], { groupBy: ['action', 'identity'] }).groups);
    assert.equal(byActionThenIdentity.get(`s3.amazonaws.com:GetObject > ${ALICE}`), CASES.filter((c) => c.expected === ALICE).length);
  });

  it('ties only to records the view shows: a filter that hides the principal leaves the record alone', () => {
    const grouping = groupEvents([document], { groupBy: ['identity'], filter: { text: 'GetObject' } });
    assert.equal(
      grouping.groups.find((group) => group.key === ALICE),
      undefined,
    );
  });

  it('gives a folder index the same groups as the open log', async () => {
    const index = await indexFolder(folder, new InThreadRunner(), { maxDecompressedBytes: 1 << 30 });
    for (const groupBy of [['identity'], ['identity', 'action'], ['action', 'identity']] as const) {
      for (const filter of [undefined, { text: 'GetObject' }]) {
        const fromFolder = keysOfLeaves(groupFolderEvents(index, { groupBy, ...(filter ? { filter } : {}) }).groups);
        const fromDocument = keysOfLeaves(groupEvents([document], { groupBy, ...(filter ? { filter } : {}) }).groups);
        assert.deepEqual(fromFolder, fromDocument, `${groupBy.join(', ')} ${JSON.stringify(filter ?? {})}`);
      }
    }
  });
});

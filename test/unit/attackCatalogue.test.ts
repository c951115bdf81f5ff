import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CloudTrailDocument,
  EventGroupNode,
  findGroup,
  groupEvents,
  locateEvent,
  NO_TACTIC_KEY,
  NO_TACTIC_LABEL,
  parseCloudTrail,
} from '../../server/src/model';
import {
  ATTACK_CATALOGUE_ATTRIBUTION,
  ATTACK_CATALOGUE_CREDIT,
  attackEntries,
  attackEntry,
  attackTactics,
  tacticName,
  tacticRank,
} from '../../server/src/model/detections/attackCatalogue';
import { hoverContent } from '../../server/src/model/explain/hoverContent';
import { readFixture } from '../fixtures';
import { assertInert, HOSTILE_VALUES, visibleText } from './hoverRendering';

const ENV = { now: Date.UTC(2026, 10, 25, 12, 0, 0), timeZone: 'UTC' };

function record(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' },
    eventTime: '2026-11-24T10:03:11Z',
    eventType: 'AwsApiCall',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    eventID: '3b7a1e2c-1111-4a4a-9b9b-0123456789ab',
    ...fields,
  };
}

function hoverTextOn(text: string, needle: string): { markdown: string; text: string } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in the text`);
  const hover = hoverContent(parseCloudTrail(text), at + 1, ENV);
  assert.ok(hover, `no hover on ${needle}`);
  return { markdown: hover.markdown, text: visibleText(hover.markdown) };
}

describe('attack catalogue: lookups', () => {
  it('finds an event by its eventSource and eventName, with its tactics in ATT&CK order', () => {
    const entry = attackEntry('iam.amazonaws.com', 'CreateAccessKey');
    assert.ok(entry);
    assert.equal(entry.awsService, 'IAM');
    assert.deepEqual(
      entry.tactics.map((tactic) => `${tactic.id} ${tactic.name}`),
      ['TA0003 Persistence', 'TA0004 Privilege Escalation'],
    );
    assert.ok(entry.techniques.some((technique) => technique.id === 'T1098' || technique.id === 'T1136'));
    assert.equal(entry.usedInWild, true);
    assert.equal(entry.incidents.length, 12);
    assert.ok(entry.incidents.every((link) => link.url.startsWith('https://') && link.title.length > 0));
    assert.match(entry.securityImplications, /access keys/);
  });

  it('compares names exactly, as CloudTrail writes them, and knows nothing of other events', () => {
    assert.equal(attackEntry('iam.amazonaws.com', 'createaccesskey'), undefined);
    assert.equal(attackEntry('IAM.amazonaws.com', 'CreateAccessKey'), undefined);
    assert.equal(attackEntry('sts.amazonaws.com', 'CreateAccessKey'), undefined);
    assert.equal(attackEntry('acm.amazonaws.com', 'ListCertificates'), undefined);
    assert.equal(attackEntry(undefined, 'CreateAccessKey'), undefined);
    assert.equal(attackEntry('iam.amazonaws.com', undefined), undefined);
    assert.equal(attackEntry('__proto__', 'constructor'), undefined);
  });

  it('holds every event of the source once, with a known tactic each', () => {
    const all = attackEntries();
    // 381 entries in the source, one of them (ec2 GetLaunchTemplateData) listed twice.
    assert.equal(all.length, 380);
    assert.equal(new Set(all.map((entry) => `${entry.eventSource} ${entry.eventName}`)).size, all.length);
    assert.equal(all.filter((entry) => entry.usedInWild).length, 275);
    for (const entry of all) {
      assert.match(entry.eventSource, /^[a-z0-9-]+\.amazonaws\.com$/, entry.eventName);
      assert.ok(entry.tactics.length > 0, `${entry.eventName} has no tactic`);
      for (const tactic of entry.tactics) assert.match(tactic.id, /^TA\d{4}$/);
      for (const technique of entry.techniques) assert.match(technique.id, /^T\d{4}(\.\d{3})?$/);
      for (const link of [...entry.incidents, ...entry.researchLinks]) assert.match(link.url, /^https:\/\/\S+$/);
    }
  });

  it('keeps a technique the source listed among the tactics as a technique', () => {
    const sendEmail = attackEntry('ses.amazonaws.com', 'SendEmail');
    assert.ok(sendEmail);
    assert.deepEqual(
      sendEmail.tactics.map((tactic) => tactic.id),
      ['TA0009', 'TA0011'],
    );
    assert.ok(sendEmail.techniques.some((technique) => technique.id === 'T1496' && technique.name === 'Resource Hijacking'));
    assert.ok(ATTACK_CATALOGUE_ATTRIBUTION.changes.some((change) => change.includes('SendEmail')));
  });

  it('reads the ids of techniques written with a colon or a space', () => {
    const ids = attackEntries().flatMap((entry) => entry.techniques.map((technique) => technique.id));
    assert.ok(ids.includes('T1078.004'));
    assert.ok(ids.includes('T1562.001'));
    assert.ok(attackEntries().every((entry) => entry.techniques.every((technique) => !/^[-:]/.test(technique.name) && technique.name.length > 0)));
  });

  it('lists the tactics in ATT&CK order and names them', () => {
    const tactics = attackTactics().map((tactic) => tactic.id);
    assert.deepEqual(tactics, ['TA0001', 'TA0002', 'TA0003', 'TA0004', 'TA0005', 'TA0006', 'TA0007', 'TA0008', 'TA0009', 'TA0011', 'TA0010', 'TA0040']);
    assert.equal(tacticName('TA0007'), 'Discovery');
    assert.equal(tacticName('TA9999'), undefined);
    assert.equal(tacticName('toString'), undefined);
    assert.ok(tacticRank('TA0001') < tacticRank('TA0040'));
    assert.equal(tacticRank('TA9999'), tacticRank('TA9998'));
  });

  it('credits the catalogue', () => {
    assert.equal(ATTACK_CATALOGUE_CREDIT, 'TrailDiscover by Adan Alvarez (CC BY 4.0), github.com/adanalvarez/TrailDiscover');
    assert.equal(ATTACK_CATALOGUE_ATTRIBUTION.licenseUrl, 'https://creativecommons.org/licenses/by/4.0/');
  });
});

describe('attack catalogue: hover', () => {
  it('says on the eventName that attackers used the event, with tactics, techniques, incidents and credit', () => {
    const text = readFixture('attack/traildiscover-examples/CreateAccessKey.json.cloudtrail');
    const hover = hoverTextOn(text, '"CreateAccessKey"');
    assertInert(hover.markdown);
    assert.match(hover.text, /⚠ Used in real attacks/);
    assert.match(hover.text, /ATT&CK tactics: Persistence \(TA0003\), Privilege Escalation \(TA0004\)/);
    assert.match(hover.text, /Techniques: .*T1136\.003 Create Account: Cloud Account/);
    assert.match(hover.text, /Attackers might use CreateAccessKey/);
    assert.match(hover.text, /Incidents:/);
    assert.match(hover.text, /SCARLETEEL 2\.0: Fargate, Kubernetes, and Crypto — https:\/\/sysdig\.com\/blog\/scarleteel-2-0\//);
    assert.match(hover.text, /and 7 more in the catalogue/);
    assert.match(hover.text, /From TrailDiscover by Adan Alvarez \(CC BY 4\.0\), github\.com\/adanalvarez\/TrailDiscover/);
    // The addresses are text in code spans: nothing in the hover opens a page but AWS documentation.
    assert.match(hover.markdown, /`https:\/\/sysdig\.com\/blog\/scarleteel-2-0\/`/);
  });

  it('shows the same on the record\u2019s opening brace', () => {
    const text = readFixture('attack/traildiscover-examples/ListBuckets.json.cloudtrail');
    const brace = hoverContent(parseCloudTrail(text), text.indexOf('{'), ENV);
    assert.ok(brace);
    assert.match(visibleText(brace.markdown), /⚠ Used in real attacks[\s\S]*Discovery \(TA0007\)/);
  });

  it('says when an event is known from research only', () => {
    const text = readFixture('attack/traildiscover-examples/AddUserToGroup.json.cloudtrail');
    const hover = hoverTextOn(text, '"AddUserToGroup"');
    assert.match(hover.text, /Known to attackers \(from research; no incident reported\)/);
    assert.doesNotMatch(hover.text, /Used in real attacks/);
    assert.doesNotMatch(hover.text, /Incidents:/);
    assert.match(hover.text, /Privilege Escalation \(TA0004\)/);
    assert.match(hover.text, /From TrailDiscover by Adan Alvarez/);
  });

  it('says nothing of attacks for an event the catalogue does not list', () => {
    const text = JSON.stringify({ Records: [record({ eventSource: 'acm.amazonaws.com', eventName: 'ListCertificates' })] });
    const hover = hoverTextOn(text, '"ListCertificates"');
    assert.doesNotMatch(hover.text, /attack|TrailDiscover/i);
  });

  it('stays inert when the rest of a catalogued record is hostile', () => {
    for (const value of HOSTILE_VALUES) {
      const text = JSON.stringify({
        Records: [record({ eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', userAgent: value, errorCode: 'AccessDenied', errorMessage: value })],
      });
      const hover = hoverTextOn(text, '"CreateAccessKey"');
      assertInert(hover.markdown, [value]);
      assert.match(hover.text, /Used in real attacks/);
    }
  });
});

describe('attack catalogue: grouping by tactic', () => {
  const documents: CloudTrailDocument[] = ['CreateAccessKey', 'ListBuckets', 'AddUserToGroup'].map((name) =>
    parseCloudTrail(readFixture(`attack/traildiscover-examples/${name}.json.cloudtrail`)),
  );
  const other = parseCloudTrail(
    JSON.stringify({
      Records: [
        record({ eventSource: 'acm.amazonaws.com', eventName: 'ListCertificates' }),
        record({ eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', errorCode: 'AccessDenied' }),
      ],
    }),
  );
  const all = [...documents, other];

  const summary = (groups: readonly EventGroupNode[]): string[] =>
    groups.map(
      (group) =>
        `${group.key} ${group.label} ${group.description ?? '-'} ${group.count}/${group.errorCount}${group.groups ? ` [${summary(group.groups).join(', ')}]` : ''}`,
    );

  it('puts each event under each of its tactics, in ATT&CK order, uncatalogued events last', () => {
    // Each example holds one failed call; the made-up log one ListCertificates and one CreateAccessKey that failed.
    const grouping = groupEvents(all, { groupBy: ['tactic', 'action'] });
    assert.equal(grouping.total, 5);
    assert.equal(grouping.matched, 5);
    assert.deepEqual(summary(grouping.groups), [
      'TA0003 Persistence TA0003 2/2 [iam.amazonaws.com:CreateAccessKey CreateAccessKey iam 2/2]',
      'TA0004 Privilege Escalation TA0004 3/3 [iam.amazonaws.com:CreateAccessKey CreateAccessKey iam 2/2, iam.amazonaws.com:AddUserToGroup AddUserToGroup iam 1/1]',
      'TA0007 Discovery TA0007 1/1 [s3.amazonaws.com:ListBuckets ListBuckets s3 1/1]',
      `${NO_TACTIC_KEY} ${NO_TACTIC_LABEL} - 1/0 [acm.amazonaws.com:ListCertificates ListCertificates acm 1/0]`,
    ]);
    assert.ok(grouping.groups.every((group) => group.kind === 'tactic' && group.credit === ATTACK_CATALOGUE_CREDIT));
  });

  it('groups tactics inside another dimension, and filters first', () => {
    const grouping = groupEvents(all, { groupBy: ['action', 'tactic'], filter: { errorsOnly: true } });
    const createAccessKey = findGroup(grouping.groups, ['iam.amazonaws.com:CreateAccessKey']);
    assert.ok(createAccessKey?.groups);
    assert.deepEqual(
      createAccessKey.groups.map((group) => group.key),
      ['TA0003', 'TA0004'],
    );
    assert.ok(createAccessKey.groups.every((group) => group.count === 2));
    assert.equal(findGroup(grouping.groups, ['acm.amazonaws.com:ListCertificates']), undefined);
    assert.equal(grouping.matched, 4);
  });

  it('finds an event in its first tactic', () => {
    const grouping = groupEvents(all, { groupBy: ['tactic'] });
    const location = locateEvent(grouping, 3, 1);
    assert.deepEqual(location?.path, ['TA0003']);
    const uncatalogued = locateEvent(grouping, 3, 0);
    assert.deepEqual(uncatalogued?.path, [NO_TACTIC_KEY]);
  });
});

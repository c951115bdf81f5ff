import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import { groupEvents, LineIndex, NO_ACCESS_KEY, parseCloudTrail, summarizeRecord } from '../../server/src/model';
import { indexFolder, indexLogFile, InThreadRunner } from '../../server/src/model/folderIndex';
import {
  collectRecordFacts,
  definitionsOf,
  DocumentLinks,
  FactSink,
  identityCenterPermissionSet,
  identityPropertyFacts,
  LinkKind,
  LinkRole,
  LinkScope,
  linkedValueAt,
  linkHoverMarkdown,
  recordPropertyFacts,
  relatedEvents,
  resourceLifecycle,
  walkTrail,
  withRole,
} from '../../server/src/model/links';
import { FileLinksBuilder } from '../../server/src/model/links/fileLinks';
import { diskRecordReader, FolderLinks } from '../../server/src/model/links/folderLinks';
import { RecordWalker } from '../../server/src/model/recordWalker';
import { FIXTURES, listFixtures, readFixture } from '../fixtures';
import { assertInert } from './hoverRendering';

const TRAIL = path.join(FIXTURES, 'trail');
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const ALICE = `arn:aws:iam::${A}:user/alice`;
const DEPLOY_SESSION = `arn:aws:sts::${B}:assumed-role/DeployRole/alice-deploy`;
const AUDIT_SESSION = `arn:aws:sts::${C}:assumed-role/AuditRole/alice-audit`;
const SSO_SESSION = `arn:aws:sts::${C}:assumed-role/AWSReservedSSO_AdminAccess_0a1b2c3d4e5f6789/bob@example.com`;
const CERT = `arn:aws:acm:us-east-1:${C}:certificate/4f1d2c3b-8a9e-4b7c-9d6e-1a2b3c4d5e6f`;
const BOB = '94482488-3041-7026-18f3-be45837cd0e4';

/** The fixture's logs, each parsed as an open document, in one scope. */
function documentScope(): { scope: LinkScope; stores: DocumentLinks[] } {
  const stores = listFixtures('trail').map((relative) => {
    const text = readFixture(relative);
    const lines = new LineIndex(text);
    return new DocumentLinks(parseCloudTrail(text), pathToFileURL(path.join(FIXTURES, relative)).href, (offset) => lines.positionAt(offset), relative);
  });
  return { scope: new LinkScope(stores), stores };
}

/** Every record of the scope whose caller is `arn`, with its details. */
function actingRecords(scope: LinkScope, arn: string) {
  return withRole(scope.hits(LinkKind.arn, arn), LinkRole.caller).map((hit) => {
    const details = scope.details(hit);
    assert.ok(details, `details of ${hit.uri}#${hit.index}`);
    return details;
  });
}

for (const kind of ['open documents', 'folder index'] as const) {
  describe(`trail over ${kind}: a three-hop cross-account chain and an Identity Center session`, () => {
    let scope: LinkScope;

    before(async () => {
      if (kind === 'open documents') {
        scope = documentScope().scope;
      } else {
        const index = await indexFolder(TRAIL, new InThreadRunner(), { maxDecompressedBytes: 1 << 30 });
        scope = new LinkScope([new FolderLinks(index, diskRecordReader())]);
      }
    });

    it('attributes every action of the account C session to alice, through both roles', () => {
      const records = actingRecords(scope, AUDIT_SESSION);
      assert.equal(records.length, 4, 'RequestCertificate, DescribeCertificate, AddTagsToCertificate, DeleteCertificate');
      for (const record of records) {
        const trail = walkTrail(scope, record);
        assert.equal(trail.complete, true, trail.end);
        assert.equal(trail.origin.kind, 'iamUser');
        assert.equal(trail.origin.name, ALICE);
        assert.deepEqual(
          trail.steps.map((step) => step.name),
          [AUDIT_SESSION, DEPLOY_SESSION, ALICE, ALICE],
        );
        assert.deepEqual(
          trail.steps.map((step) => step.issuedBy?.eventName),
          ['AssumeRole', 'AssumeRole', 'GetSessionToken', undefined],
        );
        // The key alice used for the first hop was issued with MFA, and it is the MFA session that made the AssumeRole.
        assert.equal(trail.steps[2].identity.accessKeyId, 'ASIAQWERTYALICE5T001');
        assert.equal(trail.steps[2].identity.mfa, true);
        assert.equal(trail.steps[3].identity.accessKeyId, 'AKIAQWERTYALICE00001');
        assert.match(trail.end, /long-term access key AKIAQWERTYALICE00001/);
      }
    });

    it('attributes the account B session to alice as well', () => {
      for (const record of actingRecords(scope, DEPLOY_SESSION)) {
        const trail = walkTrail(scope, record);
        assert.equal(trail.origin.name, ALICE);
        assert.equal(trail.complete, true);
      }
    });

    it('follows the Identity Center session to the Identity Center user', () => {
      const records = actingRecords(scope, SSO_SESSION);
      assert.equal(records.length, 1);
      const trail = walkTrail(scope, records[0]);
      assert.equal(trail.complete, true, trail.end);
      assert.equal(trail.origin.kind, 'identityCenterUser');
      assert.match(trail.origin.name, new RegExp(`${BOB}$`));
      assert.deepEqual(
        trail.steps.map((step) => step.issuedBy?.eventName),
        ['AssumeRoleWithSAML', 'GetRoleCredentials', undefined],
      );
      assert.equal(trail.origin.record.eventName, 'GetRoleCredentials');
    });

    it('follows every link both ways: key to issuing event and back', () => {
      const keys: [string, string][] = [
        ['ASIAQWERTYALICE5T001', 'GetSessionToken'],
        ['ASIAQWERTYDEPLOY0002', 'AssumeRole'],
        ['ASIAQWERTYAUDIT00003', 'AssumeRole'],
        ['ASIAQWERTYBOBSSO0004', 'AssumeRoleWithSAML'],
      ];
      for (const [key, issuer] of keys) {
        const hits = scope.hits(LinkKind.accessKey, key);
        const users = withRole(hits, LinkRole.caller);
        assert.ok(users.length > 0, `${key} is used`);
        for (const user of users) {
          const definitions = definitionsOf(scope, LinkKind.accessKey, key, user);
          assert.ok(definitions.length > 0, `${key} has a definition`);
          for (const definition of definitions) {
            assert.equal(definition.details?.eventName, issuer);
            const issued = definition.details.values.find((v) => v.kind === LinkKind.accessKey && v.role === LinkRole.issued);
            assert.equal(issued?.value, key);
            assert.deepEqual(definition.range, issued.range, 'the definition points at the issued key');
            // ...and back: the issuing record is among the key's references.
            assert.ok(hits.some((hit) => hit.uri === definition.uri && hit.index === definition.index));
          }
        }
      }
    });

    it('finds the session of an AssumeRole from its ARN, and the counterpart of a shared event in the other account', () => {
      const definitions = definitionsOf(scope, LinkKind.arn, AUDIT_SESSION, { uri: '', index: -1 });
      assert.ok(definitions.length >= 1);
      assert.ok(definitions.every((d) => d.details?.eventName === 'AssumeRole'));
      const shared = scope.hits(LinkKind.sharedEventId, '6e7f8091-0213-4b4c-9d5e-6f708192a314');
      assert.equal(shared.length, 2);
      const inB = shared.find((hit) => scope.details(hit)?.recipientAccountId === B);
      assert.ok(inB);
      const counterpart = definitionsOf(scope, LinkKind.sharedEventId, '6e7f8091-0213-4b4c-9d5e-6f708192a314', inB);
      assert.equal(counterpart.length, 1);
      assert.equal(counterpart[0].details?.recipientAccountId, C);
    });

    it('tells the certificate its life, in time order, and finds the event that requested it', () => {
      const life = resourceLifecycle(scope, CERT);
      assert.deepEqual(
        life.map((entry) => entry.stage),
        ['requested', 'described (status read)', 'tagged', 'deleted'],
      );
      const definitions = definitionsOf(scope, LinkKind.arn, CERT, { uri: '', index: -1 });
      assert.equal(definitions.length, 1);
      assert.equal(definitions[0].details?.eventName, 'RequestCertificate');
    });

    it('relates an event to the others of its key, session and resources', () => {
      const [request] = actingRecords(scope, AUDIT_SESSION);
      const related = relatedEvents(scope, request);
      const names = related.map((r) => r.hit.eventName);
      assert.ok(names.includes('DeleteCertificate'));
      assert.ok(names.includes('AssumeRole'), 'the AssumeRole that issued the session');
      const times = related.map((r) => r.hit.eventTime ?? '');
      assert.deepEqual(times, [...times].sort());
    });

    it('lists the references of an identity in time order with the action in each', () => {
      const hits = scope.hits(LinkKind.arn, ALICE);
      assert.ok(hits.length >= 3);
      const times = hits.map((hit) => hit.eventTime ?? '');
      assert.deepEqual(times, [...times].sort());
      assert.ok(hits.every((hit) => hit.eventName !== undefined && hit.anchor.end.character - hit.anchor.start.character === hit.eventName.length + 2));
      assert.equal(scope.hits(LinkKind.principalId, BOB).length, 2, 'sign-in and GetRoleCredentials of the Identity Center user');
    });
  });
}

describe('link facts of a record', () => {
  it('tells the caller, the issued credentials, the targets and what was made apart', () => {
    const text = readFixture(listFixtures('trail').find((f) => f.includes('Audit00')) ?? '');
    const model = parseCloudTrail(text);
    const seen: string[] = [];
    const record = model.records[0];
    collectRecordFacts(record.source.view, record.node, { fact: (kind, role, node) => seen.push(`${kind}/${role}/${record.source.view.string(node)}`) });
    assert.ok(seen.includes(`${LinkKind.accessKey}/${LinkRole.caller}/ASIAQWERTYDEPLOY0002`));
    assert.ok(seen.includes(`${LinkKind.accessKey}/${LinkRole.issued}/ASIAQWERTYAUDIT00003`));
    assert.ok(seen.includes(`${LinkKind.arn}/${LinkRole.issued}/${AUDIT_SESSION}`));
    assert.ok(seen.includes(`${LinkKind.arn}/${LinkRole.target}/arn:aws:iam::${C}:role/AuditRole`));
    assert.ok(seen.includes(`${LinkKind.arn}/${LinkRole.callerRole}/arn:aws:iam::${B}:role/DeployRole`));
    assert.ok(!seen.some((s) => s.includes('IQoJb3JpZ2luX2VjEXAMPLEtokenHIDDEN')), 'the session token is no link');
  });

  it("are told by a record summary's walk exactly as the link index's own walk finds them, and the summary stays the same", () => {
    // Every log of the fixtures, and a record that writes its linked properties twice, one with
    // an escaped name, and a second userIdentity.
    const crafted = JSON.stringify({
      Records: [
        {
          eventName: 'AssumeRole',
          userAgent: 'first-agent',
          userIdentity: {
            type: 'IAMUser',
            arn: ALICE,
            accessKeyId: 'AKIAFIRSTKEY00000001',
            sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${A}:role/One` } },
          },
          sourceIPAddress: '10.0.0.1',
          requestParameters: { roleArn: `arn:aws:iam::${B}:role/Target` },
          responseElements: { credentials: { accessKeyId: 'ASIAISSUEDKEY0000001' }, assumedRoleUser: { arn: DEPLOY_SESSION } },
          resources: [{ ARN: `arn:aws:iam::${B}:role/Target` }],
          requestID: 'request-1',
          sharedEventID: 'shared-1',
        },
      ],
    })
      .replace('"sourceIPAddress":"10.0.0.1"', '"sourceIPAddress":"10.0.0.1","source\\u0049PAddress":"10.0.0.2","userAgent":"second-agent"')
      .replace(
        '"eventName":"AssumeRole"',
        '"eventName":"AssumeRole","userIdentity":{"type":"AssumedRole","principalId":"AROAFIRST:one","onBehalfOf":{"userId":"user-1"},"sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/Two"}}}',
      );
    const texts = [
      crafted,
      ...listFixtures('')
        .filter((relative) => /\.json(\.gz)?$/.test(relative))
        .map(readFixture),
    ];
    let records = 0;
    for (const text of texts) {
      const model = parseCloudTrail(text);
      const lines = new LineIndex(text);
      const ownWalk = new FileLinksBuilder();
      const summaryWalk = new FileLinksBuilder();
      for (const record of model.records) {
        const source = { view: record.source.view, event: record.node, positionOf: (offset: number) => lines.positionAt(record.source.toDocument(offset)) };
        ownWalk.add(record.index, source);
        if (summaryWalk.begin(record.index, source)) {
          summarizeRecord(source.view, record.node, summaryWalk);
          summaryWalk.end();
        }
      }
      assert.deepEqual({ ...summaryWalk.finish(model.records.length) }, { ...ownWalk.finish(model.records.length) });
      for (const record of model.records) {
        const view = record.source.view;
        const own: string[] = [];
        const told: string[] = [];
        const sink = (seen: string[]): FactSink => ({
          fact: (kind, role, node) => seen.push(`${kind}/${role}/${node}`),
          eventName: (node) => seen.push(`eventName/${node}`),
        });
        collectRecordFacts(view, record.node, sink(own));
        const toldSink = sink(told);
        const walker: RecordWalker = {
          recordProperty: (name, node) => {
            recordPropertyFacts(view, name, node, toldSink);
          },
          identityProperty: (name, node) => {
            identityPropertyFacts(view, name, node, toldSink);
          },
        };
        assert.deepEqual(summarizeRecord(view, record.node, walker), record.summary);
        assert.deepEqual(told, own);
        records++;
      }
    }
    assert.ok(records > 1000, `${records} records`);
    const first = parseCloudTrail(crafted).records[0];
    const kinds: string[] = [];
    collectRecordFacts(first.source.view, first.node, { fact: (kind, role, node) => kinds.push(`${kind}/${role}/${first.source.view.string(node)}`) });
    for (const expected of [
      '10.0.0.2',
      'second-agent',
      'first-agent',
      'user-1',
      'arn:aws:iam::1:role/Two',
      `arn:aws:iam::${A}:role/One`,
      'ASIAISSUEDKEY0000001',
    ]) {
      assert.ok(
        kinds.some((fact) => fact.endsWith(`/${expected}`)),
        expected,
      );
    }
  });

  it('finds the value under the cursor, and nothing on a property name', () => {
    const text = readFixture(listFixtures('trail').find((f) => f.includes('Audit00')) ?? '');
    const model = parseCloudTrail(text);
    const at = text.indexOf('ASIAQWERTYAUDIT00003');
    const value = linkedValueAt(model, at + 3);
    assert.equal(value?.kind, LinkKind.accessKey);
    assert.equal(value.value, 'ASIAQWERTYAUDIT00003');
    assert.equal(linkedValueAt(model, text.indexOf('"accessKeyId"') + 2), undefined);
  });

  it('does not link a value longer than the bound', () => {
    const long = 'a'.repeat(5000);
    const model = parseCloudTrail(JSON.stringify({ Records: [{ eventVersion: '1.08', userAgent: long, sourceIPAddress: '10.0.0.1' }] }));
    const kinds: number[] = [];
    collectRecordFacts(model.records[0].source.view, model.records[0].node, { fact: (kind) => kinds.push(kind) });
    assert.deepEqual(kinds, [LinkKind.ip]);
  });

  it('reads the permission set of an Identity Center role', () => {
    assert.equal(identityCenterPermissionSet('arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Read_Only_0123abcd'), 'Read_Only');
    assert.equal(identityCenterPermissionSet('arn:aws:iam::1:role/Admin'), undefined);
  });
});

describe('trail leaving the logs', () => {
  it('says which event it looked for and where, when the issuing event is not at hand', () => {
    const { stores } = documentScope();
    const cOnly = new LinkScope(stores.filter((store) => store.uri.includes('Audit00')));
    const [record] = actingRecords(cOnly, AUDIT_SESSION);
    const trail = walkTrail(cOnly, record);
    assert.equal(trail.complete, false);
    assert.equal(trail.origin.kind, 'unresolved');
    assert.equal(trail.origin.name, DEPLOY_SESSION);
    assert.match(trail.end, /ASIAQWERTYDEPLOY0002/);
    assert.match(trail.end, /account 222222222222/);
  });

  it('says where the Identity Center sign-in is when only the member account is at hand', () => {
    const { stores } = documentScope();
    const cOnly = new LinkScope(stores.filter((store) => store.uri.includes('Audit00')));
    const [record] = actingRecords(cOnly, SSO_SESSION);
    const trail = walkTrail(cOnly, record);
    assert.equal(trail.origin.kind, 'samlUser');
    assert.match(trail.end, /GetRoleCredentials/);
  });
});

describe('link columns of an indexed file', () => {
  it('are the same whether the file is parsed whole or streamed record by record, one-line or pretty-printed', async () => {
    for (const relative of [
      fileOfTrail('Audit00'),
      fileOfTrail('Deploy0'),
      'real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz',
    ]) {
      const options = { maxDecompressedBytes: 1 << 30 };
      const whole = await indexLogFile(path.join(FIXTURES, relative), options);
      const streamed = await indexLogFile(path.join(FIXTURES, relative), { ...options, wholeDocumentChars: 100 });
      assert.ok(whole.links.postings.length > whole.entries.count, relative);
      assert.deepEqual({ ...streamed.links }, { ...whole.links }, relative);
    }
  });

  it('point each entry at its eventName', async () => {
    const relative = fileOfTrail('Deploy0');
    const text = readFixture(relative);
    const lines = text.split('\n');
    const result = await indexLogFile(path.join(FIXTURES, relative), { maxDecompressedBytes: 1 << 30, wholeDocumentChars: 100 });
    for (let entry = 0; entry < result.entries.count; entry++) {
      const [line, character, length] = result.links.anchors.subarray(entry * 3, entry * 3 + 3);
      assert.match(lines[line].slice(character, character + length), /^"(AssumeRole|ListBuckets)"$/);
    }
  });
});

function fileOfTrail(part: string): string {
  return listFixtures('trail').find((file) => file.includes(part)) ?? '';
}

describe('grouping events by access key', () => {
  it('puts the events signed with each key together, described by its kind and its user', () => {
    const model = parseCloudTrail(readFixture(fileOfTrail('Audit00')));
    const grouping = groupEvents([model], { groupBy: ['accessKey'] });
    assert.deepEqual(
      grouping.groups.map((group) => [group.key, group.count, group.description]),
      [
        ['ASIAQWERTYAUDIT00003', 4, 'temporary \u00b7 role AuditRole / session alice-audit'],
        [NO_ACCESS_KEY, 1, undefined],
        ['ASIAQWERTYBOBSSO0004', 1, 'temporary \u00b7 role AWSReservedSSO_AdminAccess_0a1b2c3d4e5f6789 / session bob@example.com'],
        ['ASIAQWERTYDEPLOY0002', 1, 'temporary \u00b7 role DeployRole / session alice-deploy'],
      ],
    );
    assert.ok(grouping.groups.every((group) => group.kind === 'accessKey'));
  });
});

describe('the trail in a hover', () => {
  it('shows hostile log text as text: no link, command or HTML from the log', () => {
    const hostile = '[run](command:workbench.action.quit) <img src=x onerror=alert(1)>';
    const text = JSON.stringify({
      Records: [1, 2].map((i) => ({
        eventVersion: '1.08',
        eventTime: `2026-03-15T09:0${i}:00Z`,
        eventSource: 's3.amazonaws.com',
        eventName: `List${hostile}`,
        userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::1:user/${hostile}`, accountId: '1', userName: hostile, accessKeyId: 'AKIAHOSTILE000000001' },
        sourceIPAddress: '203.0.113.9',
        userAgent: hostile,
      })),
    });
    const lines = new LineIndex(text);
    const model = parseCloudTrail(text);
    const store = new DocumentLinks(model, 'file:///h.json', (offset) => lines.positionAt(offset));
    const scope = new LinkScope([store]);
    const details = scope.detailsAt({ uri: 'file:///h.json', index: 1 });
    assert.ok(details);
    for (const value of details.values) {
      const markdown = linkHoverMarkdown(scope, value, details, 'file:///h.json');
      assertInert(markdown);
      assert.ok(!markdown.includes('](command:'), markdown);
    }
  });
});

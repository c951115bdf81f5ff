import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonView, NO_NODE, parseCloudTrail, scanJson } from '../../server/src/model';
import { arnResourceName, describeIdentityType, IdentitySummary, summarizeIdentity } from '../../server/src/model/identity';
import { listFixtures, readFixture } from '../fixtures';

function identityOf(json: string): IdentitySummary {
  const view = new JsonView(json, scanJson(json).table);
  return summarizeIdentity(view, view.property(0, 'userIdentity'));
}

describe('identity summaries', () => {
  it('read every field as the property reader does, on every record of the real and attack logs', () => {
    let records = 0;
    for (const relative of [...listFixtures('real'), ...listFixtures('attack')].filter((name) => /\.json(\.gz)?$/.test(name))) {
      const document = parseCloudTrail(readFixture(relative));
      for (const record of document.records) {
        const view = record.source.view;
        const identity = view.property(record.node, 'userIdentity');
        const summary = summarizeIdentity(view, identity);
        const read = (name: string): string | undefined => {
          const value = view.stringProperty(identity, name);
          return value === '' ? undefined : value;
        };
        assert.equal(summary.type, view.stringProperty(identity, 'type'), relative);
        for (const name of ['arn', 'principalId', 'accountId', 'userName', 'invokedBy', 'accessKeyId'] as const) {
          assert.equal(summary[name], read(name), `${relative} ${name}`);
        }
        const issuer = view.path(identity, 'sessionContext', 'sessionIssuer');
        if (issuer !== NO_NODE) {
          const issuerArn = view.stringProperty(issuer, 'arn');
          assert.equal(summary.sessionIssuerArn, issuerArn === '' ? undefined : issuerArn, relative);
        }
        records++;
      }
    }
    assert.ok(records > 1000, `${records} records`);
  });

  it('take the last of a property written twice, names written with escapes or without quotes', () => {
    const twice = identityOf('{"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/old","arn":"arn:aws:iam::111122223333:user/alice"}}');
    assert.equal(twice.arn, 'arn:aws:iam::111122223333:user/alice');
    assert.equal(twice.label, 'alice (IAM user)');
    const escaped = identityOf('{"userIdentity":{"\\u0074ype":"Root","accountId":"111122223333"}}');
    assert.equal(escaped.type, 'Root');
    assert.equal(escaped.label, 'root (account 111122223333)');
    const unquoted = identityOf('{"userIdentity":{type:"IAMUser",userName:"bob"}}');
    assert.equal(unquoted.userName, 'bob');
    assert.equal(unquoted.label, 'bob (IAM user)');
  });

  it('read the session issuer of the last sessionContext, and the session from the assumed-role ARN', () => {
    const summary = identityOf(
      '{"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/path/Deploy/ci-run","sessionContext":{"sessionIssuer":{"arn":"x"}},"sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::111122223333:role/path/Deploy","userName":""}}}}',
    );
    assert.equal(summary.sessionIssuerArn, 'arn:aws:iam::111122223333:role/path/Deploy');
    assert.equal(summary.sessionIssuerName, 'Deploy');
    assert.equal(summary.sessionName, 'ci-run');
    assert.equal(summary.label, 'role Deploy / session ci-run');
    assert.equal(summary.key, 'arn:aws:sts::111122223333:assumed-role/path/Deploy/ci-run');
  });

  it('say nothing of an identity that is not an object, and read empty values as absent', () => {
    const text = identityOf('{"userIdentity":"root"}');
    assert.deepEqual([text.key, text.label, text.arn, text.type], ['(no identity)', '(no identity)', undefined, undefined]);
    const empty = identityOf('{"userIdentity":{"type":"AWSService","arn":"","invokedBy":"lambda.amazonaws.com"}}');
    assert.equal(empty.arn, undefined);
    assert.equal(empty.key, 'lambda.amazonaws.com');
    assert.equal(empty.label, 'lambda.amazonaws.com (AWS service)');
  });

  it('name an ARN by the last segment of its resource', () => {
    assert.equal(arnResourceName('arn:aws:iam::111122223333:user/division/alice'), 'alice');
    assert.equal(arnResourceName('arn:aws:s3:::bucket'), 'bucket');
    assert.equal(arnResourceName('arn:aws:sns:us-east-1:111122223333:topic:subscription'), 'topic:subscription');
    assert.equal(arnResourceName('arn/x:a:b:c:d:e'), 'e');
    assert.equal(arnResourceName('arn:aws:iam::111122223333'), '');
    assert.equal(arnResourceName('not an arn'), '');
    assert.equal(arnResourceName('arn:aws:iam::1:'), '');
  });

  it('names an identity whose type is a name objects inherit as it is written', () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      assert.equal(describeIdentityType(type), type);
      const summary = identityOf(JSON.stringify({ userIdentity: { type, arn: 'arn:aws:iam::111122223333:user/alice' } }));
      assert.equal(summary.label, `alice (${type})`);
    }
    assert.equal(describeIdentityType('IAMUser'), 'IAM user');
  });
});

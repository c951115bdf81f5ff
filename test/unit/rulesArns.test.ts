import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import { checkDocumentRules, RuleCode } from '../../server/src/model/rules';
import { arnFormatProblem, splitArn } from '../../server/src/model/rules/arns';
import { check, covered, goodRecord, withCode } from './ruleHelpers';
import { defined } from '../defined';

const identity = (): Record<string, unknown> => ({ ...(goodRecord().userIdentity as Record<string, unknown>) });

describe('rule arn-format', () => {
  it('fires on malformed ARNs anywhere in the record, on the part at fault', () => {
    const { text, found } = check(
      {
        requestParameters: {
          certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
          deep: { list: [{ target: 'arn:amazon:sns:eu-west-1:123456789012:topic' }] },
          short: 'arn:aws:s3',
          region: 'arn:aws:sqs:Ireland:123456789012:queue',
          account: 'arn:aws:sqs:eu-west-1:1234:queue',
        },
      },
      RuleCode.arnFormat,
    );
    assert.deepEqual(
      found.map((problem) => covered(text, problem)),
      ['amazon', 'arn:aws:s3', 'Ireland', '1234'],
    );
  });

  it('accepts ARNs without region or account, managed policies, wildcards and variables', () => {
    const values = [
      'arn:aws:s3:::my-bucket/path/with spaces.txt',
      'arn:aws:iam::aws:policy/AdministratorAccess',
      'arn:aws:lambda:eu-west-1::runtime:0123abcd',
      'arn:aws:ssm:*:*:parameter/*',
      'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:q',
      'arn:aws:ec2:us-east-1-bos-1:123456789012:instance/i-1',
      'arn:aws:ssm:cn-west-3r:123456789012:parameter/x',
    ];
    const { found } = check({ requestParameters: { values } }, RuleCode.arnFormat);
    assert.deepEqual(found, []);
  });

  it('finds ARNs inside events embedded as strings and maps them to document offsets', () => {
    const record = { ...goodRecord(), requestParameters: { topic: 'arn:aws:sns:eu-west-1:12:topic' } };
    const text = JSON.stringify({ Events: [{ EventId: 'x', CloudTrailEvent: JSON.stringify(record) }] });
    const found = withCode(checkDocumentRules(parseCloudTrail(text)), RuleCode.arnFormat);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '12');
  });

  it('splits ARNs with colons in the resource', () => {
    const arn = defined(splitArn('arn:aws:lambda:eu-west-1:123456789012:function:name:1'));
    assert.equal(arn.resource, 'function:name:1');
    assert.equal(arn.account, '123456789012');
    assert.equal(splitArn('arn:aws:iam:'), undefined);
    assert.equal(arnFormatProblem('arn:aws:iam::123456789012:root'), undefined);
  });
});

describe('rule arn-partition-region', () => {
  it('fires on a known region of another partition, on the region', () => {
    const { text, found } = check({ requestParameters: { target: 'arn:aws:sns:cn-north-1:123456789012:topic' } }, RuleCode.arnPartitionRegion);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), 'cn-north-1');
    assert.match(found[0].message, /aws-cn/);
  });

  it('does not fire for matching or unknown regions', () => {
    assert.deepEqual(
      check({ requestParameters: { a: 'arn:aws-cn:sns:cn-north-1:123456789012:t', b: 'arn:aws:sns:cn-west-3r:123456789012:t' } }, RuleCode.arnPartitionRegion)
        .found,
      [],
    );
  });
});

describe('rule arn-account-mismatch', () => {
  it("fires when the caller's ARN names another account than userIdentity.accountId, on the account", () => {
    const { text, found } = check(
      { userIdentity: { ...identity(), arn: 'arn:aws:sts::111122223333:assumed-role/CertAdmin/alice' } },
      RuleCode.arnAccountMismatch,
    );
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '111122223333');
    assert.match(found[0].message, /111122223333.*123456789012/);
    assert.equal(found[0].related?.length, 1);
    assert.equal(text.slice(found[0].related[0].start, found[0].related[0].end), '"123456789012"');
  });

  it("fires for a sessionIssuer's and a resource's ARN", () => {
    const sessionContext = identity().sessionContext as Record<string, unknown>;
    const issuer = { ...(sessionContext.sessionIssuer as object), arn: 'arn:aws:iam::999988887777:role/CertAdmin' };
    assert.equal(
      check({ userIdentity: { ...identity(), sessionContext: { ...sessionContext, sessionIssuer: issuer } } }, RuleCode.arnAccountMismatch).found.length,
      1,
    );
    const resources = [
      { ARN: 'arn:aws:acm:eu-west-1:999988887777:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', accountId: '123456789012', type: 'AWS::ACM::Certificate' },
    ];
    assert.equal(check({ resources }, RuleCode.arnAccountMismatch).found.length, 1);
  });

  it('does not fire for cross-account calls, where only recipientAccountId differs', () => {
    assert.deepEqual(
      check(
        { recipientAccountId: '999988887777', eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', requestParameters: null },
        RuleCode.arnAccountMismatch,
      ).found,
      [],
    );
  });
});

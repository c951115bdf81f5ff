import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkArn, describeArnResource, parseArn, partitionName } from '../../server/src/model/explain/arn';
import { arnLines } from '../../server/src/model/explain/valueReadings';
import { assertInert, visibleText } from './hoverRendering';
import { defined } from '../defined';

describe('ARN readings', () => {
  it('splits an ACM certificate ARN into partition, service, region, account and resource', () => {
    const arn = parseArn('arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012');
    assert.deepEqual(arn, {
      partition: 'aws',
      service: 'acm',
      region: 'us-east-1',
      account: '123456789012',
      resource: 'certificate/12345678-1234-1234-1234-123456789012',
      resourceType: 'certificate',
      resourceId: '12345678-1234-1234-1234-123456789012',
    });
    assert.equal(describeArnResource(arn), 'ACM certificate');
    assert.deepEqual(checkArn(arn), { ok: true, problems: [] });
  });

  it('reads global ARNs, assumed roles, colons in resources and S3 buckets', () => {
    const role = parseArn('arn:aws:sts::111122223333:assumed-role/CertManager/alice');
    assert.equal(role?.region, '');
    assert.equal(role.resourceType, 'assumed-role');
    assert.equal(role.resourceId, 'CertManager/alice');
    const logGroup = parseArn('arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/x:*');
    assert.equal(logGroup?.resourceType, 'log-group');
    assert.equal(logGroup.resourceId, '/aws/lambda/x:*');
    const bucket = parseArn('arn:aws:s3:::my-bucket/key.txt');
    assert.equal(bucket?.resourceType, undefined);
    assert.equal(bucket?.resource, 'my-bucket/key.txt');
  });

  it('knows every partition of the format reference', () => {
    for (const partition of ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']) {
      assert.ok(partitionName(partition), partition);
    }
    assert.equal(partitionName('aws-moon'), undefined);
  });

  it('points out what is wrong with a malformed ARN', () => {
    const arn = parseArn('arn:aws-moon:acm:useast1:1234:certificate/NOT-A-UUID');
    const check = checkArn(defined(arn));
    assert.equal(check.ok, false);
    assert.equal(check.problems.length, 4);
    assert.equal(parseArn('arn:aws:acm'), undefined);
    assert.equal(parseArn('not an arn'), undefined);
  });

  it('renders the parts as hover lines, escaping the resource', () => {
    const hostile = 'arn:aws:iam::111122223333:user/[x](command:evil)';
    const lines = arnLines(hostile);
    const markdown = lines.map((line) => `- ${line.value}`).join('\n');
    assertInert(markdown, ['[x](command:evil)']);
    const text = visibleText(markdown);
    assert.match(text, /ARN of: IAM user/);
    assert.match(text, /Partition: aws \(AWS commercial regions\)/);
    assert.match(text, /Region: none \(a global resource\)/);
    assert.match(text, /Account: 111122223333/);
    assert.deepEqual(arnLines('plain text'), []);
  });
});

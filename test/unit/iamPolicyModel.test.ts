import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import {
  comparePolicy,
  comparisonJson,
  comparisonText,
  compileWildcard,
  documentUsage,
  generatePolicy,
  IamActionInfo,
  IamCatalogue,
  identitySelection,
  literalPattern,
  notesText,
  parsePolicyDocument,
  PolicyDocument,
  policyText,
  selectDocumentEvents,
  Usage,
} from '../../server/src/model/iam/policy';

// A small catalogue of its own, so that these tests say exactly what the IAM data holds.
const S3_OBJECT = { name: 'object', arnPatterns: ['arn:${Partition}:s3:::${BucketName}/${ObjectName}'], required: true };
const S3_BUCKET = { name: 'bucket', arnPatterns: ['arn:${Partition}:s3:::${BucketName}'], required: true };
const IAM_USER = { name: 'user', arnPatterns: ['arn:${Partition}:iam::${Account}:user/${UserNameWithPath}'], required: true };
const ROLE = { name: 'role', arnPatterns: ['arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}'], required: true };

function action(name: string, resourceTypes: IamActionInfo['resourceTypes'] = [], dependentActions: string[] = []): IamActionInfo {
  return { action: name, accessLevel: 'Read', resourceTypes, conditionKeys: [], dependentActions };
}

const ACTIONS: Record<string, IamActionInfo[]> = {
  's3.amazonaws.com GetObject': [action('s3:GetObject', [S3_OBJECT])],
  's3.amazonaws.com PutObject': [action('s3:PutObject', [S3_OBJECT])],
  's3.amazonaws.com ListObjects': [action('s3:ListBucket', [S3_BUCKET])],
  's3.amazonaws.com ListBuckets': [action('s3:ListAllMyBuckets')],
  'iam.amazonaws.com CreateAccessKey': [action('iam:CreateAccessKey', [IAM_USER])],
  'iam.amazonaws.com ListUsers': [action('iam:ListUsers')],
  'sts.amazonaws.com AssumeRole': [action('sts:AssumeRole', [ROLE])],
  'ec2.amazonaws.com DescribeInstances': [action('ec2:DescribeInstances')],
  'ec2.amazonaws.com RunInstances': [
    action(
      'ec2:RunInstances',
      [{ name: 'instance', arnPatterns: ['arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}'], required: true }],
      ['iam:PassRole'],
    ),
  ],
};
const KNOWN = new Set([
  ...Object.values(ACTIONS)
    .flat()
    .map((info) => info.action),
  'iam:PassRole',
]);

const catalogue: IamCatalogue = {
  resolveIamActions(eventSource, eventName) {
    if (eventSource === 'sts.amazonaws.com' && eventName === 'GetCallerIdentity') return { kind: 'no-permission', reason: 'anyone may ask who they are.' };
    const key = `${eventSource} ${eventName}`;
    return Object.hasOwn(ACTIONS, key) ? { kind: 'actions', actions: ACTIONS[key] } : { kind: 'unknown' };
  },
  iamActionExists: (name) => KNOWN.has(name),
  iamServiceName: (prefix) => ({ s3: 'Amazon S3', iam: 'AWS Identity and Access Management', sts: 'AWS Security Token Service', ec2: 'Amazon EC2' })[prefix],
};

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const BOB = 'arn:aws:iam::111122223333:user/bob';

interface Call {
  source: string;
  name: string;
  who?: string;
  time?: string;
  error?: string;
  resources?: string[];
  request?: Record<string, unknown>;
}

function log(calls: Call[]): string {
  return JSON.stringify({
    Records: calls.map((call, index) => ({
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', arn: call.who ?? ALICE, accountId: '111122223333', principalId: 'AIDAEXAMPLE' },
      eventTime: call.time ?? `2026-11-0${1 + (index % 9)}T10:00:00Z`,
      eventSource: call.source,
      eventName: call.name,
      awsRegion: 'eu-west-1',
      ...(call.error ? { errorCode: call.error, errorMessage: 'no' } : {}),
      requestParameters: call.request ?? null,
      responseElements: null,
      ...(call.resources ? { resources: call.resources.map((arn) => ({ ARN: arn, accountId: '111122223333' })) } : {}),
      eventID: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    })),
  });
}

function usageOf(calls: Call[], identity?: string): Usage {
  const documents = [parseCloudTrail(log(calls))];
  const events = selectDocumentEvents(documents, identity ? identitySelection(identity) : { groupBy: [] });
  assert.ok(events, 'the selection finds its group');
  return documentUsage(events);
}

function policy(text: string): PolicyDocument {
  const parsed = parsePolicyDocument(text);
  if (!parsed.ok) throw parsed.error;
  return parsed.policy;
}

describe('IAM wildcards', () => {
  it('matches actions without case, with * and ?', () => {
    assert.ok(compileWildcard('s3:Get*', true).matches('s3:GetObject'));
    assert.ok(compileWildcard('S3:get*', true).matches('s3:GetObject'));
    assert.ok(compileWildcard('s3:?etObject', true).matches('s3:GetObject'));
    assert.ok(!compileWildcard('s3:Get?', true).matches('s3:GetObject'));
    assert.ok(compileWildcard('*', true).matches('iam:CreateAccessKey'));
    assert.ok(!compileWildcard('s3:*', true).matches('s3x:GetObject'));
    assert.ok(compileWildcard('iam:*AccessKey*', true).matches('iam:CreateAccessKey'));
  });

  it('matches ARNs exactly, letter case included', () => {
    const pattern = compileWildcard('arn:aws:iam::*:user/Bob', false);
    assert.ok(pattern.matches('arn:aws:iam::111122223333:user/Bob'));
    assert.ok(!pattern.matches('arn:aws:iam::111122223333:user/bob'));
    assert.ok(compileWildcard('arn:aws:s3:::bucket/*', false).matches('arn:aws:s3:::bucket/a/b/c.txt'));
  });

  it('reads ${*} ${?} ${$} as literal characters and other variables as unknown values', () => {
    assert.ok(compileWildcard('arn:aws:s3:::b/${*}', false).matches('arn:aws:s3:::b/*'));
    assert.ok(!compileWildcard('arn:aws:s3:::b/${*}', false).matches('arn:aws:s3:::b/x'));
    assert.ok(compileWildcard('arn:aws:iam::1:user/${aws:username}', false).matches('arn:aws:iam::1:user/alice'));
    assert.equal(literalPattern('arn:aws:s3:::b/*?$'), 'arn:aws:s3:::b/${*}${?}${$}');
  });

  it('stays fast on a pattern and a text made to backtrack', () => {
    const pattern = compileWildcard(`${'*a'.repeat(200)}b`, false);
    assert.ok(!pattern.matches('a'.repeat(20000)));
  });
});

describe('Policy documents', () => {
  it('reads a single statement with string values and an array of statements with arrays', () => {
    const single = policy('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}');
    assert.equal(single.statements.length, 1);
    assert.deepEqual(
      single.statements[0].actions?.map((value) => value.text),
      ['s3:GetObject'],
    );
    const several = policy(`{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]},
    {"Effect": "Deny", "NotAction": "iam:Get*", "NotResource": "arn:aws:iam::*:user/x", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}
  ]
}`);
    assert.equal(several.statements[0].sid, 'Read');
    assert.equal(several.statements[0].actions?.[1].place.line, 4);
    assert.equal(several.statements[0].actions[1].place.path, 'Statement[0].Action[1]');
    assert.deepEqual(several.statements[1].conditions, ['Bool: aws:MultiFactorAuthPresent']);
    assert.equal(several.statements[1].notResources?.[0].text, 'arn:aws:iam::*:user/x');
  });

  it('reads the document of get-policy-version output, as an object or URL-encoded', () => {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] };
    const asObject = policy(JSON.stringify({ PolicyVersion: { Document: document, VersionId: 'v2', IsDefaultVersion: true } }));
    assert.equal(asObject.origin, 'PolicyVersion.Document');
    assert.equal(asObject.statements[0].actions?.[0].text, 'iam:ListUsers');
    const encoded = policy(JSON.stringify({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(document)), VersionId: 'v2' } }));
    assert.equal(encoded.statements[0].actions?.[0].text, 'iam:ListUsers');
    assert.equal(policy(encodeURIComponent(JSON.stringify(document))).statements.length, 1);
  });

  it('names the place of what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['{"Version": "2012-10-17", "Statement": [ {"Effect": "Allow" "Action": "*", "Resource": "*"} ]}', /^line 1, column \d+: This is not valid JSON/],
      ['{"Version": "2012-10-17"}', /no "Statement"/],
      [
        '{\n "Statement": [\n  {"Effect": "Allow", "Action": "*", "Resource": "*"},\n  {"Effect": "allow", "Action": "*", "Resource": "*"}\n ]\n}',
        /^line 4, column 4 \(Statement\[1\]\.Effect\): Effect must be "Allow" or "Deny"/,
      ],
      [
        '{"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "s3:*", "Resource": "*"}}',
        /Statement\.NotAction\): A statement has either "Action" or "NotAction"/,
      ],
      [
        '{"Statement": {"Effect": "Allow", "Action": ["s3:GetObject", 3], "Resource": "*"}}',
        /\(Statement\.Action\[1\]\): Each entry of Action must be a string/,
      ],
      ['{"Statement": {"Effect": "Allow", "Action": "s3 GetObject", "Resource": "*"}}', /is not an action/],
      ['{"Statement": {"Effect": "Allow", "Action": "*"}}', /neither "Resource" nor "NotResource"/],
      ['[1, 2]', /not an object/],
      ['', /empty/],
      ['{"PolicyVersion": {"Document": "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Maybe%22%7D%5D%7D"}}', /PolicyVersion\.Document\.Statement\[0\]\.Effect/],
      ['{"Statement": {"Effect": "Allow", "Actions": "*", "Resource": "*"}}', /"Actions" is not an element of a policy statement/],
    ];
    for (const [text, expected] of cases) {
      const parsed = parsePolicyDocument(text);
      assert.ok(!parsed.ok, `refused: ${text}`);
      assert.match(parsed.error.message, expected);
    }
  });
});

describe('Comparing a policy with the calls', () => {
  const calls: Call[] = [
    { source: 's3.amazonaws.com', name: 'GetObject', resources: ['arn:aws:s3:::reports/2026/a.csv', 'arn:aws:s3:::reports'], time: '2026-11-01T09:00:00Z' },
    { source: 's3.amazonaws.com', name: 'GetObject', resources: ['arn:aws:s3:::reports/2026/b.csv', 'arn:aws:s3:::reports'], time: '2026-11-03T09:00:00Z' },
    { source: 's3.amazonaws.com', name: 'PutObject', resources: ['arn:aws:s3:::private/x'] },
    { source: 'iam.amazonaws.com', name: 'ListUsers' },
    { source: 'iam.amazonaws.com', name: 'CreateAccessKey', request: { userName: 'bob' } },
    { source: 'ec2.amazonaws.com', name: 'DescribeInstances', error: 'UnauthorizedOperation' },
    { source: 'sts.amazonaws.com', name: 'GetCallerIdentity' },
    { source: 'example.amazonaws.com', name: 'DoSomething' },
  ];

  it('sorts the actions into used, unused and not granted, as IAM evaluates wildcards, NotAction, resources and Deny', () => {
    const document = policy(`{"Version": "2012-10-17", "Statement": [
      {"Sid": "Reads", "Effect": "Allow", "Action": ["s3:Get*", "s3:ListBucket", "ec2:Describe*"], "Resource": "arn:aws:s3:::reports/*"},
      {"Sid": "Writes", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::public/*"},
      {"Sid": "Everything", "Effect": "Allow", "NotAction": ["s3:*", "ec2:*"], "Resource": "*"},
      {"Sid": "NoKeys", "Effect": "Deny", "Action": "iam:*AccessKey*", "Resource": "*"}
    ]}`);
    const comparison = comparePolicy(document, usageOf(calls), catalogue);
    assert.deepEqual(comparisonJson(comparison), {
      used: [
        { action: 'iam:ListUsers', count: 1 },
        { action: 's3:GetObject', count: 2 },
      ],
      unused: ['s3:ListBucket', 'ec2:Describe*', 's3:PutObject'],
      notGranted: [
        { action: 'iam:CreateAccessKey', count: 1 },
        { action: 's3:PutObject', count: 1 },
      ],
    });
    const getObject = comparison.used.find((outcome) => outcome.action === 's3:GetObject');
    assert.equal(getObject?.first, '2026-11-01T09:00:00Z');
    assert.equal(getObject.last, '2026-11-03T09:00:00Z');
    assert.deepEqual(getObject.statements, [0]);
    assert.equal(comparison.notGranted.find((outcome) => outcome.action === 'iam:CreateAccessKey')?.denied, true);
    assert.equal(comparison.notGranted.find((outcome) => outcome.action === 's3:PutObject')?.denied, undefined);
    assert.deepEqual(comparison.statements[2].allowedByNotAction, [{ action: 'iam:ListUsers', count: 1 }]);
    assert.deepEqual(comparison.unknownCalls, [{ eventSource: 'example.amazonaws.com', eventName: 'DoSomething', count: 1 }]);
    assert.equal(comparison.failedCalls, 1);
    const text = comparisonText(comparison, 'alice', 'policy.json');
    assert.match(text, /- s3:Get\*: used by s3:GetObject ×2/);
    assert.match(text, /- iam:CreateAccessKey: 1 call, at .*; denied by statement 3/);
    assert.match(text, /- ec2:Describe\* in statement 0, at line 2, column \d+ \(Statement\[0\]\.Action\[2\]\)/);
  });

  it('applies NotResource, and a Deny on named resources only to those resources', () => {
    const objects: Call[] = [
      { source: 's3.amazonaws.com', name: 'GetObject', resources: ['arn:aws:s3:::public/a'] },
      { source: 's3.amazonaws.com', name: 'GetObject', resources: ['arn:aws:s3:::secret/b'] },
      { source: 's3.amazonaws.com', name: 'PutObject', resources: ['arn:aws:s3:::public/c'] },
      { source: 's3.amazonaws.com', name: 'PutObject', resources: ['arn:aws:s3:::secret/d'] },
    ];
    const document = policy(`{"Statement": [
      {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"},
      {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"},
      {"Effect": "Deny", "Action": "s3:Put*", "Resource": "arn:aws:s3:::secret/*"}
    ]}`);
    const comparison = comparePolicy(document, usageOf(objects), catalogue);
    assert.deepEqual(comparisonJson(comparison), {
      used: [
        { action: 's3:GetObject', count: 1 },
        { action: 's3:PutObject', count: 1 },
      ],
      unused: [],
      notGranted: [
        { action: 's3:GetObject', count: 1 },
        { action: 's3:PutObject', count: 1 },
      ],
    });
    assert.equal(comparison.notGranted.find((outcome) => outcome.action === 's3:PutObject')?.denied, true);
    assert.equal(comparison.notGranted.find((outcome) => outcome.action === 's3:GetObject')?.denied, undefined);
  });

  it('grants every action with "*", and an IAM action without resources only on "*"', () => {
    const everything = comparePolicy(policy('{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}'), usageOf(calls), catalogue);
    assert.deepEqual(comparisonJson(everything).notGranted, []);
    assert.deepEqual(comparisonJson(everything).unused, []);
    const onBuckets = comparePolicy(
      policy('{"Statement": {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "arn:aws:s3:::*"}}'),
      usageOf(calls),
      catalogue,
    );
    assert.deepEqual(comparisonJson(onBuckets).used, []);
    assert.deepEqual(comparisonJson(onBuckets).unused, ['iam:ListUsers']);
  });
});

describe('Generating a policy', () => {
  it('writes one statement per service and resource set, actions sorted once, resources from the records', () => {
    const generated = generatePolicy(
      usageOf(
        [
          { source: 's3.amazonaws.com', name: 'GetObject', resources: ['arn:aws:s3:::reports/a.csv', 'arn:aws:s3:::reports'] },
          { source: 's3.amazonaws.com', name: 'GetObject', resources: ['arn:aws:s3:::reports/a.csv', 'arn:aws:s3:::reports'] },
          { source: 's3.amazonaws.com', name: 'PutObject', resources: ['arn:aws:s3:::reports/b.csv', 'arn:aws:s3:::reports'] },
          { source: 's3.amazonaws.com', name: 'ListBuckets' },
          { source: 'iam.amazonaws.com', name: 'ListUsers' },
          { source: 'iam.amazonaws.com', name: 'CreateAccessKey', request: { userName: 'bob' } },
          {
            source: 'sts.amazonaws.com',
            name: 'AssumeRole',
            request: { roleArn: 'arn:aws:iam::111122223333:role/Deploy' },
            resources: ['arn:aws:iam::111122223333:role/Deploy'],
          },
          { source: 'ec2.amazonaws.com', name: 'RunInstances', error: 'UnauthorizedOperation' },
          { source: 'sts.amazonaws.com', name: 'GetCallerIdentity' },
          { source: 'example.amazonaws.com', name: 'DoSomething' },
          { source: 's3.amazonaws.com', name: 'GetObject', who: BOB, resources: ['arn:aws:s3:::other/z'] },
        ],
        ALICE,
      ),
      catalogue,
    );
    assert.deepEqual(generated.policy, {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'AWSIdentityAndAccessManagement', Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:ListUsers'], Resource: '*' },
        { Sid: 'AmazonS3', Effect: 'Allow', Action: ['s3:ListAllMyBuckets'], Resource: '*' },
        { Sid: 'AmazonS3NamedResources', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::reports/a.csv' },
        { Sid: 'AmazonS3NamedResources2', Effect: 'Allow', Action: ['s3:PutObject'], Resource: 'arn:aws:s3:::reports/b.csv' },
        { Sid: 'AWSSecurityTokenServiceNamedResources', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: 'arn:aws:iam::111122223333:role/Deploy' },
      ],
    });
    const notes = generated.notes;
    assert.deepEqual(
      notes.anyResource.map((entry) => entry.action),
      ['iam:CreateAccessKey', 'iam:ListUsers', 's3:ListAllMyBuckets'],
    );
    assert.match(notes.anyResource[0].reason, /records do not name the resources IAM checks it against \(user \(required\)\)/);
    assert.deepEqual(
      notes.failed.map((failed) => [failed.eventName, failed.actions, failed.errorCodes]),
      [['RunInstances', ['ec2:RunInstances'], [{ code: 'UnauthorizedOperation', count: 1 }]]],
    );
    assert.deepEqual(notes.unknown, [{ eventSource: 'example.amazonaws.com', eventName: 'DoSomething', count: 1 }]);
    assert.deepEqual(
      notes.noPermission.map((entry) => entry.eventName),
      ['GetCallerIdentity'],
    );
    const text = notesText(generated, 'alice');
    assert.match(
      text,
      /## Failed calls \(left out of the policy\)\n\n- ec2\.amazonaws\.com RunInstances: needs ec2:RunInstances; 1 failed call \(UnauthorizedOperation ×1\)/,
    );
    assert.doesNotThrow(() => JSON.parse(policyText(generated.policy)));
  });

  it('puts the actions of failed calls in when asked, with what they depend on in the notes', () => {
    const usage = usageOf([{ source: 'ec2.amazonaws.com', name: 'RunInstances', error: 'UnauthorizedOperation' }]);
    assert.deepEqual(generatePolicy(usage, catalogue).policy.Statement, []);
    const included = generatePolicy(usage, catalogue, { includeFailed: true });
    assert.deepEqual(
      included.policy.Statement.map((statement) => statement.Action),
      [['ec2:RunInstances']],
    );
    assert.deepEqual(included.notes.dependentActions, [{ action: 'iam:PassRole', neededBy: ['ec2:RunInstances'] }]);
  });

  it('writes many objects of one folder as a wildcard, and a wildcard character of a log literally', () => {
    const objects: Call[] = Array.from({ length: 12 }, (_, n) => ({
      source: 's3.amazonaws.com',
      name: 'GetObject',
      resources: [`arn:aws:s3:::logs/2026/${n}.gz`],
    }));
    objects.push({ source: 's3.amazonaws.com', name: 'PutObject', resources: ['arn:aws:s3:::drop/*'] });
    const generated = generatePolicy(usageOf(objects), catalogue);
    assert.deepEqual(
      generated.policy.Statement.map((statement) => statement.Resource),
      ['arn:aws:s3:::drop/${*}', 'arn:aws:s3:::logs/2026/*'],
    );
    assert.deepEqual(generated.notes.generalised, [{ action: 's3:GetObject', resources: 12, patterns: ['arn:aws:s3:::logs/2026/*'] }]);
  });

  it('covers every successful call it was made from, when compared with them again', () => {
    const calls: Call[] = [
      { source: 's3.amazonaws.com', name: 'GetObject', resources: ['arn:aws:s3:::reports/a.csv'] },
      { source: 's3.amazonaws.com', name: 'GetObject', resources: ['arn:aws:s3:::a?b/c*d'] },
      { source: 'iam.amazonaws.com', name: 'CreateAccessKey', request: { userName: 'bob' } },
      { source: 'sts.amazonaws.com', name: 'AssumeRole', resources: ['arn:aws:iam::111122223333:role/Deploy'] },
      { source: 'ec2.amazonaws.com', name: 'DescribeInstances' },
    ];
    const usage = usageOf(calls);
    const generated = generatePolicy(usage, catalogue);
    const replay = comparePolicy(policy(policyText(generated.policy)), usage, catalogue);
    assert.deepEqual(replay.notGranted, []);
    assert.equal(
      replay.used.reduce((sum, outcome) => sum + outcome.count, 0),
      5,
    );
    assert.deepEqual(comparisonJson(replay).unused, []);
  });

  it('gives an empty policy for an identity that made no call', () => {
    const documents = [parseCloudTrail(log([{ source: 'iam.amazonaws.com', name: 'ListUsers' }]))];
    assert.equal(selectDocumentEvents(documents, identitySelection(BOB)), undefined);
  });

  it('takes every session of a role by the role key', () => {
    const role = 'arn:aws:iam::111122223333:role/Deploy';
    const text = JSON.stringify({
      Records: ['one', 'two'].map((session, index) => ({
        eventVersion: '1.08',
        eventTime: `2026-11-0${index + 1}T00:00:00Z`,
        eventSource: 'iam.amazonaws.com',
        eventName: index === 0 ? 'ListUsers' : 'CreateAccessKey',
        userIdentity: {
          type: 'AssumedRole',
          arn: `arn:aws:sts::111122223333:assumed-role/Deploy/${session}`,
          sessionContext: { sessionIssuer: { type: 'Role', arn: role, userName: 'Deploy' } },
        },
      })),
    });
    const documents = [parseCloudTrail(text)];
    const all = selectDocumentEvents(documents, identitySelection(role));
    assert.equal(all?.length, 2);
    const one = selectDocumentEvents(documents, identitySelection('arn:aws:sts::111122223333:assumed-role/Deploy/two'));
    assert.deepEqual(
      one?.map((event) => event.record.summary.eventName),
      ['CreateAccessKey'],
    );
  });
});

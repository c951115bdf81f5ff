import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudTrailDocument, parseCloudTrail } from '../../server/src/model';
import { RuleSet } from '../../server/src/model/detections';
import { bundledRulesDirectory, readRuleFiles } from '../../server/src/model/detections/ruleFiles';
import { sigmaPredicate, sigmaRuleSql } from '../../server/src/model/detections/sql/sigmaSql';
import { SqlDialect, SqlNotExpressible } from '../../server/src/model/detections/sql/sqlQuery';
import { listFixtures, readFixture } from '../fixtures';
import { athenaRow, JsonObject, lakeRow, parseQuery, rawRecords, whereHolds } from './sqlEvaluator';
import { loadRules, ruleText } from './sigmaHelpers';

interface Fixture {
  name: string;
  document: CloudTrailDocument;
  records: JsonObject[];
}

/** The attack records: Stratus Red Team detonations and the TrailDiscover examples. */
const FIXTURES: Fixture[] = [...listFixtures('real/stratus-red-team'), ...listFixtures('attack')].map((name) => {
  const text = readFixture(name);
  const fixture = { name, document: parseCloudTrail(text), records: rawRecords(text) };
  assert.equal(fixture.document.records.length, fixture.records.length, name);
  return fixture;
});

const ROWS: Record<SqlDialect, (record: JsonObject) => Record<string, unknown>> = { athena: athenaRow, lake: lakeRow };

const bundled = RuleSet.load(readRuleFiles(bundledRulesDirectory(), 'bundled').inputs);

/** The records each rule matches, by the engine and by the SQL of each dialect. */
function matchesOf(rules: RuleSet, index: number, dialect: SqlDialect): { engine: string[]; sql: string[] } {
  const query = parseQuery(sigmaRuleSql(rules.rules[index], dialect));
  const engine: string[] = [];
  const sql: string[] = [];
  for (const fixture of FIXTURES) {
    for (const finding of rules.detectDocument(fixture.document)) {
      if (finding.rule === index) engine.push(`${fixture.name}#${finding.record}`);
    }
    fixture.records.forEach((record, i) => {
      if (whereHolds(query, ROWS[dialect](record))) sql.push(`${fixture.name}#${i}`);
    });
  }
  return { engine: [...new Set(engine)].sort(), sql: sql.sort() };
}

describe('Sigma rules as SQL', () => {
  const singleEventRules = bundled.rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => !rule.correlation && rule.detection && !rule.feedsCorrelationOnly);

  it('writes every bundled single-event rule, and refuses the correlations with a reason', () => {
    assert.ok(singleEventRules.length >= 50, `${singleEventRules.length} rules`);
    for (const { rule } of singleEventRules) {
      for (const dialect of ['athena', 'lake'] as const) {
        const sql = sigmaRuleSql(rule, dialect);
        parseQuery(sql);
        assert.match(sql, new RegExp(`^-- Sigma rule ${rule.metadata.id}: `, 'm'));
        assert.match(sql, /^-- Author: .+; from the SigmaHQ rules \(Detection Rule License 1\.1\)$/m);
      }
    }
    const correlations = bundled.rules.filter((rule) => rule.correlation);
    assert.ok(correlations.length > 0);
    for (const rule of correlations) {
      assert.throws(() => sigmaPredicate(rule), SqlNotExpressible);
    }
  });

  let matched = 0;
  for (const dialect of ['athena', 'lake'] as const) {
    it(`${dialect}: every bundled rule finds in the attack records exactly what the engine finds`, () => {
      const differences: string[] = [];
      for (const { rule, index } of singleEventRules) {
        const { engine, sql } = matchesOf(bundled, index, dialect);
        matched += engine.length;
        if (JSON.stringify(engine) !== JSON.stringify(sql)) {
          differences.push(`${rule.metadata.title}: engine ${JSON.stringify(engine)}, SQL ${JSON.stringify(sql)}`);
        }
      }
      assert.deepEqual(differences, []);
      assert.ok(matched > 0, 'some rules match the attack records');
    });
  }

  const RECORD = {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice',
      sessionContext: { sessionIssuer: { userName: 'Admin', type: 'Role' } },
    },
    eventTime: '2026-11-24T10:03:11Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'AuthorizeSecurityGroupIngress',
    awsRegion: 'us-east-1',
    sourceIPAddress: '10.20.30.40',
    userAgent: 'Boto3/1.26 Python/3.11',
    requestParameters: {
      groupId: 'sg-1',
      ipPermissions: { items: [{ fromPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] },
      dryRun: false,
      count: 7,
    },
    resources: [{ ARN: 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-1', type: 'AWS::EC2::SecurityGroup' }],
    readOnly: false,
  };
  const CASES: [string, boolean][] = [
    ['    selection:\n        eventName: authorizesecuritygroup*\n    condition: selection', true],
    ['    selection:\n        eventName|cased: authorizesecuritygroupingress\n    condition: selection', false],
    ['    selection:\n        userAgent|contains|all:\n            - boto3\n            - python\n    condition: selection', true],
    ['    selection:\n        userAgent|startswith: Python\n    condition: selection', false],
    ['    selection:\n        userAgent|re|i: ^boto3/1\\.2\\d\n    condition: selection', true],
    ['    selection:\n        sourceIPAddress|cidr: 10.16.0.0/12\n    condition: selection', true],
    ['    selection:\n        sourceIPAddress|cidr: 10.32.0.0/12\n    condition: selection', false],
    ['    selection:\n        requestParameters.count|gt: 5\n    condition: selection', true],
    ['    selection:\n        requestParameters.count|lte: 5\n    condition: selection', false],
    ['    selection:\n        requestParameters.dryRun: false\n    condition: selection', true],
    ['    selection:\n        errorCode: null\n    condition: selection', true],
    ['    selection:\n        errorCode|exists: true\n    condition: selection', false],
    ['    selection:\n        requestParameters.groupId|exists: true\n    condition: selection', true],
    ['    selection:\n        resources.ARN|endswith: sg-1\n    condition: selection', true],
    ['    selection:\n        resources.type: AWS::S3::Bucket\n    condition: selection', false],
    [
      '    selection:\n        userIdentity.sessionContext.sessionIssuer.userName|fieldref: userIdentity.sessionContext.sessionIssuer.userName\n    condition: selection',
      true,
    ],
    ['    selection:\n        eventSource: ec2.amazonaws.com\n    filter:\n        userIdentity.type: Root\n    condition: selection and not filter', true],
    ['    keywords:\n        - sg-1\n    condition: keywords', true],
    ['    selection_a:\n        eventName: Nothing\n    selection_b:\n        awsRegion: us-east-1\n    condition: 1 of selection_*', true],
    ['    selection_a:\n        eventName: Nothing\n    selection_b:\n        awsRegion: us-east-1\n    condition: all of selection_*', false],
    ['    selection:\n        userAgent|base64offset|contains: Python\n    condition: selection', false],
    ["    selection:\n        eventName: 'Authorize*Ingres?'\n    condition: selection", true],
  ];
  for (const [detection, expected] of CASES) {
    for (const dialect of ['athena', 'lake'] as const) {
      it(`${dialect}: ${detection.replace(/\s+/g, ' ').trim()} → ${String(expected)}, as the engine says`, () => {
        const rules = loadRules(ruleText(detection));
        assert.equal(rules.files[0].problems.filter((problem) => problem.severity === 'error').length, 0);
        const engine = rules.detectDocument(parseCloudTrail(JSON.stringify({ Records: [RECORD] }))).length > 0;
        assert.equal(engine, expected, 'the engine');
        const query = parseQuery(sigmaRuleSql(rules.rules[0], dialect));
        assert.equal(whereHolds(query, ROWS[dialect](RECORD as unknown as JsonObject)), expected, sigmaRuleSql(rules.rules[0], dialect));
      });
    }
  }

  it('keeps a rule\u2019s values literal and its title in the comment', () => {
    const rules = loadRules(
      ruleText('    selection:\n        eventName: "x\' OR 1=1 --"\n    condition: selection').replace('title: Test rule', 'title: "Evil\\nSELECT 1"'),
    );
    const sql = sigmaRuleSql(rules.rules[0], 'athena');
    assert.match(sql, /lower\(eventname\) = 'x'' or 1=1 --'/);
    assert.match(sql, /^-- Sigma rule [^\n]*Evil SELECT 1/m);
    const query = parseQuery(sql);
    assert.equal(whereHolds(query, athenaRow({ ...RECORD, eventName: "x' OR 1=1 --" })), true);
    assert.equal(whereHolds(query, athenaRow(RECORD as unknown as JsonObject)), false);
  });

  it('refuses what SQL over these tables cannot say', () => {
    const ipv6 = loadRules(ruleText('    selection:\n        sourceIPAddress|cidr: 2001:db8::/32\n    condition: selection'));
    assert.throws(() => sigmaPredicate(ipv6.rules[0]), /only IPv4 networks/);
    const unknownColumn = loadRules(ruleText('    selection:\n        userIdentity.sessionContext.sourceIdentity: x\n    condition: selection'));
    // Athena's table has no such column: the field is missing in every row, and the query says so.
    const athena = sigmaRuleSql(unknownColumn.rules[0], 'athena');
    assert.match(athena, /^-- userIdentity\.sessionContext\.sourceIdentity: not a column of this table, so missing in every row\.$/m);
    const withField = { ...RECORD, userIdentity: { ...RECORD.userIdentity, sessionContext: { sourceIdentity: 'x' } } } as unknown as JsonObject;
    assert.equal(whereHolds(parseQuery(athena), athenaRow(withField)), false);
    // Lake reads the event's own JSON, which has every field.
    assert.equal(whereHolds(parseQuery(sigmaRuleSql(unknownColumn.rules[0], 'lake')), lakeRow(withField)), true);
  });
});

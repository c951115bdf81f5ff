import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudTrailDocument, compileFilter, EventFilter, parseCloudTrail } from '../../server/src/model';
import { eventFilterSql } from '../../server/src/model/detections/sql/eventFilterSql';
import { renderQuery, SqlDialect, SqlNotExpressible } from '../../server/src/model/detections/sql/sqlQuery';
import { listFixtures, readFixture } from '../fixtures';
import { athenaRow, JsonObject, lakeRow, parseQuery, rawRecords, whereHolds } from './sqlEvaluator';

interface Fixture {
  name: string;
  document: CloudTrailDocument;
  records: JsonObject[];
}

const FIXTURES: Fixture[] = [
  ...listFixtures('real/stratus-red-team'),
  ...listFixtures('real/trailscraper').filter((name) => !name.endsWith('.gz')),
  ...listFixtures('attack'),
]
  .map((name) => {
    const text = readFixture(name);
    return { name, document: parseCloudTrail(text), records: rawRecords(text) };
  })
  .filter((fixture) => fixture.document.records.length === fixture.records.length);

const ROWS: Record<SqlDialect, (record: JsonObject) => Record<string, unknown>> = { athena: athenaRow, lake: lakeRow };

/** The positions of the records the editor's filter keeps, and those the SQL keeps, over every fixture. */
function compare(filter: EventFilter, dialect: SqlDialect): { editor: string[]; sql: string[] } {
  const query = parseQuery(eventFilterSql(filter, dialect));
  const accepts = compileFilter(filter);
  const editor: string[] = [];
  const sql: string[] = [];
  for (const fixture of FIXTURES) {
    fixture.document.records.forEach((record, i) => {
      if (!accepts || accepts({ documentIndex: 0, record })) editor.push(`${fixture.name}#${i}`);
      if (whereHolds(query, ROWS[dialect](fixture.records[i]))) sql.push(`${fixture.name}#${i}`);
    });
  }
  return { editor, sql };
}

describe('SQL of the Events view\u2019s filter', () => {
  it('reads the fixtures: several files and hundreds of records', () => {
    assert.ok(FIXTURES.length >= 10, `${FIXTURES.length} fixtures`);
    assert.ok(FIXTURES.reduce((sum, fixture) => sum + fixture.records.length, 0) > 300);
  });

  const FILTERS: EventFilter[] = [
    {},
    { errorsOnly: true },
    { writesOnly: true },
    { service: 'ec2' },
    { service: 'sts.amazonaws.com' },
    { service: 'IAM', errorsOnly: true },
    { text: 'AccessDenied' },
    { text: 'us-east-1', writesOnly: true },
    { text: '"ListBuckets"' },
    { text: 'stratus-red-team' },
    { text: 'i-0' },
    { from: '2022-01-01T00:00:00Z' },
    { from: '2024-08-18T10:00:00Z', to: '2024-08-18T12:00:00Z', errorsOnly: true },
    { to: '2022-01-01T00:00:00Z' },
  ];
  for (const dialect of ['athena', 'lake'] as const) {
    for (const filter of FILTERS) {
      it(`${dialect}: keeps the events the editor keeps, for ${JSON.stringify(filter)}`, () => {
        const { editor, sql } = compare(filter, dialect);
        assert.deepEqual(sql, editor);
        if (Object.keys(filter).length > 0) assert.ok(editor.length > 0, 'the filter keeps some events');
      });
    }
  }

  it('writes a query for Athena\u2019s CloudTrail table and one for a Lake event data store', () => {
    const athena = eventFilterSql({ service: 'iam', errorsOnly: true }, 'athena');
    assert.match(athena, /^-- Events of the CloudTrail Explorer filter: service iam, failed calls only\.$/m);
    assert.match(athena, /^FROM cloudtrail_logs$/m);
    assert.match(athena, /lower\(eventsource\) = 'iam\.amazonaws\.com'/);
    assert.match(athena, /^ORDER BY eventtime$/m);
    assert.deepEqual(parseQuery(athena).columns, [
      'eventtime',
      'eventsource',
      'eventname',
      'awsregion',
      'sourceipaddress',
      'useridentity_arn',
      'errorcode',
      'eventid',
    ]);
    const lake = eventFilterSql({ text: 'alice' }, 'lake', 'EXAMPLEf8524e8f8bd1');
    assert.match(lake, /^FROM EXAMPLEf8524e8f8bd1$/m);
    assert.match(lake, /lower\(eventjson\) LIKE '%alice%'/);
    assert.equal(parseQuery(eventFilterSql({}, 'lake')).from, 'event_data_store_id');
    assert.equal(parseQuery(eventFilterSql({}, 'athena', 'security.trail_logs')).from, 'security.trail_logs');
  });

  it('keeps the filter\u2019s text a literal: quotes, LIKE characters and line breaks change nothing', () => {
    const hostile = "x' OR 1=1; DROP TABLE t; --%_!";
    for (const dialect of ['athena', 'lake'] as const) {
      const query = parseQuery(eventFilterSql({ text: hostile }, dialect));
      const row = (value: string): Record<string, unknown> => ROWS[dialect]({ eventName: value, eventSource: 'a.amazonaws.com' });
      assert.equal(whereHolds(query, row(`prefix ${hostile} suffix`)), true);
      assert.equal(whereHolds(query, row("x' or 1=1; drop table t; --abc")), false);
      assert.equal(whereHolds(query, row('anything')), false);
      const broken = eventFilterSql({ text: 'one\ntwo\u2028three' }, dialect);
      parseQuery(broken);
      assert.equal(broken.split('\n').filter((line) => line.startsWith('--')).length, dialect === 'athena' ? 3 : 2, 'the comment stays on its lines');
    }
  });

  it('refuses a table name that is not one', () => {
    assert.throws(() => renderQuery({ kind: 'constant', value: true }, { dialect: 'lake', table: 'a b; --' }), SqlNotExpressible);
    assert.throws(() => renderQuery({ kind: 'constant', value: true }, { dialect: 'athena', table: 'a..b' }), SqlNotExpressible);
    assert.match(renderQuery({ kind: 'constant', value: true }, { dialect: 'athena', table: 'my-db.trail' }), /^FROM "my-db"\.trail$/m);
  });
});

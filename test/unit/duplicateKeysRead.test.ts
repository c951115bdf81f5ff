/**
 * A name written twice in one object: the model reads the last value, as JSON.parse does, and
 * the duplicate-key message says so.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import { hoverContent } from '../../server/src/model/explain/hoverContent';
import { groupEvents } from '../../server/src/model/eventGrouping';
import { RuleCode } from '../../server/src/model/rules';
import { goodRecord, ruleProblems, withCode } from './ruleHelpers';
import { visibleText } from './hoverRendering';

const record = JSON.stringify(goodRecord());

describe('duplicate names are read from their last value', () => {
  it('finds the records of {"Records": "x", "Records": [ ... ]} as JSON.parse does', () => {
    const text = `{"Records": "x", "Records": [${record}]}`;
    assert.equal((JSON.parse(text) as { Records: unknown[] }).Records.length, 1);
    const document = parseCloudTrail(text);
    assert.equal(document.shape, 'records');
    assert.equal(document.records.length, 1);
    assert.deepEqual(
      document.problems.filter((problem) => problem.severity === 'error'),
      [],
    );
    const problems = ruleProblems(text);
    assert.deepEqual(
      problems.filter((problem) => problem.severity === 'error'),
      [],
    );
    const duplicate = withCode(problems, RuleCode.duplicateKey);
    assert.equal(duplicate.length, 1);
    assert.equal(duplicate[0].start, text.lastIndexOf('"Records"'));
    assert.match(duplicate[0].message, /keep only the last value/);
  });

  it('reads no records from {"Records": [ ... ], "Records": "x"}, as JSON.parse would', () => {
    const text = `{"Records": [${record}], "Records": "x"}`;
    const document = parseCloudTrail(text);
    assert.equal(document.records.length, 0);
    assert.match(document.problems.find((problem) => problem.severity === 'error')?.message ?? '', /"Records" must be an array/);
  });

  it('summarises a record from the last of each field: eventName, userIdentity and its parts', () => {
    const text = JSON.stringify({ Records: [goodRecord()] })
      .replace('"eventName":', '"eventName":"DeleteCertificate","eventName":')
      .replace('"userIdentity":', '"userIdentity":{"type":"Root","arn":"arn:aws:iam::999999999999:root"},"userIdentity":');
    const parsed = JSON.parse(text) as { Records: { eventName: string; userIdentity: { type: string } }[] };
    const document = parseCloudTrail(text);
    const summary = document.records[0].summary;
    assert.equal(summary.eventName, parsed.Records[0].eventName);
    assert.equal(summary.identity.type, parsed.Records[0].userIdentity.type);
    const groups = groupEvents([document], { groupBy: ['action'] });
    assert.ok(JSON.stringify(groups).includes(parsed.Records[0].eventName));
    const view = document.view;
    const node = document.records[0].node;
    assert.equal(view.string(view.property(node, 'eventName')), parsed.Records[0].eventName);
  });

  it('reads a name written with escapes as its decoded text', () => {
    const text = `{"\\u0052ecords": [${record}]}`;
    assert.equal((JSON.parse(text) as { Records: unknown[] }).Records.length, 1);
    assert.equal(parseCloudTrail(text).records.length, 1);
  });

  it('checks the last value of a field, not the first', () => {
    const text = JSON.stringify({ Records: [goodRecord()] }).replace('"eventTime":', '"eventTime":"not a time","eventTime":');
    const problems = ruleProblems(text).filter((problem) => problem.code !== RuleCode.duplicateKey);
    assert.deepEqual(
      problems.map((problem) => problem.code),
      [],
    );
    const hover = hoverContent(parseCloudTrail(text), text.lastIndexOf('"eventTime"') + 3, { now: Date.UTC(2026, 0, 1), timeZone: 'UTC' });
    assert.ok(hover);
    assert.doesNotMatch(visibleText(hover.markdown), /not a readable time/);
  });
});

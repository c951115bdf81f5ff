import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleCode } from '../../server/src/model/rules';
import { covered, goodRecord, logText, recordWith, ruleProblems, withCode } from './ruleHelpers';

describe('rule duplicate-key', () => {
  it('fires on the later of two equal names in one object, pointing at the first', () => {
    const text = '{"Records":[{"eventVersion":"1.08","responseElements":{"privateKey":"a","certificate":"b","privateKey":"c"}}]}';
    const found = withCode(ruleProblems(text), RuleCode.duplicateKey);
    assert.equal(found.length, 1);
    assert.equal(found[0].start, text.lastIndexOf('"privateKey"'));
    assert.equal(covered(text, found[0]), '"privateKey"');
    assert.equal(found[0].related?.[0].start, text.indexOf('"privateKey"'));
  });

  it('sees through escapes and unquoted names', () => {
    const text = '{"Records":[{"eventVersion":"1.08","a":{"key":1,"k\\u0065y":2},"b":{name:1,"name":2}}]}';
    assert.equal(withCode(ruleProblems(text), RuleCode.duplicateKey).length, 2);
  });

  it('finds duplicates in large objects, deep nesting and outside the records', () => {
    const wide: Record<string, number> = {};
    for (let i = 0; i < 40; i++) wide[`k${i}`] = i;
    const wideText = JSON.stringify(wide).replace('}', ',"k7":99}');
    let deep = '"x"';
    for (let i = 0; i < 5000; i++) deep = `{"d":${deep}}`;
    deep = deep.replace('{"d":"x"}', '{"d":"x","d":"y"}');
    const text = `{"Records":[{"eventVersion":"1.08","requestParameters":${wideText},"responseElements":${deep}}],"Records2":1,"Records2":2}`;
    const found = withCode(ruleProblems(text), RuleCode.duplicateKey);
    assert.deepEqual(found.map((problem) => covered(text, problem)).sort(), ['"Records2"', '"d"', '"k7"']);
  });

  it('reports a duplicate once when the record is the whole file or a whole line', () => {
    const single = '{"eventVersion":"1.08","eventName":"ListCertificates","eventName":"GetCertificate"}';
    assert.equal(withCode(ruleProblems(single), RuleCode.duplicateKey).length, 1);
    const lines = `${single}\n${single}\n`;
    const found = withCode(ruleProblems(lines), RuleCode.duplicateKey);
    assert.deepEqual(
      found.map((problem) => problem.start),
      [single.lastIndexOf('"eventName"'), single.length + 1 + single.lastIndexOf('"eventName"')],
    );
  });

  it('does not fire on equal names in different objects', () => {
    assert.deepEqual(withCode(ruleProblems(logText(goodRecord(), goodRecord())), RuleCode.duplicateKey), []);
  });
});

describe('rule duplicate-event-id', () => {
  it('fires on the later record with the same eventID, pointing at the first', () => {
    const second = recordWith({ eventName: 'GetCertificate' });
    const text = logText(goodRecord(), recordWith({ eventID: '1a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }), second);
    const found = withCode(ruleProblems(text), RuleCode.duplicateEventId);
    assert.equal(found.length, 1);
    assert.equal(found[0].start, text.lastIndexOf('"6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d"'));
    assert.equal(found[0].related?.[0].start, text.indexOf('"6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d"'));
    assert.match(found[0].message, /Record 1 .*different content/);
  });

  it('says when the later record is an exact copy', () => {
    const found = withCode(ruleProblems(logText(goodRecord(), goodRecord())), RuleCode.duplicateEventId);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /second copy of record 1/);
  });

  it('does not fire for distinct eventIDs, and can be turned off', () => {
    assert.deepEqual(
      withCode(ruleProblems(logText(goodRecord(), recordWith({ eventID: '1a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }))), RuleCode.duplicateEventId),
      [],
    );
    assert.deepEqual(withCode(ruleProblems(logText(goodRecord(), goodRecord()), { rules: { 'duplicate-event-id': 'off' } }), RuleCode.duplicateEventId), []);
  });
});

describe('rules on hostile records', () => {
  it('check a record with 100,000 colon-less "arn:" strings, 20,000 properties and 50,000 levels of nesting in linear time', () => {
    const strings = `[${'"arn:x",'.repeat(100_000)}"arn:x"]`;
    const wide = `{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`).join(',')},"k5":0}`;
    const deep = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    const filter = `${'{"not":'.repeat(5_000)}{}${'}'.repeat(5_000)}`;
    const record = `{"eventVersion":"1.08","eventSource":"acm.amazonaws.com","eventName":"SearchCertificates","requestParameters":{"filterStatement":${filter},"strings":${strings},"wide":${wide},"deep":${deep}}}`;
    const problems = ruleProblems(`{"Records":[${record}]}`);
    assert.equal(withCode(problems, RuleCode.arnFormat).length, 100_001);
    assert.equal(withCode(problems, RuleCode.duplicateKey).length, 1);
  });
});

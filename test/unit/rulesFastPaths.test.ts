/**
 * The rules read most values in place and remember values they found valid, from record to
 * record and from file to file. These tests make sure that what is remembered never changes what
 * is reported: a value accepted once is still judged afresh in its own record, a broken value does
 * not make the same text suspect elsewhere, and every shortcut finds what the long way finds.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import { checkDocumentRules, checkRecord, RecordContext, RuleCode } from '../../server/src/model/rules';
import { KeyTable } from '../../server/src/model/rules/keyTable';
import { TextSet } from '../../server/src/model/rules/rawText';
import { covered, goodRecord, logText, recordWith, ruleProblems, withCode } from './ruleHelpers';

/** The codes found in each record of a file, checked one record at a time with one shared context. */
function codesByRecord(text: string, options = {}): string[][] {
  const document = parseCloudTrail(text);
  const context = new RecordContext(options);
  return document.records.map((record) => checkRecord(record, context).map((problem) => problem.code));
}

describe('values remembered from record to record', () => {
  const cases: [field: string, good: unknown, bad: unknown, code: string][] = [
    ['awsRegion', 'eu-west-1', 'eu-west-1 ', RuleCode.regionFormat],
    ['awsRegion', 'us-north-2r', 'us_north_2r', RuleCode.regionFormat],
    ['eventSource', 'acm.amazonaws.com', 'acm.amazonaws.co', RuleCode.eventSource],
    ['eventSource', 'kms.amazonaws.com', 'aws.kms', RuleCode.eventSource],
    ['sourceIPAddress', '198.51.100.7', '198.51.100.700', RuleCode.sourceIp],
    ['sourceIPAddress', 'lambda.amazonaws.com', 'lambda..amazonaws.com', RuleCode.sourceIp],
    ['eventType', 'AwsApiCall', 'AwsApiCal', RuleCode.eventType],
    ['eventCategory', 'Management', 'management', RuleCode.eventCategory],
    ['eventVersion', '1.08', '1.8', RuleCode.eventVersion],
    ['eventTime', '2024-05-01T09:15:30Z', '2024-05-01T09:15:30', RuleCode.eventTime],
    ['eventID', '6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d', '6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9', RuleCode.eventId],
    ['recipientAccountId', '123456789012', '12345678901', RuleCode.accountId],
  ];

  for (const [field, good, bad, code] of cases) {
    it(`reports a bad ${field} after a good one, and not a good one after a bad one (${JSON.stringify(bad)})`, () => {
      const eventIds = [
        '1a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        '2a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        '3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        '4a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      ];
      const records = [good, bad, good, bad].map((value, i) => recordWith(field === 'eventID' ? { eventID: value } : { [field]: value, eventID: eventIds[i] }));
      const found = codesByRecord(logText(...records)).map((codes) => codes.includes(code));
      assert.deepEqual(found, [false, true, false, true]);
      // And the same from one file to the next: nothing carries over.
      assert.deepEqual(
        codesByRecord(logText(records[1])).map((codes) => codes.includes(code)),
        [true],
      );
      assert.deepEqual(
        codesByRecord(logText(records[0])).map((codes) => codes.includes(code)),
        [false],
      );
    });
  }

  it('reads values written with escapes the long way, with the same result', () => {
    const plain = logText(goodRecord());
    const escaped = plain
      .replace('"eu-west-1"', '"eu\\u002dwest-1"')
      .replace('"acm.amazonaws.com"', '"\\u0061cm.amazonaws.com"')
      .replace('"AwsApiCall"', '"Aws\\u0041piCall"');
    assert.notEqual(plain, escaped);
    assert.deepEqual(ruleProblems(escaped), []);
    const broken = plain.replace('"eu-west-1"', '"eu\\u005fwest-1"');
    assert.deepEqual(withCode(ruleProblems(broken), RuleCode.regionFormat).length, 1);
  });
});

describe('ARNs read once per record', () => {
  it('compares the accounts of each event of lookup-events output on its own', () => {
    // Events held in JSON strings each have a tree of their own, so their ARNs sit at the same rows.
    const other = goodRecord();
    (other.userIdentity as Record<string, unknown>).arn = 'arn:aws:sts::210987654321:assumed-role/CertAdmin/alice';
    const events = [goodRecord(), other, goodRecord()].map((record, i) => ({
      EventId: `e${i}`,
      CloudTrailEvent: JSON.stringify({ ...record, eventID: `${i}a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d` }),
    }));
    const text = JSON.stringify({ Events: events });
    const codes = codesByRecord(text);
    assert.deepEqual(
      codes.map((list) => list.filter((code) => code === RuleCode.arnAccountMismatch).length),
      [0, 1, 0],
    );
  });

  it('judges the shape, the account and the format of one ARN alike, whichever rule reads it first', () => {
    const record = recordWith({});
    const identity = record.userIdentity as Record<string, unknown>;
    identity.arn = 'arn:aws:iam::210987654321:user/alice';
    const text = logText(record);
    const found = ruleProblems(text);
    assert.equal(withCode(found, RuleCode.identityArn).length, 1);
    assert.equal(withCode(found, RuleCode.arnAccountMismatch).length, 1);
    assert.equal(covered(text, withCode(found, RuleCode.arnAccountMismatch)[0]), '210987654321');
  });
});

describe('duplicate names found from names already matched', () => {
  it('finds a field written twice, an unknown name written twice, and one written with escapes', () => {
    const text = logText(goodRecord())
      .replace('"eventName": "DescribeCertificate",', '"eventName": "DescribeCertificate",\n    "eventName": "GetCertificate",')
      .replace('"userAgent": "aws-cli/2.15.0",', '"userAgent": "aws-cli/2.15.0",\n    "custom": 1,\n    "custom": 2,');
    assert.deepEqual(
      withCode(ruleProblems(text), RuleCode.duplicateKey).map((problem) => covered(text, problem)),
      ['"eventName"', '"custom"'],
    );
    const escaped = logText(goodRecord()).replace('"eventTime": "2024-05-01T09:15:30Z",', '"eventTime": "2024-05-01T09:15:30Z",\n    "event\\u0054ime": "x",');
    assert.deepEqual(
      withCode(ruleProblems(escaped), RuleCode.duplicateKey).map((problem) => covered(escaped, problem)),
      ['"event\\u0054ime"'],
    );
  });

  it('finds names written twice in userIdentity and its sessionContext', () => {
    const text = logText(goodRecord())
      .replace(/"accountId": "123456789012",(\s*)"accessKeyId"/, '"accountId": "123456789012",$1"accountId": "123456789012",$1"accessKeyId"')
      .replace('"webIdFederationData": {},', '"webIdFederationData": {},\n        "webIdFederationData": {},');
    assert.deepEqual(
      withCode(ruleProblems(text), RuleCode.duplicateKey).map((problem) => covered(text, problem)),
      ['"accountId"', '"webIdFederationData"'],
    );
  });

  it('still finds them when records list their fields in another order each time', () => {
    const first = goodRecord();
    const reversed = Object.fromEntries(Object.entries(goodRecord()).reverse());
    const text = logText(first, reversed, first, reversed).replace(/"readOnly": true,/g, '"readOnly": true,\n    "readOnly": false,');
    assert.deepEqual(
      codesByRecord(text).map((codes) => codes.filter((code) => code === RuleCode.duplicateKey).length),
      [1, 1, 1, 1],
    );
    // A misspelt name where the usual one was expected is not taken for it.
    const misspelt = logText(first, first).replace(/"eventName"/, '"eventNamf"');
    assert.deepEqual(
      withCode(ruleProblems(misspelt), RuleCode.unknownField).map((problem) => covered(misspelt, problem)),
      ['"eventNamf"'],
    );
  });
});

describe('duplicate eventIDs', () => {
  it('are found among many IDs that agree in most characters', () => {
    // IDs that differ only where the table's hash does not look: the check falls back to a Map.
    const records = [];
    for (let i = 0; i < 200; i++) {
      const id = `0${i.toString(16).padStart(4, '0')}000-0000-0000-0000-000000000000`;
      records.push(recordWith({ eventID: id, eventName: `Call${i}` }));
    }
    records.push(recordWith({ eventID: '00064000-0000-0000-0000-000000000000', eventName: 'Again' }));
    const text = logText(...records);
    const found = withCode(checkDocumentRules(parseCloudTrail(text)), RuleCode.duplicateEventId);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /^Record 101 has this eventID too/);
  });
});

describe('values that once stopped the rules for the whole file', () => {
  it('reports constructor or toString as an unknown identity type', () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const record = goodRecord();
      (record.userIdentity as Record<string, unknown>).type = type;
      const found = withCode(ruleProblems(logText(record)), RuleCode.identityType);
      assert.equal(found.length, 1, type);
    }
  });

  it('passes over an ARN whose template variable hides its parts', () => {
    const record = recordWith({ requestParameters: { templateBody: 'arn:${AWS::Partition}', bucket: 'arn:aws:s3:::${BucketName}' } });
    assert.deepEqual(withCode(ruleProblems(logText(record)), RuleCode.arnFormat), []);
    assert.deepEqual(withCode(ruleProblems(logText(record)), RuleCode.arnPartitionRegion), []);
  });
});

describe('KeyTable and TextSet', () => {
  it('find exactly the names and values they hold', () => {
    const names = ['eventName', 'eventTime', 'eventType', 'a', 'é', '𝒜b'];
    const table = new KeyTable(names);
    const text = ` ${names.join(' ')} eventNamf eventNam ab `;
    for (const [index, name] of names.entries()) {
      assert.equal(table.lookupRange(text, text.indexOf(` ${name} `) + 1, name.length), index, name);
    }
    assert.equal(table.lookupRange(text, text.indexOf('eventNamf'), 9), -1);
    assert.equal(table.lookupRange(text, text.indexOf('eventNam '), 8), -1);
    assert.equal(table.lookupRange(text, text.indexOf(' ab ') + 1, 2), -1);
  });

  it('tell apart values that agree in the characters they hash', () => {
    const set = new TextSet(64);
    set.add('arn:aws:iam::111111111111:role/x');
    const text = '"arn:aws:iam::111111111112:role/x" "arn:aws:iam::111111111111:role/x"';
    assert.equal(set.hasRange(text, 1, 33), false);
    assert.equal(set.hasRange(text, 36, 68), true);
    assert.equal(set.intern(text, 36, 68), 'arn:aws:iam::111111111111:role/x');
    // Past its limit it starts again: forgetting is allowed, inventing members is not.
    for (let i = 0; i < 200; i++) set.add(`value-${i}`);
    assert.equal(set.has('value-199'), true);
    assert.equal(set.has('value-200'), false);
  });
});

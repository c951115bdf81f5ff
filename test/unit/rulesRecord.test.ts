import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import { checkRecord, RuleCode } from '../../server/src/model/rules';
import { applyFix, check, covered, goodRecord, logText, problemsOf, recordWith, ruleProblems, withCode } from './ruleHelpers';
import { jsonAt } from '../jsonAt';

describe('rules: a good record', () => {
  it('has no problems', () => {
    assert.deepEqual(problemsOf(goodRecord()), []);
  });

  it('checkRecord gives document offsets for one record on its own', () => {
    const text = logText(goodRecord(), recordWith({ eventTime: 'yesterday' }));
    const document = parseCloudTrail(text);
    assert.deepEqual(checkRecord(document.records[0]), []);
    const problems = checkRecord(document.records[1]);
    assert.equal(problems.length, 1);
    assert.equal(covered(text, problems[0]), '"yesterday"');
  });
});

describe('rule record-missing-field', () => {
  it('fires for a field every record of the version has, on the opening brace', () => {
    const { text, found } = check({ eventID: undefined }, RuleCode.missingField);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /no eventID.*eventVersion 1\.08/);
    assert.equal(covered(text, found[0]), '{');
    assert.equal(found[0].severity, 'warning');
  });

  it('lists several missing fields in one problem', () => {
    const { found } = check({ eventID: undefined, awsRegion: undefined }, RuleCode.missingField);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /awsRegion and eventID/);
  });

  it('does not ask 1.01 records for eventType, nor 1.05 records for eventCategory', () => {
    assert.deepEqual(
      check(
        {
          eventVersion: '1.01',
          eventType: undefined,
          eventCategory: undefined,
          recipientAccountId: undefined,
          managementEvent: undefined,
          tlsDetails: undefined,
        },
        RuleCode.missingField,
      ).found,
      [],
    );
    assert.deepEqual(
      check({ eventVersion: '1.05', eventCategory: undefined, managementEvent: undefined, tlsDetails: undefined }, RuleCode.missingField).found,
      [],
    );
    assert.equal(check({ eventVersion: '1.07', eventCategory: undefined, tlsDetails: undefined }, RuleCode.missingField).found.length, 1);
  });

  it('asks an Insights record for its own fields, not for a caller', () => {
    const insight = {
      eventVersion: '1.07',
      eventTime: '2024-05-01T10:00:00Z',
      awsRegion: 'us-east-1',
      eventID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      eventType: 'AwsCloudTrailInsight',
      recipientAccountId: '123456789012',
      sharedEventID: '1a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      insightDetails: { state: 'Start', eventSource: 'ssm.amazonaws.com', eventName: 'UpdateInstanceInformation', insightType: 'ApiCallRateInsight' },
      eventCategory: 'Insight',
    };
    assert.deepEqual(problemsOf(insight), []);
    const found = withCode(problemsOf({ ...insight, insightDetails: undefined }), RuleCode.missingField);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /insightDetails.*Insights/);
  });

  it('lets a service event go without sourceIPAddress and a typed identity', () => {
    const serviceEvent = recordWith({
      eventType: 'AwsServiceEvent',
      sourceIPAddress: undefined,
      userIdentity: { accountId: '123456789012', invokedBy: 'acm.amazonaws.com' },
      eventName: 'RenewCertificate',
      requestParameters: null,
    });
    assert.deepEqual(problemsOf(serviceEvent), []);
  });

  it('says nothing of a record cut short by a syntax error', () => {
    const text = '{"Records":[{"eventVersion":"1.08","eventTime":"2024-05-01T09:15:30Z"';
    assert.deepEqual(withCode(ruleProblems(text), RuleCode.missingField), []);
  });

  it('does not report a field that is only written in the wrong case (record-key-case does)', () => {
    const record = recordWith({ eventName: undefined, eventname: 'DescribeCertificate' });
    assert.deepEqual(withCode(problemsOf(record), RuleCode.missingField), []);
  });
});

describe('rule record-unknown-field', () => {
  it('hints at a field CloudTrail does not write, on its name', () => {
    const { text, found } = check({ myAnnotation: 'x' }, RuleCode.unknownField);
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'hint');
    assert.equal(covered(text, found[0]), '"myAnnotation"');
  });

  it('knows every documented field', () => {
    const fields = {
      additionalEventData: {},
      apiVersion: '2015-12-08',
      errorCode: 'AccessDenied',
      errorMessage: 'no',
      resources: [],
      sharedEventID: '1a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      vpcEndpointId: 'vpce-1',
      serviceEventDetails: {},
      addendum: { reason: 'DELIVERY_DELAY' },
      sessionCredentialFromConsole: 'true',
      edgeDeviceDetails: {},
      vpcEndpointAccountId: '123456789012',
      eventVersion: '1.11',
      eventContext: {},
    };
    assert.deepEqual(check(fields, RuleCode.unknownField).found, []);
  });
});

describe('rule record-key-case', () => {
  it('fires on a top-level name in the wrong case and offers the right name', () => {
    const record = recordWith({ eventName: undefined, eventname: 'DescribeCertificate' });
    const text = logText(record);
    const found = withCode(ruleProblems(text), RuleCode.keyCase);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '"eventname"');
    const fixed = applyFix(text, found[0]);
    assert.equal(jsonAt(JSON.parse(fixed), 'Records', 0, 'eventName'), 'DescribeCertificate');
    assert.deepEqual(ruleProblems(fixed), []);
  });

  it('fires inside userIdentity too', () => {
    const identity = { ...(goodRecord().userIdentity as object), Type: 'AssumedRole' } as Record<string, unknown>;
    delete identity.type;
    const { text, found } = check({ userIdentity: identity }, RuleCode.keyCase);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '"Type"');
    assert.equal(found[0].fix?.replacement, '"type"');
  });

  it('offers no rename when the right name is there as well', () => {
    const { found } = check({ EventName: 'X' }, RuleCode.keyCase);
    assert.equal(found.length, 1);
    assert.equal(found[0].fix, undefined);
  });

  it('does not fire for correctly written names', () => {
    assert.deepEqual(check({}, RuleCode.keyCase).found, []);
  });

  it('fixes an unquoted wrong-case key into a quoted right one', () => {
    const text = '{"Records":[{eventname: "X"}]}';
    const found = withCode(ruleProblems(text), RuleCode.keyCase);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), 'eventname');
    assert.equal(applyFix(text, found[0]), '{"Records":[{"eventName": "X"}]}');
  });
});

describe('rule record-field-newer-than-version', () => {
  it('fires on a field from a later version, on its name', () => {
    const { text, found } = check({ eventVersion: '1.05', eventCategory: undefined, tlsDetails: undefined }, RuleCode.fieldNewerThanVersion);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '"managementEvent"');
    assert.match(found[0].message, /1\.06.*1\.05/);
    assert.equal(found[0].severity, 'info');
  });

  it('does not fire when the version has the field', () => {
    assert.deepEqual(check({}, RuleCode.fieldNewerThanVersion).found, []);
    assert.deepEqual(check({ eventVersion: '1.10' }, RuleCode.fieldNewerThanVersion).found, []);
  });
});

describe('rule record-field-type', () => {
  it('fires on readOnly written as a string and unquotes it', () => {
    const { text, found } = check({ readOnly: 'true' }, RuleCode.fieldType);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '"true"');
    assert.equal(jsonAt(JSON.parse(applyFix(text, found[0])), 'Records', 0, 'readOnly'), true);
  });

  it('fires on managementEvent, userIdentity and eventTime of the wrong type', () => {
    assert.equal(check({ managementEvent: 1 }, RuleCode.fieldType).found.length, 1);
    assert.equal(check({ userIdentity: 'alice' }, RuleCode.fieldType).found.length, 1);
    const { text, found } = check({ eventTime: 1714554930 }, RuleCode.fieldType);
    assert.equal(covered(text, found[0]), '1714554930');
  });

  it('leaves fields alone that CloudTrail writes in more than one way', () => {
    assert.deepEqual(check({ additionalEventData: 'Personal information is not logged', responseElements: true }, RuleCode.fieldType).found, []);
  });
});

describe('quick fixes inside events held in JSON strings', () => {
  it('escape the new text as the content of the string', () => {
    const record = recordWith({ eventName: undefined, eventname: 'DescribeCertificate', readOnly: 'true' });
    const text = JSON.stringify({ Events: [{ EventName: 'DescribeCertificate', CloudTrailEvent: JSON.stringify(record) }] }, null, 2);
    let fixed = text;
    for (const code of [RuleCode.fieldType, RuleCode.keyCase]) {
      const problem = withCode(ruleProblems(fixed), code)[0];
      fixed = applyFix(fixed, problem);
    }
    const event: unknown = JSON.parse(String(jsonAt(JSON.parse(fixed), 'Events', 0, 'CloudTrailEvent')));
    assert.equal(jsonAt(event, 'eventName'), 'DescribeCertificate');
    assert.equal(jsonAt(event, 'readOnly'), true);
    assert.deepEqual(ruleProblems(fixed), []);
  });
});

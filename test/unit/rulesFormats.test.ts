import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleCode } from '../../server/src/model/rules';
import { isIPv4, isIPv6, readSourceAddress } from '../../server/src/model/rules/formats';
import { applyFix, check, covered, goodRecord, ruleProblems } from './ruleHelpers';
import { jsonAt } from '../jsonAt';

describe('rule event-version', () => {
  it('fires on a version CloudTrail never wrote, on the value', () => {
    for (const version of ['1.1', '2.0', 'v1.08', '1.5']) {
      const { text, found } = check({ eventVersion: version }, RuleCode.eventVersion);
      assert.equal(found.length, 1, version);
      assert.equal(covered(text, found[0]), JSON.stringify(version));
      assert.equal(found[0].severity, 'warning');
    }
  });

  it('only informs about a later 1.x version than it knows', () => {
    const { found } = check({ eventVersion: '1.12' }, RuleCode.eventVersion);
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'info');
  });

  it('accepts every known version', () => {
    for (const version of ['1.0', '1.01', '1.02', '1.03', '1.04', '1.05', '1.06', '1.07', '1.08', '1.09', '1.10', '1.11']) {
      assert.deepEqual(check({ eventVersion: version }, RuleCode.eventVersion).found, [], version);
    }
  });
});

describe('rule event-time', () => {
  it('fires on a time that is not ISO 8601 UTC', () => {
    for (const time of ['2024/05/01 09:15:30', 'May 1, 2024 9:15:30 AM', '2024-05-01', '', '20X4-05-01T09:15:30Z', '2O24-05-01T09:15:30Z']) {
      const { text, found } = check({ eventTime: time }, RuleCode.eventTime);
      assert.equal(found.length, 1, time);
      assert.equal(covered(text, found[0]), JSON.stringify(time));
    }
  });

  it('fires on impossible dates and times', () => {
    for (const time of ['2024-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2024-04-31T00:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01T10:60:00Z']) {
      assert.equal(check({ eventTime: time }, RuleCode.eventTime).found.length, 1, time);
    }
  });

  it('fires on a zone other than Z, and rewrites a +00:00 offset as Z', () => {
    const { text, found } = check({ eventTime: '2024-05-01T09:15:30+00:00' }, RuleCode.eventTime);
    assert.equal(found.length, 1);
    assert.equal(jsonAt(JSON.parse(applyFix(text, found[0])), 'Records', 0, 'eventTime'), '2024-05-01T09:15:30Z');
    const offset = check({ eventTime: '2024-05-01T09:15:30+02:00' }, RuleCode.eventTime).found;
    assert.equal(offset.length, 1);
    assert.equal(offset[0].fix, undefined);
  });

  it('accepts UTC times, leap days and fractions of a second', () => {
    for (const time of ['2024-02-29T23:59:59Z', '2000-02-29T00:00:00Z', '2024-05-01T09:15:30.123Z']) {
      assert.deepEqual(check({ eventTime: time }, RuleCode.eventTime).found, [], time);
    }
  });
});

describe('rule event-id', () => {
  it('fires on an eventID or sharedEventID that is not a GUID', () => {
    const { text, found } = check({ eventID: '12345', sharedEventID: 'a0ed971f-389f-406a-9fcf-887c5ca6903' }, RuleCode.eventId);
    assert.equal(found.length, 2);
    assert.equal(covered(text, found[0]), '"12345"');
    assert.match(found[1].message, /sharedEventID/);
  });

  it('accepts GUIDs in either case and the placeholders of the AWS documentation', () => {
    for (const id of ['A0ED971F-389F-406A-9FCF-887C5CA6903A', '4d293154-a15b-4c33-9e0a-ff5eeEXAMPLE', 'EXAMPLE8-02b2-4e93-9aab-08ed47ea5fd3']) {
      assert.deepEqual(check({ eventID: id }, RuleCode.eventId).found, [], id);
    }
  });
});

describe('rule account-id', () => {
  it('fires on recipientAccountId and on accountIds in userIdentity and resources', () => {
    const identity = goodRecord().userIdentity as Record<string, unknown>;
    const { text, found } = check(
      {
        recipientAccountId: '12345678901',
        userIdentity: { ...identity, accountId: '1234-5678-9012' },
        resources: [{ ARN: 'arn:aws:acm:eu-west-1:123456789012:certificate/x', accountId: 'abc', type: 'AWS::ACM::Certificate' }],
      },
      RuleCode.accountId,
    );
    assert.deepEqual(found.map((problem) => covered(text, problem)).sort(), ['"1234-5678-9012"', '"12345678901"', '"abc"']);
  });

  it('quotes an account ID written as a number', () => {
    const identity = goodRecord().userIdentity as Record<string, unknown>;
    const text = JSON.stringify({ Records: [{ ...goodRecord(), userIdentity: { ...identity, accountId: 'PLACEHOLDER' } }] }).replace(
      '"PLACEHOLDER"',
      '123456789012',
    );
    const found = ruleProblems(text).filter((problem) => problem.code === RuleCode.accountId);
    assert.equal(found.length, 1);
    assert.equal(jsonAt(JSON.parse(applyFix(text, found[0])), 'Records', 0, 'userIdentity', 'accountId'), '123456789012');
  });

  it('accepts anonymous callers and accountIds inside request parameters', () => {
    assert.deepEqual(
      check(
        {
          userIdentity: { type: 'AWSAccount', principalId: '', accountId: 'ANONYMOUS_PRINCIPAL' },
          requestParameters: { accountId: '-' },
          eventSource: 'glacier.amazonaws.com',
          eventName: 'ListVaults',
        },
        RuleCode.accountId,
      ).found,
      [],
    );
    assert.deepEqual(check({ userIdentity: { type: 'AWSAccount', principalId: '', accountId: 'anonymous' } }, RuleCode.accountId).found, []);
  });
});

describe('rules region-format and region-unknown', () => {
  it('fires on something that is not a region code', () => {
    for (const region of ['US East (N. Virginia)', 'useast1', 'us_east_1', '']) {
      const { text, found } = check({ awsRegion: region }, RuleCode.regionFormat);
      assert.equal(found.length, 1, region);
      assert.equal(covered(text, found[0]), JSON.stringify(region));
    }
  });

  it('offers the lower-case, hyphenated form when that is a region code', () => {
    const { text, found } = check({ awsRegion: 'EU_WEST_1' }, RuleCode.regionFormat);
    assert.equal(jsonAt(JSON.parse(applyFix(text, found[0])), 'Records', 0, 'awsRegion'), 'eu-west-1');
  });

  it('accepts real and invented but well-formed region names', () => {
    for (const region of ['us-gov-west-1', 'cn-northwest-1', 'eusc-de-east-1', 'us-isob-east-1', 'us-north-2r', 'sagov-westsouth-1r', 'ap-isob-central-3r']) {
      assert.deepEqual(check({ awsRegion: region }, RuleCode.regionFormat).found, [], region);
    }
  });

  it('reports an unknown region only when turned on', () => {
    assert.deepEqual(check({ awsRegion: 'us-north-2r' }, RuleCode.regionUnknown).found, []);
    const found = check({ awsRegion: 'us-north-2r' }, RuleCode.regionUnknown, { rules: { 'region-unknown': 'info' } }).found;
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'info');
    assert.deepEqual(check({ awsRegion: 'eu-west-1' }, RuleCode.regionUnknown, { rules: { 'region-unknown': 'info' } }).found, []);
  });
});

describe('rule event-source', () => {
  it('fires on a source that is not a service host name', () => {
    const { text, found } = check({ eventSource: 'Certificate Manager' }, RuleCode.eventSource);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '"Certificate Manager"');
  });

  it('turns an EventBridge source name into the host name', () => {
    const { text, found } = check({ eventSource: 'aws.acm' }, RuleCode.eventSource);
    assert.equal(jsonAt(JSON.parse(applyFix(text, found[0])), 'Records', 0, 'eventSource'), 'acm.amazonaws.com');
  });

  it('accepts service hosts', () => {
    for (const source of ['ec2.amazonaws.com', 'acm-acme.amazonaws.com', 's3-outposts.amazonaws.com', 'ec2.amazonaws.com.cn']) {
      assert.deepEqual(check({ eventSource: source }, RuleCode.eventSource).found, [], source);
    }
  });
});

describe('rules event-type and event-category', () => {
  it('fire on values CloudTrail does not write, with a fix for the wrong case', () => {
    const { text, found } = check({ eventType: 'awsApiCall' }, RuleCode.eventType);
    assert.equal(found.length, 1);
    assert.equal(jsonAt(JSON.parse(applyFix(text, found[0])), 'Records', 0, 'eventType'), 'AwsApiCall');
    assert.equal(check({ eventType: 'ApiCall' }, RuleCode.eventType).found[0].fix, undefined);
    assert.equal(check({ eventCategory: 'Mgmt' }, RuleCode.eventCategory).found.length, 1);
  });

  it('accept every documented value', () => {
    for (const eventType of ['AwsApiCall', 'AwsServiceEvent', 'AwsConsoleAction', 'AwsConsoleSignIn', 'AwsVpceEvent']) {
      assert.deepEqual(check({ eventType }, RuleCode.eventType).found, [], eventType);
    }
    for (const eventCategory of ['Management', 'Data', 'NetworkActivity']) {
      assert.deepEqual(check({ eventCategory }, RuleCode.eventCategory).found, [], eventCategory);
    }
  });
});

describe('rule source-ip-address', () => {
  it('fires on 100.200.300.400 and other non-addresses, on the value', () => {
    for (const address of ['100.200.300.400', '10.0.0', '2001:db8::1::2', 'somewhere', '']) {
      const { text, found } = check({ sourceIPAddress: address }, RuleCode.sourceIp);
      assert.equal(found.length, 1, address);
      assert.equal(covered(text, found[0]), JSON.stringify(address));
    }
  });

  it('accepts IPv4, IPv6, service names and AWS Internal', () => {
    for (const address of ['192.0.2.0', '2001:db8::1', '::1', '::ffff:192.0.2.1', 'fe80:0:0:0:0:0:0:1', 'cloudformation.amazonaws.com', 'AWS Internal']) {
      assert.deepEqual(check({ sourceIPAddress: address }, RuleCode.sourceIp).found, [], address);
    }
  });

  it('reads addresses exactly', () => {
    assert.equal(isIPv4('255.255.255.255'), true);
    assert.equal(isIPv4('256.1.1.1'), false);
    assert.equal(isIPv6('1:2:3:4:5:6:7:8'), true);
    assert.equal(isIPv6('1:2:3:4:5:6:7'), false);
    assert.equal(isIPv6('1:2:3:4:5:6:7:8:9'), false);
    assert.equal(isIPv6('1::2:3:4:5:6:7:8'), false);
    assert.equal(readSourceAddress('AWS Internal'), undefined);
  });
});

describe('rule event-source on event notifications', () => {
  it('says that an S3 event notification is not a CloudTrail record', () => {
    const { found } = check({ eventSource: 'aws:s3' }, RuleCode.eventSource);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /notification/);
  });
});

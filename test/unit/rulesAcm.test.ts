import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleCode } from '../../server/src/model/rules';
import { applyFix, check, covered } from './ruleHelpers';
import { defined } from '../defined';
import { jsonAt } from '../jsonAt';

const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('rule acm-unknown-event', () => {
  it('fires on an eventName ACM does not have, offering the closest operation', () => {
    const { text, found } = check({ eventName: 'DescribeCertificates' }, RuleCode.acmUnknownEvent);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '"DescribeCertificates"');
    assert.equal(jsonAt(JSON.parse(applyFix(text, found[0])), 'Records', 0, 'eventName'), 'DescribeCertificate');
  });

  it('offers no fix when nothing is close', () => {
    assert.equal(check({ eventName: 'LaunchRocket' }, RuleCode.acmUnknownEvent).found[0].fix, undefined);
  });

  it('does not fire for operations, for service events, or for other services', () => {
    assert.deepEqual(
      check({ eventName: 'RevokeCertificate', requestParameters: { certificateArn: CERT, revocationReason: 'KEY_COMPROMISE' } }, RuleCode.acmUnknownEvent)
        .found,
      [],
    );
    assert.deepEqual(check({ eventName: 'CertificateExpired', eventType: 'AwsServiceEvent' }, RuleCode.acmUnknownEvent).found, []);
    assert.deepEqual(check({ eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', requestParameters: null }, RuleCode.acmUnknownEvent).found, []);
  });
});

describe('rule acm-acme-unknown-event', () => {
  it('informs about an ACME event name ACM does not log, and accepts the known ones', () => {
    const found = check({ eventSource: 'acm-acme.amazonaws.com', eventName: 'NewOrders', requestParameters: null }, RuleCode.acmeUnknownEvent).found;
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'info');
    assert.equal(found[0].fix?.replacement, '"NewOrder"');
    // ACME's GetCertificate is not checked against the API's GetCertificate input.
    assert.deepEqual(
      check({ eventSource: 'acm-acme.amazonaws.com', eventName: 'GetCertificate', requestParameters: { orderId: 'x' } }, RuleCode.acmUnknownParameter).found,
      [],
    );
  });
});

describe('rule acm-missing-parameter', () => {
  it('fires on requestParameters lacking a required member, on its name', () => {
    const { text, found } = check({ eventName: 'RevokeCertificate', requestParameters: { certificateArn: CERT } }, RuleCode.acmMissingParameter);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '"requestParameters"');
    assert.match(found[0].message, /revocationReason/);
    assert.equal(found[0].severity, 'warning');
  });

  it('checks nested structures and reports failed calls as information', () => {
    const tags = [{ value: 'x' }];
    const { text, found } = check({ eventName: 'AddTagsToCertificate', requestParameters: { certificateArn: CERT, tags } }, RuleCode.acmMissingParameter);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '{');
    assert.equal(
      check({ eventName: 'RevokeCertificate', requestParameters: { certificateArn: CERT }, errorCode: 'ValidationException' }, RuleCode.acmMissingParameter)
        .found[0].severity,
      'info',
    );
  });

  it('does not ask for hidden secrets or binary content', () => {
    assert.deepEqual(check({ eventName: 'ExportCertificate', requestParameters: { certificateArn: CERT } }, RuleCode.acmMissingParameter).found, []);
    assert.deepEqual(check({ eventName: 'ImportCertificate', requestParameters: { certificateArn: CERT } }, RuleCode.acmMissingParameter).found, []);
  });
});

describe('rule acm-unknown-parameter', () => {
  it('fires on a member the operation does not have, on its name', () => {
    const { text, found } = check({ requestParameters: { certificateArn: CERT, force: true } }, RuleCode.acmUnknownParameter);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '"force"');
  });

  it('renames a member in the wrong case', () => {
    const { text, found } = check({ requestParameters: { CertificateARN: CERT } }, RuleCode.acmUnknownParameter);
    assert.equal(found.length, 1);
    assert.equal(jsonAt(JSON.parse(applyFix(text, found[0])), 'Records', 0, 'requestParameters', 'certificateArn'), CERT);
  });

  it('accepts the ByteBuffer dumps of ImportCertificate and the hidden passphrase of ExportCertificate', () => {
    const buffer = {
      hb: [1, 2],
      offset: 0,
      isReadOnly: false,
      bigEndian: true,
      nativeByteOrder: false,
      mark: -1,
      position: 0,
      limit: 2,
      capacity: 2,
      address: 0,
    };
    const all = check(
      { eventName: 'ImportCertificate', requestParameters: { certificate: buffer, privateKey: buffer, certificateChain: buffer } },
      RuleCode.acmUnknownParameter,
    ).all;
    assert.deepEqual(all, []);
    assert.deepEqual(
      check(
        { eventName: 'ExportCertificate', requestParameters: { certificateArn: CERT, passphrase: 'HIDDEN_DUE_TO_SECURITY_REASONS' } },
        RuleCode.acmUnknownParameter,
      ).all,
      [],
    );
  });
});

describe('rule acm-parameter-type', () => {
  it('fires on a value of the wrong kind, with a fix for a quoted number', () => {
    const { text, found } = check(
      { eventName: 'ListCertificates', requestParameters: { maxItems: '100', certificateStatuses: 'ISSUED' } },
      RuleCode.acmParameterType,
    );
    assert.equal(found.length, 2);
    assert.equal(covered(text, found[0]), '"100"');
    assert.equal(jsonAt(JSON.parse(applyFix(text, found[0])), 'Records', 0, 'requestParameters', 'maxItems'), 100);
    assert.match(found[1].message, /list/);
  });

  it('does not fire on values of the right kind', () => {
    assert.deepEqual(
      check(
        { eventName: 'ListCertificates', requestParameters: { maxItems: 100, certificateStatuses: ['ISSUED'], includes: { keyTypes: ['RSA_2048'] } } },
        RuleCode.acmParameterType,
      ).all,
      [],
    );
  });
});

describe('rule acm-enum-value', () => {
  it('fires on a value outside the enumeration, on the value, fixing the case', () => {
    const { text, found } = check(
      { eventName: 'RevokeCertificate', requestParameters: { certificateArn: CERT, revocationReason: 'key_compromise' } },
      RuleCode.acmEnumValue,
    );
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '"key_compromise"');
    assert.equal(jsonAt(JSON.parse(applyFix(text, found[0])), 'Records', 0, 'requestParameters', 'revocationReason'), 'KEY_COMPROMISE');
    assert.equal(
      check({ eventName: 'RequestCertificate', requestParameters: { domainName: 'example.com', validationMethod: 'SMS' } }, RuleCode.acmEnumValue).found.length,
      1,
    );
  });

  it('accepts allowed values, inside lists too', () => {
    assert.deepEqual(
      check({ eventName: 'ListCertificates', requestParameters: { certificateStatuses: ['ISSUED', 'PENDING_VALIDATION'] } }, RuleCode.acmEnumValue).found,
      [],
    );
  });
});

describe('rule acm-constraint', () => {
  it('fires on more than 50 tags and on a tag key over 128 characters', () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    const { text, found } = check({ eventName: 'AddTagsToCertificate', requestParameters: { certificateArn: CERT, tags } }, RuleCode.acmConstraint);
    assert.equal(found.length, 1);
    assert.ok(covered(text, found[0]).startsWith('['));
    assert.match(found[0].message, /51 items.*at most 50/);
    const long = check(
      { eventName: 'AddTagsToCertificate', requestParameters: { certificateArn: CERT, tags: [{ key: 'k'.repeat(129), value: 'v' }] } },
      RuleCode.acmConstraint,
    ).found;
    assert.equal(long.length, 1);
    assert.match(long[0].message, /129 characters/);
  });

  it('fires on patterns and ranges: a malformed domain name, a tag key with a forbidden character, maxItems 0', () => {
    assert.equal(check({ eventName: 'RequestCertificate', requestParameters: { domainName: 'exa mple..com' } }, RuleCode.acmConstraint).found.length, 1);
    assert.equal(
      check({ eventName: 'AddTagsToCertificate', requestParameters: { certificateArn: CERT, tags: [{ key: 'a;b', value: 'v' }] } }, RuleCode.acmConstraint)
        .found.length,
      1,
    );
    assert.equal(check({ eventName: 'ListCertificates', requestParameters: { maxItems: 0 } }, RuleCode.acmConstraint).found.length, 1);
  });

  it('accepts valid values, including Unicode tags and wildcard domains', () => {
    const requestParameters = {
      domainName: '*.example.com',
      subjectAlternativeNames: ['example.com', 'www.example.net'],
      domainValidationOptions: [{ domainName: 'example.com', validationDomain: 'example.com' }],
      idempotencyToken: '8186023d89681c3ad5',
      validationMethod: 'DNS',
      keyAlgorithm: 'EC_prime256v1',
      tags: [{ key: 'Équipe', value: 'sécurité' }],
    };
    assert.deepEqual(check({ eventName: 'RequestCertificate', requestParameters }, RuleCode.acmConstraint).all, []);
  });
});

describe('rule acm-certificate-arn', () => {
  it('fires on a certificate ID that is not a GUID, on the ID', () => {
    const { text, found } = check(
      { requestParameters: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/my-cert' } },
      RuleCode.acmCertificateArn,
    );
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), 'my-cert');
  });

  it('fires on an ARN of something else and on a value that is no ARN', () => {
    assert.equal(
      check({ requestParameters: { certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' } }, RuleCode.acmCertificateArn).found.length,
      1,
    );
    assert.equal(check({ requestParameters: { certificateArn: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' } }, RuleCode.acmCertificateArn).found.length, 1);
  });

  it('does not fire on a well-formed certificate ARN', () => {
    assert.deepEqual(check({}, RuleCode.acmCertificateArn).found, []);
  });
});

describe('rule arn-region-mismatch (ACM certificates)', () => {
  it('fires when the certificate is in another region than the call, on its region', () => {
    const { text, found } = check({ requestParameters: { certificateArn: CERT.replace('eu-west-1', 'us-east-1') } }, RuleCode.arnRegionMismatch);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), 'us-east-1');
    assert.equal(text.slice(defined(found[0].related)[0].start, defined(found[0].related)[0].end), '"eu-west-1"');
    assert.equal(found[0].severity, 'warning');
  });

  it('checks the certificate ARN a call returns, and informs only for failed calls', () => {
    const response = check(
      {
        eventName: 'ImportCertificate',
        requestParameters: { certificate: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
        responseElements: { certificateArn: CERT.replace('eu-west-1', 'ap-southeast-2') },
      },
      RuleCode.arnRegionMismatch,
    ).found;
    assert.equal(response.length, 1);
    const failed = check(
      { requestParameters: { certificateArn: CERT.replace('eu-west-1', 'us-east-1') }, errorCode: 'ResourceNotFoundException' },
      RuleCode.arnRegionMismatch,
    ).found;
    assert.equal(failed[0].severity, 'info');
  });

  it('also compares the certificate account with recipientAccountId', () => {
    const found = check({ requestParameters: { certificateArn: CERT.replace('123456789012', '999988887777') } }, RuleCode.arnAccountMismatch).found;
    assert.equal(found.length, 1);
    assert.match(found[0].message, /recipientAccountId/);
  });
});

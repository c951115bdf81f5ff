import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ADDENDUM_FIELDS,
  compareEventVersions,
  fieldAtPath,
  isNewerThan,
  RECORD_FIELDS,
  recordField,
  TLS_FIELDS,
  USER_IDENTITY_FIELDS,
} from '../../server/src/model/explain/recordFields';
import { defined } from '../defined';

/** The record fields of the format reference, with the eventVersion that introduced each. */
const FORMAT_REFERENCE: [string, string][] = [
  ['eventVersion', '1.0'],
  ['userIdentity', '1.0'],
  ['eventTime', '1.0'],
  ['eventSource', '1.0'],
  ['eventName', '1.0'],
  ['awsRegion', '1.0'],
  ['sourceIPAddress', '1.0'],
  ['userAgent', '1.0'],
  ['errorCode', '1.0'],
  ['errorMessage', '1.0'],
  ['requestParameters', '1.0'],
  ['responseElements', '1.0'],
  ['additionalEventData', '1.0'],
  ['requestID', '1.01'],
  ['eventID', '1.01'],
  ['readOnly', '1.01'],
  ['resources', '1.01'],
  ['apiVersion', '1.01'],
  ['eventType', '1.02'],
  ['recipientAccountId', '1.02'],
  ['sharedEventID', '1.03'],
  ['vpcEndpointId', '1.04'],
  ['serviceEventDetails', '1.05'],
  ['managementEvent', '1.06'],
  ['eventCategory', '1.07'],
  ['insightDetails', '1.07'],
  ['addendum', '1.08'],
  ['sessionCredentialFromConsole', '1.08'],
  ['edgeDeviceDetails', '1.08'],
  ['tlsDetails', '1.08'],
  ['vpcEndpointAccountId', '1.09'],
  ['eventContext', '1.11'],
];

describe('record field catalogue', () => {
  it('has every field of the format reference with its since-version, type and meaning', () => {
    assert.deepEqual(
      RECORD_FIELDS.map((field) => [field.name, field.since]),
      FORMAT_REFERENCE,
    );
    for (const field of RECORD_FIELDS) {
      assert.ok(field.type.length > 0 && field.meaning.length > 20 && field.presence.length > 0, field.name);
    }
  });

  it('knows the sub-fields of userIdentity, tlsDetails and addendum', () => {
    for (const name of [
      'type',
      'principalId',
      'arn',
      'accountId',
      'accessKeyId',
      'userName',
      'invokedBy',
      'sessionContext',
      'sessionIssuer',
      'attributes',
      'creationDate',
      'mfaAuthenticated',
      'sourceIdentity',
      'ec2RoleDelivery',
      'assumedRoot',
      'onBehalfOf',
      'webIdFederationData',
    ]) {
      assert.ok(
        USER_IDENTITY_FIELDS.some((field) => field.name === name),
        name,
      );
    }
    assert.deepEqual(
      TLS_FIELDS.map((field) => field.name),
      ['tlsVersion', 'cipherSuite', 'clientProvidedHostHeader', 'keyExchange'],
    );
    assert.deepEqual(Object.keys(ADDENDUM_FIELDS[0].values ?? {}), ['DELIVERY_DELAY', 'UPDATED_DATA', 'SERVICE_OUTAGE']);
  });

  it('finds the entry for a path inside a record', () => {
    assert.equal(fieldAtPath(['userIdentity', 'sessionContext', 'attributes', 'mfaAuthenticated'])?.name, 'mfaAuthenticated');
    assert.equal(fieldAtPath(['tlsDetails', 'cipherSuite'])?.name, 'cipherSuite');
    assert.equal(fieldAtPath(['resources', 0, 'ARN'])?.name, 'ARN');
    assert.equal(fieldAtPath(['addendum', 'reason'])?.values?.UPDATED_DATA !== undefined, true);
    assert.equal(fieldAtPath(['requestParameters', 'x']), undefined);
    assert.equal(fieldAtPath(['notAField']), undefined);
  });

  it('compares eventVersions part by part as numbers', () => {
    assert.ok(compareEventVersions('1.05', '1.10') < 0);
    assert.ok(compareEventVersions('1.10', '1.09') > 0);
    assert.equal(compareEventVersions('1.0', '1.00'), 0);
    assert.ok(compareEventVersions('1.01', '1.0') > 0);
  });

  it('says when a field is newer than the record that holds it', () => {
    const tls = defined(recordField('tlsDetails'));
    assert.equal(isNewerThan(tls, '1.04'), true);
    assert.equal(isNewerThan(tls, '1.08'), false);
    assert.equal(isNewerThan(tls, '1.10'), false);
    assert.equal(isNewerThan(tls, undefined), false);
    assert.equal(isNewerThan(tls, 'garbage'), false);
  });
});

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acmShape } from '../../server/src/model/acm/acmApiModel';
import model from '../../server/src/model/acm/acm-api-model.json';
import { ACM_ERROR_EXPLANATIONS, readErrorCode } from '../../server/src/model/explain/errorCodes';
import { errorLines } from '../../server/src/model/explain/valueReadings';
import { visibleText } from './hoverRendering';

const ACM = { eventSource: 'acm.amazonaws.com' };

describe('errorCode readings', () => {
  it('explains every exception of the ACM API model, and nothing that is not one', () => {
    const exceptions = Object.entries(model.shapes as Record<string, { exception?: boolean }>)
      .filter(([, shape]) => shape.exception)
      .map(([name]) => name)
      .sort();
    assert.deepEqual(Object.keys(ACM_ERROR_EXPLANATIONS).sort(), exceptions);
    assert.equal(exceptions.length, 18);
  });

  it('says whether the model lists an ACM error for the operation', () => {
    const listed = readErrorCode('ResourceInUseException', { ...ACM, eventName: 'DeleteCertificate' });
    assert.equal(listed.source, 'acm-model');
    assert.equal(listed.listedForOperation, true);
    assert.equal(listed.fault, 'client');
    const notListed = readErrorCode('ResourceInUseException', { ...ACM, eventName: 'ListCertificates' });
    assert.equal(notListed.listedForOperation, false);
    const server = readErrorCode('InternalServerException', { ...ACM, eventName: 'CreateAcmeEndpoint' });
    assert.equal(server.fault, 'server');
    assert.equal(acmShape('InternalServerException')?.exception, true);
  });

  it('explains the common AWS errors and the EC2 Client./Server. prefixes', () => {
    const ec2 = readErrorCode('Client.UnauthorizedOperation', { eventSource: 'ec2.amazonaws.com' });
    assert.equal(ec2.name, 'UnauthorizedOperation');
    assert.equal(ec2.fault, 'client');
    assert.equal(ec2.source, 'common');
    assert.equal(readErrorCode('Server.InternalError').fault, 'server');
    for (const code of [
      'AccessDenied',
      'ThrottlingException',
      'ExpiredToken',
      'InvalidClientTokenId',
      'NoSuchEntity',
      'EntityTemporarilyUnmodifiable',
      'AccessPointNotFoundException',
    ]) {
      assert.equal(readErrorCode(code).source, 'common', code);
    }
    const unknown = readErrorCode('SomethingOdd');
    assert.equal(unknown.source, 'unknown');
    assert.equal(unknown.explanation, undefined);
  });

  it('renders the meaning, the fault and the listing', () => {
    const text = errorLines('RequestInProgressException', { ...ACM, eventName: 'GetCertificate' })
      .map((line) => visibleText(line.value).trim())
      .join('\n');
    assert.match(text, /^Meaning: The certificate is still being issued or renewed/);
    assert.match(text, /Fault: the caller/);
    assert.match(text, /Listed: the ACM API model lists this error for GetCertificate/);
    assert.match(visibleText(errorLines('Nope', {})[0].value), /not an error code this project knows/);
  });
});

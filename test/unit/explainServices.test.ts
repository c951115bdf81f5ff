import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiReferenceUrl, readVerb, regionName, serviceForEventSource, serviceForHostName } from '../../server/src/model/explain/services';

describe('service and verb readings', () => {
  it('names the service of an eventSource, and falls back to the host prefix', () => {
    assert.deepEqual(serviceForEventSource('acm.amazonaws.com'), { name: 'AWS Certificate Manager', prefix: 'acm', known: true, wellFormed: true });
    assert.equal(serviceForEventSource('acm-acme.amazonaws.com').name, 'AWS Certificate Manager (ACME protocol)');
    assert.equal(serviceForEventSource('elasticloadbalancing.amazonaws.com').name, 'Elastic Load Balancing');
    assert.deepEqual(serviceForEventSource('newservice.amazonaws.com'), { name: 'newservice', prefix: 'newservice', known: false, wellFormed: true });
    assert.equal(serviceForEventSource('acm').wellFormed, false);
    assert.equal(serviceForHostName('console.ec2.amazonaws.com')?.name, 'Amazon EC2');
    assert.equal(serviceForHostName('evil.example'), undefined);
  });

  it('reads the verb of an operation as read or write', () => {
    assert.deepEqual(readVerb('DescribeInstances'), { verb: 'Describe', access: 'read' });
    assert.deepEqual(readVerb('ListCertificates'), { verb: 'List', access: 'read' });
    assert.deepEqual(readVerb('BatchGetItem'), { verb: 'BatchGet', access: 'read' });
    assert.deepEqual(readVerb('RunInstances'), { verb: 'Run', access: 'write' });
    assert.deepEqual(readVerb('DeleteTrail'), { verb: 'Delete', access: 'write' });
    assert.deepEqual(readVerb('AssumeRole'), { verb: 'Assume', access: 'write' });
    assert.deepEqual(readVerb('Decrypt'), { verb: 'Decrypt', access: 'read' });
    assert.deepEqual(readVerb('GenerateDataKey'), { verb: 'Generate' });
    assert.deepEqual(readVerb('ConsoleLogin'), { verb: 'Console' });
    assert.deepEqual(readVerb('lowercase'), { verb: 'lowercase' });
  });

  it('forms API reference links only where the address is reliable', () => {
    assert.equal(
      apiReferenceUrl('acm.amazonaws.com', 'ExportCertificate', { knownOperation: true }),
      'https://docs.aws.amazon.com/acm/latest/APIReference/API_ExportCertificate.html',
    );
    assert.equal(apiReferenceUrl('acm.amazonaws.com', 'NotAnOperation', { knownOperation: false }), undefined);
    assert.equal(
      apiReferenceUrl('ec2.amazonaws.com', 'RunInstances', { eventType: 'AwsApiCall' }),
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html',
    );
    assert.equal(apiReferenceUrl('signin.amazonaws.com', 'ConsoleLogin', { eventType: 'AwsConsoleSignIn' }), undefined);
    assert.equal(apiReferenceUrl('ec2.amazonaws.com', 'SharedSnapshotCopyInitiated', { eventType: 'AwsServiceEvent' }), undefined);
    assert.equal(apiReferenceUrl('lambda.amazonaws.com', 'CreateFunction20150331', { eventType: 'AwsApiCall' }), undefined);
    assert.equal(apiReferenceUrl('ec2.amazonaws.com', 'Run)(command:x', { eventType: 'AwsApiCall' }), undefined);
  });

  it('names regions', () => {
    assert.equal(regionName('ap-southeast-2'), 'Asia Pacific (Sydney)');
    assert.equal(regionName('eu-west-2r'), undefined);
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { offsetOf, waitFor } from './helpers';

/** An AssumeRole that issues a key, and two calls signed with that key, in one log. */
const content = JSON.stringify(
  {
    Records: [
      {
        eventVersion: '1.08',
        userIdentity: {
          type: 'IAMUser',
          principalId: 'AIDAEXAMPLE',
          arn: 'arn:aws:iam::111122223333:user/alice',
          accountId: '111122223333',
          accessKeyId: 'AKIAEXAMPLEALICE0001',
          userName: 'alice',
        },
        eventTime: '2026-03-15T09:05:40Z',
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        awsRegion: 'us-east-1',
        sourceIPAddress: '198.51.100.23',
        userAgent: 'aws-cli/2.15.30',
        requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/Deploy', roleSessionName: 'alice-deploy' },
        responseElements: {
          credentials: { accessKeyId: 'ASIAEXAMPLEDEPLOY002', sessionToken: 'token', expiration: 'Mar 15, 2026, 10:05:40 AM' },
          assumedRoleUser: { assumedRoleId: 'AROAEXAMPLE:alice-deploy', arn: 'arn:aws:sts::111122223333:assumed-role/Deploy/alice-deploy' },
        },
        requestID: '7c2d3e4f-5061-4b72-9c83-d4e5f6071812',
        eventID: '2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a72',
        eventType: 'AwsApiCall',
        recipientAccountId: '111122223333',
      },
      ...['ListBuckets', 'GetBucketAcl'].map((eventName, i) => ({
        eventVersion: '1.08',
        userIdentity: {
          type: 'AssumedRole',
          principalId: 'AROAEXAMPLE:alice-deploy',
          arn: 'arn:aws:sts::111122223333:assumed-role/Deploy/alice-deploy',
          accountId: '111122223333',
          accessKeyId: 'ASIAEXAMPLEDEPLOY002',
          sessionContext: {
            sessionIssuer: {
              type: 'Role',
              principalId: 'AROAEXAMPLE',
              arn: 'arn:aws:iam::111122223333:role/Deploy',
              accountId: '111122223333',
              userName: 'Deploy',
            },
          },
        },
        eventTime: `2026-03-15T09:0${6 + i}:00Z`,
        eventSource: 's3.amazonaws.com',
        eventName,
        awsRegion: 'us-east-1',
        sourceIPAddress: '198.51.100.23',
        userAgent: 'aws-cli/2.15.30',
        requestParameters: null,
        responseElements: null,
        requestID: `A1B2C3D4E5F6071${i}`,
        eventID: `7f8091a2-b3c4-4d54-8e6f-7a8b9cadbec${i}`,
        eventType: 'AwsApiCall',
        recipientAccountId: '111122223333',
      })),
    ],
  },
  null,
  2,
);

describe('following the trail', () => {
  it('goes from the key a call was signed with to the AssumeRole that issued it, and lists where the key is used', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'cloudtrail', content });
    await vscode.window.showTextDocument(document, { preview: false });
    const used = document.positionAt(offsetOf(content, 'ASIAEXAMPLEDEPLOY002', 1) + 4);
    const definitions = await waitFor(
      async () => {
        const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', document.uri, used);
        return found.length > 0 ? found : undefined;
      },
      'a definition of the access key',
      15_000,
    );
    assert.equal(definitions.length, 1);
    const target = definitions[0];
    const range = 'targetRange' in target ? target.targetRange : target.range;
    assert.equal(document.getText(range), '"ASIAEXAMPLEDEPLOY002"');
    assert.equal(document.offsetAt(range.start), offsetOf(content, '"ASIAEXAMPLEDEPLOY002"', 0), 'on the issued key of the AssumeRole');

    const references = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', document.uri, used);
    assert.deepEqual(
      references.map((location) => document.getText(location.range)),
      ['"AssumeRole"', '"ListBuckets"', '"GetBucketAcl"'],
    );
  });
});

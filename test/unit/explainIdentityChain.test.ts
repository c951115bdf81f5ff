import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import { accessKeyKind, identityChain } from '../../server/src/model/explain/identityChain';

/** The chain of the first record of a one-event document. */
function chainOf(event: object): ReturnType<typeof identityChain> {
  const document = parseCloudTrail(JSON.stringify(event));
  const record = document.records[0];
  const view = record.source.view;
  return identityChain(view, view.property(record.node, 'userIdentity'), record.node);
}

const ASSUMED_ROLE = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLE:alice',
  arn: 'arn:aws:sts::111122223333:assumed-role/CertManager/alice',
  accountId: '111122223333',
  accessKeyId: 'ASIAEXAMPLE',
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROAEXAMPLE',
      arn: 'arn:aws:iam::111122223333:role/CertManager',
      accountId: '111122223333',
      userName: 'CertManager',
    },
    attributes: { creationDate: '2026-11-20T08:55:02Z', mfaAuthenticated: 'false' },
  },
};

describe('userIdentity as one chain', () => {
  it('reads an assumed role in a console session', () => {
    const chain = chainOf({ eventName: 'X', userIdentity: ASSUMED_ROLE, sessionCredentialFromConsole: 'true' });
    assert.equal(chain.text, 'role CertManager, session alice, assumed in account 111122223333, MFA no, console session');
    assert.equal(chain.mfa, false);
    assert.equal(chain.consoleSession, true);
  });

  it('reads an IAM user with a long-term key', () => {
    const chain = chainOf({
      eventName: 'X',
      userIdentity: {
        type: 'IAMUser',
        principalId: 'AIDA',
        arn: 'arn:aws:iam::123456789012:user/Alice',
        accountId: '123456789012',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        userName: 'Alice',
      },
    });
    assert.equal(chain.text, 'IAM user Alice, in account 123456789012, long-term access key');
    assert.equal(chain.credentials, 'long-term');
  });

  it('reads the root user, services, other accounts and anonymous ACME clients', () => {
    assert.equal(
      chainOf({ eventName: 'X', userIdentity: { type: 'Root', principalId: '123456789012', accountId: '123456789012' } }).text,
      'root user of account 123456789012',
    );
    assert.equal(
      chainOf({ eventName: 'X', userIdentity: { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' } }).text,
      'the AWS service AWS CloudFormation',
    );
    assert.equal(
      chainOf({ eventName: 'X', userIdentity: { type: 'AWSAccount', accountId: '444455556666', principalId: 'AIDA' } }).text,
      'another AWS account 444455556666',
    );
    assert.equal(chainOf({ eventName: 'X', userIdentity: { type: 'Unknown', principalId: 'anonymous' } }).text, 'an anonymous caller');
  });

  it('reads federated users, source identity, a service acting for a user and IMDS delivery', () => {
    assert.equal(
      chainOf({
        eventName: 'X',
        userIdentity: {
          type: 'FederatedUser',
          arn: 'arn:aws:sts::111122223333:federated-user/bob',
          accountId: '111122223333',
          sessionContext: { sessionIssuer: { type: 'IAMUser', userName: 'broker' }, attributes: { mfaAuthenticated: 'true' } },
        },
      }).text,
      'federated user bob, issued by broker, in account 111122223333, MFA yes, temporary credentials',
    );
    const ec2 = chainOf({
      eventName: 'X',
      userIdentity: {
        ...ASSUMED_ROLE,
        invokedBy: 'ec2.amazonaws.com',
        sessionContext: { ...ASSUMED_ROLE.sessionContext, sourceIdentity: 'carol', ec2RoleDelivery: '2.0' },
      },
    });
    assert.equal(
      ec2.text,
      'role CertManager, session alice, assumed in account 111122223333, source identity carol, through Amazon EC2, MFA no, EC2 instance credentials (IMDSv2)',
    );
  });

  it('says so when no identity is recorded, and when the type is missing', () => {
    assert.equal(chainOf({ eventName: 'X' }).text, 'no identity recorded');
    assert.equal(chainOf({ eventName: 'X', userIdentity: { invokedBy: 'AWS Internal' } }).text, 'the AWS service AWS Internal');
    assert.equal(chainOf({ eventName: 'X', userIdentity: { principalId: 'P1', accountId: '123456789012' } }).text, 'principal P1, in account 123456789012');
  });

  it('tells long-term from temporary access keys', () => {
    assert.equal(accessKeyKind('AKIAIOSFODNN7EXAMPLE'), 'long-term');
    assert.equal(accessKeyKind('ASIAXXXX'), 'temporary');
    assert.equal(accessKeyKind(''), undefined);
  });
});

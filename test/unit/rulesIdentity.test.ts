import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleCode } from '../../server/src/model/rules';
import { applyFix, check, covered, goodRecord, ruleProblems } from './ruleHelpers';
import { jsonAt } from '../jsonAt';

const identity = (): Record<string, unknown> => ({ ...(goodRecord().userIdentity as Record<string, unknown>) });
const sessionContext = (): Record<string, unknown> => ({ ...(identity().sessionContext as Record<string, unknown>) });

describe('rule identity-type', () => {
  it('fires on a type CloudTrail does not write, on the value', () => {
    const { text, found } = check({ userIdentity: { ...identity(), type: 'Robot' } }, RuleCode.identityType);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '"Robot"');
    assert.equal(found[0].fix, undefined);
  });

  it('offers the right spelling of a type in the wrong case, also for a sessionIssuer', () => {
    const issuer = { ...(sessionContext().sessionIssuer as object), type: 'role' };
    const { text, found } = check(
      { userIdentity: { ...identity(), type: 'assumedrole', sessionContext: { ...sessionContext(), sessionIssuer: issuer } } },
      RuleCode.identityType,
    );
    assert.equal(found.length, 2);
    const fixed = applyFix(text, found[0]);
    assert.equal(jsonAt(JSON.parse(fixed), 'Records', 0, 'userIdentity', 'type'), 'AssumedRole');
    assert.match(found[1].message, /sessionIssuer\.type/);
  });

  it('accepts every documented type', () => {
    for (const type of [
      'Root',
      'IAMUser',
      'AssumedRole',
      'Role',
      'FederatedUser',
      'Directory',
      'AWSAccount',
      'AWSService',
      'IdentityCenterUser',
      'SAMLUser',
      'WebIdentityUser',
      'Unknown',
    ]) {
      assert.deepEqual(
        check(
          {
            userIdentity: {
              type,
              accountId: '123456789012',
              invokedBy: 'x.amazonaws.com',
              identityProvider: 'p',
              arn: '',
              sessionContext: { sessionIssuer: {} },
            },
          },
          RuleCode.identityType,
        ).found,
        [],
        type,
      );
    }
  });
});

describe('rule identity-missing-field', () => {
  it('fires when an AssumedRole has no sessionIssuer, on the type', () => {
    const { text, found } = check(
      { userIdentity: { ...identity(), sessionContext: { attributes: { mfaAuthenticated: 'false' } } } },
      RuleCode.identityMissingField,
    );
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '"AssumedRole"');
    assert.match(found[0].message, /sessionContext\.sessionIssuer/);
  });

  it('fires when an AWSService identity has no invokedBy, and when there is no type', () => {
    assert.equal(check({ userIdentity: { type: 'AWSService' } }, RuleCode.identityMissingField).found.length, 1);
    const { text, found } = check({ userIdentity: { accountId: '123456789012' } }, RuleCode.identityMissingField);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), '"userIdentity"');
  });

  it('does not fire for failed calls, service events, or complete identities', () => {
    assert.deepEqual(check({ userIdentity: { type: 'AWSService' }, errorCode: 'AccessDenied' }, RuleCode.identityMissingField).found, []);
    assert.deepEqual(
      check({ userIdentity: { accountId: '123456789012', invokedBy: 'backup.amazonaws.com' }, eventType: 'AwsServiceEvent' }, RuleCode.identityMissingField)
        .found,
      [],
    );
    assert.deepEqual(check({ userIdentity: { type: 'AWSService', invokedBy: 'acm.amazonaws.com' } }, RuleCode.identityMissingField).found, []);
    assert.deepEqual(check({}, RuleCode.identityMissingField).found, []);
  });
});

describe('rule identity-arn-type', () => {
  it('fires on a Root identity whose arn names a user, on the ARN after its partition', () => {
    const { text, found } = check(
      { userIdentity: { type: 'Root', principalId: '123456789012', arn: 'arn:aws:iam::123456789012:user/Alice', accountId: '123456789012' } },
      RuleCode.identityArn,
    );
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), 'iam::123456789012:user/Alice');
    assert.match(found[0].message, /:root/);
  });

  it('fires on an IAMUser with a role ARN and an AssumedRole with an IAM ARN', () => {
    assert.equal(
      check({ userIdentity: { type: 'IAMUser', accountId: '123456789012', arn: 'arn:aws:iam::123456789012:role/x' } }, RuleCode.identityArn).found.length,
      1,
    );
    assert.equal(check({ userIdentity: { ...identity(), arn: 'arn:aws:iam::123456789012:role/CertAdmin' } }, RuleCode.identityArn).found.length, 1);
  });

  it('checks the sessionIssuer too', () => {
    const issuer = { ...(sessionContext().sessionIssuer as object), arn: 'arn:aws:iam::123456789012:user/CertAdmin' };
    const found = check({ userIdentity: { ...identity(), sessionContext: { ...sessionContext(), sessionIssuer: issuer } } }, RuleCode.identityArn).found;
    assert.equal(found.length, 1);
    assert.match(found[0].message, /sessionIssuer/);
  });

  it('accepts ARNs that match their type, in any partition', () => {
    const cases: [string, string][] = [
      ['IAMUser', 'arn:aws-us-gov:iam::123456789012:user/division/alice'],
      ['Root', 'arn:aws-cn:iam::123456789012:root'],
      ['FederatedUser', 'arn:aws:sts::123456789012:federated-user/bob'],
      ['AssumedRole', 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com'],
    ];
    for (const [type, arn] of cases) {
      const userIdentity = { type, arn, accountId: '123456789012', sessionContext: { sessionIssuer: {} } };
      assert.deepEqual(check({ userIdentity }, RuleCode.identityArn).found, [], type);
    }
  });
});

describe('rule identity-mfa-authenticated', () => {
  const withMfa = (value: unknown): Record<string, unknown> => ({
    userIdentity: { ...identity(), sessionContext: { ...sessionContext(), attributes: { creationDate: '2024-05-01T09:00:00Z', mfaAuthenticated: value } } },
  });

  it('fires on a boolean and quotes it', () => {
    const { text, found } = check(withMfa(true), RuleCode.mfaAuthenticated);
    assert.equal(found.length, 1);
    assert.equal(covered(text, found[0]), 'true');
    const fixed = applyFix(text, found[0]);
    assert.equal(jsonAt(JSON.parse(fixed), 'Records', 0, 'userIdentity', 'sessionContext', 'attributes', 'mfaAuthenticated'), 'true');
    assert.deepEqual(ruleProblems(fixed), []);
  });

  it('fires on other strings, lower-casing TRUE', () => {
    assert.equal(check(withMfa('yes'), RuleCode.mfaAuthenticated).found.length, 1);
    assert.equal(check(withMfa('TRUE'), RuleCode.mfaAuthenticated).found[0].fix?.replacement, '"true"');
  });

  it('accepts "true" and "false"', () => {
    assert.deepEqual(check(withMfa('true'), RuleCode.mfaAuthenticated).found, []);
    assert.deepEqual(check(withMfa('false'), RuleCode.mfaAuthenticated).found, []);
  });
});

/**
 * "Who is behind this?": from an identity seen in a record, back through the events that issued
 * its credentials (AssumeRole, GetSessionToken, GetFederationToken, SAML and web identity
 * federation, IAM Identity Center) to the principal where it started, across every store of the
 * scope. Where the logs at hand cannot say more, the trail says exactly what it looked for and
 * where.
 */
import { arnResourceName, describeIdentityType, splitAssumedRoleArn } from '../identity';
import { LinkKind, LinkRole } from './linkFacts';
import { LinkHit, LinkScope, withRole } from './linkStore';
import { IdentityDetails, RecordDetails } from './recordDetails';

/** Events that hand out temporary credentials, and what each says of its caller. */
export const ISSUING_EVENTS = [
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'GetSessionToken',
  'GetFederationToken',
  'AssumeRoot',
  'CreateAccessKey',
] as const;

/** A trail has at most this many hops: real role chains stop well before. */
export const MAX_HOPS = 12;
/** Identity Center hands out role credentials this long before the federated session starts, at most. */
const IDENTITY_CENTER_WINDOW_MS = 15 * 60 * 1000;
/** GetRoleCredentials events read when matching an Identity Center session. */
const MAX_CANDIDATES = 500;

export type OriginKind = 'iamUser' | 'root' | 'identityCenterUser' | 'samlUser' | 'webIdentityUser' | 'service' | 'unresolved';

export interface TrailStep {
  /** The identity acting at this step, and the record where it does. */
  identity: IdentityDetails;
  name: string;
  label: string;
  seenIn: RecordDetails;
  /** The event that issued this identity's credentials; its caller is the next step. */
  issuedBy?: RecordDetails;
  /** How the issuing event was found: by the access key, or by the session's ARN. */
  matchedBy?: string;
}

export interface Trail {
  /** From the identity asked about (first) back to the origin (last). */
  steps: TrailStep[];
  origin: { kind: OriginKind; name: string; label: string; record: RecordDetails };
  /** The origin is a principal that nothing in AWS issued (a user, root, a federated person's name, a service). */
  complete: boolean;
  /** Where and why the trail leaves the logs at hand (or what the origin is). */
  end: string;
}

/** The name a trail gives an identity: its ARN, else what the log calls it. */
export function identityName(identity: IdentityDetails): string {
  if (identity.type === 'IdentityCenterUser' && identity.onBehalfOfUserId) {
    return identity.identityStoreArn ? `${identity.identityStoreArn}/user/${identity.onBehalfOfUserId}` : `identity-center-user/${identity.onBehalfOfUserId}`;
  }
  return identity.arn ?? identity.userName ?? identity.principalId ?? identity.invokedBy ?? identity.onBehalfOfUserId ?? '(unknown identity)';
}

export function identityLabel(identity: IdentityDetails): string {
  const type = describeIdentityType(identity.type);
  const account = identity.accountId ?? (identity.arn ? identity.arn.split(':')[4] : undefined);
  const inAccount = account ? `, account ${account}` : '';
  const session = identity.arn ? splitAssumedRoleArn(identity.arn) : undefined;
  if (session) return `role ${session.role} / session ${session.session}${inAccount}`;
  if (identity.type === 'IdentityCenterUser') return `Identity Center user ${identity.onBehalfOfUserId ?? identity.userName ?? '?'}`;
  if (identity.type === 'Root') return `root user${inAccount}`;
  if (identity.type === 'AWSService') return `AWS service ${identity.invokedBy ?? '?'}`;
  const name = identity.userName ?? (identity.arn ? arnResourceName(identity.arn) : identity.principalId) ?? '?';
  return `${name} (${type ?? 'unknown type'}${inAccount})`;
}

function timeOf(text: string | undefined): number {
  return text === undefined ? NaN : Date.parse(text);
}

/** The issuing hit that fits a use at `before`: the latest one not after it, else the earliest. */
function closestBefore(hits: readonly LinkHit[], before: string | undefined): LinkHit | undefined {
  if (hits.length === 0) return undefined;
  if (before === undefined) return hits[hits.length - 1];
  let best: LinkHit | undefined;
  for (const hit of hits) {
    if ((hit.eventTime ?? '') <= before) best = hit;
  }
  return best ?? hits[0];
}

/** The event that issued the temporary credentials of `identity`, seen in `record`. */
export function findIssuer(scope: LinkScope, identity: IdentityDetails, at: string | undefined): { details: RecordDetails; matchedBy: string } | undefined {
  const key = identity.accessKeyId;
  if (key !== undefined && !key.startsWith('AKIA')) {
    const hit = closestBefore(withRole(scope.hits(LinkKind.accessKey, key), LinkRole.issued), at);
    const details = hit ? scope.details(hit) : undefined;
    if (details) return { details, matchedBy: `access key ${key}` };
  }
  if (identity.arn !== undefined && (identity.type === 'AssumedRole' || identity.type === 'FederatedUser' || splitAssumedRoleArn(identity.arn))) {
    const hit = closestBefore(withRole(scope.hits(LinkKind.arn, identity.arn), LinkRole.issued), at);
    const details = hit ? scope.details(hit) : undefined;
    if (details) return { details, matchedBy: `session ${identity.arn}` };
  }
  return undefined;
}

/** `AWSReservedSSO_<permission set>_<suffix>`: the role IAM Identity Center made for a permission set. */
export function identityCenterPermissionSet(roleArnOrName: string | undefined): string | undefined {
  if (roleArnOrName === undefined) return undefined;
  const name = roleArnOrName.slice(roleArnOrName.lastIndexOf('/') + 1);
  if (!name.startsWith('AWSReservedSSO_')) return undefined;
  const rest = name.slice('AWSReservedSSO_'.length);
  const last = rest.lastIndexOf('_');
  return last > 0 ? rest.slice(0, last) : rest;
}

/** The GetRoleCredentials event of IAM Identity Center that a federated SSO session followed. */
function identityCenterHandout(scope: LinkScope, federation: RecordDetails): RecordDetails | undefined {
  const roleArn = federation.request.roleArn;
  const permissionSet = identityCenterPermissionSet(roleArn);
  const account = roleArn?.split(':')[4];
  const at = timeOf(federation.eventTime);
  if (permissionSet === undefined || account === undefined || Number.isNaN(at)) return undefined;
  let best: RecordDetails | undefined;
  const candidates = scope.eventsNamed('sso.amazonaws.com', 'GetRoleCredentials').slice(-MAX_CANDIDATES);
  for (const hit of candidates) {
    const time = timeOf(hit.eventTime);
    if (Number.isNaN(time) || time > at || at - time > IDENTITY_CENTER_WINDOW_MS || hit.errorCode !== undefined) continue;
    const details = scope.details(hit);
    if (details?.request.roleName === permissionSet && details.request.accountId === account) best = details;
  }
  return best;
}

function describeCoverage(scope: LinkScope): string {
  return scope
    .coverage()
    .map((c) => `${c.name} (${c.records} events${c.earliest !== undefined && c.latest !== undefined ? `, ${c.earliest} to ${c.latest}` : ''})`)
    .join(' and ');
}

/** Walks from the identity that made `start` back to its origin. */
export function walkTrail(scope: LinkScope, start: RecordDetails): Trail {
  const steps: TrailStep[] = [];
  const visited = new Set<string>();
  let record = start;
  let identity = start.identity;
  const finish = (kind: OriginKind, complete: boolean, end: string, originIdentity = identity, originRecord = record): Trail => ({
    steps,
    origin: { kind, name: identityName(originIdentity), label: identityLabel(originIdentity), record: originRecord },
    complete,
    end,
  });
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const step: TrailStep = { identity, name: identityName(identity), label: identityLabel(identity), seenIn: record };
    steps.push(step);
    switch (identity.type) {
      case 'Root':
        return finish('root', true, `The root user of account ${identity.accountId ?? '?'} signs in with the account's own credentials: nothing issued them.`);
      case 'IdentityCenterUser':
        return finish(
          'identityCenterUser',
          true,
          `IAM Identity Center user ${identity.onBehalfOfUserId ?? '?'}${identity.identityStoreArn ? ` of ${identity.identityStoreArn}` : ''}: which person holds this user is in the identity source, not in CloudTrail.`,
        );
      case 'AWSService':
        return finish(
          'service',
          true,
          `The AWS service ${identity.invokedBy ?? '?'} made this call itself; the log does not say which principal's configuration caused it.`,
        );
      case 'SAMLUser':
        return finish(
          'samlUser',
          true,
          `A person signed in at the SAML identity provider ${identity.identityProvider ?? '?'} as ${identity.userName ?? '?'}; that sign-in is in the provider's own logs.`,
        );
      case 'WebIdentityUser':
        return finish(
          'webIdentityUser',
          true,
          `A web identity signed in through ${identity.identityProvider ?? '?'} as ${identity.userName ?? '?'}; that sign-in is in the provider's own logs.`,
        );
    }
    if (identity.type === 'IAMUser' && (identity.accessKeyId === undefined || identity.accessKeyId.startsWith('AKIA'))) {
      const how = identity.accessKeyId ? `with its long-term access key ${identity.accessKeyId}` : 'with its password (console)';
      return finish('iamUser', true, `IAM user ${identity.userName ?? identity.arn ?? '?'} signed this ${how}.`);
    }
    const issuer = findIssuer(scope, identity, record.eventTime);
    if (!issuer || visited.has(issuer.details.eventID ?? `${issuer.details.uri}#${issuer.details.index}`)) {
      if (identity.type === 'IAMUser') {
        return finish(
          'iamUser',
          true,
          `IAM user ${identity.userName ?? identity.arn ?? '?'} used temporary credentials ${identity.accessKeyId ?? ''} issued to it (console sign-in or GetSessionToken outside these logs).`,
        );
      }
      return finish('unresolved', false, leavesLogs(scope, identity));
    }
    visited.add(issuer.details.eventID ?? `${issuer.details.uri}#${issuer.details.index}`);
    step.issuedBy = issuer.details;
    step.matchedBy = issuer.matchedBy;
    const issuing = issuer.details;
    if (issuing.eventName === 'AssumeRoleWithSAML') {
      const handout = identityCenterHandout(scope, issuing);
      if (handout) {
        steps.push({
          identity: issuing.identity,
          name: identityName(issuing.identity),
          label: identityLabel(issuing.identity),
          seenIn: issuing,
          issuedBy: handout,
          matchedBy: 'permission set, account and time of IAM Identity Center GetRoleCredentials',
        });
        record = handout;
        identity = handout.identity;
        continue;
      }
      if (identityCenterPermissionSet(issuing.request.roleArn) !== undefined) {
        record = issuing;
        identity = issuing.identity;
        steps.push({ identity, name: identityName(identity), label: identityLabel(identity), seenIn: record });
        return finish(
          'samlUser',
          true,
          `IAM Identity Center federated ${identity.userName ?? '?'} into this role; its GetRoleCredentials event (sso.amazonaws.com, in the Identity Center account's trail) is not in ${describeCoverage(scope)}.`,
        );
      }
    }
    record = issuing;
    identity = issuing.identity;
  }
  return finish('unresolved', false, `The trail is longer than ${MAX_HOPS} hops; it stops here.`);
}

/** Why the event that issued an identity's credentials is not found, and where it would be. */
function leavesLogs(scope: LinkScope, identity: IdentityDetails): string {
  const where = describeCoverage(scope);
  const sought = identity.accessKeyId
    ? `the event that issued access key ${identity.accessKeyId}`
    : `the event that started session ${identity.arn ?? identity.principalId ?? '?'}`;
  const permissionSet = identityCenterPermissionSet(identity.arn ? splitAssumedRoleArn(identity.arn)?.role : undefined);
  const roleAccount = identity.arn?.split(':')[4];
  if (permissionSet !== undefined) {
    return `${sought} is not in ${where}. This is an IAM Identity Center session (permission set ${permissionSet}): its AssumeRoleWithSAML is in the trail of account ${roleAccount ?? '?'}, and the sign-in in the Identity Center account's trail.`;
  }
  if (identity.arn && splitAssumedRoleArn(identity.arn)?.session.startsWith('i-')) {
    return `${sought} is not in ${where}. The session is named after an EC2 instance: the instance profile's credentials are issued by ec2.amazonaws.com (AssumeRole by the service) in account ${roleAccount ?? '?'}.`;
  }
  return `${sought} is not in ${where}. It is logged in the trail of account ${roleAccount ?? '?'} (the role's account) and, for a cross-account call, in the caller's; it may also be older than the logs at hand.`;
}

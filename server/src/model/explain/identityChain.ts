/**
 * `userIdentity` as one readable chain: "role CertManager, session alice, assumed in account
 * 111122223333, MFA no, console session". The result is plain text built from log values; the
 * hover escapes it like any other log text.
 */
import { arnResourceName, describeIdentityType, nonEmpty, splitAssumedRoleArn } from '../identity';
import { JsonView, NO_NODE } from '../json/nodeTable';
import { parseArn } from './arn';
import { wholeScalar } from './boundedRead';
import { serviceForHostName } from './services';

export interface IdentityChain {
  /** The whole chain, parts joined with ", ". */
  text: string;
  parts: string[];
  type?: string;
  /** Whether the credentials were long-term keys, temporary ones, or unknown. */
  credentials?: 'long-term' | 'temporary';
  mfa?: boolean;
  consoleSession: boolean;
}

function str(view: JsonView, node: number, name: string): string | undefined {
  const value = wholeScalar(view, view.property(node, name));
  if (typeof value === 'string') {
    return value === '' ? undefined : value;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function accountOf(arn: string | undefined): string | undefined {
  return arn ? nonEmpty(parseArn(arn)?.account) : undefined;
}

/** Long-term keys start with AKIA, temporary (STS) keys with ASIA. */
export function accessKeyKind(accessKeyId: string | undefined): 'long-term' | 'temporary' | undefined {
  if (!accessKeyId) return undefined;
  if (accessKeyId.startsWith('AKIA')) return 'long-term';
  if (accessKeyId.startsWith('ASIA')) return 'temporary';
  return undefined;
}

/**
 * Builds the chain for the `userIdentity` object `identity` of the record `record` (the record
 * gives `sessionCredentialFromConsole`).
 */
export function identityChain(view: JsonView, identity: number, record: number = NO_NODE): IdentityChain {
  const consoleValue = record === NO_NODE ? undefined : wholeScalar(view, view.property(record, 'sessionCredentialFromConsole'));
  const consoleSession = consoleValue === 'true' || consoleValue === true;
  if (identity === NO_NODE) {
    return { text: 'no identity recorded', parts: ['no identity recorded'], consoleSession };
  }
  const type = str(view, identity, 'type');
  const arn = str(view, identity, 'arn');
  const accountId = str(view, identity, 'accountId');
  const principalId = str(view, identity, 'principalId');
  const userName = str(view, identity, 'userName');
  const invokedBy = str(view, identity, 'invokedBy');
  const accessKeyId = str(view, identity, 'accessKeyId');
  const context = view.property(identity, 'sessionContext');
  const issuer = context === NO_NODE ? NO_NODE : view.property(context, 'sessionIssuer');
  const attributes = context === NO_NODE ? NO_NODE : view.property(context, 'attributes');
  const webIdentity = context === NO_NODE ? NO_NODE : view.property(context, 'webIdFederationData');
  const mfaText = attributes === NO_NODE ? undefined : str(view, attributes, 'mfaAuthenticated');
  const mfa = mfaText === 'true' ? true : mfaText === 'false' ? false : undefined;
  const sourceIdentity = context === NO_NODE ? undefined : str(view, context, 'sourceIdentity');
  const ec2RoleDelivery = context === NO_NODE ? undefined : str(view, context, 'ec2RoleDelivery');
  const assumedRoot = context === NO_NODE ? undefined : str(view, context, 'assumedRoot');

  const parts: string[] = [];
  const issuerName = issuer === NO_NODE ? undefined : str(view, issuer, 'userName');
  const issuerArn = issuer === NO_NODE ? undefined : str(view, issuer, 'arn');
  const issuerAccount = issuer === NO_NODE ? undefined : str(view, issuer, 'accountId');
  const assumed = arn ? splitAssumedRoleArn(arn) : undefined;

  switch (type) {
    case 'Root':
      parts.push(`root user of account ${accountId ?? accountOf(arn) ?? 'unknown'}`);
      break;
    case 'IAMUser':
      parts.push(`IAM user ${userName ?? (arn ? arnResourceName(arn) : (principalId ?? 'unknown'))}`);
      if (accountId ?? accountOf(arn)) parts.push(`in account ${accountId ?? accountOf(arn)}`);
      break;
    case 'AssumedRole': {
      const role = issuerName ?? assumed?.role ?? (issuerArn ? arnResourceName(issuerArn) : undefined) ?? principalId?.split(':')[0] ?? 'unknown';
      parts.push(`role ${role}`);
      const session = assumed?.session ?? principalId?.split(':').slice(1).join(':');
      if (session) parts.push(`session ${session}`);
      const account = issuerAccount ?? accountOf(issuerArn) ?? accountOf(arn) ?? accountId;
      if (account) parts.push(`assumed in account ${account}`);
      if (accountId && account && accountId !== account) parts.push(`credentials of account ${accountId}`);
      break;
    }
    case 'Role':
      parts.push(`role ${userName ?? (arn ? arnResourceName(arn) : (principalId ?? 'unknown'))}`);
      if (accountId ?? accountOf(arn)) parts.push(`in account ${accountId ?? accountOf(arn)}`);
      break;
    case 'FederatedUser': {
      const name = arn ? arnResourceName(arn) : principalId?.split(':').slice(1).join(':');
      parts.push(`federated user ${name ?? 'unknown'}`);
      if (issuerName || issuerArn) parts.push(`issued by ${issuerName ?? arnResourceName(issuerArn ?? '')}`);
      if (accountId ?? accountOf(arn)) parts.push(`in account ${accountId ?? accountOf(arn)}`);
      break;
    }
    case 'AWSService':
      parts.push(`the AWS service ${invokedBy ? (serviceForHostName(invokedBy)?.name ?? invokedBy) : 'unknown'}`);
      break;
    case 'AWSAccount':
      parts.push(`another AWS account ${accountId ?? principalId ?? 'unknown'}`);
      break;
    case 'IdentityCenterUser': {
      const onBehalfOf = view.property(identity, 'onBehalfOf');
      const userId = onBehalfOf === NO_NODE ? undefined : str(view, onBehalfOf, 'userId');
      parts.push(`IAM Identity Center user ${userName ?? userId ?? principalId ?? 'unknown'}`);
      if (accountId) parts.push(`in account ${accountId}`);
      break;
    }
    case 'SAMLUser':
    case 'WebIdentityUser': {
      const provider = str(view, identity, 'identityProvider');
      parts.push(`${describeIdentityType(type)} ${userName ?? principalId ?? 'unknown'}`);
      if (provider) parts.push(`via ${provider}`);
      break;
    }
    case 'Unknown':
      parts.push(principalId === 'anonymous' ? 'an anonymous caller' : `an unidentified caller${principalId ? ` (principal ${principalId})` : ''}`);
      if (accountId) parts.push(`for account ${accountId}`);
      break;
    default: {
      if (type) {
        parts.push(`${describeIdentityType(type)} ${userName ?? (arn ? arnResourceName(arn) : (principalId ?? ''))}`.trim());
      } else if (invokedBy) {
        parts.push(`the AWS service ${serviceForHostName(invokedBy)?.name ?? invokedBy}`);
      } else if (arn) {
        parts.push(arnResourceName(arn));
      } else {
        parts.push(principalId ? `principal ${principalId}` : 'a caller of no recorded type');
      }
      if (accountId) parts.push(`in account ${accountId}`);
    }
  }

  if (webIdentity !== NO_NODE) {
    const provider = str(view, webIdentity, 'federatedProvider');
    if (provider) parts.push(`federated through ${provider}`);
  }
  if (sourceIdentity) parts.push(`source identity ${sourceIdentity}`);
  if (invokedBy && type !== 'AWSService' && !(type === undefined && parts[0]?.startsWith('the AWS service'))) {
    parts.push(`through ${serviceForHostName(invokedBy)?.name ?? invokedBy}`);
  }
  if (mfa !== undefined) parts.push(`MFA ${mfa ? 'yes' : 'no'}`);
  if (assumedRoot === 'true') parts.push('centralized root session');
  if (ec2RoleDelivery)
    parts.push(`EC2 instance credentials (${ec2RoleDelivery === '2.0' ? 'IMDSv2' : ec2RoleDelivery === '1.0' ? 'IMDSv1' : `delivery ${ec2RoleDelivery}`})`);
  const credentials = accessKeyKind(accessKeyId) ?? (context !== NO_NODE ? 'temporary' : undefined);
  if (consoleSession) {
    parts.push('console session');
  } else if (credentials === 'long-term') {
    parts.push('long-term access key');
  } else if (credentials === 'temporary' && type !== 'AssumedRole') {
    parts.push('temporary credentials');
  }
  return { text: parts.join(', '), parts, type, credentials, mfa, consoleSession };
}

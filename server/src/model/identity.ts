import { JsonView, NO_NODE } from './nodeTable';

/** Who made a call, reduced to what grouping and labels need. */
export interface IdentitySummary {
  type?: string;
  arn?: string;
  principalId?: string;
  accountId?: string;
  userName?: string;
  invokedBy?: string;
  /** The access key the call was signed with (AKIA... long-term, ASIA... temporary). */
  accessKeyId?: string;
  /** For assumed roles: the role that was assumed. */
  sessionIssuerArn?: string;
  sessionIssuerName?: string;
  /** For assumed roles: the session name, the last part of the assumed-role ARN. */
  sessionName?: string;
  /** The principal's grouping key: the ARN, else invokedBy, else `type:principalId`, else "(no identity)". */
  key: string;
  /** A short readable name: "alice (IAM user)", "role CertManager / session bob". */
  label: string;
}

export const NO_IDENTITY = '(no identity)';

const TYPE_NAMES: Record<string, string> = {
  Root: 'root user',
  IAMUser: 'IAM user',
  AssumedRole: 'assumed role',
  Role: 'role',
  FederatedUser: 'federated user',
  Directory: 'directory user',
  AWSAccount: 'AWS account',
  AWSService: 'AWS service',
  IdentityCenterUser: 'Identity Center user',
  SAMLUser: 'SAML user',
  WebIdentityUser: 'web identity user',
  Unknown: 'unknown identity',
};

/** A readable name for a `userIdentity.type` value. */
export function describeIdentityType(type: string | undefined): string | undefined {
  return type === undefined ? undefined : (TYPE_NAMES[type] ?? type);
}

/** The last path segment of an ARN's resource, e.g. "alice" for `arn:aws:iam::1:user/alice`. */
export function arnResourceName(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const slash = resource.lastIndexOf('/');
  return slash >= 0 ? resource.slice(slash + 1) : resource;
}

/** For `arn:aws:sts::1:assumed-role/Role/Session`: the role and session names. */
export function splitAssumedRoleArn(arn: string): { role: string; session: string } | undefined {
  const match = /:assumed-role\/(.+)\/([^/]+)$/.exec(arn);
  return match ? { role: match[1].split('/').pop() ?? match[1], session: match[2] } : undefined;
}

/** An empty string in a log says nothing: it reads as absent. */
export function nonEmpty(text: string | undefined): string | undefined {
  return text === '' ? undefined : text;
}

export function summarizeIdentity(view: JsonView, userIdentity: number): IdentitySummary {
  if (userIdentity === NO_NODE) {
    return { key: NO_IDENTITY, label: NO_IDENTITY };
  }
  const summary: IdentitySummary = { key: NO_IDENTITY, label: NO_IDENTITY };
  summary.type = view.stringProperty(userIdentity, 'type');
  summary.arn = nonEmpty(view.stringProperty(userIdentity, 'arn'));
  summary.principalId = nonEmpty(view.stringProperty(userIdentity, 'principalId'));
  summary.accountId = nonEmpty(view.stringProperty(userIdentity, 'accountId'));
  summary.userName = nonEmpty(view.stringProperty(userIdentity, 'userName'));
  summary.invokedBy = nonEmpty(view.stringProperty(userIdentity, 'invokedBy'));
  summary.accessKeyId = nonEmpty(view.stringProperty(userIdentity, 'accessKeyId'));
  const issuer = view.path(userIdentity, 'sessionContext', 'sessionIssuer');
  if (issuer !== NO_NODE) {
    summary.sessionIssuerArn = nonEmpty(view.stringProperty(issuer, 'arn'));
    summary.sessionIssuerName = nonEmpty(view.stringProperty(issuer, 'userName'));
  }
  if (summary.arn) {
    const assumed = splitAssumedRoleArn(summary.arn);
    if (assumed) {
      summary.sessionName = assumed.session;
      summary.sessionIssuerName ??= assumed.role;
    }
  }
  summary.key = identityKey(summary);
  summary.label = identityLabel(summary);
  return summary;
}

function identityKey(identity: IdentitySummary): string {
  if (identity.arn) return identity.arn;
  if (identity.invokedBy) return identity.invokedBy;
  if (identity.type && identity.principalId) return `${identity.type}:${identity.principalId}`;
  return NO_IDENTITY;
}

function identityLabel(identity: IdentitySummary): string {
  const typeName = describeIdentityType(identity.type);
  if (identity.type === 'AssumedRole' || identity.sessionName) {
    const role = identity.sessionIssuerName ?? (identity.arn ? arnResourceName(identity.arn) : identity.principalId);
    return identity.sessionName ? `role ${role} / session ${identity.sessionName}` : `role ${role}`;
  }
  if (identity.type === 'Root') {
    return `root (account ${identity.accountId ?? arnAccount(identity.arn) ?? '?'})`;
  }
  if (identity.arn) {
    const name = identity.userName ?? arnResourceName(identity.arn);
    return typeName ? `${name} (${typeName})` : name;
  }
  if (identity.invokedBy) {
    return `${identity.invokedBy} (AWS service)`;
  }
  if (identity.userName) {
    return typeName ? `${identity.userName} (${typeName})` : identity.userName;
  }
  if (identity.principalId) {
    return typeName ? `${identity.principalId} (${typeName})` : identity.principalId;
  }
  return typeName ?? NO_IDENTITY;
}

/** The account field of an ARN; undefined when it has none. */
export function arnAccount(arn: string | undefined): string | undefined {
  return nonEmpty(arn?.split(':')[4]);
}

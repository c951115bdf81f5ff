import { JsonView, KeyNames, NO_NODE, NodeKind } from './json/nodeTable';
import { RecordWalker } from './recordWalker';

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
  /** For assumed roles: the type of the session's issuer (`Role`, `IAMUser`...), as written; read for the Sigma rules. */
  sessionIssuerType?: string;
  /** For assumed roles: the session name, the last part of the assumed-role ARN. */
  sessionName?: string;
  /** The principal's grouping key: the ARN, else invokedBy, else `type:principalId`, else "(no identity)". */
  key: string;
  /** A short readable name: "alice (IAM user)", "role CertManager / session bob". */
  label: string;
}

export const NO_IDENTITY = '(no identity)';

// A map, not an object: a type written as `constructor` or `__proto__` is a name like any other.
const TYPE_NAMES: ReadonlyMap<string, string> = new Map([
  ['Root', 'root user'],
  ['IAMUser', 'IAM user'],
  ['AssumedRole', 'assumed role'],
  ['Role', 'role'],
  ['FederatedUser', 'federated user'],
  ['Directory', 'directory user'],
  ['AWSAccount', 'AWS account'],
  ['AWSService', 'AWS service'],
  ['IdentityCenterUser', 'Identity Center user'],
  ['SAMLUser', 'SAML user'],
  ['WebIdentityUser', 'web identity user'],
  ['Unknown', 'unknown identity'],
]);

/** A readable name for a `userIdentity.type` value. */
export function describeIdentityType(type: string | undefined): string | undefined {
  return type === undefined ? undefined : (TYPE_NAMES.get(type) ?? type);
}

/** The last path segment of an ARN's resource, e.g. "alice" for `arn:aws:iam::1:user/alice`. */
export function arnResourceName(arn: string): string {
  // The resource is everything after the fifth colon (none: empty).
  let colon = -1;
  for (let field = 0; field < 5; field++) {
    colon = arn.indexOf(':', colon + 1);
    if (colon < 0) return '';
  }
  const slash = arn.lastIndexOf('/');
  return arn.slice((slash > colon ? slash : colon) + 1);
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

const IDENTITY_KEYS = ['type', 'arn', 'principalId', 'accountId', 'userName', 'invokedBy', 'accessKeyId', 'sessionContext', 'onBehalfOf'] as const;
/** The summary's own names (onBehalfOf is only looked for when a walker is told the properties). */
const SUMMARY_FIELD_COUNT = IDENTITY_KEYS.indexOf('onBehalfOf');
const IDENTITY_KEY_NAMES = new KeyNames(IDENTITY_KEYS.slice(0, SUMMARY_FIELD_COUNT));
const WALKED_IDENTITY_KEY_NAMES = new KeyNames(IDENTITY_KEYS);

/** The nodes of the summary's IDENTITY_KEYS in the identity being read (one at a time: no list per event). */
const identityFields = new Int32Array(SUMMARY_FIELD_COUNT);

/** Who made the call, from a userIdentity object; a `walker` is told the properties it asks about (see RecordWalker). */
export function summarizeIdentity(view: JsonView, userIdentity: number, walker?: RecordWalker): IdentitySummary {
  if (userIdentity === NO_NODE) {
    return { key: NO_IDENTITY, label: NO_IDENTITY };
  }
  // One walk over the properties (this runs for every event of a folder); a name written twice
  // gives its last value, as `property` does.
  const found = identityFields.fill(NO_NODE);
  if (view.kind(userIdentity) === NodeKind.Object) {
    const names = walker ? WALKED_IDENTITY_KEY_NAMES : IDENTITY_KEY_NAMES;
    const next = view.table.next;
    const stop = next[userIdentity];
    for (let child = userIdentity + 1; child < stop; child = next[child]) {
      const key = view.keyIndexIn(child, names);
      if (key < 0) continue;
      if (key < SUMMARY_FIELD_COUNT) found[key] = child;
      if (walker) {
        const name = IDENTITY_KEYS[key];
        if (name === 'arn' || name === 'principalId' || name === 'accessKeyId' || name === 'sessionContext' || name === 'onBehalfOf') {
          walker.identityProperty(name, child);
        }
      }
    }
  }
  const summary: IdentitySummary = { key: NO_IDENTITY, label: NO_IDENTITY };
  summary.type = view.string(found[0]);
  summary.arn = nonEmpty(view.string(found[1]));
  summary.principalId = nonEmpty(view.string(found[2]));
  summary.accountId = nonEmpty(view.string(found[3]));
  summary.userName = nonEmpty(view.string(found[4]));
  summary.invokedBy = nonEmpty(view.string(found[5]));
  summary.accessKeyId = nonEmpty(view.string(found[6]));
  const issuer = found[7] === NO_NODE ? NO_NODE : view.property(found[7], 'sessionIssuer');
  if (issuer !== NO_NODE) {
    summary.sessionIssuerArn = nonEmpty(view.stringProperty(issuer, 'arn'));
    summary.sessionIssuerName = nonEmpty(view.stringProperty(issuer, 'userName'));
    summary.sessionIssuerType = view.stringProperty(issuer, 'type');
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

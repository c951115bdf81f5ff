// How the Events view groups identities, written out again from JSON.parse's view of the records
// (not with the model's readers), for tests to compare the model against.

type Json = Record<string, unknown>;

/** The key of a principal: its ARN, else invokedBy, else type and principalId. */
export function identityKeyOf(identity: Json | undefined): string {
  if (!identity) return '(no identity)';
  if (identity.arn) return identity.arn as string;
  if (identity.invokedBy) return identity.invokedBy as string;
  if (identity.type && identity.principalId) return `${identity.type as string}:${identity.principalId as string}`;
  return '(no identity)';
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The identity a record is grouped under: a record whose userIdentity has no arn (nor invokedBy)
 * takes the identity of the one principal with an arn that has its principalId (same account) or
 * its accessKeyId; with none or several, its own.
 */
export function groupedIdentities(records: Json[]): (Json | undefined)[] {
  const holders = new Map<string, Map<string, Json>>();
  const hold = (tie: string, identity: Json): void => {
    const principals = holders.get(tie) ?? new Map<string, Json>();
    principals.set(identityKeyOf(identity), identity);
    holders.set(tie, principals);
  };
  for (const record of records) {
    const identity = record.userIdentity as Json | undefined;
    const arn = text(identity?.arn);
    if (!identity || !arn) continue;
    const account = text(identity.accountId) ?? text(arn.split(':')[4]);
    if (text(identity.principalId) && account) hold(`principal ${account} ${String(identity.principalId)}`, identity);
    if (text(identity.accessKeyId)) hold(`key ${String(identity.accessKeyId)}`, identity);
  }
  return records.map((record) => {
    const identity = record.userIdentity as Json | undefined;
    if (!identity || text(identity.arn) || text(identity.invokedBy)) return identity;
    const found = new Map<string, Json>();
    const principalId = text(identity.principalId);
    const account = text(identity.accountId);
    const accessKeyId = text(identity.accessKeyId);
    for (const [key, holder] of [
      ...(principalId && account ? (holders.get(`principal ${account} ${principalId}`) ?? []) : []),
      ...(accessKeyId ? (holders.get(`key ${accessKeyId}`) ?? []) : []),
    ])
      found.set(key, holder);
    return found.size === 1 ? [...found.values()][0] : identity;
  });
}

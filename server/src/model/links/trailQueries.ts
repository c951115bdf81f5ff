/**
 * The questions the editor and the command line ask of a scope: where a value is referenced,
 * where it was defined (issued, created, or logged by the other account), and which events are
 * related to one event.
 */
import { splitAssumedRoleArn } from '../identity';
import { creatingEvent } from './lifecycle';
import { LinkKind, LinkRole } from './linkFacts';
import { compareHits, LinkHit, LinkScope, withRole } from './linkStore';
import { RecordDetails, TextRange } from './recordDetails';

export interface LinkTarget {
  uri: string;
  index: number;
  /** The range a location points at. */
  range: TextRange;
  details?: RecordDetails;
}

/** Where a value was defined: one place, or several when the logs hold more than one candidate. */
export function definitionsOf(scope: LinkScope, kind: LinkKind, value: string, from: { uri: string; index: number; eventTime?: string }): LinkTarget[] {
  let candidates: LinkHit[];
  let definingRole: LinkRole = LinkRole.issued;
  switch (kind) {
    case LinkKind.accessKey:
    case LinkKind.principalId:
      candidates = withRole(scope.hits(kind, value), LinkRole.issued);
      break;
    case LinkKind.arn: {
      if (splitAssumedRoleArn(value) || value.includes(':federated-user/')) {
        candidates = withRole(scope.hits(kind, value), LinkRole.issued);
      } else {
        const made = creatingEvent(scope, value);
        candidates = made ? [made] : [];
        definingRole = LinkRole.created;
      }
      break;
    }
    case LinkKind.sharedEventId: {
      const self = scope.hits(kind, value).find((hit) => hit.uri === from.uri && hit.index === from.index);
      const selfAccount = self ? scope.details(self)?.recipientAccountId : undefined;
      candidates = scope.hits(kind, value).filter((hit) => !(hit.uri === from.uri && hit.index === from.index));
      if (selfAccount !== undefined) {
        const otherAccount = candidates.filter((hit) => scope.details(hit)?.recipientAccountId !== selfAccount);
        if (otherAccount.length > 0) candidates = otherAccount;
      }
      definingRole = LinkRole.request;
      break;
    }
    default:
      return [];
  }
  const targets: LinkTarget[] = [];
  for (const hit of candidates) {
    const details = scope.details(hit);
    const exact = details?.values.find((v) => v.kind === kind && v.value === value && v.role === definingRole);
    targets.push({ uri: hit.uri, index: hit.index, range: exact?.range ?? hit.anchor, ...(details ? { details } : {}) });
  }
  return targets;
}

export interface RelatedEvent {
  hit: LinkHit;
  /** Which of the event's values ties the two: "access key ASIA...", "session ...", "resource ...". */
  through: string;
}

/** The values of a record that relate other events to it, most telling first. */
export function relatingValues(details: RecordDetails): { kind: LinkKind; value: string; through: string }[] {
  const out: { kind: LinkKind; value: string; through: string }[] = [];
  const add = (kind: LinkKind, value: string | undefined, through: string): void => {
    if (value && !out.some((o) => o.kind === kind && o.value === value)) out.push({ kind, value, through });
  };
  add(LinkKind.accessKey, details.identity.accessKeyId, 'access key');
  const arn = details.identity.arn;
  if (arn && splitAssumedRoleArn(arn)) add(LinkKind.arn, arn, 'session');
  for (const value of details.values) {
    if (value.role === LinkRole.issued && value.kind !== LinkKind.principalId)
      add(value.kind, value.value, value.kind === LinkKind.accessKey ? 'issued key' : 'issued session');
  }
  for (const value of details.values) {
    if (value.kind === LinkKind.arn && (value.role === LinkRole.target || value.role === LinkRole.created)) add(LinkKind.arn, value.value, 'resource');
  }
  for (const value of details.values) {
    if (value.kind === LinkKind.sharedEventId || value.kind === LinkKind.requestId)
      add(value.kind, value.value, value.kind === LinkKind.sharedEventId ? 'shared event' : 'request');
  }
  return out;
}

/** Events tied to `details` by its key, session, resources or request, in time order, itself left out. */
export function relatedEvents(scope: LinkScope, details: RecordDetails, limit = 2000): RelatedEvent[] {
  const seen = new Set<string>([`${details.index}\u0000${details.uri}`]);
  const out: RelatedEvent[] = [];
  for (const { kind, value, through } of relatingValues(details)) {
    for (const hit of scope.hits(kind, value)) {
      const key = `${hit.index}\u0000${hit.uri}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ hit, through: `${through} ${value}` });
      if (out.length >= limit) break;
    }
  }
  return out.sort((a, b) => compareHits(a.hit, b.hit));
}

/**
 * What happened to a resource, in time order, from the events that name its ARN: made, changed,
 * tagged, read, used by another service, deleted. One reading of event names serves every
 * resource; ACM certificates get their own stages (requested, imported, exported, renewed,
 * revoked...) from the ACM API's operations.
 */
import { LinkKind, LinkRole } from './linkFacts';
import { LinkHit, LinkScope } from './linkStore';

export interface LifecycleEntry {
  hit: LinkHit;
  /** "requested", "tagged", "used by elasticloadbalancing.amazonaws.com"... */
  stage: string;
  failed: boolean;
}

const ACM_STAGES: Readonly<Record<string, string>> = {
  RequestCertificate: 'requested',
  ImportCertificate: 'imported',
  ExportCertificate: 'exported',
  RenewCertificate: 'renewal asked for',
  ResendValidationEmail: 'validation email sent again',
  AddTagsToCertificate: 'tagged',
  RemoveTagsFromCertificate: 'tags removed',
  UpdateCertificateOptions: 'options changed',
  DescribeCertificate: 'described (status read)',
  GetCertificate: 'certificate read',
  ListTagsForCertificate: 'tags read',
  RevokeCertificate: 'revoked',
  DeleteCertificate: 'deleted',
};

/** Verbs that start an event name, and the stage they stand for, longest first where they overlap. */
const VERB_STAGES: readonly [string, string][] = [
  ['Create', 'created'],
  ['Request', 'requested'],
  ['Import', 'imported'],
  ['Register', 'registered'],
  ['Allocate', 'allocated'],
  ['Run', 'launched'],
  ['Copy', 'copied'],
  ['Delete', 'deleted'],
  ['Deregister', 'deregistered'],
  ['Terminate', 'terminated'],
  ['Revoke', 'revoked'],
  ['Release', 'released'],
  ['Untag', 'tags removed'],
  ['RemoveTags', 'tags removed'],
  ['AddTags', 'tagged'],
  ['Tag', 'tagged'],
  ['Attach', 'attached'],
  ['Associate', 'associated'],
  ['Detach', 'detached'],
  ['Disassociate', 'disassociated'],
  ['Update', 'changed'],
  ['Modify', 'changed'],
  ['Put', 'changed'],
  ['Set', 'changed'],
  ['Enable', 'enabled'],
  ['Disable', 'disabled'],
  ['Start', 'started'],
  ['Stop', 'stopped'],
  ['Describe', 'read'],
  ['Get', 'read'],
  ['List', 'listed'],
  ['Head', 'read'],
];

/** Verbs whose event, when its response names an ARN, made that resource. */
const MAKING_VERBS = ['Create', 'Request', 'Import', 'Register', 'Allocate', 'Run', 'Copy', 'Issue', 'Generate'];

export function makesResource(eventName: string | undefined): boolean {
  return eventName !== undefined && MAKING_VERBS.some((verb) => eventName.startsWith(verb));
}

/** The owning service of an ARN: `acm` for `arn:aws:acm:...`. */
export function arnService(arn: string): string | undefined {
  return arn.split(':')[2] || undefined;
}

function stageOf(hit: LinkHit, resourceService: string | undefined): string {
  const name = hit.eventName ?? '';
  const source = hit.eventSource ?? '';
  const ownService = resourceService !== undefined && source.startsWith(`${resourceService}.`);
  if (ownService && resourceService === 'acm' && Object.hasOwn(ACM_STAGES, name)) {
    return ACM_STAGES[name];
  }
  const verb = VERB_STAGES.find(([prefix]) => name.startsWith(prefix));
  const stage = verb ? verb[1] : 'named';
  if (hit.roles.includes(LinkRole.caller) || hit.roles.includes(LinkRole.callerRole)) {
    return `acted: ${name || 'an event'}`;
  }
  return ownService || resourceService === undefined
    ? stage
    : `${stage === 'read' || stage === 'listed' ? 'looked at' : 'used'} by ${source || 'another service'} (${name})`;
}

/** The life of the resource `arn` as the scope tells it, in time order. */
export function resourceLifecycle(scope: LinkScope, arn: string): LifecycleEntry[] {
  const service = arnService(arn);
  return scope.hits(LinkKind.arn, arn).map((hit) => ({ hit, stage: stageOf(hit, service), failed: hit.errorCode !== undefined }));
}

/** The event that made the resource: the first successful making event whose response names it. */
export function creatingEvent(scope: LinkScope, arn: string): LinkHit | undefined {
  return scope.hits(LinkKind.arn, arn).find((hit) => hit.errorCode === undefined && hit.roles.includes(LinkRole.created) && makesResource(hit.eventName));
}

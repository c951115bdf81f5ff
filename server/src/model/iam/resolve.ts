/**
 * From a CloudTrail event to the IAM actions its call needed: the curated differences of
 * `eventMappings.ts`, then the plain rule (host prefix and eventName), then the dated names some
 * services log (`CreateFunction20150331`, `PublishFunction2020_05_31`). An event none of these
 * resolves to an existing action is unknown; nothing is guessed.
 */
import {
  ACTIONS_BY_EVENT,
  APIGATEWAY_METHOD_BY_VERB,
  EVENTS_WITHOUT_ACTION,
  IAM_PREFIX_BY_EVENT_SOURCE,
  NO_PERMISSION_EVENT_TYPES,
  NO_PERMISSION_EVENTS,
  PERMISSION_ONLY_ACTIONS,
} from './eventMappings';
import { iamActionInfo, IamActionInfo } from './iamData';
import { eventSourcePrefix, MAX_NAME_LENGTH, undatedOperationName } from './names';

export { eventSourcePrefix, undatedOperationName } from './names';

export type IamResolution = { kind: 'actions'; actions: IamActionInfo[] } | { kind: 'no-permission'; reason: string } | { kind: 'unknown' };

const UNKNOWN: IamResolution = { kind: 'unknown' };

const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

/** The IAM prefix of the service behind an eventSource (`monitoring.amazonaws.com` -> `cloudwatch`). */
export function iamPrefixForEventSource(eventSource: string): string | undefined {
  const prefix = eventSourcePrefix(eventSource);
  return prefix === undefined ? undefined : (own(IAM_PREFIX_BY_EVENT_SOURCE, prefix) ?? prefix);
}

/** Whether real logs are known to hold this event although the IAM data has no action for it. */
export function isEventWithoutAction(eventSource: string, eventName: string): boolean {
  const prefix = eventSourcePrefix(eventSource);
  return prefix !== undefined && (own(EVENTS_WITHOUT_ACTION, prefix)?.includes(eventName) ?? false);
}

/**
 * When `eventName` is an IAM permission that no API carries (iam:PassRole), the action and where
 * it is checked instead. Without an eventSource the name is looked up in every service.
 */
export function permissionOnlyAction(eventSource: string | undefined, eventName: string): { action: string; checkedWhere: string } | undefined {
  const prefixes = eventSource === undefined ? Object.keys(PERMISSION_ONLY_ACTIONS) : [iamPrefixForEventSource(eventSource)];
  for (const prefix of prefixes) {
    const listed = prefix === undefined ? undefined : own(PERMISSION_ONLY_ACTIONS, prefix);
    const checkedWhere = listed && own(listed, eventName);
    if (prefix !== undefined && checkedWhere !== undefined) {
      return { action: `${prefix}:${eventName}`, checkedWhere };
    }
  }
  return undefined;
}

function actionsOf(names: readonly string[]): IamResolution {
  const actions: IamActionInfo[] = [];
  for (const name of names) {
    const info = iamActionInfo(name);
    if (!info) {
      return UNKNOWN;
    }
    actions.push(info);
  }
  return { kind: 'actions', actions };
}

function single(action: string): IamResolution | undefined {
  const info = iamActionInfo(action);
  return info ? { kind: 'actions', actions: [info] } : undefined;
}

/**
 * The IAM actions a CloudTrail event's call needed, or why it needed none, or that the data does
 * not know it. `eventType`, when given, recognises records that no caller made (service events,
 * Insights, console sign-ins). The answer is shared between callers: read it, do not change it.
 */
export function resolveIamActions(eventSource: string, eventName: string, eventType?: string): IamResolution {
  const key = `${eventSource}\u0000${eventName}\u0000${eventType ?? ''}`;
  const known = remembered.get(key);
  if (known !== undefined) {
    return known;
  }
  const resolution = resolve(eventSource, eventName, eventType);
  if (remembered.size < MAX_REMEMBERED && key.length <= 3 * MAX_NAME_LENGTH) {
    remembered.set(key, resolution);
  }
  return resolution;
}

/**
 * Resolutions already worked out: a log repeats the same few hundred calls, and hovers, the tree
 * and the command line ask for each many times. The answers are shared, so they are not to be
 * changed by whoever receives them.
 */
const remembered = new Map<string, IamResolution>();
/** Distinct events remembered; past this (a log full of invented names) they are worked out each time. */
const MAX_REMEMBERED = 20_000;

function resolve(eventSource: string, eventName: string, eventType: string | undefined): IamResolution {
  const source = eventSourcePrefix(eventSource);
  const typeReason = eventType === undefined ? undefined : own(NO_PERMISSION_EVENT_TYPES, eventType);
  if (source === undefined || eventName.length === 0 || eventName.length > MAX_NAME_LENGTH) {
    return typeReason === undefined ? UNKNOWN : { kind: 'no-permission', reason: typeReason };
  }
  const listed = own(ACTIONS_BY_EVENT, source);
  const mapped = listed && own(listed, eventName);
  if (mapped) {
    return actionsOf(mapped);
  }
  const exempt = own(NO_PERMISSION_EVENTS, source);
  const reason = exempt && own(exempt, eventName);
  if (reason !== undefined) {
    return { kind: 'no-permission', reason };
  }
  if (typeReason !== undefined) {
    return { kind: 'no-permission', reason: typeReason };
  }
  const prefix = own(IAM_PREFIX_BY_EVENT_SOURCE, source) ?? source;
  const direct = single(`${prefix}:${eventName}`);
  if (direct) {
    return direct;
  }
  const undated = undatedOperationName(eventName);
  if (undated !== eventName) {
    const dated = own(listed ?? {}, undated);
    const resolved = dated ? actionsOf(dated) : single(`${prefix}:${undated}`);
    if (resolved) {
      return resolved;
    }
  }
  if (prefix === 'apigateway') {
    const verb = /^[A-Z][a-z]+/.exec(eventName);
    const method = verb ? own(APIGATEWAY_METHOD_BY_VERB, verb[0]) : undefined;
    if (method !== undefined) {
      return actionsOf([method]);
    }
  }
  return UNKNOWN;
}

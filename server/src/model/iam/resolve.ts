/**
 * From a CloudTrail event to the IAM actions its call needed: the curated differences of
 * `eventMappings.ts`, then the plain rule (host prefix and eventName), then the dated names some
 * services log (`CreateFunction20150331`, `PublishFunction2020_05_31`). An event none of these
 * resolves to an existing action is unknown; nothing is guessed.
 */
import {
  ACTIONS_BY_EVENT,
  APIGATEWAY_METHOD_BY_VERB,
  IAM_PREFIX_BY_EVENT_SOURCE,
  NO_PERMISSION_EVENT_TYPES,
  NO_PERMISSION_EVENTS,
} from './eventMappings';
import { iamActionInfo, IamActionInfo } from './iamData';

export type IamResolution = { kind: 'actions'; actions: IamActionInfo[] } | { kind: 'no-permission'; reason: string } | { kind: 'unknown' };

const UNKNOWN: IamResolution = { kind: 'unknown' };
const SUFFIX = '.amazonaws.com';
/** Longer names are not AWS operation names; they are not looked at. */
const MAX_NAME_LENGTH = 128;

const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

/** `ec2` for `ec2.amazonaws.com`; undefined for anything that is not an AWS service host. */
export function eventSourcePrefix(eventSource: string): string | undefined {
  if (eventSource.length > MAX_NAME_LENGTH || !eventSource.endsWith(SUFFIX)) {
    return undefined;
  }
  const prefix = eventSource.slice(0, -SUFFIX.length);
  return /^[a-z0-9][a-z0-9.-]*$/.test(prefix) ? prefix : undefined;
}

/** The IAM prefix of the service behind an eventSource (`monitoring.amazonaws.com` -> `cloudwatch`). */
export function iamPrefixForEventSource(eventSource: string): string | undefined {
  const prefix = eventSourcePrefix(eventSource);
  return prefix === undefined ? undefined : own(IAM_PREFIX_BY_EVENT_SOURCE, prefix) ?? prefix;
}

/**
 * The operation name behind a dated event name: Lambda and CloudFront log the API version they
 * were called with (`CreateFunction20150331`, `GetFunction20150331v2`, `PublishFunction2020_05_31`).
 */
export function undatedOperationName(eventName: string): string {
  const match = /^([A-Za-z]+?)(?:\d{8}|\d{4}_\d{2}_\d{2})(?:v\d{1,2})?$/.exec(eventName.length <= MAX_NAME_LENGTH ? eventName : '');
  return match ? match[1] : eventName;
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
 * Insights, console sign-ins).
 */
export function resolveIamActions(eventSource: string, eventName: string, eventType?: string): IamResolution {
  const source = eventSourcePrefix(eventSource);
  if (source === undefined || eventName.length === 0 || eventName.length > MAX_NAME_LENGTH) {
    return eventType !== undefined && own(NO_PERMISSION_EVENT_TYPES, eventType) !== undefined
      ? { kind: 'no-permission', reason: own(NO_PERMISSION_EVENT_TYPES, eventType) ?? '' }
      : UNKNOWN;
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
  const typeReason = eventType === undefined ? undefined : own(NO_PERMISSION_EVENT_TYPES, eventType);
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

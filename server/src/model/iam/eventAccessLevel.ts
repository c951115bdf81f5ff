/**
 * One access level per event, for grouping, filtering and counting: the IAM access level of the
 * actions its call needed (the strongest of several), or that it needs no IAM permission, or that
 * the data does not know it.
 */
import { EventAccessLevel, NO_IAM_PERMISSION, NOT_KNOWN } from './accessLevels';
import { strongestAccessLevel } from './iamData';
import { resolveIamActions } from './resolve';

export function eventAccessLevel(eventSource: string | undefined, eventName: string | undefined, eventType?: string): EventAccessLevel {
  if (eventSource === undefined || eventName === undefined) {
    return NOT_KNOWN;
  }
  const resolution = resolveIamActions(eventSource, eventName, eventType);
  if (resolution.kind === 'no-permission') {
    return NO_IAM_PERMISSION;
  }
  return resolution.kind === 'unknown' ? NOT_KNOWN : (strongestAccessLevel(resolution.actions) ?? NOT_KNOWN);
}

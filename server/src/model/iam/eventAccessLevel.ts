/**
 * One access level per event, for grouping, filtering and counting: the IAM access level of the
 * actions its call needed (the strongest of several), or that it needs no IAM permission, or that
 * the data does not know it. Memoised per (eventSource, eventName, eventType), since a log repeats
 * the same few hundred calls.
 */
import { EventAccessLevel, NO_IAM_PERMISSION, NOT_KNOWN } from './accessLevels';
import { strongestAccessLevel } from './iamData';
import { resolveIamActions } from './resolve';

/** Distinct events remembered; a log with more distinct names than this is resolved again past it. */
const MAX_REMEMBERED = 20_000;
const remembered = new Map<string, EventAccessLevel>();

export function eventAccessLevel(eventSource: string | undefined, eventName: string | undefined, eventType?: string): EventAccessLevel {
  if (eventSource === undefined || eventName === undefined) {
    return NOT_KNOWN;
  }
  const key = `${eventSource}\u0000${eventName}\u0000${eventType ?? ''}`;
  const known = remembered.get(key);
  if (known !== undefined) {
    return known;
  }
  const resolution = resolveIamActions(eventSource, eventName, eventType);
  const level: EventAccessLevel =
    resolution.kind === 'no-permission' ? NO_IAM_PERMISSION : resolution.kind === 'unknown' ? NOT_KNOWN : (strongestAccessLevel(resolution.actions) ?? NOT_KNOWN);
  if (remembered.size < MAX_REMEMBERED) {
    remembered.set(key, level);
  }
  return level;
}

/**
 * The names of IAM access levels and of the two states an event can have besides one, with no
 * dependency on the IAM data: the client's filter picker and the protocol use them too.
 */

export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

/** The access levels, from the one that most deserves attention to the least. */
export const ACCESS_LEVEL_ORDER: readonly AccessLevel[] = ['Permissions management', 'Write', 'Tagging', 'Read', 'List'];

export const NO_IAM_PERMISSION = 'No IAM permission';
export const NOT_KNOWN = 'Not known';

export type EventAccessLevel = AccessLevel | typeof NO_IAM_PERMISSION | typeof NOT_KNOWN;

/** Every event access level, in the order they are listed: Permissions management first, not known last. */
export const EVENT_ACCESS_LEVELS: readonly EventAccessLevel[] = [...ACCESS_LEVEL_ORDER, NO_IAM_PERMISSION, NOT_KNOWN];

/** The position of a level in EVENT_ACCESS_LEVELS, for sorting. */
export function eventAccessLevelRank(level: string): number {
  const rank = EVENT_ACCESS_LEVELS.indexOf(level as EventAccessLevel);
  return rank < 0 ? EVENT_ACCESS_LEVELS.length : rank;
}

/**
 * Reads a level as a person types it in a filter: an access level or its first word
 * (`permissions`, `write`), `no permission` / `none`, `unknown` / `not known`; case-insensitive.
 */
export function parseEventAccessLevel(text: string): EventAccessLevel | undefined {
  const wanted = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (wanted === '') {
    return undefined;
  }
  if (wanted === 'none' || wanted === 'no permission' || wanted === NO_IAM_PERMISSION.toLowerCase()) {
    return NO_IAM_PERMISSION;
  }
  if (wanted === 'unknown' || wanted === NOT_KNOWN.toLowerCase()) {
    return NOT_KNOWN;
  }
  return ACCESS_LEVEL_ORDER.find((level) => level.toLowerCase() === wanted || level.toLowerCase().split(' ')[0] === wanted);
}

/**
 * The level an event filter asks for: the canonical name of what was typed, the text itself when
 * it names no level (so that no event matches a typo), or undefined when the filter is blank.
 */
export function accessLevelFilterValue(text: string | undefined): string | undefined {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  return trimmed === '' ? undefined : (parseEventAccessLevel(trimmed) ?? trimmed);
}

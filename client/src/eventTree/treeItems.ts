/**
 * How each node of the Events view looks: label, description, icon, tooltip, command. Plain data,
 * so it is tested without VS Code; eventsView.ts turns it into a TreeItem. Everything taken from
 * a log is written by whoever wrote the log: labels are plain text, and tooltips escape it.
 */
import { showTime } from '../../../server/src/model/explain/time';
import { visibleText } from '../../../server/src/model/text/visibleText';
import { EventGroup, EventRef, NO_IAM_PERMISSION, NOT_KNOWN } from '../../../server/src/protocol';
import { EventNode, fileName, formatCount, GroupNode, MoreNode, PAGE_SIZE, TreeNode } from './eventTreeModel';

export const REVEAL_EVENT_COMMAND = 'cloudtrail.events.revealEvent';
export const SHOW_MORE_COMMAND = 'cloudtrail.events.showMore';

export interface ItemIcon {
  /** A product icon (codicon) id. */
  id: string;
  /** A theme color id. */
  color?: string;
}

export interface ItemDescription {
  id: string;
  label: string;
  description?: string;
  /** Markdown; log values in it are escaped. */
  tooltip: string;
  icon: ItemIcon;
  collapsible: boolean;
  contextValue: string;
  command?: { command: string; title: string; arguments: unknown[] };
  accessibilityLabel: string;
}

const IDENTITY_ICONS: Partial<Record<string, string>> = {
  Root: 'shield',
  IAMUser: 'person',
  AssumedRole: 'account',
  Role: 'organization',
  FederatedUser: 'globe',
  Directory: 'book',
  AWSAccount: 'briefcase',
  AWSService: 'cloud',
  IdentityCenterUser: 'account',
  SAMLUser: 'globe',
  WebIdentityUser: 'globe',
};

const ERROR_COLOR = 'list.errorForeground';
const WARNING_COLOR = 'list.warningForeground';

const PERMISSIONS_MANAGEMENT = 'Permissions management';

const ACCESS_LEVEL_ICONS: Record<string, string> = {
  [PERMISSIONS_MANAGEMENT]: 'key',
  Write: 'edit',
  Tagging: 'tag',
  Read: 'eye',
  List: 'list-unordered',
  [NO_IAM_PERMISSION]: 'circle-slash',
  [NOT_KNOWN]: 'question',
};

/** The codicon of an IAM access level (a key for permission changes). */
export function accessLevelIcon(accessLevel: string): string {
  return Object.prototype.hasOwnProperty.call(ACCESS_LEVEL_ICONS, accessLevel) ? ACCESS_LEVEL_ICONS[accessLevel] : 'question';
}

export function describeNode(node: TreeNode): ItemDescription {
  switch (node.type) {
    case 'group':
      return describeGroup(node);
    case 'event':
      return describeEvent(node);
    case 'more':
      return describeMore(node);
  }
}

function describeGroup(node: GroupNode): ItemDescription {
  const group = node.group;
  const label = plain(group.label);
  const counts = countText(group);
  // Permission changes carry a badge in the description, whatever the grouping.
  const badge = group.kind === 'action' && group.accessLevel === PERMISSIONS_MANAGEMENT ? 'permissions' : undefined;
  const description = [badge, group.description ? plain(group.description) : undefined, counts].filter(Boolean).join(' · ');
  const look = GROUP_LOOKS[group.kind ?? ''] ?? DEFAULT_GROUP_LOOK;
  const lines = [`**${escapeMarkdown(group.label)}**`, ...look.tooltip(group)];
  lines.push(group.errorCount > 0 ? counts : `${counts}, none failed`);
  return {
    id: node.id,
    label,
    description,
    tooltip: lines.join('  \n'),
    icon: look.icon(group),
    collapsible: group.count > 0,
    contextValue: `cloudtrail.group.${group.kind ?? 'group'}`,
    accessibilityLabel: `${label}, ${counts}`,
  };
}

/** Event rows lead with the action and end with the time; the date opens the description. */
function describeEvent(node: EventNode): ItemDescription {
  const event = node.event;
  const name = event.eventName ?? '(no event name)';
  const time = showTime(event.eventTime);
  const label = plain(time ? `${name} · ${time.time}` : name);
  const identity = event.identityLabel ?? event.identity;
  const parts = [
    time?.date ?? event.eventTime ?? 'no time',
    event.errorCode ? `failed: ${event.errorCode}` : undefined,
    identity,
    event.awsRegion,
    node.showFile ? fileName(node.uri) : undefined,
    event.hasProblems ? 'has problems' : undefined,
  ].filter((part): part is string => Boolean(part));
  const lines = [`**${escapeMarkdown(name)}**${event.eventSource ? ` · ${escapeMarkdown(event.eventSource)}` : ''}`];
  lines.push(`Time: ${escapeMarkdown(time?.full ?? event.eventTime ?? 'not recorded')}`);
  lines.push(`Identity: ${escapeMarkdown(identity)}`);
  if (event.identityLabel && event.identity !== event.identityLabel) lines.push(`Principal: ${escapeMarkdown(event.identity)}`);
  if (event.awsRegion) lines.push(`Region: ${escapeMarkdown(event.awsRegion)}`);
  lines.push(accessText(event.readOnly));
  if (event.errorCode) lines.push(`Failed with ${escapeMarkdown(event.errorCode)}`);
  if (event.eventID) lines.push(`Event ID: ${escapeMarkdown(event.eventID)}`);
  if (node.showFile) lines.push(`File: ${escapeMarkdown(fileName(node.uri))}`);
  if (event.hasProblems) lines.push('This record has problems: see the Problems panel.');
  return {
    id: node.id,
    label,
    description: plain(parts.join(' · ')),
    tooltip: lines.join('  \n'),
    icon: eventIcon(event),
    collapsible: false,
    contextValue: event.eventID ? 'cloudtrail.event.withId' : 'cloudtrail.event',
    command: { command: REVEAL_EVENT_COMMAND, title: 'Go to Event', arguments: [node] },
    accessibilityLabel: plain([label, ...parts].join(', ')),
  };
}

function describeMore(node: MoreNode): ItemDescription {
  const next = Math.min(PAGE_SIZE, node.remaining);
  const label = `Show ${formatCount(next)} more`;
  const description = `${formatCount(node.remaining)} not listed yet`;
  return {
    id: node.id,
    label,
    description,
    tooltip: `${label} of the ${formatCount(node.remaining)} events of this group not listed yet.`,
    icon: { id: 'ellipsis' },
    collapsible: false,
    contextValue: 'cloudtrail.more',
    command: { command: SHOW_MORE_COMMAND, title: label, arguments: [node] },
    accessibilityLabel: `${label}, ${description}`,
  };
}

/** A tactic group's tooltip; its description is the ATT&CK id, absent for the events the catalogue does not list. */
function tacticLines(group: EventGroup): string[] {
  const lines = group.description
    ? [`ATT&CK tactic ${escapeMarkdown(group.description)}`, 'Events attackers have used for this tactic; an event with several tactics is under each.']
    : ['Events the attack catalogue does not list.'];
  if (group.credit) lines.push(`From ${escapeMarkdown(group.credit)}`);
  return lines;
}

/** How a kind of group looks: its icon and what its tooltip says beyond its name and counts. */
interface GroupLook {
  icon(group: EventGroup): ItemIcon;
  /** Markdown lines; log values escaped. */
  tooltip(group: EventGroup): string[];
}

/** What a person reads in the tooltip of an access-level group. */
function accessLevelMeaning(accessLevel: string): string {
  switch (accessLevel) {
    case PERMISSIONS_MANAGEMENT:
      return 'Calls that change who may do what: identity and resource policies, grants, permission sets.';
    case NO_IAM_PERMISSION:
      return 'Events that need no IAM permission: sign-ins, service events, calls anyone may make.';
    case NOT_KNOWN:
      return 'Events the IAM data does not know.';
    default:
      return `Calls whose IAM access level is ${accessLevel}.`;
  }
}

/** One row per kind of group (EventGroup.kind): a new grouping adds its row here. */
const GROUP_LOOKS: Partial<Record<string, GroupLook>> = {
  action: {
    icon: (group) => (group.accessLevel === PERMISSIONS_MANAGEMENT ? { id: 'key', color: WARNING_COLOR } : { id: accessIcon(group.readOnly) }),
    tooltip: (group) => [
      ...(group.eventSource ? [`Service: ${escapeMarkdown(group.eventSource)}`] : []),
      accessText(group.readOnly),
      ...(group.accessLevel
        ? [`IAM access level: ${group.accessLevel === PERMISSIONS_MANAGEMENT ? '**Permissions management** (changes who may do what)' : group.accessLevel}`]
        : []),
    ],
  },
  accessLevel: {
    icon: (group) => (group.label === PERMISSIONS_MANAGEMENT ? { id: 'key', color: WARNING_COLOR } : { id: accessLevelIcon(group.label) }),
    tooltip: (group) => [accessLevelMeaning(group.label)],
  },
  role: {
    icon: () => ({ id: 'organization' }),
    tooltip: (group) => [`Role: ${escapeMarkdown(group.key)}`, 'The sessions that assumed this role are listed beneath it.'],
  },
  accessKey: {
    icon: () => ({ id: 'key' }),
    tooltip: (group) => [`Access key: ${escapeMarkdown(group.key)}`],
  },
  identity: {
    icon: (group) => ({ id: IDENTITY_ICONS[group.identityType ?? ''] ?? 'question' }),
    tooltip: (group) => [`Identity: ${escapeMarkdown(group.key)}`, ...(group.identityType ? [`Type: ${escapeMarkdown(group.identityType)}`] : [])],
  },
  tactic: {
    icon: (group) => (group.description ? { id: 'shield', color: WARNING_COLOR } : { id: 'circle-outline' }),
    tooltip: tacticLines,
  },
};

const DEFAULT_GROUP_LOOK: GroupLook = { icon: () => ({ id: 'list-flat' }), tooltip: () => [] };

/** Failed events and events with problems stand out; the others show whether they read or write. */
function eventIcon(event: EventRef): ItemIcon {
  if (event.errorCode) return { id: 'error', color: ERROR_COLOR };
  if (event.hasProblems) return { id: 'warning', color: WARNING_COLOR };
  return { id: accessIcon(event.readOnly) };
}

/** Reads show an eye, writes a pencil; without a readOnly field (records before 1.02) a plain dot says nothing either way. */
function accessIcon(readOnly: boolean | undefined): string {
  return readOnly === true ? 'eye' : readOnly === false ? 'edit' : 'circle-small';
}

function accessText(readOnly: boolean | undefined): string {
  return readOnly === true ? 'Only reads' : readOnly === false ? 'Changes something' : 'Read or write: not recorded (no readOnly field)';
}

function countText(group: EventGroup): string {
  const events = `${formatCount(group.count)} ${group.count === 1 ? 'event' : 'events'}`;
  return group.errorCount > 0 ? `${events}, ${formatCount(group.errorCount)} failed` : events;
}

const MAX_SHOWN_LENGTH = 300;

/**
 * Text for a label: one line, not endless, and every character that draws nothing or turns the
 * text around written as `<U+200B>`, so `adm\u200bin` cannot pass for `admin`.
 */
export function plain(text: string): string {
  return visibleText(text, MAX_SHOWN_LENGTH);
}

/** Text from a log inside Markdown: every ASCII punctuation character is escaped, so it renders as written. */
export function escapeMarkdown(text: string): string {
  return plain(text).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** Text for a quick pick or status bar, where "$(name)" would show an icon: written as is instead. */
export function escapeIcons(text: string): string {
  return plain(text).replace(/\$\(/g, '\\$(');
}

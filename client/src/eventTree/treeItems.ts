/**
 * How each node of the Events view looks: label, description, icon, tooltip, command. Plain data,
 * so it is tested without VS Code; eventsView.ts turns it into a TreeItem. Everything taken from
 * a log is written by whoever wrote the log: labels are plain text, and tooltips escape it.
 */
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
  const lines = [`**${escapeMarkdown(group.label)}**`];
  if (group.kind === 'action') {
    if (group.eventSource) lines.push(`Service: ${escapeMarkdown(group.eventSource)}`);
    lines.push(group.readOnly === true ? 'Only reads' : group.readOnly === false ? 'Changes something' : 'Read or write: not recorded');
    if (group.accessLevel) lines.push(`IAM access level: ${group.accessLevel === PERMISSIONS_MANAGEMENT ? '**Permissions management** (changes who may do what)' : group.accessLevel}`);
  } else if (group.kind === 'accessLevel') {
    lines.push(accessLevelMeaning(group.label));
  } else if (group.kind === 'role') {
    lines.push(`Role: ${escapeMarkdown(group.key)}`, 'The sessions that assumed this role are listed beneath it.');
  } else if (group.kind === 'identity') {
    lines.push(`Identity: ${escapeMarkdown(group.key)}`);
    if (group.identityType) lines.push(`Type: ${escapeMarkdown(group.identityType)}`);
  }
  lines.push(group.errorCount > 0 ? counts : `${counts}, none failed`);
  return {
    id: node.id,
    label,
    description,
    tooltip: lines.join('  \n'),
    icon: groupIcon(group),
    collapsible: group.count > 0,
    contextValue: `cloudtrail.group.${group.kind ?? 'group'}`,
    accessibilityLabel: `${label}, ${counts}`,
  };
}

function describeEvent(node: EventNode): ItemDescription {
  const event = node.event;
  const name = event.eventName ?? '(no event name)';
  const label = plain(`${formatTime(event.eventTime)} ${name}`);
  const identity = event.identityLabel ?? event.identity;
  const parts = [
    event.errorCode ? `failed: ${event.errorCode}` : undefined,
    identity,
    event.awsRegion,
    node.showFile ? fileName(node.uri) : undefined,
    event.hasProblems ? 'has problems' : undefined,
  ].filter((part): part is string => Boolean(part));
  const lines = [`**${escapeMarkdown(name)}**${event.eventSource ? ` · ${escapeMarkdown(event.eventSource)}` : ''}`];
  lines.push(`Time: ${escapeMarkdown(event.eventTime ?? 'not recorded')}`);
  lines.push(`Identity: ${escapeMarkdown(identity)}`);
  if (event.identityLabel && event.identity !== event.identityLabel) lines.push(`Principal: ${escapeMarkdown(event.identity)}`);
  if (event.awsRegion) lines.push(`Region: ${escapeMarkdown(event.awsRegion)}`);
  lines.push(event.readOnly === true ? 'Only reads' : event.readOnly === false ? 'Changes something' : 'Read or write: not recorded');
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

function groupIcon(group: EventGroup): ItemIcon {
  switch (group.kind) {
    case 'action':
      return group.accessLevel === PERMISSIONS_MANAGEMENT ? { id: 'key', color: WARNING_COLOR } : { id: accessIcon(group.readOnly) };
    case 'accessLevel':
      return group.label === PERMISSIONS_MANAGEMENT ? { id: 'key', color: WARNING_COLOR } : { id: accessLevelIcon(group.label) };
    case 'role':
      return { id: 'organization' };
    case 'identity':
      return { id: IDENTITY_ICONS[group.identityType ?? ''] ?? 'question' };
    default:
      return { id: 'list-flat' };
  }
}

/** Failed events and events with problems stand out; the others show whether they read or write. */
function eventIcon(event: EventRef): ItemIcon {
  if (event.errorCode) return { id: 'error', color: ERROR_COLOR };
  if (event.hasProblems) return { id: 'warning', color: WARNING_COLOR };
  return { id: accessIcon(event.readOnly) };
}

function accessIcon(readOnly: boolean | undefined): string {
  return readOnly === true ? 'eye' : readOnly === false ? 'edit' : 'symbol-event';
}

function countText(group: EventGroup): string {
  const events = `${formatCount(group.count)} ${group.count === 1 ? 'event' : 'events'}`;
  return group.errorCount > 0 ? `${events}, ${formatCount(group.errorCount)} failed` : events;
}

/** "2026-11-24 10:03:11" for "2026-11-24T10:03:11Z" (UTC, as CloudTrail writes it). */
export function formatTime(time: string | undefined): string {
  if (!time) return '(no time)';
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?Z$/.exec(time);
  return match ? `${match[1]} ${match[2]}` : time;
}

const MAX_SHOWN_LENGTH = 300;

/** Text for a label: one line, not endless. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return line.length > MAX_SHOWN_LENGTH ? `${line.slice(0, MAX_SHOWN_LENGTH - 1)}…` : line;
}

/** Text from a log inside Markdown: every ASCII punctuation character is escaped, so it renders as written. */
export function escapeMarkdown(text: string): string {
  return plain(text).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** Text for a quick pick or status bar, where "$(name)" would show an icon: written as is instead. */
export function escapeIcons(text: string): string {
  return plain(text).replace(/\$\(/g, '\\$(');
}

/**
 * How each node of the Findings view looks. Plain data, tested without VS Code. A rule's title,
 * description and author are the rule file's text and the record's fields are the log's: labels
 * are plain text and tooltips escape both. Every finding names its rule's author, as the rules'
 * licence asks wherever a match is shown.
 */
import type { FindingRule, RuleLevel } from '../../../server/src/protocol';
import { showTime } from '../../../server/src/model/explain/time';
import { escapeMarkdown, ItemDescription, ItemIcon, plain } from '../eventTree/treeItems';
import { FindingGroupNode, FindingNode, FindingsNode } from './findingsModel';

export const OPEN_FINDING_COMMAND = 'cloudtrail.findings.openFinding';

const LEVEL_ICONS: Record<RuleLevel, ItemIcon> = {
  critical: { id: 'error', color: 'list.errorForeground' },
  high: { id: 'warning', color: 'list.warningForeground' },
  medium: { id: 'info' },
  low: { id: 'circle-outline' },
  informational: { id: 'circle-outline' },
};

export function describeFinding(node: FindingsNode): ItemDescription {
  return node.type === 'findingGroup' ? describeGroup(node) : describeFindingNode(node);
}

function countText(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'finding' : 'findings'}`;
}

/** The rule in a tooltip: title, level, description, ATT&CK tags, false positives, references, author. */
export function ruleTooltipLines(rule: FindingRule): string[] {
  const lines = [`**${escapeMarkdown(rule.title)}** · level ${rule.level}`];
  if (rule.description) lines.push(escapeMarkdown(rule.description));
  const attack = rule.tags.filter((tag) => tag.toLowerCase().startsWith('attack.'));
  if (attack.length > 0) lines.push(`ATT&CK: ${escapeMarkdown(attack.join(', '))}`);
  if (rule.falsepositives.length > 0) lines.push(`False positives: ${escapeMarkdown(rule.falsepositives.join('; '))}`);
  if (rule.references.length > 0) lines.push(`References: ${escapeMarkdown(rule.references.join(' '))}`);
  lines.push(`Author: ${escapeMarkdown(rule.author ?? 'not named in the rule')}`);
  lines.push(
    rule.origin === 'bundled'
      ? `Rule ${escapeMarkdown(rule.id)}, from the SigmaHQ rules (Detection Rule License 1.1)`
      : `Rule ${escapeMarkdown(rule.id)}, from ${escapeMarkdown(rule.file ?? 'a rule folder')}`,
  );
  return lines;
}

function describeGroup(node: FindingGroupNode): ItemDescription {
  const { group, rule } = node;
  const counts = countText(group.count);
  const label = plain(group.label);
  let description = counts;
  let lines: string[];
  let icon: ItemIcon;
  if (rule) {
    description = `${rule.level} · ${counts}`;
    lines = ruleTooltipLines(rule);
    icon = LEVEL_ICONS[rule.level];
  } else if (group.kind === 'tactic') {
    lines = [`**${escapeMarkdown(group.label)}**`, 'Findings of the rules tagged with this ATT&CK tactic; a rule with several tactics is under each.'];
    icon = { id: 'shield' };
  } else {
    lines = [`**${escapeMarkdown(group.label)}**`, `Identity: ${escapeMarkdown(group.key.replace(/^identity:/, ''))}`];
    if (group.identityType) lines.push(`Type: ${escapeMarkdown(group.identityType)}`);
    icon = { id: 'person' };
  }
  lines.push(group.moreFindings ? `${counts}; the first ${group.findings.length.toLocaleString('en-US')} are listed` : counts);
  return {
    id: node.id,
    label,
    description,
    tooltip: lines.join('  \n'),
    icon,
    collapsible: group.count > 0,
    contextValue: rule?.hasSql ? 'cloudtrail.findingGroup.rule.sql' : `cloudtrail.findingGroup.${group.kind}`,
    accessibilityLabel: `${label}, ${description}`,
  };
}

/** An event's time as `2016-10-04 16:01:30` (UTC), or as written when it cannot be read. */
function formatTime(time: string | undefined): string {
  const shown = showTime(time);
  return shown ? `${shown.date} ${shown.time}` : (time ?? '(no time)');
}

function describeFindingNode(node: FindingNode): ItemDescription {
  const { finding, rule } = node;
  const event = finding.event;
  const name = event.eventName ?? '(no event name)';
  const grouping = node.parent.group.kind;
  // Under a rule the event is the news; elsewhere the rule is.
  const label = plain(grouping === 'rule' ? `${formatTime(event.eventTime)} ${name}` : rule.title);
  const identity = event.identityLabel ?? event.identity;
  const parts = [grouping === 'rule' ? undefined : `${formatTime(event.eventTime)} ${name}`, grouping === 'identity' ? undefined : identity, rule.level];
  if (finding.related) parts.push(`with ${String(finding.related)} other events`);
  const description = plain(parts.filter((part): part is string => Boolean(part)).join(' · '));
  const lines = [
    ...ruleTooltipLines(rule),
    '',
    `Event: ${escapeMarkdown(name)}${event.eventSource ? ` · ${escapeMarkdown(event.eventSource)}` : ''}`,
    `Time: ${escapeMarkdown(event.eventTime ?? 'not recorded')}`,
    `Identity: ${escapeMarkdown(identity)}`,
  ];
  return {
    id: node.id,
    label,
    description,
    tooltip: lines.join('  \n'),
    icon: LEVEL_ICONS[rule.level],
    collapsible: false,
    contextValue: 'cloudtrail.finding',
    command: { command: OPEN_FINDING_COMMAND, title: 'Go to Event', arguments: [node] },
    accessibilityLabel: plain(`${label}, ${description}, rule by ${rule.author ?? 'an unnamed author'}`),
  };
}

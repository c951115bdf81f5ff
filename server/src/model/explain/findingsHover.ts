/**
 * The part of an event's hover that names the Sigma rules the record matched: each rule's title,
 * level, description, ATT&CK tags, false positives, references and author (which the rules'
 * licence asks to be shown wherever a match is). All of it is the rule file's text, shown as data.
 */
import type { RuleMetadata } from '../detections/types';
import { code, HoverBuilder, join, LONG_TEXT, logText, Markdown, md } from './markdown';

/** Rules described in one hover; the others are counted. */
const MAX_RULES = 5;
/** False positives and references listed per rule. */
const MAX_ITEMS = 5;

/** Adds the rules that matched the record to `out`; nothing when none did. */
export function addRuleMatches(out: HoverBuilder, rules: readonly RuleMetadata[]): void {
  if (rules.length === 0) {
    return;
  }
  out.rule();
  out.paragraph(md`**\u26a0 Matches ${String(rules.length)} Sigma rule${rules.length === 1 ? '' : 's'}**`);
  for (const rule of rules.slice(0, MAX_RULES)) {
    out.paragraph(md`**Rule:** ${logText(rule.title)} \u00b7 level ${rule.level}`);
    if (rule.description) out.paragraph(md`**Description:** ${logText(rule.description, LONG_TEXT)}`);
    const bullets: Markdown[] = [];
    const attack = rule.tags.filter((tag) => tag.toLowerCase().startsWith('attack.'));
    if (attack.length > 0) bullets.push(md`**ATT&CK:** ${logText(attack.join(', '))}`);
    if (rule.falsepositives.length > 0) bullets.push(md`**False positives:** ${listed(rule.falsepositives.map((item) => logText(item)))}`);
    if (rule.references.length > 0) bullets.push(md`**References:** ${listed(rule.references.map((reference) => code(reference.slice(0, 300))))}`);
    bullets.push(
      md`**Author:** ${logText(rule.author ?? 'not named in the rule')} \u00b7 rule ${logText(rule.id)}, ${rule.origin === 'bundled' ? md`from the SigmaHQ rules (Detection Rule License 1.1)` : md`from ${logText(rule.file)}`}`,
    );
    out.bullets(bullets);
  }
  if (rules.length > MAX_RULES) {
    out.paragraph(md`and ${String(rules.length - MAX_RULES)} more: see the Findings view.`);
  }
}

function listed(items: Markdown[]): Markdown {
  const shown = join(items.slice(0, MAX_ITEMS), '; ');
  return items.length > MAX_ITEMS ? md`${shown}; and ${String(items.length - MAX_ITEMS)} more` : shown;
}

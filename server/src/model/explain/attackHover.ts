/**
 * The part of an event's hover that says whether attackers have used the event, from the
 * TrailDiscover catalogue: tactics, techniques, the incidents and research, what it implies.
 * Everything but the headings is the catalogue's text, shown as its data and credited.
 */
import { CloudTrailRecord } from '../cloudTrailDocument';
import { ATTACK_CATALOGUE_CREDIT, AttackLink, attackEntry } from '../detections/attackCatalogue';
import { code, HoverBuilder, join, LONG_TEXT, logText, Markdown, md } from './markdown';

/** Links listed of each kind before the rest are counted. */
const MAX_LINKS = 5;

/** Adds the catalogue's entry for the record's event to `out`; nothing when the event is not in it. */
export function addAttackKnowledge(out: HoverBuilder, record: CloudTrailRecord): void {
  const entry = attackEntry(record.summary.eventSource, record.summary.eventName);
  if (!entry) {
    return;
  }
  out.rule();
  out.paragraph(entry.usedInWild ? md`**\u26a0 Used in real attacks**` : md`**Known to attackers** (from research; no incident reported)`);
  const bullets: Markdown[] = [];
  if (entry.tactics.length > 0) {
    bullets.push(
      md`**ATT&CK tactics:** ${join(
        entry.tactics.map((tactic) => md`${tactic.name} (${tactic.id})`),
        ', ',
      )}`,
    );
  }
  if (entry.techniques.length > 0) {
    bullets.push(
      md`**Techniques:** ${join(
        entry.techniques.map((technique) => md`${technique.id} ${technique.name}`),
        '; ',
      )}`,
    );
  }
  out.bullets(bullets);
  out.paragraph(logText(entry.securityImplications, LONG_TEXT));
  addLinks(out, 'Incidents', entry.incidents);
  addLinks(out, 'Research', entry.researchLinks);
  out.paragraph(attackCredit());
}

/**
 * The links of the catalogue as text: a title and its address in a code span, which no renderer
 * turns into a link, so the hover opens nothing; the address can be copied.
 */
function addLinks(out: HoverBuilder, heading: string, links: readonly AttackLink[]): void {
  if (links.length === 0) {
    return;
  }
  out.paragraph(md`**${heading}:**`);
  out.bullets(links.slice(0, MAX_LINKS).map((link) => md`${logText(link.title)} \u2014 ${code(link.url)}`));
  if (links.length > MAX_LINKS) {
    out.paragraph(md`and ${String(links.length - MAX_LINKS)} more in the catalogue.`);
  }
}

/** "From TrailDiscover by Adan Alvarez (CC BY 4.0), github.com/adanalvarez/TrailDiscover". */
export function attackCredit(): Markdown {
  return md`*From ${ATTACK_CATALOGUE_CREDIT}*`;
}

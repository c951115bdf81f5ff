/**
 * Which Sigma rules matched each event, looked up by the event's place: its document (by
 * position in the list grouped) or its indexed file, and its record or entry position. The
 * timeline marks findings and groups by rule from it; exports fill their finding column from it.
 */
import { Finding } from '../detections/types';
import { RuleSet } from '../detections/ruleSet';
import { FolderFinding, folderFindings } from '../folderIndex/folderFindings';
import { FolderIndex, IndexedFile } from '../folderIndex/folderIndex';

export interface FindingRuleName {
  /** The rule's id, as its file gives it. */
  key: string;
  /** The rule's title, as its file gives it. */
  label: string;
}

export class EventFindings {
  private readonly byPlace = new Map<number | IndexedFile, Map<number, number[]>>();
  private findingCount = 0;

  /** `rules[rule]` names the rule numbers given to `add`. */
  constructor(readonly rules: readonly FindingRuleName[]) {}

  /** Records that `rule` matched the event at `record` of `place`; a rule is counted once per event. */
  add(place: number | IndexedFile, record: number, rule: number): void {
    let records = this.byPlace.get(place);
    if (!records) {
      records = new Map();
      this.byPlace.set(place, records);
    }
    const rules = records.get(record);
    if (!rules) records.set(record, [rule]);
    else if (!rules.includes(rule)) rules.push(rule);
    else return;
    this.findingCount++;
  }

  /** The rules that matched an event, in the order found; undefined when none did. */
  rulesOf(place: number | IndexedFile, record: number): readonly number[] | undefined {
    return this.byPlace.get(place)?.get(record);
  }

  /** The titles of the rules that matched an event, for an export's finding column. */
  titlesOf(place: number | IndexedFile, record: number): string[] | undefined {
    return this.rulesOf(place, record)?.map((rule) => this.rules[rule].label);
  }

  /** Findings held: pairs of event and rule. */
  get size(): number {
    return this.findingCount;
  }
}

function ruleNames(rules: RuleSet): FindingRuleName[] {
  return rules.rules.map((definition) => ({ key: definition.metadata.id, label: definition.metadata.title }));
}

/** The findings of open documents, `findings[d]` those of the d-th document of the list the events are grouped from. */
export function documentEventFindings(rules: RuleSet, findings: readonly (readonly Finding[])[]): EventFindings {
  const lookup = new EventFindings(ruleNames(rules));
  findings.forEach((ofDocument, documentIndex) => {
    for (const finding of ofDocument) lookup.add(documentIndex, finding.record, finding.rule);
  });
  return lookup;
}

/** The findings of a folder index (as `folderFindings` reads them back), by file and entry. */
export function folderEventFindings(rules: RuleSet, findings: readonly FolderFinding[]): EventFindings {
  const lookup = new EventFindings(ruleNames(rules));
  for (const finding of findings) lookup.add(finding.file, finding.entry, finding.rule);
  return lookup;
}

const folderLookups = new WeakMap<FolderIndex, { version: number; rules: RuleSet; lookup: EventFindings }>();

/**
 * The findings of a folder index by file and entry, read back once per version of the index and
 * of the rules: a folder's hundreds of thousands of findings are not gathered again at every
 * draw, brush or export.
 */
export function indexEventFindings(index: FolderIndex, rules: RuleSet): EventFindings {
  const cached = folderLookups.get(index);
  if (cached?.version === index.version && cached.rules === rules) return cached.lookup;
  const lookup = folderEventFindings(rules, folderFindings(index, rules));
  folderLookups.set(index, { version: index.version, rules, lookup });
  return lookup;
}

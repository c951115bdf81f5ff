import { correlate, CorrelationObservation } from '../detections/correlation';
import { readObservations } from '../detections/fileDetections';
import { RuleSet } from '../detections/ruleSet';
import { FolderIndex, IndexedFile } from './folderIndex';

/** A finding in a folder index: the file, the entry's position in it, and the rule (an index into the RuleSet given). */
export interface FolderFinding {
  file: IndexedFile;
  entry: number;
  rule: number;
  /** For correlations: the events of the window, possibly in several files. */
  related?: { file: IndexedFile; entry: number }[];
}

/** The last findings worked out per index, for as long as neither the index nor the rules change. */
const remembered = new WeakMap<FolderIndex, { version: number; rules: RuleSet; findings: readonly FolderFinding[] }>();

/**
 * The findings of a folder index, read back against `rules` (the rules the index ran, by id),
 * with the correlations run over the observations of all its files together. Worked out once per
 * version of the index and set of rules: diagnostics, the timeline and exports all ask, and a
 * large folder holds hundreds of thousands. The list is shared: read it, do not change it.
 */
export function folderFindings(index: FolderIndex, rules: RuleSet): readonly FolderFinding[] {
  const known = remembered.get(index);
  if (known?.version === index.version && known.rules === rules) return known.findings;
  const findings = computeFolderFindings(index, rules);
  remembered.set(index, { version: index.version, rules, findings });
  return findings;
}

function computeFolderFindings(index: FolderIndex, rules: RuleSet): FolderFinding[] {
  const byId = new Map<string, number>();
  rules.rules.forEach((definition, position) => {
    if (!byId.has(definition.metadata.id)) byId.set(definition.metadata.id, position);
  });
  const correlationById = new Map(rules.correlations.map((plan) => [rules.rules[plan.rule].metadata.id, plan.index]));
  const files = index.files();
  const findings: FolderFinding[] = [];
  const observations: CorrelationObservation[] = [];
  files.forEach((file, fileIndex) => {
    const detections = file.detections;
    if (!detections) return;
    const rulesOfFile = detections.ruleIds.map((id) => byId.get(id));
    for (let i = 0; i < detections.findings.length; i += 2) {
      const rule = rulesOfFile[detections.findings[i + 1]];
      if (rule !== undefined) findings.push({ file, entry: detections.findings[i], rule });
    }
    readObservations(detections.observations, (id) => correlationById.get(id), fileIndex, observations);
  });
  for (const found of correlate(rules.correlations, observations)) {
    findings.push({
      file: files[found.file],
      entry: found.record,
      rule: found.rule,
      related: found.related.map((related) => ({ file: files[related.file], entry: related.record })),
    });
  }
  return findings;
}

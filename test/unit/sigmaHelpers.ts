import { parseCloudTrail } from '../../server/src/model';
import { Finding, RuleSet } from '../../server/src/model/detections';

/** A rule file around a detection block (indented YAML), with a fixed id and title. */
export function ruleText(detection: string, extra = ''): string {
  return `title: Test rule
id: 00000000-0000-4000-8000-000000000001
level: high
author: Test Author
tags:
    - attack.persistence
    - attack.t1098
logsource:
    product: aws
    service: cloudtrail
${extra}detection:
${detection}
`;
}

export function loadRules(...texts: string[]): RuleSet {
  return RuleSet.load(texts.map((text, index) => ({ path: `rule${String(index)}.yml`, text, origin: 'user' as const })));
}

/** The log of these records, as CloudTrail delivers it. */
export function logOf(...records: object[]): string {
  return JSON.stringify({ Records: records }, null, 2);
}

/** The indexes of the records of `records` that the set reports (any rule). */
export function matchingRecords(rules: RuleSet, ...records: object[]): number[] {
  const findings = rules.detectDocument(parseCloudTrail(logOf(...records)));
  return [...new Set(findings.map((finding) => finding.record))];
}

export function findingsOf(rules: RuleSet, ...records: object[]): Finding[] {
  return rules.detectDocument(parseCloudTrail(logOf(...records)));
}

/** Whether one detection block matches one record. */
export function matches(detection: string, record: object): boolean {
  const rules = loadRules(ruleText(detection));
  const problems = rules.files.flatMap((file) => file.problems.filter((problem) => problem.severity === 'error'));
  if (problems.length > 0) {
    throw new Error(`the rule does not load: ${JSON.stringify(problems)}`);
  }
  return matchingRecords(rules, record).length === 1;
}

import { CloudTrailDocument } from '../cloudTrailDocument';
import { RuleSet } from './ruleSet';
import { Finding, RuleDefinition } from './types';

/** A finding placed in its document: the rule that matched and the record's range. */
export interface DocumentFinding extends Finding {
  /** The record's entry in the document, as offsets. */
  start: number;
  end: number;
  definition: RuleDefinition;
}

/** The findings of one document, with each record's range and each rule's definition (metadata, detection, condition). */
export function documentFindings(rules: RuleSet, model: CloudTrailDocument): DocumentFinding[] {
  return rules.detectDocument(model).map((finding) => {
    const record = model.records[finding.record];
    return { ...finding, start: record.start, end: record.end, definition: rules.rules[finding.rule] };
  });
}

import { CloudTrailDocument, CloudTrailRecord } from '../cloudTrailDocument';
import { NO_NODE } from '../json/nodeTable';
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

/** Where a finding is shown: the record's eventName value when it has one, else the start of the record's first line. */
export function findingAnchor(record: CloudTrailRecord, model: CloudTrailDocument): { start: number; end: number } {
  if (record.node !== NO_NODE) {
    const view = record.source.view;
    const name = view.property(record.node, 'eventName');
    if (name !== NO_NODE) {
      const start = record.source.toDocument(view.table.start[name]);
      const end = record.source.toDocument(view.table.end[name]);
      if (start >= record.start && end <= record.end && end > start) return { start, end };
    }
  }
  const newline = model.text.indexOf('\n', record.start);
  return { start: record.start, end: Math.min(record.end, newline < 0 ? record.end : newline, record.start + 200) };
}

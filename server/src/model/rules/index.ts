/**
 * The CloudTrail rules: what a record must be beyond valid JSON. `checkRecord` checks one record
 * (so a single edited record can be checked again on its own); `checkFile` holds the checks that
 * compare records with each other; `checkDocumentRules` runs both over a whole file.
 *
 * Every problem carries document offsets, also for events held in JSON strings.
 */
import { CloudTrailDocument, CloudTrailRecord } from '../cloudTrailDocument';
import { NO_NODE, NodeKind } from '../json/nodeTable';
import { Problem } from '../problems';
import { checkAcm } from './acm';
import { checkArns } from './arns';
import { RecordContext, RuleOptions } from './context';
import { checkDuplicateEventIds, checkDuplicateKeys, checkDuplicateKeysOutsideRecords } from './duplicates';
import { checkFormats } from './formats';
import { checkKeyCase } from './keyCase';
import { checkFieldTypes, checkFieldVersions, checkRequiredFields, checkUnknownFields } from './requiredFields';
import { checkUserIdentity } from './userIdentity';

export { RULES, RuleCode, ruleInfo, defaultSeverity } from './catalogue';
export type { RuleInfo, RuleFamily } from './catalogue';
export type { RuleOptions, RuleSettings } from './context';

/** The problems of one record. Pass the same context for every record of a file to save allocations. */
export function checkRecord(record: CloudTrailRecord, context: RecordContext | RuleOptions = {}): Problem[] {
  const checker = context instanceof RecordContext ? context : new RecordContext(context);
  if (record.node === NO_NODE || record.source.view.kind(record.node) !== NodeKind.Object) {
    return [];
  }
  checker.reset(record);
  checkRequiredFields(checker);
  checkUnknownFields(checker);
  checkKeyCase(checker);
  checkFieldVersions(checker);
  checkFieldTypes(checker);
  checkFormats(checker);
  checkUserIdentity(checker);
  checkArns(checker);
  checkAcm(checker);
  checkDuplicateKeys(checker);
  return checker.problems;
}

/** The checks across records: one eventID twice, and property names written twice outside the records. */
export function checkFile(document: CloudTrailDocument, options: RuleOptions = {}): Problem[] {
  const problems: Problem[] = [];
  checkDuplicateEventIds(document, options, problems);
  checkDuplicateKeysOutsideRecords(document, options, problems);
  return problems;
}

/** Every rule over a whole file: each record, then the checks across records. */
export function checkDocumentRules(document: CloudTrailDocument, options: RuleOptions = {}): Problem[] {
  const context = new RecordContext(options);
  const problems: Problem[] = [];
  const records = document.records;
  for (const record of records) {
    for (const problem of checkRecord(record, context)) {
      problems.push(problem);
    }
  }
  for (const problem of checkFile(document, options)) {
    problems.push(problem);
  }
  return problems;
}

export { RecordContext };

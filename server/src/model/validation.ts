import { CloudTrailDocument, CloudTrailRecord } from './cloudTrailDocument';
import { shiftProblems } from './incremental';
import { compareProblems, Problem, Severity } from './problems';
import { checkDocumentRules, checkRecord, RecordContext } from './rules';
import { checkDuplicateEventIds, checkDuplicateKeysOutsideRecords } from './rules/duplicates';
import { forwardedNote, forwardedNoteReads } from './forwarded';
import { quietRedactedProblems } from './rules/redaction';

export type RuleSetting = Severity | 'off';

export interface ValidationOptions {
  /** The most problems returned; the rest are dropped and one summary problem says so. */
  maxProblems: number;
  /** Severity overrides by problem code. */
  rules?: Readonly<Record<string, RuleSetting>>;
}

export const DEFAULT_VALIDATION_OPTIONS: ValidationOptions = { maxProblems: 1000 };

/** Every problem of a document (syntax, shape, and the CloudTrail rules), sorted and capped. */
export function validateDocument(document: CloudTrailDocument, options: ValidationOptions = DEFAULT_VALIDATION_OPTIONS): Problem[] {
  const all = applySeverities(
    quietRedactedProblems(document.text, withFileNotes(document, [...document.problems, ...checkDocumentRules(document, { rules: options.rules })])),
    options.rules,
  );
  return finish(document, all, options);
}

/** Sorts and caps the problems of a document. */
function finish(document: CloudTrailDocument, all: Problem[], options: ValidationOptions): Problem[] {
  all.sort(compareProblems);
  if (all.length > options.maxProblems || document.problemsTruncated) {
    const kept = all.slice(0, options.maxProblems);
    const last = kept.length > 0 ? kept[kept.length - 1] : undefined;
    kept.push({
      code: 'too-many-problems',
      severity: 'info',
      message: `Only the first ${options.maxProblems} problems are shown; fix those or raise cloudtrail.diagnostics.maxProblems.`,
      start: last?.start ?? 0,
      end: last?.end ?? 0,
    });
    return kept;
  }
  return all;
}

/**
 * What validating a document left behind for the next version: each record's own problems, so
 * that after an edit inside one record only that record is checked again.
 */
export interface ValidationState {
  readonly options: ValidationOptions;
  readonly recordProblems: readonly (readonly Problem[])[];
  /** The records these problems were found in, and what comparing their eventIDs found. */
  readonly records: CloudTrailDocument['records'];
  readonly eventIdProblems: readonly Problem[];
  /** Duplicate property names in the parts of the file around the records. */
  readonly outsideProblems: readonly Problem[];
  /** The note about records a log forwarder reshaped, if any (see `forwardedNote`). */
  readonly forwarded: Problem | undefined;
}

/** The previous version's state and what changed since: one record, edited at `changeStart`, moving later text by `delta`. */
export interface ValidationChange {
  state: ValidationState;
  changedRecord: number;
  delta: number;
  changeStart?: number;
}

/**
 * `validateDocument`, reusing the per-record problems of the previous version when only one record
 * changed (and the options did not). The file-wide checks (duplicate eventIDs) always run again.
 */
export function validateDocumentIncrementally(
  document: CloudTrailDocument,
  options: ValidationOptions,
  previous?: ValidationChange,
): { problems: Problem[]; state: ValidationState } {
  const ruleOptions = { rules: options.rules };
  const context = new RecordContext(ruleOptions);
  const reusable = previous?.state.options === options && previous.state.recordProblems.length === document.records.length ? previous : undefined;
  const recordProblems = new Array<readonly Problem[]>(document.records.length);
  for (let i = 0; i < document.records.length; i++) {
    if (!reusable || i === reusable.changedRecord) {
      recordProblems[i] = checkRecord(document.records[i], context);
    } else if (i < reusable.changedRecord || reusable.delta === 0) {
      recordProblems[i] = reusable.state.recordProblems[i];
    } else {
      const moved = reusable.state.recordProblems[i];
      recordProblems[i] = shiftProblems(moved, reusable.delta, 0);
    }
  }
  const all: Problem[] = [...document.problems];
  for (const problems of recordProblems) {
    for (const problem of problems) {
      all.push(problem);
    }
  }
  const eventIdProblems = duplicateEventIdProblems(document, ruleOptions, reusable);
  for (const problem of eventIdProblems) {
    all.push(problem);
  }
  const outsideProblems = duplicateKeysOutsideRecords(document, ruleOptions, reusable);
  for (const problem of outsideProblems) {
    all.push(problem);
  }
  // The note reads the first records only: an edit after them, which moves nothing before it,
  // leaves it as it was (and reading the other records would join the edited text's pieces).
  const forwarded = reusable?.changeStart !== undefined && !forwardedNoteReads(reusable.changedRecord) ? reusable.state.forwarded : forwardedNote(document);
  if (forwarded) all.push(forwarded);
  return {
    problems: finish(document, applySeverities(quietRedactedProblems(document.text, all), options.rules), options),
    state: { options, recordProblems, records: document.records, eventIdProblems, outsideProblems, forwarded },
  };
}

/**
 * The same eventID on several records. An edit inside one record whose eventID stays the same and
 * is shared with no other record cannot change what this finds: the previous answers, moved, hold.
 */
function duplicateEventIdProblems(
  document: CloudTrailDocument,
  ruleOptions: { rules?: ValidationOptions['rules'] },
  change: ValidationChange | undefined,
): readonly Problem[] {
  if (change?.changeStart !== undefined) {
    // The changed record may be past the end of either list (records were removed or added).
    const old = change.state.records[change.changedRecord] as CloudTrailRecord | undefined;
    const before = old?.summary.eventID;
    const after = (document.records[change.changedRecord] as CloudTrailRecord | undefined)?.summary.eventID;
    const inOldRecord = (start: number, end: number): boolean => old !== undefined && start < old.end && end >= old.start;
    const involvesRecord = change.state.eventIdProblems.some(
      (problem) => inOldRecord(problem.start, problem.end) || (problem.related ?? []).some((r) => inOldRecord(r.start, r.end)),
    );
    if (old && before === after && !involvesRecord) {
      return shiftProblems(change.state.eventIdProblems, change.delta, change.changeStart);
    }
  }
  const problems: Problem[] = [];
  checkDuplicateEventIds(document, ruleOptions, problems);
  return problems;
}

/**
 * Duplicate property names around the records. An edit inside a record that has no envelope or
 * lookup-events item around it changes nothing there: the previous answers, moved, hold (and the
 * text around the records is not read again).
 */
function duplicateKeysOutsideRecords(
  document: CloudTrailDocument,
  ruleOptions: { rules?: ValidationOptions['rules'] },
  change: ValidationChange | undefined,
): readonly Problem[] {
  if (change?.changeStart !== undefined) {
    const old = change.state.records[change.changedRecord] as CloudTrailRecord | undefined;
    const current = document.records[change.changedRecord] as CloudTrailRecord | undefined;
    if (old && current && !old.wrapper && !current.wrapper) {
      return shiftProblems(change.state.outsideProblems, change.delta, change.changeStart);
    }
  }
  const problems: Problem[] = [];
  checkDuplicateKeysOutsideRecords(document, ruleOptions, problems);
  return problems;
}

/** The problems and the notes about the whole file: one for records a log forwarder reshaped. */
function withFileNotes(document: CloudTrailDocument, problems: Problem[]): Problem[] {
  const note = forwardedNote(document);
  if (note) problems.push(note);
  return problems;
}

function applySeverities(problems: Problem[], rules: ValidationOptions['rules']): Problem[] {
  if (!rules) {
    return problems;
  }
  const result: Problem[] = [];
  for (const problem of problems) {
    const setting = rules[problem.code] as RuleSetting | undefined;
    if (setting === 'off') {
      continue;
    }
    result.push(setting ? { ...problem, severity: setting } : problem);
  }
  return result;
}

import { CloudTrailDocument } from './cloudTrailDocument';
import { shiftProblem } from './incremental';
import { Problem, Severity } from './problems';
import { checkDocumentRules, checkFile, checkRecord, RecordContext } from './rules';

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
  const all = applySeverities([...document.problems, ...checkDocumentRules(document, { rules: options.rules })], options.rules);
  return finish(document, all, options);
}

/** Sorts and caps the problems of a document. */
function finish(document: CloudTrailDocument, all: Problem[], options: ValidationOptions): Problem[] {
  all.sort((a, b) => a.start - b.start || a.end - b.end);
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
}

/** The previous version's state and what changed since: one record, moving later text by `delta`. */
export interface ValidationChange {
  state: ValidationState;
  changedRecord: number;
  delta: number;
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
  const reusable =
    previous && previous.state.options === options && previous.state.recordProblems.length === document.records.length
      ? previous
      : undefined;
  const recordProblems: (readonly Problem[])[] = new Array(document.records.length);
  for (let i = 0; i < document.records.length; i++) {
    if (!reusable || i === reusable.changedRecord) {
      recordProblems[i] = checkRecord(document.records[i], context);
    } else if (i < reusable.changedRecord || reusable.delta === 0) {
      recordProblems[i] = reusable.state.recordProblems[i];
    } else {
      const moved = reusable.state.recordProblems[i];
      recordProblems[i] = moved.length === 0 ? moved : moved.map((problem) => shiftProblem(problem, reusable.delta, 0));
    }
  }
  const all: Problem[] = [...document.problems];
  for (const problems of recordProblems) {
    for (let i = 0; i < problems.length; i++) {
      all.push(problems[i]);
    }
  }
  all.push(...checkFile(document, ruleOptions));
  return { problems: finish(document, applySeverities(all, options.rules), options), state: { options, recordProblems } };
}

function applySeverities(problems: Problem[], rules: ValidationOptions['rules']): Problem[] {
  if (!rules) {
    return problems;
  }
  const result: Problem[] = [];
  for (const problem of problems) {
    const setting = rules[problem.code];
    if (setting === 'off') {
      continue;
    }
    result.push(setting ? { ...problem, severity: setting } : problem);
  }
  return result;
}

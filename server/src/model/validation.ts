import { CloudTrailDocument } from './cloudTrailDocument';
import { Problem, Severity } from './problems';
import { checkDocumentRules } from './rules';

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

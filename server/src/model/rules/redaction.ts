/**
 * Logs shared as examples are redacted by hand: IDs written as `xxxxxxxx-xxxx-...`, keys masked
 * with `*`, addresses replaced by `0.0.0.0`, values hidden behind a word. Such a file is told once,
 * quietly, that it was redacted; a problem found on a masked value is dropped, and the problems
 * that hand-editing leaves behind (a field cut out, an account ID replaced in one place and not
 * in another) become information instead of warnings.
 */
import { Problem, ShapeCode } from '../problems';

/** What redacting leaves in the text, as it is written there. */
const MARKERS = ['xxxxxxxx-xxxx', 'XXXXXXXX-XXXX', '"0.0.0.0"'] as const;
/**
 * A value masked after its first characters (`AKIA****************`). A value that is all
 * asterisks is not one: CloudTrail itself writes hidden parameters, such as passwords, as "****".
 */
const MASKED_VALUE = /[A-Za-z0-9]\*{4}/;

/** Problems that hand-editing an example makes, which say nothing about the log as CloudTrail wrote it. */
const EDITING_ARTEFACTS: ReadonlySet<string> = new Set(['record-missing-field', 'arn-account-mismatch']);

/** A masked value is at most this long around a marker: problem ranges are searched this far. */
const MAX_CHECKED_RANGE = 256;

/**
 * Examples redacted by hand are small; a delivered log is not redacted, and searching every
 * version of a large one as it is edited would cost time for nothing.
 */
const MAX_REDACTED_FILE_CHARS = 4 * 1024 * 1024;

/** The first redaction marker of a text: its offset and length, or undefined. */
export function firstRedactionMarker(text: string): { start: number; end: number } | undefined {
  if (text.length > MAX_REDACTED_FILE_CHARS) return undefined;
  let found: { start: number; end: number } | undefined;
  const masked = MASKED_VALUE.exec(text);
  if (masked) found = { start: masked.index + 1, end: masked.index + masked[0].length };
  for (const marker of MARKERS) {
    const at = text.indexOf(marker);
    if (at >= 0 && (found === undefined || at < found.start)) found = { start: at, end: at + marker.length };
  }
  return found;
}

function holdsMarker(text: string, start: number, end: number): boolean {
  const range = text.slice(start, Math.min(end, start + MAX_CHECKED_RANGE));
  return MASKED_VALUE.test(range) || MARKERS.some((marker) => range.includes(marker));
}

/** The problems of a redacted file as it should be told them, with its one note; other files' problems unchanged. */
export function quietRedactedProblems(text: string, problems: Problem[]): Problem[] {
  const marker = firstRedactionMarker(text);
  if (!marker) return problems;
  const kept: Problem[] = [];
  for (const problem of problems) {
    if (problem.severity === 'hint' || problem.severity === 'info') {
      kept.push(problem);
    } else if (holdsMarker(text, problem.start, problem.end)) {
      continue;
    } else if (EDITING_ARTEFACTS.has(problem.code)) {
      kept.push({ ...problem, severity: 'info' });
    } else {
      kept.push(problem);
    }
  }
  kept.push({
    code: ShapeCode.redacted,
    severity: 'info',
    message:
      'This log was redacted (masked IDs, keys or addresses): masked values are not checked, and fields cut out or account IDs replaced while redacting are told as information, not warnings.',
    start: marker.start,
    end: marker.end,
  });
  return kept;
}

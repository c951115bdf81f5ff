/**
 * Problems found in a log, in the model's own terms (offsets, not positions). The server turns
 * them into LSP diagnostics and the command line into `file:line:col` lines.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface RelatedLocation {
  start: number;
  end: number;
  message: string;
}

export interface Problem {
  /** A stable identifier, shown to users and used in settings. */
  code: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  related?: RelatedLocation[];
  /** Text that would fix the problem when it replaces `[start, end)`; offered as a quick fix. */
  fix?: { title: string; replacement: string; start?: number; end?: number };
}

/** The codes of problems found while reading the JSON itself. */
export const SyntaxCode = {
  unquotedKey: 'json-unquoted-key',
  missingComma: 'json-missing-comma',
  missingColon: 'json-missing-colon',
  lineBreakInString: 'json-line-break-in-string',
  controlCharacter: 'json-control-character',
  unterminatedString: 'json-unterminated-string',
  invalidEscape: 'json-invalid-escape',
  missingOpenQuote: 'json-missing-open-quote',
  placeholder: 'json-placeholder',
  invalidToken: 'json-invalid-token',
  invalidNumber: 'json-invalid-number',
  trailingComma: 'json-trailing-comma',
  unexpectedComma: 'json-unexpected-comma',
  missingValue: 'json-missing-value',
  missingKey: 'json-missing-property-name',
  unclosed: 'json-unclosed-bracket',
  mismatchedClose: 'json-mismatched-bracket',
  unexpectedClose: 'json-unexpected-bracket',
  trailingContent: 'json-trailing-content',
  tooManyProblems: 'json-too-many-problems',
  binary: 'file-not-text',
} as const;

/** The codes of problems with the file's overall shape. */
export const ShapeCode = {
  notCloudTrail: 'shape-not-cloudtrail',
  recordNotObject: 'shape-record-not-object',
  recordIsString: 'shape-record-is-string',
  envelopeInRecords: 'shape-envelope-in-records',
  singleEvent: 'shape-single-event',
  digestFile: 'shape-digest-file',
  embeddedEventNotString: 'shape-embedded-event-not-string',
  redacted: 'shape-redacted',
  forwarded: 'shape-forwarded',
} as const;

/** A total order of problems (position, then code, then message), so the same problems always list the same way. */
export function compareProblems(a: Problem, b: Problem): number {
  return a.start - b.start || a.end - b.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

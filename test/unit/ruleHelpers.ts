/**
 * Helpers for the rule tests: a valid record to start from, a way to change one field, and
 * readers for the problems the rules report.
 */
import { parseCloudTrail, Problem } from '../../server/src/model';
import { checkDocumentRules, RuleOptions } from '../../server/src/model/rules';

/** A record as CloudTrail writes it today: an ACM call by an assumed role, eventVersion 1.08. */
export function goodRecord(): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEID:alice',
      arn: 'arn:aws:sts::123456789012:assumed-role/CertAdmin/alice',
      accountId: '123456789012',
      accessKeyId: 'ASIAEXAMPLEKEY',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLEID',
          arn: 'arn:aws:iam::123456789012:role/CertAdmin',
          accountId: '123456789012',
          userName: 'CertAdmin',
        },
        webIdFederationData: {},
        attributes: { creationDate: '2024-05-01T09:00:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: '2024-05-01T09:15:30Z',
    eventSource: 'acm.amazonaws.com',
    eventName: 'DescribeCertificate',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' },
    responseElements: null,
    requestID: 'c0ffee00-1111-4222-8333-944445555666',
    eventID: '6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d',
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'acm.eu-west-1.amazonaws.com' },
  };
}

/** The good record with some fields replaced (a value of `undefined` removes the field). */
export function recordWith(changes: Record<string, unknown>, base: Record<string, unknown> = goodRecord()): Record<string, unknown> {
  const removed = new Set(Object.keys(changes).filter((key) => changes[key] === undefined));
  const record: Record<string, unknown> = Object.fromEntries(Object.entries(base).filter(([key]) => !removed.has(key)));
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined) record[key] = value;
  }
  return record;
}

/** A delivered log file's text holding these records, pretty-printed. */
export function logText(...records: unknown[]): string {
  return JSON.stringify({ Records: records }, null, 2);
}

/** The rule problems of a text. */
export function ruleProblems(text: string, options: RuleOptions = {}): Problem[] {
  return checkDocumentRules(parseCloudTrail(text), options);
}

/** The rule problems of one record, written as a delivered log file. */
export function problemsOf(record: unknown, options: RuleOptions = {}): Problem[] {
  return ruleProblems(logText(record), options);
}

/** The problems with `code`. */
export function withCode(problems: Problem[], code: string): Problem[] {
  return problems.filter((problem) => problem.code === code);
}

/** The text a problem's range covers. */
export function covered(text: string, problem: Problem): string {
  return text.slice(problem.start, problem.end);
}

/** The text after applying a problem's quick fix. */
export function applyFix(text: string, problem: Problem): string {
  const fix = problem.fix;
  if (!fix) {
    throw new Error(`${problem.code} has no fix`);
  }
  const start = fix.start ?? problem.start;
  const end = fix.end ?? problem.end;
  return text.slice(0, start) + fix.replacement + text.slice(end);
}

/** Checks one changed record and returns the text, its problems with `code`, and all problems. */
export function check(changes: Record<string, unknown>, code: string, options: RuleOptions = {}): { text: string; found: Problem[]; all: Problem[] } {
  const text = logText(recordWith(changes));
  const all = ruleProblems(text, options);
  return { text, found: withCode(all, code), all };
}

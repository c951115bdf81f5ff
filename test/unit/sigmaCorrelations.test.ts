import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingsOf, loadRules } from './sigmaHelpers';

const base = (name: string, time: string, extra: object = {}): object => ({
  eventVersion: '1.08',
  eventTime: time,
  eventSource: 'signin.amazonaws.com',
  eventName: name,
  sourceIPAddress: '198.51.100.1',
  userIdentity: { type: 'IAMUser', userName: 'alice' },
  ...extra,
});

const failedLogin = `title: Failed console login
id: failed-login
name: failed_login
logsource:
    product: aws
    service: cloudtrail
detection:
    selection:
        eventName: ConsoleLogin
        errorMessage: Failed authentication
    condition: selection
`;

const at = (minute: number): string => `2024-05-01T10:${String(minute).padStart(2, '0')}:00Z`;
const failure = (minute: number, extra: object = {}): object => base('ConsoleLogin', at(minute), { errorMessage: 'Failed authentication', ...extra });

describe('sigma correlations: event_count', () => {
  const rules = loadRules(`${failedLogin}---
title: Many failed logins
id: many-failed
level: high
correlation:
    type: event_count
    rules:
        - failed_login
    group-by:
        - userIdentity.userName
    timespan: 5m
    condition:
        gte: 3
`);

  it('loads without problems', () => {
    assert.deepEqual(
      rules.files.flatMap((file) => file.problems),
      [],
    );
  });

  it('reports the event that completes the count, with the window as related records', () => {
    const findings = findingsOf(rules, failure(0), failure(1), failure(2));
    assert.equal(findings.length, 1);
    assert.equal(rules.rules[findings[0].rule].metadata.id, 'many-failed');
    assert.equal(findings[0].record, 2);
    assert.deepEqual(findings[0].related, [0, 1, 2]);
  });

  it('does not report events spread beyond the timespan, nor count other groups together', () => {
    assert.equal(findingsOf(rules, failure(0), failure(4), failure(9)).length, 0);
    const other = { userIdentity: { type: 'IAMUser', userName: 'bob' } };
    assert.equal(findingsOf(rules, failure(0), failure(1, other), failure(2)).length, 0);
  });

  it('the correlated rule of the same file does not report on its own', () => {
    assert.equal(findingsOf(rules, failure(0)).length, 0);
  });
});

describe('sigma correlations: value_count', () => {
  const rules = loadRules(`${failedLogin}---
title: Password spraying
id: spraying
correlation:
    type: value_count
    rules:
        - failed-login
    group-by:
        - sourceIPAddress
    timespan: 10m
    condition:
        field: userIdentity.userName
        gt: 2
`);

  it('counts distinct values of the field', () => {
    const user = (name: string): object => ({ userIdentity: { type: 'IAMUser', userName: name } });
    assert.equal(findingsOf(rules, failure(0, user('a')), failure(1, user('a')), failure(2, user('b'))).length, 0);
    const findings = findingsOf(rules, failure(0, user('a')), failure(1, user('b')), failure(2, user('c')));
    assert.deepEqual(
      findings.map((finding) => finding.record),
      [2],
    );
  });
});

describe('sigma correlations: temporal and temporal_ordered', () => {
  const success = `title: Console login
id: login-success
name: login_success
detection:
    selection:
        eventName: ConsoleLogin
        responseElements.ConsoleLogin: Success
    condition: selection
`;
  const correlation = (type: string): string => `${failedLogin}---
${success}---
title: Failure then success
id: failure-then-success
correlation:
    type: ${type}
    rules:
        - failed_login
        - login_success
    group-by:
        - userIdentity.userName
    timespan: 10m
`;
  const ok = (minute: number): object => base('ConsoleLogin', at(minute), { responseElements: { ConsoleLogin: 'Success' } });

  it('temporal: every rule within the timespan, in any order', () => {
    const rules = loadRules(correlation('temporal'));
    assert.equal(findingsOf(rules, ok(0), failure(3)).length, 1);
    assert.equal(findingsOf(rules, ok(0), failure(30)).length, 0);
  });

  it('temporal_ordered: in the order of the rules', () => {
    const rules = loadRules(correlation('temporal_ordered'));
    assert.equal(findingsOf(rules, failure(0), ok(3)).length, 1);
    assert.equal(findingsOf(rules, ok(0), failure(3)).length, 0);
  });

  it('an unknown rule reference is reported at rules:', () => {
    const text = `title: Broken
id: broken
correlation:
    type: temporal
    rules:
        - nothing_like_this
    timespan: 10m
`;
    const problems = loadRules(text).files[0].problems;
    assert.equal(problems[0].code, 'sigma-unknown-rule');
    assert.match(text.slice(problems[0].span.start, problems[0].span.end), /nothing_like_this/);
  });
});

describe('sigma correlations: older aggregations in the condition', () => {
  const rule = (condition: string, timeframe = '    timeframe: 10m\n'): string => `title: Listing
id: listing
detection:
    selection:
        eventName: 'List*'
    selection2:
        eventName: DeleteTrail
${timeframe}    condition: ${condition}
`;
  const list = (minute: number, ip = '198.51.100.1'): object => base('ListBuckets', at(minute), { sourceIPAddress: ip });

  it('count() > N within the timeframe', () => {
    const rules = loadRules(rule('selection | count() > 2'));
    assert.deepEqual(
      findingsOf(rules, list(0), list(1), list(2)).map((finding) => finding.record),
      [2],
    );
    assert.equal(findingsOf(rules, list(0), list(1)).length, 0);
    assert.equal(findingsOf(rules, list(0), list(20), list(40)).length, 0);
  });

  it('count() by field > N counts each group apart', () => {
    const rules = loadRules(rule('selection | count() by sourceIPAddress > 1'));
    assert.equal(findingsOf(rules, list(0, '1.1.1.1'), list(1, '2.2.2.2')).length, 0);
    assert.equal(findingsOf(rules, list(0, '1.1.1.1'), list(1, '1.1.1.1')).length, 1);
  });

  it('selections joined with and under a timeframe are searched close together', () => {
    const rules = loadRules(rule('selection and selection2'));
    assert.equal(findingsOf(rules, list(0), base('DeleteTrail', at(5))).length, 1);
    assert.equal(findingsOf(rules, list(0), base('DeleteTrail', at(25))).length, 0);
  });

  it('near', () => {
    const rules = loadRules(rule('selection | near selection2', ''));
    assert.equal(findingsOf(rules, list(0), base('DeleteTrail', at(50))).length, 1);
    assert.equal(findingsOf(rules, list(0)).length, 0);
  });
});

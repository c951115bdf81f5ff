import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { correlate, CorrelationObservation, CorrelationPlan } from '../../server/src/model/detections/correlation';
import { countSatisfies } from '../../server/src/model/detections/condition';
import { seededRandom } from '../bench/generateLogs';
import { parseCloudTrail } from '../../server/src/model';
import { KnownValues } from '../../server/src/model/detections/eventFields';
import { detectionBuffers, FileDetector, readObservations } from '../../server/src/model/detections/fileDetections';
import { EventInput, readyInput } from '../../server/src/model/detections/ruleSet';
import { NO_NODE } from '../../server/src/model/json/nodeTable';
import { findingsOf, loadRules, logOf } from './sigmaHelpers';

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

/** Failed logins from one address under more than two user names within ten minutes. */
const passwordSpraying = `title: Password spraying
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
`;

describe('sigma correlations: value_count', () => {
  const rules = loadRules(`${failedLogin}---
${passwordSpraying}`);

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

  it('events at the same second are taken in file, record and rule order, whatever order they are given in', () => {
    const rules = loadRules(correlation('temporal_ordered'));
    const plan = rules.correlations[0];
    const time = Date.parse(at(5));
    const seen = (member: number, file: number, record: number): CorrelationObservation => ({
      correlation: plan.index,
      member,
      time,
      group: '["alice"]',
      record,
      file,
    });
    const found = (observations: CorrelationObservation[]) =>
      correlate(rules.correlations, observations).map((finding) => [finding.file, finding.record, finding.related.map((r) => `${r.file}:${r.record}`)]);
    // The failure (member 0) in an earlier record than the success (member 1): in order.
    assert.deepEqual(found([seen(1, 0, 5), seen(0, 0, 3)]), [[0, 5, ['0:3', '0:5']]]);
    // The failure in a later file: not in order, however the two are given.
    assert.deepEqual(found([seen(0, 1, 0), seen(1, 0, 9)]), []);
    assert.deepEqual(found([seen(1, 0, 9), seen(0, 1, 0)]), []);
    // Both rules on one record: the rules' order decides.
    assert.deepEqual(found([seen(1, 2, 4), seen(0, 2, 4)]), [[2, 4, ['2:4']]]);
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

describe('sigma correlations: the sliding window', () => {
  /** The window read again in full at every step: slow, plainly right, and what the sliding state must agree with. */
  function reference(plan: CorrelationPlan, observations: readonly CorrelationObservation[]): [number, number, string[]][] {
    const { definition } = plan;
    const list = observations
      .filter((o) => !Number.isNaN(o.time) && (definition.type !== 'value_count' || o.value !== undefined))
      .sort((a, b) => a.time - b.time || a.file - b.file || a.record - b.record || a.member - b.member);
    const span = definition.timespanMs ?? Infinity;
    const found: [number, number, string[]][] = [];
    let start = 0;
    for (let i = 0; i < list.length; i++) {
      while (start < i && list[i].time - list[start].time > span) start++;
      const window = list.slice(start, i + 1);
      const events = new Set(window.map((o) => `${o.file}:${o.record}`));
      const rulesSeen = new Set(window.map((o) => o.member)).size;
      let next = 0;
      for (const o of window) if (o.member === next) next++;
      const ok =
        definition.type === 'event_count'
          ? countSatisfies(events.size, definition.condition)
          : definition.type === 'value_count'
            ? countSatisfies(new Set(window.map((o) => o.value)).size, definition.condition)
            : definition.type === 'temporal'
              ? countSatisfies(rulesSeen, definition.condition)
              : next >= plan.members.length && countSatisfies(rulesSeen, definition.condition);
      if (!ok) continue;
      found.push([list[i].file, list[i].record, [...events]]);
      start = i + 1;
    }
    return found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }

  const members = ['a', 'b', 'c'].map(
    (name) => `title: Rule ${name}
id: rule-${name}
name: rule_${name}
detection:
    selection:
        eventName: ${name}
    condition: selection
`,
  );
  const correlations = [
    ['event_count', ['rule_a'], 'gte: 4'],
    ['event_count', ['rule_a', 'rule_b'], 'gte: 3'],
    ['value_count', ['rule_a', 'rule_b'], 'gte: 3\n        field: sourceIPAddress'],
    ['temporal', ['rule_a', 'rule_b', 'rule_c'], 'gte: 3'],
    ['temporal_ordered', ['rule_a', 'rule_b', 'rule_c'], 'gte: 3'],
  ] as const;

  for (const [type, rules, condition] of correlations) {
    it(`${type} over ${rules.length} rules finds what reading the whole window at every step finds`, () => {
      const text = `${members.join('---\n')}---
title: Correlated
id: correlated
correlation:
    type: ${type}
    rules:
${rules.map((rule) => `        - ${rule}`).join('\n')}
    timespan: 1m
    condition:
        ${condition}
`;
      const loaded = loadRules(text);
      assert.deepEqual(
        loaded.files.flatMap((file) => file.problems),
        [],
      );
      const plan = loaded.correlations[0];
      const random = seededRandom(rules.length * 31 + type.length);
      for (let run = 0; run < 30; run++) {
        // Events with few distinct times, files and values, so that ties and repeats are common;
        // each rule observes an event at most once, with the event's time and value.
        const observations: CorrelationObservation[] = [];
        const events = 20 + Math.floor(random() * 150);
        for (let event = 0; event < events; event++) {
          const file = Math.floor(random() * 3);
          const time = random() < 0.02 ? NaN : Math.floor(random() * 600) * 1000;
          const value = random() < 0.9 ? { value: String(Math.floor(random() * 5)) } : {};
          for (let member = 0; member < rules.length; member++) {
            if (random() < 0.5) observations.push({ correlation: plan.index, member, time, group: '', record: event, file, ...value });
          }
        }
        // Given in any order.
        for (let i = observations.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [observations[i], observations[j]] = [observations[j], observations[i]];
        }
        const got = correlate(loaded.correlations, observations).map((f): [number, number, string[]] => [
          f.file,
          f.record,
          f.related.map((r) => `${r.file}:${r.record}`),
        ]);
        assert.deepEqual(got, reference(plan, observations), `run ${run}`);
      }
    });
  }
});

describe('sigma correlations: the observations of an indexed file', () => {
  const rules = loadRules(`${failedLogin}---
${passwordSpraying}---
title: Failures of one user
id: failures-of-one-user
correlation:
    type: event_count
    rules:
        - failed-login
    group-by:
        - userIdentity.userName
    timespan: 10m
    condition:
        gte: 3
`);

  it('cross threads as columns and read back as the rules made them', () => {
    const records = [
      failure(0, { userIdentity: { type: 'IAMUser', userName: 'a' } }),
      failure(1, { userIdentity: { type: 'IAMUser', userName: 'b' }, sourceIPAddress: '203.0.113.9' }),
      failure(2, { userIdentity: { type: 'IAMUser' } }),
      base('ConsoleLogin', at(3)),
      { ...failure(4, { userIdentity: { type: 'IAMUser', userName: 'a' } }), eventTime: undefined },
      failure(5, { userIdentity: { type: 'IAMUser', userName: 'c' }, sourceIPAddress: '203.0.113.9' }),
    ];
    const model = parseCloudTrail(logOf(...records));
    const file = 3;
    const made: CorrelationObservation[] = [];
    const detector = new FileDetector(rules, 'key');
    const input: EventInput = { view: model.view, node: NO_NODE, knownValues: new KnownValues() };
    for (const record of model.records) {
      detector.test(record.source.view, record.node, record.summary, record.index);
      rules.evaluate(readyInput(input, record.source.view, record.node, record.summary), record.index, file, { finding: () => undefined }, made);
    }
    const result = detector.result();
    const received = structuredClone(result, { transfer: detectionBuffers(result) });
    assert.equal(result.observations.columns.byteLength, 0, 'the columns were moved, not copied');
    const read: CorrelationObservation[] = [];
    const ids = new Map(rules.correlations.map((plan) => [rules.rules[plan.rule].metadata.id, plan.index]));
    readObservations(received.observations, (id) => ids.get(id), file, read);
    assert.deepEqual(read, made);
    // What the comparison covers: counted values and their absence, group keys, a record without a time, two correlations.
    assert.ok(made.some((observation) => observation.value !== undefined) && made.some((observation) => observation.value === undefined));
    assert.ok(made.some((observation) => observation.group !== ''));
    assert.ok(made.some((observation) => Number.isNaN(observation.time)));
    assert.equal(new Set(made.map((observation) => observation.correlation)).size, 2);
    // Each correlation's id is written once per file, not once per observation.
    assert.equal(received.observations.correlationIds.length, 2);
    // A correlation the reading side does not know is left out.
    const withoutSpraying: CorrelationObservation[] = [];
    readObservations(received.observations, (id) => (id === 'spraying' ? undefined : ids.get(id)), file, withoutSpraying);
    assert.deepEqual(
      withoutSpraying,
      made.filter((observation) => rules.rules[rules.correlations[observation.correlation].rule].metadata.id !== 'spraying'),
    );
  });
});

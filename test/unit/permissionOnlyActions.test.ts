import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudTrailEventCatalog, RuleSet } from '../../server/src/model/detections';
import { iamActionExists, iamActionsOfService, iamServicePrefixes, permissionOnlyAction } from '../../server/src/model/iam';
import { PERMISSION_ONLY_ACTIONS } from '../../server/src/model/iam/eventMappings';
import { readFixture } from '../fixtures';
import { ruleText } from './sigmaHelpers';

interface EventPair {
  eventSource: string;
  eventName: string;
}

function problemsOf(detection: string) {
  const text = ruleText(detection);
  const rules = RuleSet.load([{ path: 'rule.yml', text, origin: 'user' }], { catalog: cloudTrailEventCatalog });
  return { text, rules, warnings: rules.files[0].problems.filter((problem) => problem.code === 'sigma-unknown-event') };
}

describe('permissions that CloudTrail never writes as events', () => {
  it('names only actions the IAM data has, each in one service only', () => {
    const prefixes = iamServicePrefixes();
    for (const [prefix, actions] of Object.entries(PERMISSION_ONLY_ACTIONS)) {
      for (const name of Object.keys(actions)) {
        assert.ok(iamActionExists(`${prefix}:${name}`), `${prefix}:${name}`);
        const elsewhere = prefixes.filter((other) => other !== prefix && iamActionsOfService(other).includes(name));
        assert.deepEqual(elsewhere, [], `${name} is also an action of ${elsewhere.join(', ')}`);
      }
    }
  });

  it('never names an event that the real logs or the attack records hold', () => {
    const pairs = [
      ...(JSON.parse(readFixture('iam/corpus-event-pairs.json')) as EventPair[]),
      ...(JSON.parse(readFixture('iam/traildiscover-event-pairs.json')) as EventPair[]),
    ];
    assert.ok(pairs.length > 700);
    const flagged = pairs.filter((pair) => permissionOnlyAction(pair.eventSource, pair.eventName) !== undefined);
    assert.deepEqual(flagged, []);
    for (const pair of pairs) {
      assert.notEqual(cloudTrailEventCatalog.eventExists(pair.eventSource, pair.eventName), false, `${pair.eventSource} ${pair.eventName}`);
    }
  });

  it('finds the permission by the eventSource, or in every service when the rule names none', () => {
    assert.equal(permissionOnlyAction('iam.amazonaws.com', 'PassRole')?.action, 'iam:PassRole');
    assert.equal(permissionOnlyAction(undefined, 'PassRole')?.action, 'iam:PassRole');
    assert.equal(permissionOnlyAction('s3.amazonaws.com', 'ListAllMyBuckets')?.action, 's3:ListAllMyBuckets');
    assert.equal(permissionOnlyAction('iam.amazonaws.com', 'CreateUser'), undefined);
    assert.equal(permissionOnlyAction('ec2.amazonaws.com', 'PassRole'), undefined, 'only the service that owns the permission');
    assert.equal(permissionOnlyAction('s3.amazonaws.com', 'ListBuckets'), undefined);
  });
});

describe('rule files that ask for a permission as an event', () => {
  it('warn at the eventName of a rule asking for PassRole, saying where the permission is checked', () => {
    const { text, rules, warnings } = problemsOf('    sel:\n        eventSource: iam.amazonaws.com\n        eventName: PassRole\n    condition: sel');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].severity, 'warning');
    assert.equal(text.slice(warnings[0].span.start, warnings[0].span.end), 'eventName');
    assert.match(warnings[0].message, /never writes an event named "PassRole": iam:PassRole is a permission, not a call/);
    assert.match(warnings[0].message, /RunInstances/);
    assert.equal(rules.rules.length, 1, 'the rule still loads and runs');
  });

  it('warn also when the rule names no eventSource, and for one value among several', () => {
    const { warnings } = problemsOf('    sel:\n        eventName:\n            - CreateRole\n            - PassRole\n    condition: sel');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].message, /"PassRole"/);
  });

  it('warn about ListAllMyBuckets and say the call is written as ListBuckets', () => {
    const { warnings } = problemsOf('    sel:\n        eventSource: s3.amazonaws.com\n        eventName: ListAllMyBuckets\n    condition: sel');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].message, /ListBuckets/);
  });

  it('stay quiet on the calls that carry those permissions', () => {
    for (const detection of [
      '    sel:\n        eventSource: s3.amazonaws.com\n        eventName: ListBuckets\n    condition: sel',
      '    sel:\n        eventSource: sts.amazonaws.com\n        eventName: AssumeRole\n    condition: sel',
      '    sel:\n        eventSource: ec2.amazonaws.com\n        eventName: RunInstances\n    condition: sel',
      "    sel:\n        eventName|startswith: 'Pass'\n    condition: sel",
    ]) {
      assert.deepEqual(problemsOf(detection).warnings, [], detection);
    }
  });
});

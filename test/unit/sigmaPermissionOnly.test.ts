import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import { cloudTrailEventCatalog, RuleSet } from '../../server/src/model/detections';
import { permissionOnlyAction } from '../../server/src/model/iam';
import { listFixtures, readFixture } from '../fixtures';
import { ruleText } from './sigmaHelpers';

function problemsOf(text: string): ReturnType<typeof RuleSet.load>['files'][number]['problems'] {
  return RuleSet.load([{ path: 'r.yml', text, origin: 'user' }], { catalog: cloudTrailEventCatalog }).files[0].problems;
}

describe('sigma: permission-only IAM actions named as events', () => {
  it('warns at the value of eventName: PassRole, with what to match instead', () => {
    const text = ruleText(
      '    sel:\n        eventSource: iam.amazonaws.com\n        eventName:\n            - CreateRole\n            - PassRole\n    condition: sel',
    );
    const warnings = problemsOf(text).filter((problem) => problem.code === 'sigma-permission-only');
    assert.equal(warnings.length, 1);
    const [warning] = warnings;
    assert.equal(warning.severity, 'warning');
    assert.equal(warning.span.start, text.indexOf('PassRole'));
    assert.equal(warning.span.end, text.indexOf('PassRole') + 'PassRole'.length);
    assert.match(
      warning.message,
      /^CloudTrail does not record PassRole as an event; it is a permission \(iam:PassRole\) checked when a call hands a role to an AWS service/,
    );
    assert.match(warning.message, /RunInstances/);
    assert.ok(!problemsOf(text).some((problem) => problem.code === 'sigma-unknown-event'), 'one warning for the value, not two');
  });

  it('warns without an eventSource too, and for the STS permissions, but not for real calls', () => {
    const bare = ruleText('    sel:\n        eventName: PassRole\n    condition: sel');
    assert.equal(problemsOf(bare).filter((problem) => problem.code === 'sigma-permission-only').length, 1);
    const tagSession = ruleText('    sel:\n        eventSource: sts.amazonaws.com\n        eventName: TagSession\n    condition: sel');
    const warning = problemsOf(tagSession).find((problem) => problem.code === 'sigma-permission-only');
    assert.ok(warning);
    assert.equal(tagSession.slice(warning.span.start, warning.span.end), 'TagSession');
    const real = ruleText('    sel:\n        eventSource: iam.amazonaws.com\n        eventName: CreateRole\n    condition: sel');
    assert.deepEqual(problemsOf(real), []);
    // The same name from another service is not the IAM permission.
    assert.equal(permissionOnlyAction('ec2.amazonaws.com', 'PassRole'), undefined);
  });

  it('never calls an event of the real logs among the fixtures permission-only', () => {
    let events = 0;
    for (const file of listFixtures('real').filter((name) => /\.json(\.gz)?$/.test(name))) {
      for (const record of parseCloudTrail(readFixture(file)).records) {
        const { eventSource, eventName } = record.summary;
        if (eventName === undefined) continue;
        events++;
        assert.equal(cloudTrailEventCatalog.permissionOnly?.(eventSource, eventName), undefined, `${file}: ${eventSource ?? ''} ${eventName}`);
        assert.equal(cloudTrailEventCatalog.permissionOnly?.(undefined, eventName), undefined, `${file}: ${eventName}`);
      }
    }
    assert.ok(events > 100, `${String(events)} events read`);
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import { documentFindings, RuleSet } from '../../server/src/model/detections';
import { bundledRulesDirectory, readRuleFiles } from '../../server/src/model/detections/ruleFiles';
import { FIXTURES, readFixture } from '../fixtures';

/**
 * The findings of the bundled rules on real attack records: the Stratus Red Team detonations and
 * the TrailDiscover examples. The expected findings were reviewed against each rule's detection.
 */

const rules = RuleSet.load(readRuleFiles(bundledRulesDirectory(), 'bundled').inputs);

type Expected = Record<string, { record: number; ruleId: string; title: string }[]>;

for (const [folder, expectedFile] of [
  ['real/stratus-red-team', 'stratus-red-team.json'],
  ['attack/traildiscover-examples', 'traildiscover-examples.json'],
] as const) {
  describe(`Sigma findings on ${folder}`, () => {
    const expected = JSON.parse(readFixture(path.join('findings', expectedFile))) as Expected;

    it('are the expected ones, file by file', () => {
      const names = fs.readdirSync(path.join(FIXTURES, folder)).sort();
      assert.deepEqual(Object.keys(expected).sort(), names);
      for (const name of names) {
        const model = parseCloudTrail(readFixture(path.join(folder, name)));
        const found = documentFindings(rules, model).map((finding) => ({
          record: finding.record,
          ruleId: finding.definition.metadata.id,
          title: finding.definition.metadata.title,
        }));
        assert.deepEqual(found, expected[name], name);
      }
    });

    it('place each finding on its record', () => {
      for (const name of Object.keys(expected).slice(0, 40)) {
        const model = parseCloudTrail(readFixture(path.join(folder, name)));
        for (const finding of documentFindings(rules, model)) {
          const record = model.records[finding.record];
          assert.equal(finding.start, record.start);
          assert.equal(finding.end, record.end);
        }
      }
    });
  });
}

describe('Sigma findings on the attack records, spot checks', () => {
  const findings = (relative: string): string[] =>
    documentFindings(rules, parseCloudTrail(readFixture(relative))).map((finding) => `${String(finding.record)} ${finding.definition.metadata.title}`);

  it('finds the detonations the rules were written for', () => {
    assert.deepEqual(findings('real/stratus-red-team/aws.defense-evasion.vpc-remove-flow-logs.json'), ['0 AWS VPC Flow Logs Deleted']);
    assert.deepEqual(findings('real/stratus-red-team/aws.initial-access.console-login-without-mfa.json'), ['0 AWS Successful Console Login Without MFA']);
    assert.deepEqual(findings('real/stratus-red-team/aws.privilege-escalation.iam-update-user-login-profile.json'), ['0 AWS User Login Profile Was Modified']);
  });

  it('does not report failed calls to rules that ask for success', () => {
    // TrailDiscover's DeleteFlowLogs and GuardDuty DeleteDetector examples were denied.
    assert.deepEqual(findings('attack/traildiscover-examples/DeleteFlowLogs.json.cloudtrail'), []);
    assert.ok(!findings('attack/traildiscover-examples/GuardDuty-DeleteDetector.json.cloudtrail').some((line) => line.includes('GuardDuty')));
  });
});

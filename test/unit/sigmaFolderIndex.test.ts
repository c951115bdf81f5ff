import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RuleSet } from '../../server/src/model/detections';
import { bundledRulesDirectory, readRuleFiles } from '../../server/src/model/detections/ruleFiles';
import { folderFindings, indexFolder, InThreadRunner } from '../../server/src/model/folderIndex';
import { FIXTURES, readFixture } from '../fixtures';

describe('Sigma findings of a folder index', () => {
  it('are those of each file opened on its own, read on the indexing side and matched by rule id', async () => {
    const bundled = bundledRulesDirectory();
    const rules = RuleSet.load(readRuleFiles(bundled, 'bundled').inputs);
    const folder = path.join(FIXTURES, 'real', 'stratus-red-team');
    const index = await indexFolder(folder, new InThreadRunner(), {
      maxDecompressedBytes: 64 * 1024 * 1024,
      detections: { key: 'test', bundled, folders: [] },
    });
    const expected = JSON.parse(readFixture('findings/stratus-red-team.json')) as Record<string, { record: number; ruleId: string }[]>;
    const found: Record<string, string[]> = {};
    for (const finding of folderFindings(index, rules)) {
      (found[path.basename(finding.file.path)] ??= []).push(`${String(finding.entry)} ${rules.rules[finding.rule].metadata.id}`);
    }
    for (const [name, findings] of Object.entries(expected)) {
      assert.deepEqual((found[name] ?? []).sort(), findings.map((finding) => `${String(finding.record)} ${finding.ruleId}`).sort(), name);
    }
  });

  it('runs correlations across the files of the folder', async () => {
    const bundled = bundledRulesDirectory();
    const rules = RuleSet.load(readRuleFiles(bundled, 'bundled').inputs);
    const index = await indexFolder(path.join(FIXTURES, 'real', 'stratus-red-team'), new InThreadRunner(), {
      maxDecompressedBytes: 64 * 1024 * 1024,
      detections: { key: 'correlations', bundled, folders: [] },
    });
    const correlated = folderFindings(index, rules).filter((finding) => finding.related !== undefined);
    // The EC2 password-data detonation lists backups five times in ten minutes and more.
    assert.ok(correlated.some((finding) => rules.rules[finding.rule].metadata.title === 'Potential Backup Enumeration on AWS'));
    for (const finding of correlated) assert.ok((finding.related ?? []).length > 1);
  });
});

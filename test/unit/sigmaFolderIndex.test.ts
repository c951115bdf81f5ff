import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RuleSet } from '../../server/src/model/detections';
import { bundledRulesDirectory, readRuleFiles } from '../../server/src/model/detections/ruleFiles';
import { folderFindings, indexFolder, InThreadRunner, withRulesOnce, WorkerPool } from '../../server/src/model/folderIndex';
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

  it('runs in index workers the rule files the server read, without reading them again', async () => {
    const bundled = bundledRulesDirectory();
    const rules = RuleSet.load(readRuleFiles(bundled, 'bundled').inputs);
    const folder = path.join(FIXTURES, 'real', 'stratus-red-team');
    const options = { maxDecompressedBytes: 64 * 1024 * 1024 };
    const fromFiles = await indexFolder(folder, new InThreadRunner(), { ...options, detections: { key: 'files', bundled, folders: [] } });
    // Folders that do not exist: the workers can only have the rules they were sent.
    const missing = path.join(FIXTURES, 'no such folder');
    const pool = new WorkerPool(path.resolve(__dirname, '../../server/src/model/folderIndex/indexWorker.js'), 2);
    try {
      const sent = await indexFolder(folder, pool, {
        ...options,
        detections: { key: 'sent', bundled: missing, folders: [missing], parsed: rules.parsedFiles },
      });
      const described = (index: typeof sent): string[] =>
        folderFindings(index, rules)
          .map((finding) => `${path.basename(finding.file.path)} ${String(finding.entry)} ${rules.rules[finding.rule].metadata.id}`)
          .sort();
      assert.ok(described(fromFiles).length > 10);
      assert.deepEqual(described(sent), described(fromFiles));
    } finally {
      await pool.dispose();
    }
  });

  it('sends the rule files to a worker once per key', () => {
    const parsed = RuleSet.load(readRuleFiles(bundledRulesDirectory(), 'bundled').inputs).parsedFiles;
    const job = (key: string) => ({ maxDecompressedBytes: 1, detections: { key, folders: [], parsed } });
    const first = withRulesOnce(job('a'), undefined);
    assert.equal(first.options.detections?.parsed, parsed);
    assert.equal(first.sentKey, 'a');
    const again = withRulesOnce(job('a'), first.sentKey);
    assert.deepEqual(again.options, { maxDecompressedBytes: 1, detections: { key: 'a', folders: [] } });
    assert.equal(again.sentKey, 'a');
    // Another key (the rules changed): sent again, and so is the first key after it.
    const other = withRulesOnce(job('b'), again.sentKey);
    assert.equal(other.options.detections?.parsed, parsed);
    assert.equal(withRulesOnce(job('a'), other.sentKey).options.detections?.parsed, parsed);
    // Without rule files there is nothing to leave out.
    const plain = { maxDecompressedBytes: 1, detections: { key: 'c', folders: [] } };
    assert.equal(withRulesOnce(plain, 'c').options, plain);
  });
});

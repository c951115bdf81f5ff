import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RuleSet } from '../../server/src/model/detections';
import { bundledRulesDirectory, readRuleFiles } from '../../server/src/model/detections/ruleFiles';

describe('bundled Sigma rules', () => {
  const directory = bundledRulesDirectory();
  const { inputs, unreadable } = readRuleFiles(directory, 'bundled');
  const rules = RuleSet.load(inputs);

  it('are the 57 SigmaHQ CloudTrail rules and the 8 aggregating ones, each file with its licence beside it', () => {
    assert.deepEqual(unreadable, []);
    assert.equal(inputs.filter((input) => path.dirname(input.path) === directory).length, 57);
    assert.equal(inputs.filter((input) => path.dirname(input.path) === path.join(directory, 'unsupported')).length, 8);
    assert.ok(fs.existsSync(path.join(directory, 'LICENSE-SigmaHQ.md')));
  });

  it('all load without a problem, every rule with its author and level', () => {
    assert.deepEqual(
      rules.files.filter((file) => file.problems.length > 0).map((file) => ({ file: file.path, problems: file.problems })),
      [],
    );
    for (const file of rules.files) {
      assert.ok(file.rules.length >= 1, file.path);
      for (const index of file.rules) {
        const metadata = rules.rules[index].metadata;
        assert.ok(metadata.author, `${metadata.id} has an author`);
        assert.match(metadata.id, /^[0-9a-f-]{36}$/);
      }
    }
  });

  it('the aggregating rules become correlations', () => {
    assert.equal(rules.correlations.length, 8);
    const types = rules.correlations.map((plan) => plan.definition.type).sort();
    assert.deepEqual(types, ['event_count', 'event_count', 'event_count', 'event_count', 'event_count', 'event_count', 'temporal', 'temporal']);
  });
});

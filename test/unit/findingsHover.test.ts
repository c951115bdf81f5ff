import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import { hoverContent } from '../../server/src/model/explain/hoverContent';
import { RuleMetadata } from '../../server/src/model/detections';
import { readFixture } from '../fixtures';
import { assertInert, HOSTILE_VALUES, visibleText } from './hoverRendering';
import { loadRules, ruleText } from './sigmaHelpers';

const ENV = { now: Date.UTC(2026, 10, 25, 12, 0, 0), timeZone: 'UTC' };
const TEXT = readFixture('real/stratus-red-team/aws.defense-evasion.cloudtrail-delete.json');

function hoverWith(rules: (record: number) => readonly RuleMetadata[], at = TEXT.indexOf('"DeleteTrail"') + 1): string {
  const hover = hoverContent(parseCloudTrail(TEXT), at, { ...ENV, rulesMatching: rules });
  assert.ok(hover);
  return hover.markdown;
}

describe('hovers on records that Sigma rules matched', () => {
  const rules = loadRules(
    ruleText(
      '    selection:\n        eventName: DeleteTrail\n    condition: selection',
      'description: Someone deleted a trail.\nfalsepositives:\n    - A planned clean-up\nreferences:\n    - https://example.com/why\n',
    ),
  );
  const matched = rules.detectDocument(parseCloudTrail(TEXT));

  it('shows each rule\u2019s title, level, description, ATT&CK tags, false positives, references and author', () => {
    assert.ok(matched.length > 0);
    const record = matched[0].record;
    const markdown = hoverWith((index) => (index === record ? [rules.rules[0].metadata] : []));
    assertInert(markdown);
    const text = visibleText(markdown);
    assert.match(text, /⚠ Matches 1 Sigma rule\b/);
    assert.match(text, /Test rule · level high/);
    assert.match(text, /Someone deleted a trail\./);
    assert.match(text, /ATT&CK: attack\.persistence, attack\.t1098/);
    assert.match(text, /False positives: A planned clean-up/);
    assert.match(text, /References: https:\/\/example\.com\/why/);
    assert.match(text, /Author: Test Author · rule 00000000-0000-4000-8000-000000000001, from rule0\.yml/);
    assert.match(markdown, /`https:\/\/example\.com\/why`/, 'a reference is text, not a link');
  });

  it('says nothing of rules on a record no rule matched', () => {
    assert.doesNotMatch(visibleText(hoverWith(() => [])), /Sigma/);
  });

  it('keeps a rule\u2019s hostile text inert', () => {
    for (const value of HOSTILE_VALUES) {
      const metadata: RuleMetadata = {
        ...rules.rules[0].metadata,
        title: value,
        description: value,
        author: value,
        falsepositives: [value],
        tags: [`attack.${value}`],
      };
      assertInert(
        hoverWith(() => [metadata]),
        [value],
      );
    }
  });
});

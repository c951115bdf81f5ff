import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES, RuleCode } from '../../server/src/model/rules';
import { renderRulesMarkdown, rulesSettingSchema } from '../../server/src/model/rules/rulesDoc';
import { jsonAt } from '../jsonAt';

const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');
const REGENERATE = 'run `npx tsc -p . && node scripts/rules-doc.mjs` to regenerate it from the catalogue';

describe('rule catalogue', () => {
  it('lists every rule code once, with a title and a description', () => {
    const codes = RULES.map((rule) => rule.code);
    assert.equal(new Set(codes).size, codes.length);
    assert.deepEqual([...codes].sort(), Object.values(RuleCode).sort());
    for (const rule of RULES) {
      assert.ok(rule.title.length > 0 && rule.description.length > 20, rule.code);
      assert.match(rule.code, /^[a-z0-9-]+$/);
    }
  });

  it('is what docs/rules.md says', () => {
    const written = fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');
    assert.equal(written, renderRulesMarkdown(), `docs/rules.md differs from the catalogue: ${REGENERATE}`);
  });

  it('is what the cloudtrail.diagnostics.rules setting of package.json offers', () => {
    const manifest: unknown = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const setting = jsonAt(manifest, 'contributes', 'configuration', 'properties', 'cloudtrail.diagnostics.rules') as {
      properties: Record<string, { enum: string[] }>;
    };
    assert.deepEqual(setting, rulesSettingSchema(), `package.json differs from the catalogue: ${REGENERATE}`);
    for (const rule of RULES) {
      assert.deepEqual(setting.properties[rule.code].enum, ['off', 'hint', 'info', 'warning', 'error'], rule.code);
    }
  });
});

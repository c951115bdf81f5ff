// Writes docs/rules.md and the `cloudtrail.diagnostics.rules` setting of package.json from the
// rule catalogue (server/src/model/rules/catalogue.ts). Run `npx tsc -p .` first: this reads the
// compiled catalogue in out/.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { renderRulesMarkdown, rulesSettingSchema } = require('../out/server/src/model/rules/rulesDoc.js');

writeFileSync(new URL('../docs/rules.md', import.meta.url), renderRulesMarkdown());

// Only the one property is replaced; the rest of package.json is written back as it was read.
const packageUrl = new URL('../package.json', import.meta.url);
const manifest = JSON.parse(readFileSync(packageUrl, 'utf8'));
manifest.contributes.configuration.properties['cloudtrail.diagnostics.rules'] = rulesSettingSchema();
writeFileSync(packageUrl, `${JSON.stringify(manifest, null, 2)}\n`);
console.log('wrote docs/rules.md and the cloudtrail.diagnostics.rules setting in package.json');

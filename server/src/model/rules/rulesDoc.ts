/**
 * docs/rules.md and the `cloudtrail.diagnostics.rules` setting's schema, both made from the
 * catalogue so neither can drift from the rules. `scripts/rules-doc.mjs` writes them; a test
 * fails when the files differ from what this produces.
 */
import { RULES, RuleFamily } from './catalogue';

const FAMILY_NAMES: Record<RuleFamily, string> = {
  record: 'Record fields',
  format: 'Value formats',
  identity: 'userIdentity',
  arn: 'ARNs',
  duplicate: 'Duplicates',
  acm: 'AWS Certificate Manager',
  shape: 'Shape mistakes',
};

const SEVERITIES = ['off', 'hint', 'info', 'warning', 'error'] as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The whole of docs/rules.md. */
export function renderRulesMarkdown(): string {
  const lines = [
    '# CloudTrail rules',
    '',
    'Beyond JSON syntax, CloudTrail Explorer checks what a CloudTrail record must be. Each rule has a',
    'stable code, shown with every problem it reports, and a default severity. Change the severity of',
    'any code, or turn it off, with the `cloudtrail.diagnostics.rules` setting:',
    '',
    '```json',
    '"cloudtrail.diagnostics.rules": { "record-unknown-field": "off", "region-unknown": "info" }',
    '```',
    '',
    'The same setting also takes the codes of JSON syntax problems (`json-...`) and file shape problems',
    '(`shape-...`). The ACM request checks report failed calls (records with an errorCode) as',
    'information: there the problem explains the error rather than casting doubt on the log.',
    '',
    '<!-- Generated from server/src/model/rules/catalogue.ts by scripts/rules-doc.mjs: edit the catalogue, not this file. -->',
    '',
    '| code | default | area | what it checks |',
    '| --- | --- | --- | --- |',
  ];
  for (const rule of RULES) {
    lines.push(`| \`${rule.code}\` | ${rule.defaultSeverity} | ${FAMILY_NAMES[rule.family]} | **${cell(rule.title)}.** ${cell(rule.description)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** The JSON schema of `cloudtrail.diagnostics.rules` in package.json. */
export function rulesSettingSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const rule of RULES) {
    properties[rule.code] = {
      type: 'string',
      enum: [...SEVERITIES],
      description: `${rule.title} (default: ${rule.defaultSeverity}). ${rule.description}`,
    };
  }
  return {
    type: 'object',
    default: {},
    markdownDescription:
      'The severity of each kind of problem, by code: `off`, `hint`, `info`, `warning` or `error`. Codes not listed keep their default; docs/rules.md tells what each rule checks. JSON syntax (`json-...`) and file shape (`shape-...`) codes are accepted too.',
    properties,
    additionalProperties: { type: 'string', enum: [...SEVERITIES] },
  };
}

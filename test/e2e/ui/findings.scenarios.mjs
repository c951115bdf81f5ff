// Scenarios in the Findings view (view "cloudtrail.findings", beside Events): what the bundled
// Sigma rules found in the open log, by rule with level and count; clicking a finding brings its
// record into view, and pointing at the record names the rule and its author. What the view should
// list is worked out with the project's own model and rules, so the scenario checks the view
// against the log rather than against remembered numbers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../lib/workbench.mjs';
import { cursorLine, expandedSideBarView, hoverOver, openFile } from './driver.mjs';

/** The Stratus Red Team "create admin user" detonation: its CreateAccessKey matches one bundled rule. */
const LOG = 'attack-events.json';
const require = createRequire(import.meta.url);

/** The rule groups the view should show for a workspace log (title -> { level, count, records }), from the bundled rules. */
function expectedFindings(workspace, name) {
  const { parseCloudTrail } = require(join(repoRoot, 'out/server/src/model/cloudTrailDocument.js'));
  const { RuleSet } = require(join(repoRoot, 'out/server/src/model/detections/index.js'));
  const { bundledRulesDirectory, readRuleFiles } = require(join(repoRoot, 'out/server/src/model/detections/ruleFiles.js'));
  const rules = RuleSet.load(readRuleFiles(bundledRulesDirectory(repoRoot), 'bundled').inputs);
  const text = readFileSync(join(workspace, name), 'utf8');
  const lineAt = (offset) => text.slice(0, offset).split('\n').length;
  const model = parseCloudTrail(text);
  const groups = new Map();
  for (const finding of rules.detectDocument(model)) {
    const { title, level } = rules.rules[finding.rule].metadata;
    const record = model.records[finding.record];
    const group = groups.get(title) ?? { level, count: 0, records: [] };
    group.count++;
    group.records.push({ eventName: record.summary.eventName, firstLine: lineAt(record.start), lastLine: lineAt(record.end) });
    groups.set(title, group);
  }
  return groups;
}

/** The Findings pane of the side bar, expanded (a collapsed view asks the server for nothing). */
async function findingsPane(page) {
  const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label*="CloudTrail"]').first();
  await icon.waitFor({ timeout: 15_000 }).catch(() => assert.fail('the activity bar has no CloudTrail icon'));
  const sidebarShown = await page
    .locator('.part.sidebar .pane-header h3.title', { hasText: /^Findings$/ })
    .first()
    .isVisible()
    .catch(() => false);
  if (!sidebarShown) await icon.click({ timeout: 10_000 });
  return (await expandedSideBarView(page, 'Findings')).pane;
}

/** The rows of the Findings pane at `level` as { label, description, row }. */
async function rowsAt(pane, level) {
  const rows = pane.locator(`.monaco-list-row[aria-level="${level}"]`);
  const texts = await rows.evaluateAll((elements) =>
    elements.map((element) => ({
      label: element.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: element.querySelector('.label-description')?.textContent?.trim() ?? '',
    })),
  );
  return texts.map((text, index) => ({ ...text, row: rows.nth(index) }));
}

/** Waits until the pane's rows at `level` satisfy `accept`; returns them. */
async function waitForRows(pane, level, accept, what) {
  const deadline = Date.now() + 20_000;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await rowsAt(pane, level);
    if (rows.length > 0 && accept(rows)) return rows;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return assert.fail(`the Findings view does not show ${what}; it shows: ${rows.map((r) => `${r.label} (${r.description})`).join(', ') || 'nothing'}`);
}

const findingsCount = (count) => `${count} finding${count === 1 ? '' : 's'}`;

export const findingsScenarios = [
  {
    name: 'findings',
    title:
      'the Findings view lists the rules that matched the open log with level and count; clicking a finding shows its record, whose hover names the rule and its author',
    async run({ page, workspace, screenshot }) {
      const expected = expectedFindings(workspace, LOG);
      assert.ok(expected.size > 0, `the bundled rules find something in ${LOG}`);
      await openFile(page, LOG);
      const pane = await findingsPane(page);
      const groups = await waitForRows(
        pane,
        1,
        (rows) =>
          rows.length === expected.size &&
          [...expected].every(([title, group]) =>
            rows.some((row) => row.label === title && row.description === `${group.level} · ${findingsCount(group.count)}`),
          ),
        `one group per matching rule, each with its level and number of findings (${[...expected].map(([title, group]) => `${title}: ${group.level} · ${findingsCount(group.count)}`).join('; ')})`,
      );

      const [title, group] = [...expected][0];
      const startLine = await cursorLine(page);
      await defined(groups.find((row) => row.label === title)).row.click({ timeout: 10_000 });
      const findings = await waitForRows(pane, 2, (rows) => rows.length === group.count, `the ${findingsCount(group.count)} of "${title}" under its group`);
      await findings[0].row.click({ timeout: 10_000 });
      const deadline = Date.now() + 10_000;
      let line = startLine;
      while (line === startLine && Date.now() < deadline) {
        await page.waitForTimeout(100);
        line = await cursorLine(page);
      }
      const record = group.records.find((candidate) => line >= candidate.firstLine && line <= candidate.lastLine);
      assert.ok(
        record,
        `the cursor (line ${line}) is in a record the rule matched (${group.records.map((r) => `${r.eventName}, lines ${r.firstLine}-${r.lastLine}`).join('; ')})`,
      );

      const hover = await hoverOver(page, record.eventName, title);
      assert.match(hover, /Author/, `the hover on the matched record names the rule's author: ${hover}`);
      await screenshot();
    },
  },
];

function defined(value) {
  assert.ok(value !== undefined && value !== null);
  return value;
}

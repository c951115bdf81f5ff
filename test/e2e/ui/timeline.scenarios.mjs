// Scenarios in the Timeline panel (webview view "cloudtrail.timeline" in the panel area): drawn
// for the open log with its findings marked, brushing filters the Events and Findings views, one
// click clears that, and exporting writes a CSV that reads back with the findings named.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../lib/workbench.mjs';
import { expandedSideBarView, openFile, runCommand } from './driver.mjs';

const LOG = 'console-download.json';
const require = createRequire(import.meta.url);

/** The events of a workspace log as the model reads them, oldest first: their times in ms. */
function eventTimes(workspace, name) {
  const { parseCloudTrail } = require(join(repoRoot, 'out/server/src/model/cloudTrailDocument.js'));
  const { eventTimeMs } = require(join(repoRoot, 'out/server/src/model/eventGrouping.js'));
  return parseCloudTrail(readFileSync(join(workspace, name), 'utf8'))
    .records.map((record) => eventTimeMs(record.summary))
    .sort((a, b) => a - b);
}

/** The Timeline's page inside the workbench's webview frames. */
async function timelineFrame(page) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (
        await frame
          .locator('#chartArea')
          .count()
          .catch(() => 0)
      )
        return frame;
    }
    await page.waitForTimeout(200);
  }
  return assert.fail('the Timeline panel did not open a page with a chart');
}

/** The Findings view's header (expanded, so that it loads) and its description ("by rule · 5 in x.json · 2014-09-27 19:41:45–19:44:36 UTC"). */
async function findingsDescription(page) {
  const { header } = await expandedSideBarView(page, 'Findings');
  return (
    await header
      .locator('.description')
      .first()
      .innerText()
      .catch(() => '')
  ).trim();
}

/** Waits until the Findings view's description satisfies `accept`; returns it. */
async function waitForFindings(page, accept, what) {
  const deadline = Date.now() + 15_000;
  let description = '';
  while (Date.now() < deadline) {
    description = await findingsDescription(page);
    if (accept(description)) return description;
    await page.waitForTimeout(200);
  }
  return assert.fail(`the Findings view does not show ${what}; its description is "${description}"`);
}

/** The Events view's message line ("logs · N of M events · by action · filter: 2024-11-24 10:00–10:30 UTC"). */
async function eventsMessage(page) {
  return (
    await page
      .locator('.part.sidebar .pane-body .message, .part.sidebar .tree-explorer-viewlet-tree-view-message')
      .first()
      .innerText()
      .catch(() => '')
  ).trim();
}

export const timelineScenarios = [
  {
    name: 'timeline',
    title:
      'the Timeline panel draws the open log with its findings, brushing filters the Events and Findings views, and export writes a CSV naming the findings',
    timeoutMs: 90_000,
    async run({ page, workspace, screenshot }) {
      const times = eventTimes(workspace, LOG);
      await openFile(page, LOG);
      // The status-bar item of the log opens the Timeline, and its label says so.
      const status = page.locator('.part.statusbar .statusbar-item[id$="cloudtrail.status"]').first();
      await status.waitFor({ timeout: 15_000 }).catch(() => assert.fail('the log has no CloudTrail status-bar item'));
      const label = (await status.locator('[aria-label]').first().getAttribute('aria-label')) ?? (await status.getAttribute('aria-label')) ?? '';
      assert.match(label, /events over time in the Timeline/, `the status-bar item says what a click does; its label is "${label}"`);
      await status.click();
      const frame = await timelineFrame(page);
      const message = frame.locator('#message');
      await message
        .filter({ hasText: `${times.length} events` })
        .waitFor({ timeout: 20_000 })
        .catch(async () => {
          assert.fail(`the Timeline does not say it draws the ${times.length} events of the log; it says "${await message.innerText().catch(() => '?')}"`);
        });
      const over = frame.locator('.u-over');
      await over.waitFor({ timeout: 10_000 }).catch(() => assert.fail('the Timeline drew no chart'));
      // The events with findings are marked, and the message counts them.
      const findingsMarked = Number((await message.innerText()).match(/([\d,]+) with findings/)?.[1]?.replace(/,/g, '') ?? 'NaN');
      assert.ok(findingsMarked > 0, `the Timeline says how many events with findings it marks; it says "${await message.innerText()}"`);
      await screenshot();
      // The counts as a table, for the keyboard and screen readers.
      await frame.locator('#toggleTable').click();
      const rows = frame.locator('#table tbody tr');
      await rows
        .first()
        .waitFor({ timeout: 5_000 })
        .catch(() => assert.fail('the table view lists no buckets'));
      const counted = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[1]?.textContent ?? 'NaN')))).reduce((a, b) => a + b, 0);
      assert.equal(counted, times.length, 'the table counts every event of the log');
      const headers = await frame.locator('#table thead th').allInnerTexts();
      assert.equal(headers[3], 'With findings', `the table has a column of events with findings; its columns are ${headers.join(', ')}`);
      const tabled = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[3]?.textContent ?? 'NaN')))).reduce((a, b) => a + b, 0);
      assert.equal(tabled, findingsMarked, 'the table counts the events with findings the chart marks');

      // By Sigma rule: one series per rule that matched.
      await frame.locator('#byRule').click();
      await message
        .filter({ hasText: 'rule matches' })
        .filter({ hasText: 'by Sigma rule' })
        .waitFor({ timeout: 10_000 })
        .catch(async () => {
          assert.fail(`the Timeline by Sigma rule does not count rule matches; it says "${await message.innerText().catch(() => '?')}"`);
        });
      assert.equal(await frame.locator('#byRule').getAttribute('aria-pressed'), 'true');
      await frame.locator('#byRule').click();
      await message.filter({ hasText: `${times.length} events` }).waitFor({ timeout: 10_000 });
      await page.locator('.part.activitybar .action-item a.action-label[aria-label*="CloudTrail"]').first().click({ timeout: 10_000 });
      const allFindings = await waitForFindings(page, (text) => /\d+ in /.test(text), "the log's findings");
      assert.doesNotMatch(allFindings, /UTC$/, 'the Findings view is not cut to a time range yet');

      // Brush the left 70% of the chart (the log's findings fall there): the Events view keeps only those events.
      // Switching the series back draws the chart again: wait until it is laid out before brushing it.
      let box = null;
      const laidOut = Date.now() + 10_000;
      while (!(box && box.width > 0 && box.height > 0) && Date.now() < laidOut) {
        box = await over.boundingBox().catch(() => null);
        if (!(box && box.width > 0 && box.height > 0)) await page.waitForTimeout(200);
      }
      assert.ok(box && box.width > 0 && box.height > 0, 'the chart has a size');
      await page.mouse.move(box.x + 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      const deadline = Date.now() + 15_000;
      let shown = '';
      while (Date.now() < deadline && !/ of [\d,]+ events · .* · filter: /.test(shown)) {
        await page.waitForTimeout(200);
        shown = await eventsMessage(page);
      }
      const match = shown.match(/ ([\d,]+) of ([\d,]+) events · .* · filter: (.*\d\d:\d\d.* UTC)$/);
      assert.ok(match, `the Events view says it is filtered to a time range; it says "${shown}"`);
      assert.equal(Number(match[2].replace(/,/g, '')), times.length);
      const matched = Number(match[1].replace(/,/g, ''));
      assert.ok(matched > 0 && matched < times.length, `brushing part of the chart keeps some events, not all (${matched})`);
      // The Findings view follows the same time filter.
      const brushedFindings = await waitForFindings(page, (text) => / · \d{4}-\d\d-\d\d .*UTC$/.test(text), 'the time range');
      const findingsInRange = Number(brushedFindings.match(/(\d+) in /)?.[1] ?? 'NaN');
      assert.ok(findingsInRange > 0, `the Findings view counts the findings in the range; it says "${brushedFindings}"`);

      // Export what the view shows as a timeline CSV, and read it back.
      const target = join(workspace, 'brushed-events.csv');
      await runCommand(page, 'CloudTrail: Export Events...', { asks: true });
      const formats = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Timeline CSV' }).first();
      await formats.waitFor({ timeout: 10_000 });
      await formats.click();
      // The save dialog is a path in the quick input, filled in with the default file name.
      const pathInput = page.locator('.quick-input-widget .quick-input-box input');
      const offered = Date.now() + 10_000;
      while (!(await pathInput.inputValue().catch(() => '')).endsWith('cloudtrail-events.csv') && Date.now() < offered) await page.waitForTimeout(100);
      await pathInput.fill(target);
      await pathInput.press('Enter');
      const written = Date.now() + 15_000;
      while (!existsSync(target) && Date.now() < written) await page.waitForTimeout(200);
      assert.ok(existsSync(target), 'the export was written where the save dialog said');
      const lines = readFileSync(target, 'utf8').trimEnd().split('\n');
      assert.equal(lines[0], 'time,identity,source_ip,region,action,result,error,finding,file,record');
      assert.equal(lines.length - 1, matched, 'the export holds exactly the events the view shows');
      const { parse } = require(join(repoRoot, 'node_modules/csv-parse/dist/cjs/sync.cjs'));
      const exported = parse(readFileSync(target, 'utf8'), { columns: true });
      const named = exported.flatMap((row) => (row.finding === '' ? [] : row.finding.split('; ')));
      assert.ok(named.length > 0, 'the finding column names the findings of the exported events');
      assert.equal(named.length, findingsInRange, 'the export names as many findings as the Findings view lists for the range');

      // One click clears the time filter of all three views.
      await frame.locator('#clearRange').click();
      await waitForFindings(page, (text) => /\d+ in /.test(text) && !/UTC$/.test(text), 'all its findings again');
      const cleared = Date.now() + 10_000;
      while (Date.now() < cleared && / · filter: /.test(await eventsMessage(page))) await page.waitForTimeout(200);
      assert.doesNotMatch(await eventsMessage(page), / · filter: /, 'the Events view is no longer filtered');
      await message.filter({ hasNotText: 'time filter' }).waitFor({ timeout: 10_000 });
    },
  },
];

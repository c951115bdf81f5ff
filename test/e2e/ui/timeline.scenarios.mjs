// Scenarios in the Timeline panel (webview view "cloudtrail.timeline" in the panel area): drawn
// for the open log, brushing filters the Events view, and exporting writes a CSV that reads back.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../lib/workbench.mjs';
import { openFile, runCommand } from './driver.mjs';

const LOG = 'console-download.json';
const require = createRequire(import.meta.url);

/** The events of a workspace log as the model reads them, oldest first: their times in ms. */
function eventTimes(workspace, name) {
  const { parseCloudTrail } = require(join(repoRoot, 'out/server/src/model/cloudTrailDocument.js'));
  const { eventTimeMs } = require(join(repoRoot, 'out/server/src/model/eventGrouping.js'));
  return parseCloudTrail(readFileSync(join(workspace, name), 'utf8')).records.map((record) => eventTimeMs(record.summary)).sort((a, b) => a - b);
}

/** The Timeline's page inside the workbench's webview frames. */
async function timelineFrame(page) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.locator('#chartArea').count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(200);
  }
  return assert.fail('the Timeline panel did not open a page with a chart');
}

/** The Events view's message line ("logs · N of M events · by action · filter: 2024-11-24 10:00–10:30 UTC"). */
async function eventsMessage(page) {
  return (await page.locator('.part.sidebar .pane-body .message, .part.sidebar .tree-explorer-viewlet-tree-view-message').first().innerText().catch(() => '')).trim();
}

export const timelineScenarios = [
  {
    name: 'timeline',
    title: 'the Timeline panel draws the open log, brushing filters the Events view, and export writes a CSV',
    timeoutMs: 90_000,
    async run({ page, workspace, screenshot }) {
      const times = eventTimes(workspace, LOG);
      await openFile(page, LOG);
      await runCommand(page, 'CloudTrail: Show Timeline');
      const frame = await timelineFrame(page);
      const message = frame.locator('#message');
      await message.filter({ hasText: `${times.length} events` }).waitFor({ timeout: 20_000 }).catch(async () => {
        assert.fail(`the Timeline does not say it draws the ${times.length} events of the log; it says "${await message.innerText().catch(() => '?')}"`);
      });
      const over = frame.locator('.u-over');
      await over.waitFor({ timeout: 10_000 }).catch(() => assert.fail('the Timeline drew no chart'));
      await screenshot();
      // The counts as a table, for the keyboard and screen readers.
      await frame.locator('#toggleTable').click();
      const rows = frame.locator('#table tbody tr');
      await rows.first().waitFor({ timeout: 5_000 }).catch(() => assert.fail('the table view lists no buckets'));
      const counted = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[1]?.textContent ?? 'NaN')))).reduce((a, b) => a + b, 0);
      assert.equal(counted, times.length, 'the table counts every event of the log');

      // Brush the left half of the chart: the Events view keeps only those events.
      const box = await over.boundingBox();
      assert.ok(box, 'the chart has a size');
      await page.mouse.move(box.x + 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      await page.locator('.part.activitybar .action-item a.action-label[aria-label*="CloudTrail"]').first().click({ timeout: 10_000 });
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
      assert.ok(matched > 0 && matched < times.length, `brushing half the chart keeps some events, not all (${matched})`);

      // Export what the view shows as a timeline CSV, and read it back.
      const target = join(workspace, 'brushed-events.csv');
      await runCommand(page, 'CloudTrail: Export Events...');
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
    },
  },
];

// Scenarios in the editor: opening logs, reading problems, reading hovers, running a command.
import assert from 'node:assert/strict';
import { DELIVERED_GZ, DELIVERED_JSON } from '../lib/workspace.mjs';
import { hoverOver, languageShown, openFile, problemsListing, runCommand, visibleEditorText, waitForLanguageShown } from './driver.mjs';

export const editorScenarios = [
  {
    name: 'open-log',
    title: 'a delivered log opens as a CloudTrail log',
    async run({ page, screenshot }) {
      await openFile(page, DELIVERED_JSON);
      await waitForLanguageShown(page, 'CloudTrail Log');
      const text = await visibleEditorText(page);
      assert.match(text, /"eventName":\s*"DescribeLaunchConfigurations"/);
      await screenshot();
    },
  },
  {
    name: 'detect-download',
    title: 'a pretty console download, opened as JSON, is switched to CloudTrail',
    async run({ page, screenshot }) {
      await openFile(page, 'console-download.json');
      await waitForLanguageShown(page, 'CloudTrail Log');
      await screenshot();
    },
  },
  {
    name: 'treat-as-cloudtrail',
    title: 'the command palette offers "CloudTrail: Treat This File as a CloudTrail Log" and it switches the file',
    async run({ page, screenshot }) {
      await openFile(page, 'not-cloudtrail.json');
      assert.equal(await languageShown(page), 'JSON');
      await runCommand(page, 'CloudTrail: Treat This File as a CloudTrail Log');
      await waitForLanguageShown(page, 'CloudTrail Log');
      await screenshot();
    },
  },
  {
    name: 'problems',
    title: 'the Problems panel lists the errors of a broken AWS example',
    async run({ page, screenshot }) {
      await openFile(page, 'acm-add-tags.cloudtrail.json');
      const rows = await problemsListing(page, 'json-unquoted-key');
      assert.ok(
        rows.some((row) => row.includes('acm-add-tags.cloudtrail.json')),
        `the file is listed: ${rows.join(' | ')}`,
      );
      // The first problem: the unquoted key "Records" on line 2.
      assert.ok(
        rows.some((row) => row.includes('json-unquoted-key') && /Ln 2, Col 5/.test(row)),
        rows.join('\n'),
      );
      // The status bar's problem counter has an error for each of the 25 unquoted keys, at least.
      const counter = (await page.locator('[id="status.problems"]').innerText()).replace(/\s+/g, ' ').trim();
      const errors = Number(counter.match(/\d+/)?.[0] ?? 'NaN');
      assert.ok(errors >= 25, `the status bar counts at least 25 errors: "${counter}"`);
      // The extension's own item says as many errors and warnings as the Problems counter.
      const [, warnings = 0] = counter.match(/\d+/g)?.map(Number) ?? [];
      const item = page.locator('.statusbar-item[id$="cloudtrail.status"]');
      const deadline = Date.now() + 15_000;
      let said = '';
      while (Date.now() < deadline && !said.includes(`${errors} errors`)) {
        said = (await item.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
        if (!said.includes(`${errors} errors`)) await page.waitForTimeout(200);
      }
      assert.ok(said.includes(`${errors} errors`), `the CloudTrail status item says ${errors} errors as the Problems counter does: "${said}"`);
      assert.equal(/(\d+) warnings?/.exec(said)?.[1] ?? '0', String(warnings), `the CloudTrail status item says ${warnings} warnings: "${said}"`);
      await screenshot();
    },
  },
  {
    name: 'hover',
    title: 'pointing at an ACM eventName shows what the operation does',
    async run({ page, screenshot }) {
      await openFile(page, 'acm-get-certificate.json');
      await waitForLanguageShown(page, 'CloudTrail Log');
      const text = await hoverOver(page, 'GetCertificate', 'GetCertificate');
      assert.ok(text.replace('GetCertificate', '').trim().length > 40, `the hover explains more than the name: ${text}`);
      await screenshot();
    },
  },
  {
    name: 'open-gz',
    title: 'a delivered .json.gz log opens as readable CloudTrail text',
    async run({ page, screenshot }) {
      await openFile(page, DELIVERED_GZ);
      await page
        .locator('.editor-instance .view-lines', { hasText: 'eventName' })
        .first()
        .waitFor({ timeout: 15_000 })
        .catch(() => assert.fail(`${DELIVERED_GZ} does not show its records as text`));
      await waitForLanguageShown(page, 'CloudTrail Log');
      await screenshot();
    },
  },
];

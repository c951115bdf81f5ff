import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { parseExportArguments } from '../../server/src/cli/exportCommand';
import { FIXTURES, readFixture } from '../fixtures';
import { ROOT } from '../protocol/lspSession';

function exportCli(...argv: string[]): { code: number | null; out: string; err: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/cloudtrail-explorer.js'), 'export', ...argv], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('command line: export', () => {
  const stratus = path.join(FIXTURES, 'real/stratus-red-team');

  it('writes a timeline CSV of every event of a folder, oldest first', () => {
    const { code, out } = exportCli(stratus);
    assert.equal(code, 0);
    const rows = parseCsv<Record<string, string>>(out, { columns: true });
    const expected = fs
      .readdirSync(stratus)
      .filter((name) => name.endsWith('.json'))
      .reduce((sum, name) => sum + (JSON.parse(readFixture(`real/stratus-red-team/${name}`)) as unknown[]).length, 0);
    assert.equal(rows.length, expected);
    const times = rows.map((row) => Date.parse(row.time));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });

  it('cuts to a time range and a filter, and reads JSON Lines back', () => {
    const all = exportCli('--format', 'jsonl', stratus)
      .out.trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { eventTime: string; errorCode?: string });
    const middle = all[Math.floor(all.length / 2)].eventTime;
    const { code, out } = exportCli('--format', 'jsonl', '--from', middle, '--errors-only', stratus);
    assert.equal(code, 0);
    const picked = out
      .trimEnd()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { eventTime: string; errorCode?: string });
    const expected = all.filter((event) => Date.parse(event.eventTime) >= Date.parse(middle) && event.errorCode !== undefined);
    assert.ok(expected.length > 0);
    assert.deepEqual(picked, expected);
  });

  it('names in the finding column the Sigma rules each event matched, as detect finds them', () => {
    const expected = JSON.parse(readFixture('findings/stratus-red-team.json')) as Record<string, { record: number; title: string }[]>;
    const { code, out } = exportCli(stratus);
    assert.equal(code, 0);
    const rows = parseCsv<Record<string, string>>(out, { columns: true });
    let withFindings = 0;
    for (const row of rows) {
      const titles = [
        ...new Set((expected[path.basename(row.file)] ?? []).filter((finding) => String(finding.record) === row.record).map((finding) => finding.title)),
      ];
      assert.deepEqual(row.finding === '' ? [] : row.finding.split('; ').sort(), titles.sort(), `${row.file} record ${row.record}`);
      if (titles.length > 0) withFindings++;
    }
    assert.ok(withFindings > 10, String(withFindings));
    const quiet = parseCsv<Record<string, string>>(exportCli('--no-findings', stratus).out, { columns: true });
    assert.equal(quiet.length, rows.length);
    assert.ok(quiet.every((row) => row.finding === ''));
  });

  it('names a file it cannot read, writes the others, and exits 1', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudtrail-export-'));
    try {
      fs.copyFileSync(path.join(FIXTURES, 'real/trailscraper/events-for-smoke-test.json'), path.join(folder, 'good.json'));
      fs.writeFileSync(path.join(folder, 'cut.json.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]));
      const { code, out, err } = exportCli('--format', 'csv', folder);
      assert.equal(code, 1);
      assert.match(err, /cut\.json\.gz: .*damaged/);
      assert.ok(parseCsv(out, { columns: true }).length > 0);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses arguments it cannot use', () => {
    assert.deepEqual(parseExportArguments(['--format', 'xlsx', 'a']).kind, 'usage');
    assert.deepEqual(parseExportArguments(['--from', 'tomorrow', 'a']).kind, 'usage');
    assert.deepEqual(parseExportArguments([]).kind, 'usage');
    const parsed = parseExportArguments(['--to=2024-01-01T00:00:00Z', '--service', 'iam', '--writes-only', 'a', 'b']);
    assert.deepEqual(parsed, {
      kind: 'run',
      options: {
        format: 'timeline-csv',
        filter: { to: '2024-01-01T00:00:00Z', service: 'iam', writesOnly: true },
        inputs: ['a', 'b'],
        findings: true,
        defaultRules: true,
        ruleFolders: [],
      },
    });
    assert.equal(parseExportArguments(['--rules', 'a']).kind, 'usage', 'a folder of rules is not a log to export');
    const { code: missingCode, err: missingErr } = exportCli('--rules', path.join(os.tmpdir(), 'no-such-rules-folder'), stratus);
    assert.equal(missingCode, 2);
    assert.match(missingErr, /no rule folder or file/);
    const { code, err } = exportCli('--bogus', 'x');
    assert.equal(code, 2);
    assert.match(err, /Unknown option --bogus/);
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../server/src/cli/run';
import { bundledRulesDirectory } from '../../server/src/model/detections/ruleFiles';
import { FIXTURES } from '../fixtures';

async function detect(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli({
    argv: ['detect', ...argv],
    cwd: process.cwd(),
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    version: '9.8.7',
    bundledRules: bundledRulesDirectory(),
  });
  return { code, out, err };
}

const fixture = (relative: string): string => path.join(FIXTURES, relative);
const DELETE_TRAIL = fixture('real/stratus-red-team/aws.defense-evasion.cloudtrail-delete.json');
const FINDING_LINE = /^(.+):(\d+):(\d+): (informational|low|medium|high|critical) (\S+) (.+)$/;

interface JsonOutput {
  files: { path: string; findings: { record: number; eventID: string | null; eventName: string | null; ruleId: string; title: string; level: string }[] }[];
}

describe('cloudtrail-explorer detect', () => {
  let rulesDir: string;
  before(() => {
    rulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigma-cli-'));
    fs.writeFileSync(
      path.join(rulesDir, 'keys.yml'),
      'title: Access key created\nid: cli-test-create-key\nlevel: high\ndetection:\n    selection:\n        eventName: CreateAccessKey\n    condition: selection\n',
    );
    fs.mkdirSync(path.join(rulesDir, 'broken'));
    fs.writeFileSync(
      path.join(rulesDir, 'broken', 'bad.yml'),
      'title: Bad\nid: cli-test-bad\ndetection:\n    selection:\n        eventName|nope: X\n    condition: selection\n',
    );
  });
  after(() => {
    fs.rmSync(rulesDir, { recursive: true, force: true });
  });

  it('prints file:line:col: level rule-id title at the eventName, and exits 3 with findings', async () => {
    const result = await detect(DELETE_TRAIL);
    assert.equal(result.code, 3);
    const lines = result.out.split('\n').filter((line) => FINDING_LINE.test(line));
    assert.deepEqual(lines, [`${DELETE_TRAIL}:6:20: medium 4db60cc0-36fb-42b7-9b58-a5b53019fb74 AWS CloudTrail Important Change`]);
    const text = fs.readFileSync(DELETE_TRAIL, 'utf8').split('\n');
    assert.equal(text[5].slice(19, 32), '"DeleteTrail"');
    assert.match(result.out, /1 finding in 1 file, by rule:\n +1 +medium +AWS CloudTrail Important Change \(vitaliy0x1\)/);
  });

  it('exits 0 when no rule matches', async () => {
    const result = await detect('--no-default-rules', '--rules', rulesDir, DELETE_TRAIL);
    assert.equal(result.code, 0);
    assert.doesNotMatch(result.out, FINDING_LINE);
  });

  it('with --no-default-rules --rules DIR runs only the rules of DIR (and its subfolders), reporting broken ones on standard error', async () => {
    const result = await detect('--no-default-rules', '--rules', rulesDir, '--format', 'json', fixture('shapes/one-per-line.ndjson.json'));
    assert.equal(result.code, 3);
    const output = JSON.parse(result.out) as JsonOutput;
    assert.deepEqual(
      output.files[0].findings.map((finding) => [finding.record, finding.ruleId, finding.eventName]),
      [[1, 'cli-test-create-key', 'CreateAccessKey']],
    );
    assert.match(result.err, /broken[/\\]bad\.yml:5:9: error sigma-unknown-modifier /);
  });

  it('gives the position in Events for lookup-events output', async () => {
    const result = await detect('--no-default-rules', '--rules', path.join(rulesDir, 'keys.yml'), '--format', 'json', fixture('shapes/lookup-events.json'));
    const output = JSON.parse(result.out) as JsonOutput;
    const text = JSON.parse(fs.readFileSync(fixture('shapes/lookup-events.json'), 'utf8')) as { Events: { EventName: string; EventId: string }[] };
    const expected = text.Events.findIndex((event) => event.EventName === 'CreateAccessKey');
    assert.equal(output.files[0].findings.length, 1);
    assert.equal(output.files[0].findings[0].record, expected);
    assert.equal(output.files[0].findings[0].eventID, text.Events[expected].EventId);
  });

  it('keeps the JSON contract over a folder, every file listed, and counts agree with the text output', async () => {
    const folder = fixture('real/stratus-red-team');
    const json = JSON.parse((await detect('--format', 'json', folder)).out) as JsonOutput;
    assert.equal(json.files.length, fs.readdirSync(folder).length);
    for (const file of json.files) {
      for (const finding of file.findings) {
        assert.deepEqual(Object.keys(finding).slice(0, 6), ['record', 'eventID', 'eventName', 'ruleId', 'title', 'level']);
      }
    }
    const text = await detect('--no-summary', folder);
    const total = json.files.reduce((sum, file) => sum + file.findings.length, 0);
    assert.equal(text.out.trim().split('\n').length, total);
  });

  it('writes SARIF 2.1.0 with one result per finding and each rule described once', async () => {
    const result = await detect('--format', 'sarif', fixture('real/stratus-red-team'));
    assert.equal(result.code, 3);
    const sarif = JSON.parse(result.out) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string; properties: { author: string } }[] } };
        results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
      }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    const json = JSON.parse((await detect('--format', 'json', fixture('real/stratus-red-team'))).out) as JsonOutput;
    assert.equal(
      run.results.length,
      json.files.reduce((sum, file) => sum + file.findings.length, 0),
    );
    assert.equal(new Set(run.tool.driver.rules.map((rule) => rule.id)).size, run.tool.driver.rules.length);
    for (const entry of run.results) {
      assert.equal(run.tool.driver.rules[entry.ruleIndex].id, entry.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(entry.level));
      assert.ok(entry.locations[0].physicalLocation.region.startLine >= 1);
    }
    assert.ok(run.tool.driver.rules.every((rule) => typeof rule.properties.author === 'string'));
  });

  it('exits 2 on a missing rule folder, an unknown format, or --no-default-rules without --rules; --help documents the exit codes', async () => {
    assert.equal((await detect('--rules', path.join(rulesDir, 'nothing-here'), DELETE_TRAIL)).code, 2);
    assert.equal((await detect('--format', 'xml', DELETE_TRAIL)).code, 2);
    assert.equal((await detect('--no-default-rules', DELETE_TRAIL)).code, 2);
    const help = await detect('--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /0 when no rule matched, 3 when at least one did/);
  });
});

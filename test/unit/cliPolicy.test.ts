import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES } from '../fixtures';

const root = path.resolve(FIXTURES, '..', '..');
const bin = path.join(root, 'bin', 'cloudtrail-explorer.js');
const STRATUS = 'test/fixtures/real/stratus-red-team';
const CHRISTOPHE = 'arn:aws:iam::056392974792:user/christophe';

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  assert.ok(fs.existsSync(path.join(root, 'dist', 'cli.js')), 'dist/cli.js is missing: run node scripts/build.mjs first');
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
}

function temporaryFile(name: string, text: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudtrail-policy-'));
  const file = path.join(folder, name);
  fs.writeFileSync(file, text);
  return file;
}

interface Policy {
  Version: string;
  Statement: { Sid: string; Effect: string; Action: string[]; Resource: string | string[] }[];
}

describe('cloudtrail-explorer policy', () => {
  it('writes only the policy JSON to standard output, and the notes to standard error', () => {
    const result = run('policy', '--identity', CHRISTOPHE, STRATUS);
    assert.equal(result.status, 0, result.stderr);
    const policy = JSON.parse(result.stdout) as Policy;
    assert.equal(policy.Version, '2012-10-17');
    const actions = policy.Statement.flatMap((statement) => statement.Action);
    assert.ok(actions.length > 0);
    assert.deepEqual(actions, [...new Set(actions)], 'no action twice');
    for (const statement of policy.Statement) {
      assert.deepEqual(statement.Action, [...statement.Action].sort(), 'actions sorted');
      assert.match(statement.Sid, /^[A-Za-z0-9]+$/);
    }
    assert.match(result.stderr, /^# Notes on the generated IAM policy/);
    assert.match(result.stderr, new RegExp(`Events: the calls of ${CHRISTOPHE.replace(/[.*]/g, '\\$&')}`));
  });

  it('leaves failed calls out unless --include-failed', () => {
    const role = 'arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role';
    const without = JSON.parse(run('policy', '--identity', role, STRATUS).stdout) as Policy;
    const withFailed = JSON.parse(run('policy', '--identity', role, '--include-failed', STRATUS).stdout) as Policy;
    const actionsOf = (policy: Policy): string[] => policy.Statement.flatMap((statement) => statement.Action);
    assert.ok(!actionsOf(without).includes('ec2:GetPasswordData'));
    assert.ok(actionsOf(withFailed).includes('ec2:GetPasswordData'));
  });

  it('gives an empty policy and a message for an identity that made no call', () => {
    const result = run('policy', '--identity', 'arn:aws:iam::111122223333:user/nobody', STRATUS);
    assert.equal(result.status, 0);
    assert.deepEqual(JSON.parse(result.stdout), { Version: '2012-10-17', Statement: [] });
    assert.match(result.stderr, /made no call in these logs/);
  });

  it('refuses unknown options with exit status 2', () => {
    assert.equal(run('policy', '--bogus', STRATUS).status, 2);
    assert.equal(run('policy').status, 2);
  });
});

describe('cloudtrail-explorer compare-policy', () => {
  it('prints the comparison as the JSON contract', () => {
    const generated = run('policy', '--identity', CHRISTOPHE, STRATUS).stdout;
    const policy = JSON.parse(generated) as Policy;
    // One action taken away, and one never used added: they must come back as not granted and unused.
    const removed = policy.Statement[0].Action.shift() ?? '';
    if (policy.Statement[0].Action.length === 0) policy.Statement.shift();
    policy.Statement.push({ Sid: 'Extra', Effect: 'Allow', Action: ['s3:Get*', 'kms:Decrypt'], Resource: '*' });
    const file = temporaryFile('policy.json', JSON.stringify(policy));
    const result = run('compare-policy', file, STRATUS, '--identity', CHRISTOPHE, '--format', 'json');
    assert.equal(result.status, 0, result.stderr);
    const comparison = JSON.parse(result.stdout) as {
      used: { action: string; count: number }[];
      unused: string[];
      notGranted: { action: string; count: number }[];
    };
    assert.deepEqual(Object.keys(comparison), ['used', 'unused', 'notGranted']);
    assert.deepEqual(
      comparison.notGranted.map((entry) => entry.action),
      [removed],
    );
    assert.ok(comparison.notGranted[0].count > 0);
    assert.deepEqual(comparison.unused, ['s3:Get*', 'kms:Decrypt']);
    assert.ok(comparison.used.length > 0 && comparison.used.every((entry) => entry.count > 0 && /^[a-z0-9-]+:[A-Za-z0-9]+$/.test(entry.action)));
  });

  it('reads get-policy-version output and prints a readable text comparison', () => {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ssm:*', 'ec2:Describe*'], Resource: '*' }] };
    const file = temporaryFile(
      'version.json',
      JSON.stringify({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(document)), VersionId: 'v1', IsDefaultVersion: true } }),
    );
    const result = run('compare-policy', file, STRATUS, '--identity', CHRISTOPHE);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^# .*version\.json compared with the events/);
    assert.match(result.stdout, /- ssm:\*: used by ssm:DescribeInstanceInformation ×51, /);
    assert.match(result.stdout, /- ec2:Describe\*: unused, at line 1, column \d+ \(PolicyVersion\.Document\.Statement\[0\]\.Action\[1\]\)/);
    assert.match(result.stdout, /## Used but not granted by this document\n\n\(none\)/);
  });

  it('says where a bad policy is wrong', () => {
    const file = temporaryFile('bad.json', '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Permit", "Action": "*", "Resource": "*"}]\n}\n');
    const result = run('compare-policy', file, STRATUS);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /bad\.json: line 3, column 18 \(Statement\[0\]\.Effect\): Effect must be "Allow" or "Deny"/);
    const notJson = temporaryFile('broken.json', '{"Statement": [');
    assert.match(run('compare-policy', notJson, STRATUS).stderr, /broken\.json: line 1, column \d+: This is not valid JSON/);
  });
});

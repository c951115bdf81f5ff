import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../server/src/cli/run';
import { FIXTURES } from '../fixtures';

async function trace(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli({ argv: ['trace', ...argv], cwd: process.cwd(), stdout: (t) => (out += t), stderr: (t) => (err += t), version: '0' });
  return { code, out, err };
}

const TRAIL = path.join(FIXTURES, 'trail');

interface TraceJson {
  origin: { identity: string; eventID: string } | null;
  chain: { identity: string; eventID: string; eventName: string }[];
  related: { file: string; record: number; eventID: string }[];
  complete: boolean;
}

describe('command line: trace', () => {
  it('prints the chain of a key back to alice and every event holding it, as the JSON contract says', async () => {
    const { code, out } = await trace(TRAIL, '--key', 'ASIAQWERTYAUDIT00003', '--format', 'json');
    assert.equal(code, 0);
    const json = JSON.parse(out) as TraceJson;
    assert.deepEqual(json.origin, { identity: 'arn:aws:iam::111111111111:user/alice', eventID: '1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a51' });
    assert.deepEqual(
      json.chain.map((step) => [step.identity, step.eventName]),
      [
        ['arn:aws:sts::333333333333:assumed-role/AuditRole/alice-audit', 'RequestCertificate'],
        ['arn:aws:sts::222222222222:assumed-role/DeployRole/alice-deploy', 'AssumeRole'],
        ['arn:aws:iam::111111111111:user/alice', 'AssumeRole'],
        ['arn:aws:iam::111111111111:user/alice', 'GetSessionToken'],
      ],
    );
    assert.equal(json.complete, true);
    assert.equal(json.related.length, 6);
    for (const related of json.related) {
      const records = (JSON.parse(await fs.readFile(related.file, 'utf8')) as { Records: { eventID: string }[] }).Records;
      assert.equal(records[related.record].eventID, related.eventID, 'file and record point at the event');
      assert.ok(JSON.stringify(records[related.record]).includes('ASIAQWERTYAUDIT00003'));
    }
  });

  it('traces a resource to the principal that made it, and a session to its origin', async () => {
    const resource = JSON.parse(
      (await trace(TRAIL, '--resource', 'arn:aws:acm:us-east-1:333333333333:certificate/4f1d2c3b-8a9e-4b7c-9d6e-1a2b3c4d5e6f', '--format=json')).out,
    ) as TraceJson;
    assert.equal(resource.origin?.identity, 'arn:aws:iam::111111111111:user/alice');
    assert.equal(resource.chain[0].eventName, 'RequestCertificate');
    assert.deepEqual(resource.related.length, 4);
    const text = await trace(TRAIL, '--session', 'arn:aws:sts::333333333333:assumed-role/AWSReservedSSO_AdminAccess_0a1b2c3d4e5f6789/bob@example.com');
    assert.equal(text.code, 0);
    assert.match(text.out, /^Who is behind session .*: Identity Center user 94482488-3041-7026-18f3-be45837cd0e4\n/);
    assert.match(text.out, /credentials issued by GetRoleCredentials/);
  });

  it('exits 1 when no event holds the value and 2 on a usage error', async () => {
    const missing = await trace(TRAIL, '--key', 'AKIANOTINTHESELOGS00');
    assert.equal(missing.code, 1);
    assert.match(missing.out, /No event of the 4 files read holds key AKIANOTINTHESELOGS00/);
    assert.equal((await trace(TRAIL)).code, 2);
    assert.equal((await trace(TRAIL, '--key', 'A', '--session', 'B')).code, 2);
    assert.equal((await trace('--key', 'A')).code, 2);
  });
});

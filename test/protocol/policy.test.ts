import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ComparePolicyRequest, GeneratePolicyRequest, IndexFolderRequest } from '../../server/src/protocol';
import { parseCloudTrail } from '../../server/src/model';
import { documentUsage, generatePolicy, policyText, selectDocumentEvents } from '../../server/src/model/iam/policy';
import { iamCatalogue } from '../../server/src/model/iam/policy/iamCatalogue';
import { FIXTURES, listFixtures, readFixture } from '../fixtures';
import { LspSession } from './lspSession';

const ADMIN_USER = 'real/stratus-red-team/aws.persistence.iam-create-admin-user.json';
const PASSWORD_DATA = 'real/stratus-red-team/aws.credential-access.ec2-get-password-data.json';

function fileUri(relative: string): string {
  return pathToFileURL(path.join(FIXTURES, relative)).href;
}

interface Policy {
  Statement: { Action: string[]; Resource: string | string[] }[];
}

describe('cloudtrail/generatePolicy and cloudtrail/comparePolicy from the real server', () => {
  let session: LspSession;
  let scratch: string;

  before(async () => {
    session = await LspSession.start();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudtrail-policy-protocol-'));
    for (const file of [ADMIN_USER, PASSWORD_DATA]) await session.open(fileUri(file), readFixture(file));
  });
  after(async () => {
    await session.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('generates the policy of an identity group of open logs, with its notes', async () => {
    const scope = [ADMIN_USER, PASSWORD_DATA].map((file) => ({ uri: fileUri(file) }));
    const result = await session.connection.sendRequest(GeneratePolicyRequest.type, {
      textDocument: scope[0],
      scope,
      groupBy: ['identity', 'action'],
      group: ['arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role'],
      subject: 'role stratus-red-team-ec2-get-password-data-role',
    });
    assert.ok(result);
    const policy = JSON.parse(result.policy) as Policy;
    // Every call of this role failed: nothing to grant, and the failed calls listed apart.
    assert.deepEqual(policy.Statement, []);
    assert.match(result.notes, /Events: role stratus-red-team-ec2-get-password-data-role/);
    assert.match(result.notes, /The policy is empty: no successful call/);
    assert.match(result.notes, /ec2\.amazonaws\.com GetPasswordData: needs ec2:GetPasswordData; 30 failed calls/);
    const withFailed = await session.connection.sendRequest(GeneratePolicyRequest.type, {
      textDocument: scope[1],
      groupBy: ['identity'],
      group: ['arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role'],
      includeFailed: true,
    });
    assert.ok(withFailed);
    assert.ok((JSON.parse(withFailed.policy) as Policy).Statement.some((statement) => statement.Action.includes('ec2:GetPasswordData')));
  });

  it('applies the tree filter and the group keys of an action group', async () => {
    const result = await session.connection.sendRequest(GeneratePolicyRequest.type, {
      textDocument: { uri: fileUri(ADMIN_USER) },
      groupBy: ['action'],
      filter: { service: 'iam' },
      group: ['iam.amazonaws.com:CreateUser'],
    });
    assert.ok(result);
    assert.deepEqual(
      (JSON.parse(result.policy) as Policy).Statement.map((statement) => [statement.Action, statement.Resource]),
      [[['iam:CreateUser'], 'arn:aws:iam::229654561268:user/malicious-iam-user']],
    );
    const missing = await session.connection.sendRequest(GeneratePolicyRequest.type, {
      textDocument: { uri: fileUri(ADMIN_USER) },
      groupBy: ['action'],
      group: ['no such group'],
    });
    assert.equal(missing, null);
  });

  it('compares a pasted policy with the events, and names the place of a broken one', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Create*', 's3:*'], Resource: '*' }] });
    const result = await session.connection.sendRequest(ComparePolicyRequest.type, {
      textDocument: { uri: fileUri(ADMIN_USER) },
      groupBy: [],
      policy,
      policyName: 'pasted policy',
    });
    assert.ok(result?.ok);
    assert.equal(result.unused, 1);
    assert.match(result.report, /^# pasted policy compared with the events/);
    assert.match(result.report, /- iam:Create\*: used by iam:CreateAccessKey ×1, iam:CreateUser ×1/);
    assert.match(result.report, /- iam:AttachUserPolicy: 1 call/);
    const broken = await session.connection.sendRequest(ComparePolicyRequest.type, {
      textDocument: { uri: fileUri(ADMIN_USER) },
      groupBy: [],
      policy: '{"Statement": [{"Effect": "Allow"}]}',
    });
    assert.deepEqual(broken, { ok: false, message: 'line 1, column 16 (Statement[0]): The statement has neither "Action" nor "NotAction".' });
  });

  it('generates the policy of a folder index, its records read back for their resources, as for the same logs open', async () => {
    const folder = path.join(scratch, 'logs');
    fs.cpSync(path.join(FIXTURES, 'real', 'trailscraper'), folder, { recursive: true });
    const uri = pathToFileURL(folder).href;
    await session.connection.sendRequest(IndexFolderRequest.type, { uri });
    const result = await session.connection.sendRequest(GeneratePolicyRequest.type, { folder: uri, groupBy: ['identity'] });
    assert.ok(result);
    const policy = JSON.parse(result.policy) as Policy;
    assert.deepEqual(policy.Statement.flatMap((statement) => statement.Action).sort(), [
      'apigateway:GET',
      'autoscaling:DescribeLaunchConfigurations',
      'sts:AssumeRole',
    ]);
    const open = listFixtures('real/trailscraper').map((file) => parseCloudTrail(readFixture(file)));
    assert.equal(result.policy, policyText(generatePolicy(documentUsage(selectDocumentEvents(open, { groupBy: [] }) ?? []), iamCatalogue).policy));
    assert.ok(policy.Statement.some((statement) => statement.Resource === 'arn:aws:iam::111111111111:role/someRole'));
  });
});

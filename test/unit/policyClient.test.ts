import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { comparePolicyCommand, EventsViewState, generatePolicyCommand, PolicyEnvironment, PolicySource } from '../../client/src/policy/policyActions';
import { EventTreeInput } from '../../server/src/features/eventTree';
import { comparePolicyFor, generatePolicyFor, PolicySources } from '../../server/src/features/policy';
import { parseCloudTrail } from '../../server/src/model';
import { iamCatalogue } from '../../server/src/model/iam/policy/iamCatalogue';
import { ComparePolicyParams, GeneratePolicyParams } from '../../server/src/protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIXTURES, readFixture } from '../fixtures';

const FILE = 'real/stratus-red-team/aws.persistence.iam-create-admin-user.json';
const URI = pathToFileURL(path.join(FIXTURES, FILE)).href;

/** The server's policy feature in this process, over one open log; every request is kept. */
function server(): { generated: GeneratePolicyParams[]; compared: ComparePolicyParams[]; api: PolicyEnvironment['server'] } {
  const text = readFixture(FILE);
  const input: EventTreeInput = { document: TextDocument.create(URI, 'cloudtrail', 1, text), model: parseCloudTrail(text), problems: [] };
  const sources: PolicySources = { inputsOf: (uri) => (uri === URI ? input : undefined), folderUsage: () => undefined };
  const generated: GeneratePolicyParams[] = [];
  const compared: ComparePolicyParams[] = [];
  return {
    generated,
    compared,
    api: {
      generatePolicy: (params) => {
        generated.push(params);
        return Promise.resolve(generatePolicyFor(params, sources, iamCatalogue));
      },
      comparePolicy: (params) => {
        compared.push(params);
        return Promise.resolve(comparePolicyFor(params, sources, iamCatalogue));
      },
    },
  };
}

function environment(view: EventsViewState | undefined, options: { activeLog?: string; includeFailed?: boolean; policy?: PolicySource } = {}) {
  const fake = server();
  const opened: { content: string; language: string; beside: boolean }[] = [];
  const errors: string[] = [];
  const env: PolicyEnvironment = {
    server: fake.api,
    view: () => view,
    activeLog: () => options.activeLog,
    includeFailed: () => options.includeFailed ?? false,
    pickPolicy: () => Promise.resolve(options.policy),
    openDocument: (content, language, beside) => {
      opened.push({ content, language, beside });
      return Promise.resolve();
    },
    showInformation: () => undefined,
    showError: (message) => errors.push(message),
  };
  return { env, opened, errors, fake };
}

describe('The policy commands of the extension', () => {
  it('asks for the events of the group the user picked, with the tree filter, and opens the policy and its notes', async () => {
    const { env, opened, fake } = environment({ groupBy: ['action'], filter: { service: 'iam' }, documents: [URI] }, { includeFailed: true });
    await generatePolicyCommand({ type: 'group', path: ['iam.amazonaws.com:CreateUser'], group: { label: 'CreateUser' } }, env);
    assert.deepEqual(fake.generated, [
      {
        groupBy: ['action'],
        textDocument: { uri: URI },
        filter: { service: 'iam' },
        group: ['iam.amazonaws.com:CreateUser'],
        subject: 'CreateUser',
        includeFailed: true,
      },
    ]);
    assert.deepEqual(
      opened.map((document) => [document.language, document.beside]),
      [
        ['json', false],
        ['markdown', true],
      ],
    );
    assert.deepEqual((JSON.parse(opened[0].content) as { Statement: { Action: string[] }[] }).Statement[0].Action, ['iam:CreateUser']);
    assert.match(opened[1].content, /^# Notes on the generated IAM policy\n\nEvents: CreateUser, filtered as in the Events view/);
  });

  it('works on the whole active log from the command palette, and says so when there is none', async () => {
    const withLog = environment(undefined, { activeLog: URI });
    await generatePolicyCommand('activeLog', withLog.env);
    assert.deepEqual(withLog.fake.generated[0].groupBy, []);
    assert.equal(withLog.opened.length, 2);
    const without = environment(undefined);
    await generatePolicyCommand('activeLog', without.env);
    assert.equal(without.opened.length, 0);
    assert.match(without.errors[0], /Open a CloudTrail log/);
  });

  it('compares a picked policy and opens the report, or says what is wrong with it', async () => {
    const policy = { text: '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:*", "Resource": "*"}}', name: 'admin.json' };
    const good = environment({ groupBy: ['identity'], documents: [URI] }, { policy });
    await comparePolicyCommand('view', good.env);
    assert.equal(good.fake.compared[0].policyName, 'admin.json');
    assert.equal(good.opened.length, 1);
    assert.match(good.opened[0].content, /^# admin\.json compared with the events/);
    const bad = environment({ groupBy: ['identity'], documents: [URI] }, { policy: { text: '{"Statement": 1}', name: 'bad.json' } });
    await comparePolicyCommand('view', bad.env);
    assert.equal(bad.opened.length, 0);
    assert.match(bad.errors[0], /^bad\.json is not a policy document this can read: line 1, column 2 \(Statement\): Statement must be an object or an array/);
    const gaveUp = environment({ groupBy: ['identity'], documents: [URI] });
    await comparePolicyCommand('view', gaveUp.env);
    assert.deepEqual(gaveUp.fake.compared, []);
  });
});

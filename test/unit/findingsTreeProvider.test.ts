import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describeFinding, OPEN_FINDING_COMMAND } from '../../client/src/findings/findingItems';
import { FindingGroupNode, FindingNode, FindingsServer, FindingsTreeModel } from '../../client/src/findings/findingsModel';
import { OpenCloudTrailDocuments } from '../../client/src/eventTree/eventTreeModel';
import { FindingsInput, findingsTree, FindingsSource, rereadFolderFindingsTree } from '../../server/src/features/findings';
import { CloudTrailDocument, parseCloudTrail } from '../../server/src/model';
import { RuleSet } from '../../server/src/model/detections';
import { bundledRulesDirectory, readRuleFiles } from '../../server/src/model/detections/ruleFiles';
import { FindingsParams, FindingsResult } from '../../server/src/protocol';
import { readFixture } from '../fixtures';
import { loadRules, ruleText } from './sigmaHelpers';

const BUNDLED = RuleSet.load(readRuleFiles(bundledRulesDirectory(), 'bundled').inputs);

/** A language server in the test process: the server's own findings feature over documents parsed here. */
class FakeServer implements FindingsServer {
  readonly requests: FindingsParams[] = [];
  private readonly inputs = new Map<string, FindingsInput>();
  enabled = true;

  constructor(private readonly rules: RuleSet) {}

  open(uri: string, text: string): void {
    this.inputs.set(uri, { document: TextDocument.create(uri, 'cloudtrail', 1, text), model: parseCloudTrail(text) });
  }

  async findings(params: FindingsParams): Promise<FindingsResult | null> {
    this.requests.push(structuredClone(params));
    const source: FindingsSource = {
      enabled: this.enabled,
      rules: this.rules,
      findings: (_document: TextDocument, model: CloudTrailDocument) => this.rules.detectDocument(model),
    };
    if (params.folder !== undefined) {
      // A folder index of the open texts, read back by path.
      const byPath = new Map([...this.inputs].map(([uri, input]) => [new URL(uri).pathname, input.model]));
      return rereadFolderFindingsTree(structuredClone(params), [...byPath.keys()], async (path) => byPath.get(path) ?? 'gone', source);
    }
    return findingsTree(structuredClone(params), (uri) => this.inputs.get(uri), source);
  }
}

class FakeDocuments implements OpenCloudTrailDocuments {
  activeUri: string | undefined;
  active(): string | undefined {
    return this.activeUri;
  }
  all(): string[] {
    return this.activeUri ? [this.activeUri] : [];
  }
}

const DELETE = 'file:///logs/delete-trail.json';

function setUp(rules: RuleSet = BUNDLED): { server: FakeServer; documents: FakeDocuments; model: FindingsTreeModel } {
  const server = new FakeServer(rules);
  server.open(DELETE, readFixture('real/stratus-red-team/aws.defense-evasion.cloudtrail-delete.json'));
  const documents = new FakeDocuments();
  documents.activeUri = DELETE;
  const model = new FindingsTreeModel(server, documents);
  model.setVisible(true);
  return { server, documents, model };
}

describe('the Findings tree', () => {
  it('lists the rules that matched the active log, with level and count, and their findings open the record', async () => {
    const { server, model } = setUp();
    const top = (await model.getChildren()) as FindingGroupNode[];
    assert.deepEqual(server.requests, [{ textDocument: { uri: DELETE }, groupBy: 'rule' }]);
    const important = top.find((node) => node.group.label === 'AWS CloudTrail Important Change');
    assert.ok(important, top.map((node) => node.group.label).join(', '));
    const item = describeFinding(important);
    assert.equal(item.description, `medium · ${important.group.count} finding${important.group.count === 1 ? '' : 's'}`);
    assert.equal(item.contextValue, 'cloudtrail.findingGroup.rule.sql');
    assert.match(item.tooltip, /Author: vitaliy0x1/);
    assert.match(item.tooltip, /Detection Rule License 1\.1/);
    assert.match(model.description, /^by rule · \d+ in delete-trail\.json$/);
    const findings = (await model.getChildren(important)) as FindingNode[];
    assert.equal(findings.length, important.group.count);
    const first = describeFinding(findings[0]);
    assert.match(first.label, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d DeleteTrail$/);
    assert.deepEqual(first.command, { command: OPEN_FINDING_COMMAND, title: 'Go to Event', arguments: [findings[0]] });
    assert.match(first.tooltip, /Author: vitaliy0x1/, 'the author is shown with every match');
    assert.equal(findings[0].uri, DELETE);
    assert.equal(model.getParent(findings[0]), important);
  });

  it('groups by ATT&CK tactic and by identity when asked', async () => {
    const { server, model } = setUp();
    await model.getChildren();
    model.setGrouping('tactic');
    const tactics = (await model.getChildren()) as FindingGroupNode[];
    assert.equal(server.requests.at(-1)?.groupBy, 'tactic');
    assert.ok(
      tactics.some((node) => node.group.kind === 'tactic' && node.group.label === 'Defense Impairment'),
      tactics.map((node) => node.group.label).join(),
    );
    const underTactic = (await model.getChildren(tactics[0])) as FindingNode[];
    assert.equal(describeFinding(underTactic[0]).label, underTactic[0].rule.title, 'under a tactic each finding is named by its rule');
    model.setGrouping('identity');
    const identities = (await model.getChildren()) as FindingGroupNode[];
    assert.ok(identities.length > 0 && identities.every((node) => node.group.kind === 'identity'));
    assert.equal(describeFinding(identities[0]).icon.id, 'person');
  });

  it('says why it is empty: no log, nothing found, or detections turned off', async () => {
    const quiet = setUp(loadRules(ruleText('    selection:\n        eventName: NeverWritten\n    condition: selection')));
    assert.deepEqual(await quiet.model.getChildren(), []);
    assert.equal(quiet.model.message, 'No Sigma rule matches an event of this log.');
    quiet.server.enabled = false;
    quiet.model.refresh();
    await quiet.model.getChildren();
    assert.equal(quiet.model.message, 'Detections are turned off (cloudtrail.detections.enabled).');
    quiet.documents.activeUri = undefined;
    quiet.model.onActiveEditorChanged();
    await quiet.model.getChildren();
    assert.equal(quiet.model.message, 'Open a CloudTrail log to see what the Sigma rules find in it.');
  });

  it('escapes a rule\u2019s text in tooltips and keeps labels on one line', async () => {
    const hostile = ruleText('    selection:\n        eventName: DeleteTrail\n    condition: selection')
      .replace('title: Test rule', 'title: "[click](command:workbench.action.terminal.new)\\nsecond line"')
      .replace('author: Test Author', 'author: "<img src=x onerror=alert(1)>"');
    const { model } = setUp(loadRules(hostile));
    const [group] = (await model.getChildren()) as FindingGroupNode[];
    const item = describeFinding(group);
    assert.ok(!item.label.includes('\n'));
    assert.match(item.tooltip, /\\\[click\\\]\\\(command\\:workbench/);
    assert.match(item.tooltip, /Author: \\<img src\\=x onerror\\=alert\\\(1\\\)\\>/);
    assert.equal(item.contextValue, 'cloudtrail.findingGroup.rule.sql');
  });

  it('shows the findings of the folder index the Events view shows, each naming its file', async () => {
    const { server, model } = setUp();
    server.open('file:///logs/stop-trail.json', readFixture('real/stratus-red-team/aws.defense-evasion.cloudtrail-stop.json'));
    model.setFolder({ uri: 'file:///logs', label: 'logs' });
    const groups = (await model.getChildren()) as FindingGroupNode[];
    assert.deepEqual(server.requests.at(-1), { textDocument: { uri: 'file:///logs' }, groupBy: 'rule', folder: 'file:///logs' });
    assert.match(model.description, /^by rule · \d+ in logs$/);
    const findings = (await Promise.all(groups.map((group) => model.getChildren(group)))).flat() as FindingNode[];
    assert.deepEqual(new Set(findings.map((finding) => finding.uri)), new Set([DELETE, 'file:///logs/stop-trail.json']));
    model.setFolder(undefined);
    await model.getChildren();
    assert.deepEqual(server.requests.at(-1), { textDocument: { uri: DELETE }, groupBy: 'rule' });
  });

  it('asks again when the shown log changes, refreshes only when its findings did, and drops an answer that came too late', async () => {
    const { server, model } = setUp();
    let changes = 0;
    model.onDidChange(() => changes++);
    await model.getChildren();
    const changed = (uri: string, version: number) => ({ uri, version, shape: 'records', events: 1, failedEvents: 0, errors: 0, warnings: 0 });
    await model.onModelChanged(changed('file:///logs/other.json', 2));
    assert.equal(changes, 0, 'another log changed nothing');
    assert.equal(server.requests.length, 1);
    await model.onModelChanged(changed(DELETE, 1));
    assert.equal(server.requests.length, 2, 'the findings are asked again');
    assert.equal(changes, 0, 'the same findings: the rows stay (a refresh would replace a row being clicked)');
    server.open(DELETE, readFixture('real/stratus-red-team/aws.credential-access.ec2-get-password-data.json'));
    await model.onModelChanged(changed(DELETE, 2));
    assert.equal(changes, 1, 'other findings: the view is refreshed');
    const pending = model.getChildren();
    model.setGrouping('identity');
    assert.deepEqual(await pending, [], 'the answer to the older request is dropped');
    assert.equal(server.requests.at(-1)?.groupBy, 'rule');
    await model.getChildren();
    assert.equal(server.requests.at(-1)?.groupBy, 'identity');
  });
});

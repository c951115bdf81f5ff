import * as assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  EventNode,
  EventTreeModel,
  EventTreeServer,
  GroupNode,
  MAX_FOLLOW_POSITION,
  GROUPINGS,
  MoreNode,
  OpenCloudTrailDocuments,
  PAGE_SIZE,
  TreeNode,
} from '../../client/src/eventTree/eventTreeModel';
import { describeNode, escapeMarkdown, REVEAL_EVENT_COMMAND, SHOW_MORE_COMMAND } from '../../client/src/eventTree/treeItems';
import { showTime } from '../../server/src/model/explain/time';
import { statusBarContent } from '../../client/src/statusBarText';
import { EventTreeInput, EventTreeService } from '../../server/src/features/eventTree';
import { parseCloudTrail, validateDocument } from '../../server/src/model';
import { EventAtParams, EventRef, EventTreeParams, EventTreeResult } from '../../server/src/protocol';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, readFixture } from '../fixtures';
import { defined } from '../defined';

/**
 * A language server in the test process: the server's own event tree feature over documents parsed
 * here, recording every request. No VS Code, no process, no protocol.
 */
class FakeServer implements EventTreeServer {
  readonly treeRequests: EventTreeParams[] = [];
  readonly atRequests: EventAtParams[] = [];
  failure: Error | undefined;
  private readonly service = new EventTreeService();
  private readonly inputs = new Map<string, EventTreeInput>();

  open(uri: string, text: string): TextDocument {
    const document = TextDocument.create(uri, 'cloudtrail', 1, text);
    const model = parseCloudTrail(text);
    this.inputs.set(uri, { document, model, problems: validateDocument(model) });
    return document;
  }

  async eventTree(params: EventTreeParams): Promise<EventTreeResult | null> {
    this.treeRequests.push(structuredClone(params));
    if (this.failure) throw this.failure;
    return this.service.eventTree(structuredClone(params), (uri) => this.inputs.get(uri));
  }

  async eventAt(params: EventAtParams): Promise<EventRef | null> {
    this.atRequests.push(structuredClone(params));
    if (this.failure) throw this.failure;
    return this.service.eventAt(structuredClone(params), (uri) => this.inputs.get(uri));
  }
}

class FakeDocuments implements OpenCloudTrailDocuments {
  activeUri: string | undefined;
  open: string[] = [];
  active(): string | undefined {
    return this.activeUri;
  }
  all(): string[] {
    return [...this.open];
  }
}

const ACM = 'file:///logs/acm-lookup-events.json';
const OTHER = 'file:///logs/other%20log.json';
const BIG = 'file:///logs/big.json';
const BIG_EVENTS = 1_234 as number; // a number, not a literal type: the test checks it stays below MAX_FOLLOW_POSITION

/** 1,234 DescribeCertificate calls by one user, out of time order, and one RequestCertificate. */
function bigLog(): string {
  const records = [];
  for (let i = 0; i < BIG_EVENTS; i++) {
    const second = (i * 7919) % BIG_EVENTS;
    const time = new Date(Date.UTC(2026, 10, 24, 10, 0, 0) + second * 1000).toISOString().replace('.000Z', 'Z');
    records.push({
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' },
      eventTime: time,
      eventSource: 'acm.amazonaws.com',
      eventName: 'DescribeCertificate',
      awsRegion: 'eu-west-1',
      readOnly: true,
      eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    });
  }
  records.push({ ...records[0], eventName: 'RequestCertificate', readOnly: false, eventTime: '2026-11-24T12:00:00Z' });
  return JSON.stringify({ Records: records }, null, 1);
}

function events(nodes: readonly TreeNode[]): EventNode[] {
  return nodes.filter((node): node is EventNode => node.type === 'event');
}

function groups(nodes: readonly TreeNode[]): GroupNode[] {
  return nodes.filter((node): node is GroupNode => node.type === 'group');
}

describe('the Events tree', () => {
  let server: FakeServer;
  let documents: FakeDocuments;
  let model: EventTreeModel;
  let changes: (TreeNode | undefined)[];

  beforeEach(() => {
    server = new FakeServer();
    documents = new FakeDocuments();
    server.open(ACM, readFixture('shapes/lookup-events-event-tree.json'));
    server.open(OTHER, readFixture('shapes/lookup-events.json'));
    documents.activeUri = ACM;
    documents.open = [ACM, OTHER];
    model = new EventTreeModel(server, documents);
    model.setVisible(true);
    changes = [];
    model.onDidChange((node) => changes.push(node));
  });

  it('shows nothing and asks nothing without a CloudTrail document', async () => {
    documents.activeUri = undefined;
    model.onActiveEditorChanged();
    assert.equal(model.hasDocument, false);
    assert.deepEqual(await model.getChildren(), []);
    assert.deepEqual(server.treeRequests, []);
    assert.equal(model.message, undefined);
  });

  it('lists the top groups with their counts only, and fetches a group when it is expanded', async () => {
    const top = await model.getChildren();
    assert.deepEqual(server.treeRequests, [{ textDocument: { uri: ACM }, groupBy: ['action'], depth: 1 }]);
    assert.deepEqual(
      top.map((node) => {
        const item = describeNode(node);
        return [item.label, item.description, item.icon.id, item.collapsible];
      }),
      [
        ['DescribeCertificate', 'acm · 2 events', 'eye', true],
        ['AddTagsToCertificate', 'acm · 1 event', 'edit', true],
        ['DeleteCertificate', 'acm · 1 event', 'edit', true],
        ['ListCertificates', 'acm · 1 event, 1 failed', 'eye', true],
        ['RequestCertificate', 'acm · 1 event', 'edit', true],
      ],
    );
    assert.ok(groups(top).every((node) => node.group.groups === undefined && node.group.events === undefined));
    assert.equal(model.description, 'acm-lookup-events.json');
    assert.equal(model.message, 'acm-lookup-events.json · 6 events · by action');

    const describeCertificate = top[0];
    const children = await model.getChildren(describeCertificate);
    assert.deepEqual(server.treeRequests[1], {
      textDocument: { uri: ACM },
      groupBy: ['action'],
      group: ['acm.amazonaws.com:DescribeCertificate'],
      depth: 1,
      limit: PAGE_SIZE,
    });
    assert.deepEqual(
      children.map((node) => [describeNode(node).label, describeNode(node).description]),
      [
        ['DescribeCertificate · 10:04:58', '2026-11-24 · role CertManager / session bob · us-east-1'],
        ['DescribeCertificate · 10:05:42', '2026-11-24 · role CertManager / session bob · us-east-1'],
      ],
    );
    // Asked once: the view may ask again for the same node.
    assert.equal(await model.getChildren(describeCertificate), children);
    assert.equal(server.treeRequests.length, 2);
    assert.equal(model.getParent(children[0]), describeCertificate);
  });

  it('nests sessions under their role, then actions, then events, and marks the failed ones', async () => {
    model.setGroupBy(['identity', 'action']);
    const top = await model.getChildren();
    assert.deepEqual(
      top.map((node) => [describeNode(node).label, describeNode(node).description, describeNode(node).icon.id]),
      [
        ['role CertManager', '3 events, 1 failed', 'organization'],
        ['alice (IAM user)', '2 events', 'person'],
        ['cloudformation.amazonaws.com (AWS service)', '1 event', 'cloud'],
      ],
    );
    const [session] = await model.getChildren(top[0]);
    assert.deepEqual([describeNode(session).label, describeNode(session).icon.id], ['session bob', 'account']);
    const actions = await model.getChildren(session);
    assert.deepEqual(
      actions.map((node) => describeNode(node).label),
      ['DescribeCertificate', 'ListCertificates'],
    );
    const [failed] = await model.getChildren(actions[1]);
    const item = describeNode(failed);
    assert.equal(item.label, 'ListCertificates · 10:06:03');
    assert.equal(item.description, '2026-11-24 · failed: AccessDenied · role CertManager / session bob · us-east-1');
    assert.match(item.tooltip, /Time: 2026\\-11\\-24 10\\:06\\:03 UTC/);
    assert.deepEqual(item.icon, { id: 'error', color: 'list.errorForeground' });
    assert.deepEqual(item.command, { command: REVEAL_EVENT_COMMAND, title: 'Go to Event', arguments: [failed] });
    assert.equal(item.contextValue, 'cloudtrail.event.withId');
    assert.match(item.tooltip, /Failed with AccessDenied/);
    assert.deepEqual(
      server.treeRequests.map((request) => request.group),
      [
        undefined,
        ['arn:aws:iam::111122223333:role/CertManager'],
        ['arn:aws:iam::111122223333:role/CertManager', 'arn:aws:sts::111122223333:assumed-role/CertManager/bob'],
        ['arn:aws:iam::111122223333:role/CertManager', 'arn:aws:sts::111122223333:assumed-role/CertManager/bob', 'acm.amazonaws.com:ListCertificates'],
      ],
    );
  });

  it('pages a long group: 500 events, then "Show 500 more", then the rest', async () => {
    server.open(BIG, bigLog());
    documents.activeUri = BIG;
    model.onActiveEditorChanged();
    const [describeCertificate] = await model.getChildren();
    assert.equal(describeCertificate.type === 'group' && describeCertificate.group.count, BIG_EVENTS);
    let children = await model.getChildren(describeCertificate);
    assert.equal(events(children).length, PAGE_SIZE);
    let more = children[children.length - 1] as MoreNode;
    assert.equal(more.type, 'more');
    assert.deepEqual([describeNode(more).label, describeNode(more).description], ['Show 500 more', '734 not listed yet']);
    assert.deepEqual(describeNode(more).command, { command: SHOW_MORE_COMMAND, title: 'Show 500 more', arguments: [more] });

    changes.length = 0;
    await model.showMore(more);
    assert.deepEqual(changes, [describeCertificate]);
    assert.deepEqual(server.treeRequests.at(-1), {
      textDocument: { uri: BIG },
      groupBy: ['action'],
      group: ['acm.amazonaws.com:DescribeCertificate'],
      depth: 1,
      offset: 500,
      limit: 500,
    });
    children = await model.getChildren(describeCertificate);
    assert.equal(events(children).length, 1_000);
    more = children[children.length - 1] as MoreNode;
    assert.deepEqual([describeNode(more).label, describeNode(more).description], ['Show 234 more', '234 not listed yet']);
    await model.showMore(more);
    children = await model.getChildren(describeCertificate);
    assert.equal(children.length, BIG_EVENTS);
    assert.ok(children.every((node) => node.type === 'event'));
    const times = events(children).map((node) => node.event.eventTime ?? '');
    assert.deepEqual(times, [...times].sort());
    assert.equal(new Set(children.map((node) => node.id)).size, BIG_EVENTS);

    // A refresh lists as many events as were shown before it.
    model.refresh();
    const [again] = await model.getChildren();
    assert.equal((await model.getChildren(again)).length, BIG_EVENTS);
    assert.equal(server.treeRequests.at(-1)?.limit, BIG_EVENTS);
  });

  it('refreshes on a model change only while the view is visible', async () => {
    await model.getChildren();
    const summary = { uri: ACM, version: 2, shape: 'lookupEvents', events: 6, failedEvents: 1, errors: 0, warnings: 0 };

    model.onModelChanged(summary);
    assert.deepEqual(changes, [undefined]);

    model.setVisible(false);
    changes.length = 0;
    model.onModelChanged(summary);
    model.onModelChanged({ ...summary, version: 3 });
    assert.deepEqual(changes, []);
    model.setVisible(true);
    assert.deepEqual(changes, [undefined]);
    model.setVisible(false);
    model.setVisible(true);
    assert.deepEqual(changes, [undefined], 'nothing changed while hidden the second time');

    changes.length = 0;
    model.onModelChanged({ ...summary, uri: 'file:///logs/not-shown.json' });
    assert.deepEqual(changes, []);
  });

  it('refreshes a folder when its index changes while it is shown, and never switches back to it', async () => {
    const folder = { uri: 'file:///logs/AWSLogs', label: 'AWSLogs' };
    model.setFolder(folder);
    assert.equal(model.folder?.uri, folder.uri);
    changes.length = 0;
    model.refreshFolder(folder.uri);
    assert.deepEqual(changes, [undefined]);

    model.setScope('active');
    assert.equal(model.folder, undefined);
    changes.length = 0;
    model.refreshFolder(folder.uri);
    assert.equal(model.folder, undefined, 'a late index change leaves the view on the active log');
    assert.deepEqual(changes, []);
  });

  it('follows the active editor, and only refreshes when the shown document changes', async () => {
    await model.getChildren();
    model.onActiveEditorChanged();
    assert.deepEqual(changes, []);
    documents.activeUri = OTHER;
    model.onActiveEditorChanged();
    assert.deepEqual(changes, [undefined]);
    await model.getChildren();
    assert.equal(server.treeRequests.at(-1)?.textDocument.uri, OTHER);
  });

  it('filters, says so in the message with the counts, and clears the filter', async () => {
    const states: string[] = [];
    model.onDidChangeState(() => states.push(String(model.message)));
    model.setFilter({ errorsOnly: true, text: '  ' });
    assert.equal(model.isFiltered, true);
    const top = await model.getChildren();
    assert.deepEqual(server.treeRequests.at(-1), { textDocument: { uri: ACM }, groupBy: ['action'], filter: { errorsOnly: true }, depth: 1 });
    assert.deepEqual(
      top.map((node) => describeNode(node).label),
      ['ListCertificates'],
    );
    assert.equal(model.message, 'acm-lookup-events.json · 1 of 6 events · by action · filter: failed');

    model.setFilter({ ...model.filter, text: 'équipe', writesOnly: true });
    await model.getChildren();
    assert.equal(model.message, 'acm-lookup-events.json · 0 of 6 events · by action · filter: "équipe", failed, writes');
    model.setFilter({ text: 'ÉQUIPE' });
    assert.deepEqual(
      (await model.getChildren()).map((node) => describeNode(node).label),
      ['AddTagsToCertificate'],
    );

    model.clearFilter();
    assert.equal(model.isFiltered, false);
    await model.getChildren();
    assert.equal(model.message, 'acm-lookup-events.json · 6 events · by action');
    assert.equal(server.treeRequests.at(-1)?.filter, undefined);
    assert.ok(states.includes('acm-lookup-events.json · 1 of 6 events · by action · filter: failed'));
  });

  it('groups by IAM access level with permission changes first, marked, and filters by a level', async () => {
    const IAM_LOG = 'file:///logs/iam.json';
    const alice = { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' };
    const record = (eventSource: string, eventName: string, second: number): Record<string, unknown> => ({
      eventVersion: '1.09',
      userIdentity: alice,
      eventTime: `2026-11-24T10:00:${String(second).padStart(2, '0')}Z`,
      eventSource,
      eventName,
      awsRegion: 'us-east-1',
    });
    server.open(
      IAM_LOG,
      JSON.stringify({
        Records: [
          record('s3.amazonaws.com', 'ListBuckets', 1),
          record('iam.amazonaws.com', 'PutUserPolicy', 2),
          record('iam.amazonaws.com', 'CreateAccessKey', 3),
          record('signin.amazonaws.com', 'ConsoleLogin', 4),
        ],
      }),
    );
    documents.activeUri = IAM_LOG;
    model.onActiveEditorChanged();
    model.setGroupBy(['accessLevel', 'action']);
    const top = await model.getChildren();
    assert.deepEqual(
      top.map((node) => [describeNode(node).label, describeNode(node).icon.id, describeNode(node).contextValue]),
      [
        ['Permissions management', 'key', 'cloudtrail.group.accessLevel'],
        ['Write', 'edit', 'cloudtrail.group.accessLevel'],
        ['List', 'list-unordered', 'cloudtrail.group.accessLevel'],
        ['No IAM permission', 'circle-slash', 'cloudtrail.group.accessLevel'],
      ],
    );
    assert.match(describeNode(top[0]).tooltip, /change who may do what/);
    const [putUserPolicy] = await model.getChildren(top[0]);
    const item = describeNode(putUserPolicy);
    assert.deepEqual(
      [item.label, item.description, item.icon],
      ['PutUserPolicy', 'permissions · iam · 1 event', { id: 'key', color: 'list.warningForeground' }],
    );
    assert.match(item.tooltip, /IAM access level: \*\*Permissions management\*\*/);

    model.setGroupBy(['action']);
    model.setFilter({ accessLevel: 'Write' });
    const writes = await model.getChildren();
    assert.deepEqual(server.treeRequests.at(-1)?.filter, { accessLevel: 'Write' });
    assert.deepEqual(
      writes.map((node) => [describeNode(node).label, describeNode(node).icon.id]),
      [['CreateAccessKey', 'circle-small']],
    );
    assert.equal(model.message, 'iam.json · 1 of 4 events · by action · filter: access level Write');
  });

  it('lists the services to filter by, whatever service is filtered now', async () => {
    model.setFilter({ service: 'cloudtrail.amazonaws.com' });
    assert.deepEqual(await model.listServices(), [{ service: 'acm.amazonaws.com', count: 6 }]);
    model.setScope('open');
    assert.deepEqual(await model.listServices(), [
      { service: 'acm.amazonaws.com', count: 6 },
      { service: 'iam.amazonaws.com', count: 3 },
      { service: 'apigateway.amazonaws.com', count: 1 },
      { service: 'autoscaling.amazonaws.com', count: 1 },
      { service: 'sts.amazonaws.com', count: 1 },
    ]);
  });

  it('toggles between the active log and all open logs with one command, and leaves a folder for the open logs', async () => {
    assert.equal(model.scope, 'active');
    assert.equal(model.toggleScope(), 'open');
    assert.equal(model.description, 'all open logs');
    assert.equal(model.toggleScope(), 'active');
    assert.equal(model.description, 'acm-lookup-events.json');
    model.setFolder({ uri: 'file:///logs', label: 'logs' });
    assert.equal(model.description, 'logs');
    assert.equal(model.toggleScope(), 'active');
    assert.equal(model.folder, undefined);
    await model.getChildren();
    assert.equal(model.message, 'acm-lookup-events.json · 6 events · by action');
  });

  it('shows all open logs together, each event saying its file', async () => {
    model.setScope('open');
    assert.equal(model.description, 'all open logs');
    const top = await model.getChildren();
    assert.deepEqual(server.treeRequests.at(-1)?.scope, [{ uri: ACM }, { uri: OTHER }]);
    assert.equal(model.counts?.total, 12);
    const all = (await Promise.all(top.map((node) => model.getChildren(node)))).flat();
    assert.equal(all.length, 12);
    const fromOther = defined(events(all).find((node) => node.uri === OTHER));
    assert.equal(fromOther.showFile, true);
    assert.match(describeNode(fromOther).description ?? '', /· other log\.json$/);

    changes.length = 0;
    documents.open = [ACM];
    model.onDocumentsChanged();
    assert.deepEqual(changes, [undefined]);
  });

  it('finds the node of the event under the cursor, fetching groups and pages on the way', async () => {
    const big = server.open(BIG, bigLog());
    documents.activeUri = BIG;
    model.onActiveEditorChanged();
    model.setGroupBy(['identity', 'action']);
    const text = big.getText();
    // The last DescribeCertificate in time order sits on the third page of its group.
    const last = text.indexOf('"2026-11-24T10:20:33Z"');
    assert.ok(last > 0);
    const found = await model.locate(BIG, big.positionAt(last));
    assert.ok(found);
    assert.equal(found.event.eventTime, '2026-11-24T10:20:33Z');
    assert.deepEqual(server.atRequests.at(-1), { textDocument: { uri: BIG }, position: big.positionAt(last), groupBy: ['identity', 'action'] });
    // The node is the one the tree holds, with its parents, as TreeView.reveal needs.
    const action = model.getParent(found) as GroupNode;
    const identity = model.getParent(action) as GroupNode;
    assert.equal(model.getParent(identity), undefined);
    assert.ok((await model.getChildren(action)).includes(found));
    assert.ok((await model.getChildren()).includes(identity));
    // Two pages, then the rest at once: no "Show more" left.
    assert.equal((await model.getChildren(action)).length, BIG_EVENTS);
    assert.deepEqual(server.treeRequests.at(-1)?.offset, PAGE_SIZE);

    assert.equal(await model.locate(BIG, { line: 0, character: 0 }), undefined);
    assert.equal(await model.locate('file:///logs/not-shown.json', { line: 3, character: 0 }), undefined);
    model.setFilter({ errorsOnly: true });
    assert.equal(await model.locate(BIG, big.positionAt(last)), undefined);
    assert.ok(MAX_FOLLOW_POSITION > BIG_EVENTS);
  });

  it('says when the server does not answer', async () => {
    server.failure = new Error('connection closed');
    assert.deepEqual(await model.getChildren(), []);
    assert.equal(model.message, 'The CloudTrail language server did not answer: connection closed');
    server.failure = undefined;
    model.refresh();
    assert.equal((await model.getChildren()).length, 5);
    assert.equal(model.message, 'acm-lookup-events.json · 6 events · by action');
  });
});

describe('tree items', () => {
  it('shows log values as written: plain labels, escaped tooltips', () => {
    const hostile = '[click](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> **bold**\n$(alert) `code`';
    const node: EventNode = {
      type: 'event',
      id: 'x',
      uri: 'file:///a.json',
      showFile: false,
      parent: undefined,
      event: {
        index: 0,
        identity: hostile,
        identityLabel: hostile,
        eventName: hostile,
        eventSource: 'acm.amazonaws.com',
        eventTime: '2026-11-24T10:03:11.123Z',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      },
    };
    const item = describeNode(node);
    assert.ok(!item.label.includes('\n'));
    assert.ok(item.label.startsWith('[click]'));
    assert.ok(item.label.endsWith(' · 10:03:11'));
    const escaped = escapeMarkdown(hostile);
    // Every markdown or HTML character of the log's text is escaped, and the text is one line.
    for (const [i, character] of Array.from(escaped).entries()) {
      if ('[]()<>`*$!'.includes(character)) {
        assert.equal(escaped[i - 1], '\\', `unescaped ${character} at ${i} in ${escaped}`);
      }
    }
    assert.ok(!escaped.includes('\n'));
    assert.ok(item.tooltip.includes(`**${escaped}**`));
    assert.ok(item.tooltip.includes(`Identity: ${escaped}`));
    assert.ok(!item.tooltip.replaceAll(escaped, '').includes('command:'));
    assert.equal(escapeMarkdown('a_b*c<d>[e](f)'), 'a\\_b\\*c\\<d\\>\\[e\\]\\(f\\)');
  });

  it('writes every time one way, as the hovers do, and shows no time it cannot read', () => {
    assert.deepEqual(showTime('2026-11-24T10:03:11Z'), { full: '2026-11-24 10:03:11 UTC', date: '2026-11-24', time: '10:03:11' });
    assert.deepEqual(showTime('2026-11-24T11:03:11+01:00'), { full: '2026-11-24 10:03:11 UTC', date: '2026-11-24', time: '10:03:11' });
    assert.equal(showTime('not a time'), undefined);
    assert.equal(showTime(undefined), undefined);
  });

  it('keeps the Events title bar to four icons, collapse-all included; the rest are in its ... menu', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, '../../package.json'), 'utf8')) as {
      contributes: { menus: { 'view/title': { command: string; when: string; group?: string }[] } };
    };
    const inTitle = manifest.contributes.menus['view/title'].filter(
      (item) => item.when.includes('view == cloudtrail.events') && item.group?.startsWith('navigation'),
    );
    assert.ok(inTitle.length + 1 <= 4, inTitle.map((item) => item.command).join(', '));
    assert.deepEqual(
      inTitle.filter((item) => item.command.startsWith('cloudtrail.events.show')),
      [],
      'the scope is one toggle, not two buttons',
    );
  });

  it('shows zero-width, direction-changing characters and lone surrogates as code points in labels, descriptions and tooltips', () => {
    const disguised = 'adm\u200bin\u202e\ud800';
    const shown = 'adm<U+200B>in<U+202E><U+D800>';
    const event: EventNode = {
      type: 'event',
      id: 'y',
      uri: 'file:///a.json',
      showFile: false,
      parent: undefined,
      event: {
        index: 0,
        identity: disguised,
        identityLabel: disguised,
        eventName: disguised,
        awsRegion: disguised,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      },
    };
    const item = describeNode(event);
    // The row leads with the action (no time is recorded here); the identity and region follow in the description.
    assert.equal(item.label, shown);
    assert.ok(item.description?.includes(shown), item.description);
    assert.ok(item.tooltip.includes(escapeMarkdown(disguised)));
    assert.equal(escapeMarkdown(disguised), 'adm\\<U\\+200B\\>in\\<U\\+202E\\>\\<U\\+D800\\>');
    const group: GroupNode = {
      type: 'group',
      id: 'g',
      path: [disguised],
      parent: undefined,
      group: { key: disguised, label: disguised, description: disguised, kind: 'identity', count: 1, errorCount: 0 },
    };
    const groupItem = describeNode(group);
    assert.equal(groupItem.label, shown);
    assert.ok(groupItem.description?.startsWith(shown));
    for (const text of [item.label, item.description ?? '', item.tooltip, groupItem.label, groupItem.tooltip, groupItem.accessibilityLabel]) {
      assert.doesNotMatch(text, /[\u200b\u202e]|[\ud800-\udfff]/);
    }
  });
});

describe('the Events tree by ATT&CK tactic', () => {
  it('lists tactics in ATT&CK order with their events under each, credited to the catalogue', async () => {
    const server = new FakeServer();
    const documents = new FakeDocuments();
    const uri = 'file:///logs/attack.json';
    const records = ['CreateAccessKey', 'ListBuckets'].flatMap(
      (name) => JSON.parse(readFixture(`attack/traildiscover-examples/${name}.json.cloudtrail`)) as unknown[],
    );
    server.open(uri, JSON.stringify({ Records: records }));
    documents.activeUri = uri;
    documents.open = [uri];
    const model = new EventTreeModel(server, documents);
    model.setVisible(true);
    const grouping = GROUPINGS.find((candidate) => candidate.id === 'tacticThenAction');
    assert.ok(grouping);
    model.setGroupBy(grouping.groupBy);
    const top = groups(await model.getChildren());
    assert.match(model.message ?? '', /by ATT&CK tactic, then action/);
    assert.deepEqual(server.treeRequests.at(-1), { textDocument: { uri }, groupBy: ['tactic', 'action'], depth: 1 });
    assert.deepEqual(
      top.map((node) => [node.group.label, node.group.description, node.group.count]),
      [
        ['Persistence', 'TA0003', 1],
        ['Privilege Escalation', 'TA0004', 1],
        ['Discovery', 'TA0007', 1],
      ],
    );
    const item = describeNode(top[0]);
    assert.equal(item.label, 'Persistence');
    assert.equal(item.description, 'TA0003 · 1 event, 1 failed');
    assert.deepEqual(item.icon, { id: 'shield', color: 'list.warningForeground' });
    assert.equal(item.contextValue, 'cloudtrail.group.tactic');
    assert.match(item.tooltip, /ATT&CK tactic TA0003/);
    assert.match(item.tooltip, /From TrailDiscover by Adan Alvarez \\\(CC BY 4\\\.0\\\)/);
    const actions = groups(await model.getChildren(top[0]));
    assert.deepEqual(
      actions.map((node) => node.group.label),
      ['CreateAccessKey'],
    );
    const listed = events(await model.getChildren(actions[0]));
    assert.equal(listed.length, 1);
    assert.equal(listed[0].event.eventName, 'CreateAccessKey');
  });
});

describe('the status bar item', () => {
  it('counts events, failed events and problems', () => {
    const summary = { uri: 'file:///a.json', version: 1, shape: 'records', events: 12_345, failedEvents: 12, errors: 2, warnings: 1 };
    assert.deepEqual(statusBarContent(summary), {
      text: '$(cloud) 12,345 events, 12 failed, 2 errors, 1 warning',
      tooltip:
        'This CloudTrail log holds 12,345 events, 12 calls of them failed (they carry an errorCode). It has 2 errors and 1 warning in the Problems panel (Sigma findings included). Click to see its events over time in the Timeline.',
    });
    assert.deepEqual(statusBarContent({ ...summary, events: 1, failedEvents: 0, errors: 0, warnings: 0 }).text, '$(cloud) 1 event');
  });
});

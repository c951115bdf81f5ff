import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CancellationToken, Disposable, WorkDoneProgressReporter } from 'vscode-languageserver';
import { EventNode, EventTreeModel, EventTreeServer, GroupNode, OpenCloudTrailDocuments } from '../../client/src/eventTree/eventTreeModel';
import { decompressedPath, isCompressedName, isLogName } from '../../client/src/folderIndex/logNames';
import { FolderIndexService } from '../../server/src/features/folderIndex';
import { parseCloudTrail } from '../../server/src/model';
import { InThreadRunner } from '../../server/src/model/folderIndex';
import { EventAtParams, EventRef, EventTreeParams, EventTreeResult, FolderIndexSummary } from '../../server/src/protocol';
import { FIXTURES, listFixtures, readFixture } from '../fixtures';
import { defined } from '../defined';

/** The repository root, from out/test/unit or test/unit. */
const ROOT = path.resolve(FIXTURES, '../..');

const NO_PROGRESS: WorkDoneProgressReporter = { begin: () => undefined, report: () => undefined, done: () => undefined };

/** The server's folder index feature in this process, answering the tree's requests. */
class FolderServer implements EventTreeServer {
  readonly requests: EventTreeParams[] = [];
  readonly service = new FolderIndexService({
    runtime: {
      timer: {
        setTimeout: (callback, ms) => {
          const handle = setTimeout(callback, ms);
          return Disposable.create(() => {
            clearTimeout(handle);
          });
        },
        setImmediate: (callback) => {
          const handle = setImmediate(callback);
          return Disposable.create(() => {
            clearImmediate(handle);
          });
        },
      },
    },
    runner: new InThreadRunner(),
    watchThroughClient: () => Promise.resolve(Disposable.create(() => undefined)),
    notifyChanged: () => undefined,
    log: (message) => assert.fail(message),
  });

  async index(folder: string): Promise<FolderIndexSummary> {
    const answer = await this.service.indexFolder({ uri: pathToFileURL(folder).href }, CancellationToken.None, NO_PROGRESS);
    if (!('events' in answer)) throw new Error(answer.message);
    return answer;
  }

  async eventTree(params: EventTreeParams): Promise<EventTreeResult | null> {
    this.requests.push(structuredClone(params));
    assert.ok(params.folder, 'only folder requests are expected');
    return this.service.eventTree(structuredClone(params));
  }

  async eventAt(_params: EventAtParams): Promise<EventRef | null> {
    return null;
  }
}

class NoDocuments implements OpenCloudTrailDocuments {
  active(): string | undefined {
    return undefined;
  }
  all(): string[] {
    return [];
  }
}

describe('compressed log names', () => {
  it('opens delivered file names in the decompressed view, which gets the CloudTrail language by its name', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: {
        customEditors: { viewType: string; selector: { filenamePattern: string }[]; priority: string }[];
        languages: { id: string; filenamePatterns?: string[] }[];
      };
    };
    const matches = (pattern: string, name: string): boolean =>
      new RegExp(
        `^${pattern
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ).test(name);
    const editor = defined(manifest.contributes.customEditors.find((entry) => entry.priority === 'default'));
    const language = defined(manifest.contributes.languages.find((entry) => entry.id === 'cloudtrail'));
    for (const name of [
      '111122223333_CloudTrail_us-east-1_20261124T0000Z_ab12.json.gz',
      '111122223333_CloudTrail-Insight_us-east-1_20261124T0000Z_ab12.json.gz',
    ]) {
      assert.ok(
        editor.selector.some((selector) => matches(selector.filenamePattern, name)),
        name,
      );
      assert.ok(
        defined(language.filenamePatterns).some((pattern) => matches(pattern, decompressedPath(name))),
        decompressedPath(name),
      );
    }
    assert.ok(!editor.selector.some((selector) => matches(selector.filenamePattern, 'backup.json.gz')));
    const option = defined(manifest.contributes.customEditors.find((entry) => entry.priority === 'option'));
    assert.ok(option.selector.some((selector) => matches(selector.filenamePattern, 'backup.json.gz')));
  });

  it('names the decompressed view so that it opens as JSON (and as CloudTrail by its name)', () => {
    assert.equal(
      decompressedPath('/a/111122223333_CloudTrail_us-east-1_20261124T0000Z_ab12.json.gz'),
      '/a/111122223333_CloudTrail_us-east-1_20261124T0000Z_ab12.json',
    );
    assert.equal(decompressedPath('/a/export.GZ'), '/a/export.json');
    assert.equal(decompressedPath('/a/events.log.gz'), '/a/events.log.json');
    assert.ok(isCompressedName('x.json.gz') && !isCompressedName('x.json'));
    assert.ok(isLogName('x.json') && isLogName('x.gz') && !isLogName('x.txt'));
  });
});

describe('the Events tree showing a folder index', () => {
  const folder = path.join(FIXTURES, 'real/trailscraper');
  let server: FolderServer;
  let summary: FolderIndexSummary;

  before(async () => {
    server = new FolderServer();
    summary = await server.index(folder);
  });

  after(() => {
    server.service.dispose();
  });

  it('asks for the folder, lists its groups and the events of every file, each with its file', async () => {
    const model = new EventTreeModel(server, new NoDocuments());
    model.setVisible(true);
    model.setFolder({ uri: summary.uri, label: 'trailscraper' });
    assert.equal(model.hasDocument, true);
    assert.equal(model.description, 'trailscraper');
    const top = (await model.getChildren()) as GroupNode[];
    assert.deepEqual(server.requests[0], { textDocument: { uri: summary.uri }, groupBy: ['action'], folder: summary.uri, depth: 1 });
    const expected = listFixtures('real/trailscraper').reduce((sum, relative) => sum + parseCloudTrail(readFixture(relative)).records.length, 0);
    assert.equal(summary.events, expected);
    assert.deepEqual(model.counts, { total: expected, matched: expected });
    assert.equal(
      top.reduce((sum, node) => sum + node.group.count, 0),
      expected,
    );
    const listed: EventNode[] = [];
    for (const group of top) {
      for (const node of await model.getChildren(group)) {
        if (node.type === 'event') listed.push(node);
      }
    }
    assert.equal(listed.length, expected);
    assert.ok(listed.every((node) => node.showFile && node.uri.startsWith(pathToFileURL(folder).href + '/')));
    assert.equal(new Set(listed.map((node) => node.uri)).size, listFixtures('real/trailscraper').length);
  });

  it('filters the folder, and says so when nothing matches', async () => {
    const model = new EventTreeModel(server, new NoDocuments());
    model.setVisible(true);
    model.setFolder({ uri: summary.uri, label: 'trailscraper' });
    model.setFilter({ text: 'no event has this text' });
    assert.deepEqual(await model.getChildren(), []);
    assert.equal(model.message, `trailscraper · 0 of ${summary.events} events · by action · filter: "no event has this text"`);
    assert.equal(defined(server.requests.at(-1)).folder, summary.uri);
  });

  it('goes back to open documents when a document scope is chosen', async () => {
    const model = new EventTreeModel(server, new NoDocuments());
    model.setFolder({ uri: summary.uri, label: 'trailscraper' });
    model.setScope('active');
    assert.equal(model.folder, undefined);
    assert.equal(model.hasDocument, false);
  });
});

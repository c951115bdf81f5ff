import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as zlib from 'node:zlib';
import {
  CancellationTokenSource,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  RegistrationParams,
  RegistrationRequest,
  ResponseError,
  WorkDoneProgress,
  WorkDoneProgressBegin,
  WorkDoneProgressEnd,
  WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import { LineIndex, parseCloudTrail } from '../../server/src/model';
import {
  CloseFolderIndexNotification,
  EventGroup,
  EventTreeParams,
  EventTreeRequest,
  EventTreeResult,
  FolderIndexChangedNotification,
  FolderIndexSummary,
  GroupDimension,
  IndexFolderParams,
  IndexFolderRequest,
} from '../../server/src/protocol';
import { FIXTURES, listFixtures, readFixture } from '../fixtures';
import { LspSession } from './lspSession';
import { defined } from '../defined';

const MB = 1024 * 1024;
type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** The text of a log file on disk, decompressed. */
function readLog(file: string): string {
  const bytes = fs.readFileSync(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
}

/** Events the document model finds in every fixture below `real/`. */
const REAL_EVENTS = (): number => listFixtures('real').reduce((sum, relative) => sum + parseCloudTrail(readFixture(relative)).records.length, 0);

/** Waits for the next notification of a type, with a time limit. */
function nextNotification<T>(session: LspSession, type: { method: string }, accept: (params: T) => boolean = () => true, ms = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      disposable.dispose();
      reject(new Error(`no ${type.method} within ${ms} ms`));
    }, ms);
    const disposable = session.connection.onNotification(type.method, (params: T) => {
      if (!accept(params)) return;
      clearTimeout(timer);
      disposable.dispose();
      resolve(params);
    });
  });
}

describe('cloudtrail/indexFolder and the folder event tree from the real server', () => {
  let scratch: string;
  let folder: string;
  let session: LspSession;
  let indexedEvents = 0;
  const tree = (params: Omit<EventTreeParams, 'textDocument'> & { folder: string }): Promise<EventTreeResult | null> =>
    session.connection.sendRequest(EventTreeRequest.type, { textDocument: { uri: params.folder }, ...params });
  const index = (params: IndexFolderParams): Promise<FolderIndexSummary> => session.connection.sendRequest(IndexFolderRequest.type, params);

  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudtrail-folder-protocol-'));
    folder = path.join(scratch, 'AWSLogs');
    fs.cpSync(path.join(FIXTURES, 'real'), path.join(folder, 'real'), { recursive: true });
    const good = fs.readFileSync(path.join(FIXTURES, 'real/grycap-sample/974349055189_CloudTrail_us-east-1_20140927T1805Z_8137V0IkHQp9WiYb.json.gz'));
    fs.mkdirSync(path.join(folder, 'bad'));
    fs.writeFileSync(path.join(folder, 'bad/111122223333_CloudTrail_us-east-1_20261124T0000Z_cut.json.gz'), good.subarray(0, good.length >> 1));
    const spaces = zlib.gzipSync(Buffer.alloc(8 * MB, 0x20), { level: 9 });
    fs.writeFileSync(path.join(folder, 'bad/bomb.json.gz'), Buffer.concat([zlib.gzipSync('{"Records":['), spaces, spaces]));
    fs.writeFileSync(path.join(folder, 'bad/tsconfig.json'), '{"compilerOptions":{"strict":true}}');
    fs.writeFileSync(path.join(folder, 'bad/notes.txt'), 'not a log file name');
    session = await LspSession.start({ window: { workDoneProgress: true } });
  });

  after(async () => {
    await session.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('indexes a folder from disk with progress, and counts skipped and damaged files', async () => {
    const token = 'index-progress';
    const progress: Progress[] = [];
    const listening = session.connection.onProgress(WorkDoneProgress.type, token, (value) => {
      progress.push(value);
    });
    const summary = await index({ uri: uriOf(folder), workDoneToken: token, maxDecompressedMB: 4 });
    listening.dispose();
    indexedEvents = summary.events;
    const cut = JSON.parse(readFixture('real/grycap-sample/974349055189_CloudTrail_us-east-1_20140927T1805Z_8137V0IkHQp9WiYb.json.gz')) as {
      Records: unknown[];
    };
    assert.equal(summary.uri, uriOf(folder));
    assert.equal(summary.files, listFixtures('real').length + 3);
    assert.equal(summary.notCloudTrail, 1);
    assert.equal(summary.indexedFiles, listFixtures('real').length + 1);
    const truncatedEvents = summary.events - REAL_EVENTS();
    assert.ok(truncatedEvents > 0 && truncatedEvents < cut.Records.length, `${truncatedEvents} events kept from the truncated file`);
    assert.deepEqual(
      summary.problems.map((problem) => [path.basename(new URL(problem.uri).pathname), problem.status]),
      [
        ['111122223333_CloudTrail_us-east-1_20261124T0000Z_cut.json.gz', 'damaged'],
        ['bomb.json.gz', 'tooLarge'],
      ],
    );
    assert.match(summary.problems[1].message, /larger than 4 MB \(the limit set by cloudtrail\.folder\.maxDecompressedMB\)/);
    assert.deepEqual(summary.largeFiles, []);

    assert.equal(progress[0].kind, 'begin');
    assert.equal(progress[0].cancellable, true);
    assert.equal(defined(progress.at(-1)).kind, 'end');
    const reports = progress.filter((value): value is WorkDoneProgressReport => value.kind === 'report');
    assert.ok(reports.length >= 1);
    assert.match(defined(reports.at(-1)).message ?? '', new RegExp(`^${summary.files} of ${summary.files} files, [\\d,]+ events$`));
    assert.equal(defined(reports.at(-1)).percentage, 100);
  });

  it('answers the event tree of the folder, grouped and counted, with every event at its place in its file', async () => {
    const top = await tree({ folder: uriOf(folder), groupBy: ['action'], depth: 1 });
    assert.ok(top);
    assert.equal(top.total, indexedEvents);
    assert.equal(
      top.groups.reduce((sum, group) => sum + group.count, 0),
      top.total,
    );
    assert.ok(top.groups.every((group) => group.events === undefined && group.groups === undefined));
    const first = top.groups[0];
    const opened = await tree({ folder: uriOf(folder), groupBy: ['action'], group: [first.key], limit: 7 });
    const group = defined(opened).groups[0];
    assert.equal(group.key, first.key);
    assert.equal(defined(group.events).length, Math.min(7, first.count));
    assert.equal(group.moreEvents ?? 0, Math.max(0, first.count - 7));
    for (const event of defined(group.events)) {
      assert.equal(event.eventName, first.label);
      const text = readLog(fileURLToPath(defined(event.uri)));
      const lines = new LineIndex(text);
      const start = lines.offsetAt(event.range.start.line, event.range.start.character);
      const end = lines.offsetAt(event.range.end.line, event.range.end.character);
      const record = JSON.parse(text.slice(start, end)) as { eventID: string; eventName: string };
      assert.equal(record.eventID, event.eventID);
      assert.equal(record.eventName, event.eventName);
    }
    const next = await tree({ folder: uriOf(folder), groupBy: ['action'], group: [first.key], limit: 7, offset: 7 });
    if (first.count > 7) {
      assert.notDeepEqual(defined(defined(next).groups[0].events)[0], defined(group.events)[0]);
    }
  });

  it('groups by identity then action, and filters, as for open documents', async () => {
    const all = await tree({ folder: uriOf(folder), groupBy: ['identity', 'action'] });
    const errors = await tree({ folder: uriOf(folder), groupBy: ['identity', 'action'], filter: { errorsOnly: true } });
    const count = (groups: readonly EventGroup[]): number => groups.reduce((sum, group) => sum + (group.events?.length ?? 0) + count(group.groups ?? []), 0);
    assert.equal(count(defined(all).groups), defined(all).total);
    assert.ok(defined(errors).matched > 0 && defined(errors).matched < defined(all).matched);
    assert.equal(count(defined(errors).groups), defined(errors).matched);
    assert.ok(
      defined(errors).groups.every((group) => group.errorCount === group.count),
      'every listed event failed',
    );
  });

  it('groups a folder by access key as the same logs open in the editor are grouped', async () => {
    const subfolder = path.join(folder, 'real/stratus-red-team');
    await index({ uri: uriOf(subfolder) });
    const files = fs
      .readdirSync(subfolder)
      .map((name) => path.join(subfolder, name))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const file of files) await session.open(uriOf(file), readLog(file));
    const scope = files.map((file) => ({ uri: uriOf(file) }));
    // What the tree shows of a group (label, description, icon and tooltip come from these), and the events it lists.
    const shape = (groups: readonly EventGroup[]): unknown[] =>
      groups.map((group) => ({
        key: group.key,
        label: group.label,
        description: group.description,
        kind: group.kind,
        identityType: group.identityType,
        eventSource: group.eventSource,
        readOnly: group.readOnly,
        accessLevel: group.accessLevel,
        count: group.count,
        errorCount: group.errorCount,
        groups: group.groups ? shape(group.groups) : undefined,
        events: group.events?.map((event) => [event.eventID, event.eventTime]),
      }));
    for (const groupBy of [['accessKey'], ['accessKey', 'action'], ['identity', 'accessKey']] satisfies GroupDimension[][]) {
      const inEditor = defined(await session.connection.sendRequest(EventTreeRequest.type, { textDocument: scope[0], scope, groupBy, limit: 1000 }));
      const inFolder = defined(await tree({ folder: uriOf(subfolder), groupBy, limit: 1000 }));
      assert.equal(inFolder.total, inEditor.total);
      assert.deepEqual(shape(inFolder.groups), shape(inEditor.groups), groupBy.join(' then '));
    }
    const byKey = defined(await tree({ folder: uriOf(subfolder), groupBy: ['accessKey'], limit: 1000 }));
    const keys = byKey.groups.filter((group) => group.kind === 'accessKey' && /^A[KS]IA/.test(group.key));
    assert.ok(keys.length >= 5, `${keys.length} keys`);
    for (const group of keys) {
      for (const event of defined(group.events)) {
        const text = readLog(fileURLToPath(defined(event.uri)));
        const lines = new LineIndex(text);
        const record = JSON.parse(
          text.slice(lines.offsetAt(event.range.start.line, event.range.start.character), lines.offsetAt(event.range.end.line, event.range.end.character)),
        ) as {
          userIdentity: { accessKeyId?: string };
        };
        assert.equal(record.userIdentity.accessKeyId, group.key);
      }
    }
    for (const file of files) await session.close(uriOf(file));
    await session.connection.sendNotification(CloseFolderIndexNotification.type, { uri: uriOf(subfolder) });
  });

  it('indexes one file on its own', async () => {
    const file = path.join(folder, 'real/trailscraper/someRecords.json.gz');
    const summary = await index({ uri: uriOf(file) });
    assert.equal(summary.files, 1);
    assert.equal(summary.events, parseCloudTrail(readFixture('real/trailscraper/someRecords.json.gz')).records.length);
    const answer = await tree({ folder: uriOf(file), groupBy: [] });
    assert.equal(defined(answer).total, summary.events);
    assert.equal(defined(defined(answer).groups[0].events)[0].uri, uriOf(file));
  });

  it('updates the index when log files are added and removed (watching the disk itself)', async () => {
    const before = (await index({ uri: uriOf(folder) })).events;
    const added = path.join(folder, 'new/111122223333_CloudTrail_us-east-1_20261124T0005Z_new.json.gz');
    const source = 'real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz';
    const addedEvents = parseCloudTrail(readFixture(source)).records.length;
    const grown = nextNotification<FolderIndexSummary>(session, FolderIndexChangedNotification.type, (summary) => summary.events === before + addedEvents);
    fs.mkdirSync(path.dirname(added), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, source), added);
    assert.equal((await grown).uri, uriOf(folder));
    const answer = await tree({ folder: uriOf(folder), groupBy: [] });
    assert.equal(defined(answer).total, before + addedEvents);

    const shrunk = nextNotification<FolderIndexSummary>(session, FolderIndexChangedNotification.type, (summary) => summary.events === before);
    fs.rmSync(added);
    await shrunk;
  });

  it('stops indexing when the request is cancelled, and keeps no index', async () => {
    const big = path.join(scratch, 'big');
    fs.mkdirSync(big);
    const text = readFixture('real/grycap-sample/974349055189_CloudTrail_us-east-1_20140927T1805Z_8137V0IkHQp9WiYb.json.gz');
    const records = (JSON.parse(text) as { Records: unknown[] }).Records;
    const many = JSON.stringify({ Records: Array.from({ length: 6000 }, (_, i) => records[i % records.length]) });
    const compressed = zlib.gzipSync(many, { level: 1 });
    for (let i = 0; i < 60; i++) {
      fs.writeFileSync(path.join(big, `111122223333_CloudTrail_us-east-1_20261124T${String(i).padStart(4, '0')}Z_x.json.gz`), compressed);
    }
    const source = new CancellationTokenSource();
    const token = 'index-cancel';
    const reports: Progress[] = [];
    const listening = session.connection.onProgress(WorkDoneProgress.type, token, (value) => {
      reports.push(value);
      if (value.kind === 'report') source.cancel();
    });
    const request = session.connection.sendRequest(IndexFolderRequest.type, { uri: uriOf(big), workDoneToken: token }, source.token);
    await assert.rejects(request, (error: unknown) => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled);
    listening.dispose();
    assert.ok(reports.some((value) => value.kind === 'report'));
    assert.equal(await tree({ folder: uriOf(big), groupBy: ['action'] }), null);
  });

  it('drops an index the client closes', async () => {
    const file = path.join(folder, 'real/trailscraper/someRecords.json.gz');
    await index({ uri: uriOf(file) });
    await session.connection.sendNotification(CloseFolderIndexNotification.type, { uri: uriOf(file) });
    assert.equal(await tree({ folder: uriOf(file), groupBy: [] }), null);
  });

  it('refuses what is not a folder on disk', async () => {
    await assert.rejects(index({ uri: 'untitled:Untitled-1' }), (error: unknown) => error instanceof ResponseError && error.message.includes('file: URIs'));
    await assert.rejects(
      index({ uri: uriOf(path.join(scratch, 'missing')) }),
      (error: unknown) => error instanceof ResponseError && error.message.includes('does not exist'),
    );
  });
});

describe('cloudtrail/indexFolder with a client that watches files for the server', () => {
  it('asks the client to watch the folder and updates the index from its file events', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudtrail-folder-watch-'));
    const session = await LspSession.start({ workspace: { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } } });
    try {
      const registrations: RegistrationParams[] = [];
      session.connection.onRequest(RegistrationRequest.type, (params) => {
        registrations.push(params);
      });
      const folder = path.join(scratch, 'logs');
      fs.mkdirSync(folder);
      fs.copyFileSync(path.join(FIXTURES, 'real/trailscraper/someRecords.json.gz'), path.join(folder, 'a.json.gz'));
      const summary = await session.connection.sendRequest(IndexFolderRequest.type, { uri: uriOf(folder) });
      const watch = registrations
        .flatMap((params) => params.registrations)
        .find((registration) => registration.method === DidChangeWatchedFilesNotification.method);
      assert.ok(watch, 'a file watcher was registered');
      assert.deepEqual(watch.registerOptions, { watchers: [{ globPattern: { baseUri: uriOf(folder), pattern: '**/*' } }] });

      const added = path.join(folder, 'b.json');
      fs.writeFileSync(added, readFixture('real/trailscraper/events-for-smoke-test.json'));
      const addedEvents = parseCloudTrail(readFixture('real/trailscraper/events-for-smoke-test.json')).records.length;
      const changed = nextNotification<FolderIndexSummary>(session, FolderIndexChangedNotification.type);
      await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(added), type: FileChangeType.Created }] });
      const after = await changed;
      assert.equal(after.events, summary.events + addedEvents);
      assert.equal(after.files, 2);
    } finally {
      await session.stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});

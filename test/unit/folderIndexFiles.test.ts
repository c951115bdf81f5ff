import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { after, before, describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { LineIndex, parseCloudTrail } from '../../server/src/model';
import {
  emptyFileResult,
  FileIndexResult,
  FolderIndex,
  indexFolder,
  indexLogFile,
  inflateChunkSize,
  InThreadRunner,
  isLogFileName,
  LogTextIndexer,
  TextField,
  TEXT_FIELD_COUNT,
  watchFolderTree,
  WorkerPool,
} from '../../server/src/model/folderIndex';
import { readUuid, writeUuid } from '../../server/src/model/folderIndex/fileEntries';
import { postedResult, receivedResult, SentIdentities } from '../../server/src/model/folderIndex/indexRunner';
import { IdentitySummary } from '../../server/src/model/identity';
import { FIXTURES, listFixtures, readFixture } from '../fixtures';
import { defined } from '../defined';

const MB = 1024 * 1024;
const BIG = { maxDecompressedBytes: 1024 * MB };

/** The worker script as tsc emits it next to the pool (out/server/src/model/folderIndex). */
const WORKER = path.resolve(__dirname, '../../server/src/model/folderIndex/indexWorker.js');

let scratch: string;
before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudtrail-folder-index-'));
});
after(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

const RETAINED_FILES = 8;

/** A log of about 2 MB whose 400 records come from 50 sessions no other log of `file` names. */
function logNamingNewSessions(file: number): string {
  const records = Array.from({ length: 400 }, (_, i) => ({
    eventVersion: '1.09',
    eventTime: '2026-01-01T00:00:00Z',
    eventName: 'GetObject',
    eventSource: 's3.amazonaws.com',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::111122223333:assumed-role/Reader/session-${String(file)}-${String(i % 50)}`,
      accountId: '111122223333',
      accessKeyId: `ASIA${String(file).padStart(4, '0')}${String(i % 50).padStart(12, '0')}`,
    },
    requestParameters: { padding: 'x'.repeat(5000) },
  }));
  return JSON.stringify({ Records: records });
}

/** Memory outside the JavaScript heap (where Node keeps large texts read from files) after full collections. */
function externalBytes(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().external;
}

function assertTextsReleased(retained: number): void {
  assert.ok(retained < 4 * 1024 * 1024, `${(retained / 1048576).toFixed(1)} MB kept after reading ${String(RETAINED_FILES)} logs of 2 MB`);
}

function scratchFile(name: string, content: string | Buffer): string {
  const file = path.join(scratch, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** eventName and eventID of every entry of a result, read back from its columns. */
function namesAndIds(result: FileIndexResult): [string | undefined, string | undefined][] {
  const index = new FolderIndex(scratch);
  const file = index.add(result);
  return Array.from({ length: file.entries.count }, (_, i) => {
    const event = index.event(file, i);
    return [event.eventName, event.eventID];
  });
}

const EVENT = (name: string): string =>
  `{"eventVersion":"1.08","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"},"eventTime":"2026-11-24T10:03:11Z","eventSource":"acm.amazonaws.com","eventName":"${name}","awsRegion":"us-east-1","eventID":"a0ed971f-389f-406a-9fcf-887c5ca6903a","readOnly":true}`;

describe('folder index: reading files from disk', () => {
  it('indexes every delivered .json.gz of the corpus with the events JSON.parse finds, in order', async () => {
    const files = listFixtures('real').filter((name) => name.endsWith('.json.gz'));
    assert.ok(files.length >= 100);
    for (const relative of files) {
      const result = await indexLogFile(path.join(FIXTURES, relative), BIG);
      const parsed = JSON.parse(readFixture(relative)) as { Records: { eventName: string; eventID: string }[] };
      assert.equal(result.status, 'indexed', relative);
      assert.equal(result.compressed, true);
      assert.equal(result.shape, 'records');
      assert.deepEqual(
        namesAndIds(result),
        parsed.Records.map((record) => [record.eventName, record.eventID]),
        relative,
      );
    }
  });

  it('keeps every summary field and the editor position of each record', async () => {
    const relative = 'real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz';
    const text = readFixture(relative);
    const model = parseCloudTrail(text);
    const lines = new LineIndex(text);
    const index = new FolderIndex(scratch);
    const file = index.add(await indexLogFile(path.join(FIXTURES, relative), BIG));
    assert.equal(file.entries.count, model.records.length);
    model.records.forEach((record, i) => {
      const event = index.event(file, i);
      const { file: _file, index: _index, start, length, range, ...summary } = event;
      // The index keeps no principalId (see IdentityTable), nor what the summary reads only for the
      // Sigma rules (the user agent, the session issuer's type); the access key it keeps in a
      // column of its own. Fields without a value may be there as undefined or not at all.
      const { principalId: _principalId, sessionIssuerType: _issuerType, accessKeyId, ...identity } = record.summary.identity;
      const withValues = (object: object): object => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
      const { identity: indexedIdentity, ...fields } = summary;
      const { identity: _identity, userAgent: _userAgent, ...recordFields } = record.summary;
      assert.deepEqual(fields, recordFields);
      assert.deepEqual(withValues(indexedIdentity), withValues({ ...identity, ...(accessKeyId !== undefined ? { accessKeyId } : {}) }));
      assert.equal(start, record.start);
      assert.equal(length, record.end - record.start);
      assert.deepEqual(range, { start: lines.positionAt(record.start), end: lines.positionAt(record.end) });
    });
  });

  it('reads a plain .json and its .json.gz alike', async () => {
    const base = 'real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json';
    const plain = await indexLogFile(path.join(FIXTURES, base), BIG);
    const gzipped = await indexLogFile(path.join(FIXTURES, `${base}.gz`), BIG);
    assert.equal(plain.compressed, false);
    assert.deepEqual({ ...plain.entries }, { ...gzipped.entries });
    assert.deepEqual(plain.strings, gzipped.strings);
    assert.deepEqual(plain.accessKeys, gzipped.accessKeys);
  });

  it('streams a file longer than the whole-document limit through the splitter with the same entries', async () => {
    const relative = 'real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz';
    const whole = await indexLogFile(path.join(FIXTURES, relative), BIG);
    const streamed = await indexLogFile(path.join(FIXTURES, relative), { ...BIG, wholeDocumentChars: 100 });
    assert.ok(whole.entries.count > 0);
    assert.deepEqual({ ...streamed.entries }, { ...whole.entries });
    assert.deepEqual(streamed.strings, whole.strings);
    assert.deepEqual(streamed.accessKeys, whole.accessKeys);
  });

  it('reports a truncated .gz by name and keeps the complete events before the cut', async () => {
    const source = fs.readFileSync(path.join(FIXTURES, 'real/grycap-sample/974349055189_CloudTrail_us-east-1_20140927T1805Z_8137V0IkHQp9WiYb.json.gz'));
    const cut = scratchFile('cut/111122223333_CloudTrail_us-east-1_20261124T0000Z_cut.json.gz', source.subarray(0, Math.floor(source.length * 0.6)));
    const all = JSON.parse(zlib.gunzipSync(source).toString()) as { Records: { eventID: string }[] };
    for (const wholeDocumentChars of [undefined, 64]) {
      const result = await indexLogFile(cut, { ...BIG, wholeDocumentChars });
      assert.equal(result.status, 'damaged');
      assert.match(result.message ?? '', /111122223333_CloudTrail_us-east-1_20261124T0000Z_cut\.json\.gz is damaged: its compressed data ends too early/);
      assert.ok(result.entries.count > 0 && result.entries.count < all.Records.length, `${result.entries.count} of ${all.Records.length}`);
      assert.deepEqual(
        namesAndIds(result).map(([, id]) => id),
        all.Records.slice(0, result.entries.count).map((record) => record.eventID),
      );
    }
  });

  it('reports a corrupt .gz by name', async () => {
    const source = Buffer.from(fs.readFileSync(path.join(FIXTURES, 'real/trailscraper/someRecords.json.gz')));
    for (let i = 40; i < source.length - 20; i += 7) source[i] ^= 0x5a;
    const file = scratchFile('corrupt.json.gz', source);
    const result = await indexLogFile(file, BIG);
    assert.equal(result.status, 'damaged');
    assert.match(result.message ?? '', /^corrupt\.json\.gz is damaged: its compressed data (is corrupt|ends too early)/);
  });

  it('inflates a log in one piece of the size its gzip trailer states, and reads those whose trailer misleads', async () => {
    const log = `{"Records":[${Array.from({ length: 2000 }, (_, i) => EVENT(`Call${String(i)}`)).join(',')}]}`;
    const compressed = zlib.gzipSync(log);
    assert.equal(inflateChunkSize(compressed, 16 * MB), log.length + 1);
    // Never past the limit, nor past what the compressed bytes can hold; never tiny; no trailer to read in a stub.
    assert.equal(inflateChunkSize(compressed, 1000), 1001);
    const claimsMore = Buffer.from(compressed);
    claimsMore.writeUInt32LE(0xffffffff, claimsMore.length - 4);
    assert.equal(inflateChunkSize(claimsMore, 1024 * MB), claimsMore.length * 1032);
    const claimsLittle = Buffer.from(compressed);
    claimsLittle.writeUInt32LE(10, claimsLittle.length - 4);
    assert.equal(inflateChunkSize(claimsLittle, 16 * MB), 64 * 1024);
    assert.equal(inflateChunkSize(compressed.subarray(0, 10), 16 * MB), 64 * 1024);
    const expected = Array.from({ length: 2000 }, (_, i) => [`Call${String(i)}`, 'a0ed971f-389f-406a-9fcf-887c5ca6903a']);
    assert.deepEqual(namesAndIds(await indexLogFile(scratchFile('stated.json.gz', compressed), BIG)), expected);
    // Two gzip members: the trailer states the last one's size only, and the content comes in several pieces.
    const half = log.length >> 1;
    const twoMembers = Buffer.concat([zlib.gzipSync(log.slice(0, half)), zlib.gzipSync(log.slice(half))]);
    assert.ok(inflateChunkSize(twoMembers, 16 * MB) < log.length);
    assert.deepEqual(namesAndIds(await indexLogFile(scratchFile('two-members.json.gz', twoMembers), BIG)), expected);
    // A trailer that lies about the size fails gzip's own check: the file is damaged, as any other.
    const lying = await indexLogFile(scratchFile('lying.json.gz', claimsLittle), BIG);
    assert.equal(lying.status, 'damaged');
  });

  it('stops a gzip bomb at the decompressed-size limit with a clear message', async () => {
    // 2 GB of JSON white space in 32 gzip members of 64 MB each: about 2 MB on disk.
    const member = zlib.gzipSync(Buffer.alloc(64 * MB, 0x20), { level: 9 });
    const bomb = Buffer.concat([zlib.gzipSync('{"Records":['), ...Array.from({ length: 32 }, () => member)]);
    assert.ok(bomb.length < 4 * MB, `${bomb.length} bytes`);
    const file = scratchFile('bomb.json.gz', bomb);
    const result = await indexLogFile(file, { maxDecompressedBytes: 8 * MB });
    assert.equal(result.status, 'tooLarge');
    assert.equal(result.entries.count, 0);
    assert.ok(result.textBytes >= 8 * MB && result.textBytes < 9 * MB, `read ${result.textBytes} bytes`);
    assert.equal(
      result.message,
      'bomb.json.gz was not indexed: decompressed, it is larger than 8 MB (the limit set by cloudtrail.folder.maxDecompressedMB), so reading stopped there.',
    );
  });

  it('stops reading a compressed file that is not JSON at its first bytes', async () => {
    const member = zlib.gzipSync(Buffer.alloc(64 * MB), { level: 9 });
    const file = scratchFile('zeros.json.gz', Buffer.concat([member, member, member, member]));
    const result = await indexLogFile(file, BIG);
    assert.equal(result.status, 'notCloudTrail');
    assert.equal(result.message, 'zeros.json.gz was skipped: it is not JSON.');
    assert.ok(result.textBytes < 2 * MB, `read ${result.textBytes} bytes`);
  });

  it('skips files that are not CloudTrail and says why', async () => {
    const cases: [string, string, string][] = [
      ['package.json', '{"name":"x","version":"1.0.0","dependencies":{}}', 'it holds JSON but no CloudTrail events'],
      ['list.json', '[{"id":1},{"id":2}]', 'it holds JSON but no CloudTrail events'],
      ['notes.json', 'hello, world', 'it is not JSON'],
      ['empty.json', '  \n', 'it is empty'],
      [
        '111122223333_CloudTrail-Digest_us-east-1_x_20261124T000000Z.json.gz',
        zlib
          .gzipSync('{"awsAccountId":"111122223333","digestStartTime":"2026-11-24T00:00:00Z","digestEndTime":"2026-11-24T01:00:00Z","logFiles":[]}')
          .toString('latin1'),
        'it is a CloudTrail digest file (log file integrity validation), which lists log files rather than events',
      ],
    ];
    for (const [name, content, reason] of cases) {
      const file = scratchFile(`other/${name}`, name.endsWith('.gz') ? Buffer.from(content, 'latin1') : content);
      for (const wholeDocumentChars of [undefined, 4]) {
        const result = await indexLogFile(file, { ...BIG, wholeDocumentChars });
        assert.equal(result.status, 'notCloudTrail', name);
        assert.equal(result.message, `${name} was skipped: ${reason}.`, `${name} (${wholeDocumentChars})`);
        assert.equal(result.entries.count, 0);
      }
    }
  });

  it('indexes a bare array, lookup-events output and one event per line', async () => {
    for (const relative of [
      'real/stratus-red-team/aws.persistence.iam-create-admin-user.json',
      'shapes/lookup-events.json',
      'shapes/one-per-line.ndjson.json',
      'shapes/lookup-events-lines.jsonl.json',
      'shapes/lookup-events-insights.json',
    ]) {
      const model = parseCloudTrail(readFixture(relative));
      for (const wholeDocumentChars of [undefined, 50]) {
        const result = await indexLogFile(path.join(FIXTURES, relative), { ...BIG, wholeDocumentChars });
        assert.equal(result.status, 'indexed', relative);
        assert.deepEqual(
          namesAndIds(result),
          model.records.map((record) => [record.summary.eventName, record.summary.eventID]),
          `${relative} (${wholeDocumentChars})`,
        );
      }
    }
  });

  it('reads broken examples as the editor does (small files are parsed whole)', async () => {
    for (const relative of listFixtures('aws-docs-acm')) {
      const model = parseCloudTrail(readFixture(relative));
      const result = await indexLogFile(path.join(FIXTURES, relative), BIG);
      assert.deepEqual(
        namesAndIds(result).map(([name]) => name),
        model.records.map((record) => record.summary.eventName),
        relative,
      );
    }
  });

  it('interns the strings that repeat', async () => {
    const text = `{"Records":[${Array.from({ length: 200 }, () => EVENT('ListCertificates')).join(',')}]}`;
    const indexer = new LogTextIndexer();
    indexer.write(text);
    indexer.end();
    const { entries, strings, identities } = indexer.builder.finish();
    assert.equal(entries.count, 200);
    assert.equal(identities.length, 1);
    assert.ok(strings.length < 10, `${strings.length} strings`);
    const names = new Set(Array.from({ length: 200 }, (_, i) => entries.strings[i * TEXT_FIELD_COUNT + TextField.eventName]));
    assert.equal(names.size, 1);
  });

  it('gives each event the profile of its own fields, one profile per distinct set, across files', () => {
    // 2,100 distinct profiles over two files that share some: the profile table grows and is rehashed.
    const event = (name: string, source: string, readOnly: string, error: string): string =>
      EVENT(name)
        .replace('acm.amazonaws.com', source)
        .replace('"readOnly":true', `"readOnly":${readOnly}`)
        .replace('"awsRegion"', error ? `"errorCode":"${error}","awsRegion"` : '"awsRegion"');
    // Each field varies on its own, so that profiles differing in one field only are many.
    const fieldsOf = (i: number): { name: string; source: string; readOnly: boolean | undefined; error: string | undefined } => {
      const read = Math.floor(i / 350) % 3;
      return {
        name: `Call${i % 50}`,
        source: `s${Math.floor(i / 50) % 7}.amazonaws.com`,
        readOnly: read === 0 ? true : read === 1 ? false : undefined,
        error: Math.floor(i / 1050) % 2 === 0 ? 'AccessDenied' : undefined,
      };
    };
    const fileText = (from: number, to: number): string => {
      const records: string[] = [];
      for (let i = from; i < to; i++) {
        const { name, source, readOnly, error } = fieldsOf(i);
        records.push(event(name, source, readOnly === true ? 'true' : readOnly === false ? 'false' : '"x"', error ?? ''));
      }
      return `{"Records":[${records.join(',')}]}`;
    };
    const index = new FolderIndex(scratch);
    const expected = new Map<string, number>();
    for (const [name, from, to] of [
      ['a.json', 0, 3000],
      ['b.json', 2000, 6000],
    ] as const) {
      const indexer = new LogTextIndexer();
      indexer.write(fileText(from, to));
      indexer.end();
      const built = indexer.builder.finish();
      const file = index.add({ ...emptyFileResult(path.join(scratch, name), 0), ...built, links: indexer.links.finish(built.entries.count) });
      for (let i = 0; i < file.entries.count; i++) {
        const at = from + i;
        const profile = index.profiles[file.profiles[i]];
        assert.equal(profile.id, file.profiles[i]);
        const fields = fieldsOf(at);
        assert.equal(profile.eventName, fields.name);
        assert.equal(profile.eventSource, fields.source);
        assert.equal(profile.readOnly, fields.readOnly);
        assert.equal(profile.errorCode, fields.error);
        const key = `${profile.eventName} ${profile.eventSource} ${String(profile.readOnly)} ${String(profile.errorCode)}`;
        assert.equal(expected.get(key) ?? file.profiles[i], file.profiles[i], key);
        expected.set(key, file.profiles[i]);
      }
    }
    assert.equal(index.profiles.length, expected.size);
    assert.equal(expected.size, 50 * 7 * 3 * 2);
  });
});

describe('folder index: folders', () => {
  it('finds the log files below a folder by name', async () => {
    assert.ok(isLogFileName('111122223333_CloudTrail_us-east-1_20261124T0000Z_ab12.json.gz'));
    assert.ok(isLogFileName('export.JSON'));
    assert.ok(isLogFileName('events.ndjson'));
    assert.ok(!isLogFileName('README.md'));
  });

  it('indexes the real corpus on worker threads exactly as in one thread', async () => {
    const root = path.join(FIXTURES, 'real');
    const pool = new WorkerPool(WORKER, 2);
    try {
      const inThread = await indexFolder(root, new InThreadRunner(), BIG);
      const progress: number[] = [];
      const onWorkers = await indexFolder(root, pool, { ...BIG, onProgress: (p) => progress.push(p.filesDone) });
      const expected = listFixtures('real').reduce((sum, relative) => sum + parseCloudTrail(readFixture(relative)).records.length, 0);
      assert.equal(inThread.eventCount, expected);
      assert.equal(onWorkers.eventCount, expected);
      assert.deepEqual(onWorkers.summary(), inThread.summary());
      assert.equal(progress.at(-1), listFixtures('real').length);
      for (const file of inThread.files()) {
        const other = defined(onWorkers.file(file.path));
        for (let i = 0; i < file.entries.count; i++) {
          assert.deepEqual(onWorkers.event(other, i), { ...inThread.event(file, i), file: other });
        }
      }
    } finally {
      await pool.dispose();
    }
  });

  it('sends each identity once from a worker: later results name it by number', async () => {
    const files = listFixtures('real').filter((name) => name.endsWith('.json.gz'));
    assert.ok(files.length >= 100);
    const sent = new SentIdentities();
    const received: IdentitySummary[] = [];
    const asJson = (identities: readonly IdentitySummary[]): unknown => JSON.parse(JSON.stringify(identities));
    let crossed = 0;
    let named = 0;
    for (const relative of files) {
      const result = await indexLogFile(path.join(FIXTURES, relative), BIG);
      const expected = asJson(result.identities);
      const posted = postedResult(result, sent);
      crossed += (JSON.parse(posted.stringsAndIdentities) as unknown[][])[2].length;
      named += posted.identityNumbers.length;
      const back = receivedResult(structuredClone(posted), received);
      assert.deepEqual(asJson(back.identities), expected, relative);
      assert.deepEqual(back.strings, result.strings);
      assert.deepEqual(back.accessKeys, result.accessKeys);
    }
    // These logs share their principals: far fewer identities crossed than the files named.
    assert.equal(crossed, received.length);
    assert.ok(crossed * 2 < named, `${String(crossed)} identities crossed for ${String(named)} named`);
  });

  it('keeps none of the text of the files its identities were read from', () => {
    // The identities of a file are slices of its text: kept as they are, every file that met a
    // new principal would stay in the worker's memory for as long as it runs.
    const sent = new SentIdentities();
    const before = externalBytes();
    for (let file = 0; file < RETAINED_FILES; file++) {
      const indexer = new LogTextIndexer();
      // Over 1 MB: Node makes an external string of it, whose bytes `external` counts.
      indexer.write(Buffer.from(logNamingNewSessions(file)).toString('latin1'));
      indexer.end();
      const { identities } = indexer.builder.finish();
      assert.equal(identities.length, 50);
      sent.number(identities);
    }
    assertTextsReleased(externalBytes() - before);
  });

  it('keeps none of the text of its logs in an index built on the calling thread', async () => {
    // What a result holds (string tables, access keys, identities, rule observations) is sliced
    // from the text of its log; an index keeps it for as long as the folder is open.
    for (let file = 0; file < RETAINED_FILES; file++) scratchFile(`sessions/${String(file)}.json`, logNamingNewSessions(file));
    const before = externalBytes();
    const index = await indexFolder(path.join(scratch, 'sessions'), new InThreadRunner(), BIG);
    assertTextsReleased(externalBytes() - before);
    // The index is still there, with everything it read.
    assert.equal(index.eventCount, RETAINED_FILES * 400);
    const first = index.files()[0];
    assert.equal(index.accessKeyIdOf(first, 1), 'ASIA0000000000000001');
    assert.equal(index.event(first, 1).identity.label, 'role Reader / session session-0-1');
  });

  it('keeps indexing the other files when some are damaged or not CloudTrail, and counts them', async () => {
    const folder = path.join(scratch, 'mixed');
    const good = fs.readFileSync(path.join(FIXTURES, 'real/trailscraper/someRecords.json.gz'));
    scratchFile('mixed/a/good.json.gz', good);
    scratchFile('mixed/b/truncated.json.gz', good.subarray(0, 100));
    scratchFile('mixed/b/package.json', '{"name":"x"}');
    scratchFile('mixed/README.md', '# not a log');
    const index = await indexFolder(folder, new InThreadRunner(), BIG);
    const summary = index.summary();
    assert.equal(summary.files, 3);
    assert.equal(summary.notCloudTrail, 1);
    assert.deepEqual(
      summary.problems.map((problem) => [path.basename(problem.path), problem.status]),
      [['truncated.json.gz', 'damaged']],
    );
    assert.equal(summary.indexedFiles, 2);
    assert.equal(index.eventCount, parseCloudTrail(zlib.gunzipSync(good).toString()).records.length);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const pending = indexFolder(path.join(FIXTURES, 'real'), new InThreadRunner(), {
      ...BIG,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.filesDone === 3) controller.abort(new Error('stop'));
      },
    });
    await assert.rejects(pending, /stop/);
  });

  it('watches every folder of a tree, and folders made later, without polling files', async () => {
    const root = path.join(scratch, 'watched');
    fs.mkdirSync(path.join(root, 'a/b'), { recursive: true });
    const seen = new Set<string>();
    const waiters: { path: string; resolve: () => void }[] = [];
    const watcher = watchFolderTree(
      root,
      (changed) => {
        seen.add(changed);
        waiters
          .filter((waiter) => seen.has(waiter.path))
          .forEach((waiter) => {
            waiter.resolve();
          });
      },
      (message) => assert.fail(message),
    );
    const changeOf = (file: string): Promise<void> =>
      new Promise((resolve, reject) => {
        if (seen.has(file)) {
          resolve();
          return;
        }
        const timer = setTimeout(() => {
          reject(new Error(`no change reported for ${file}`));
        }, 5000);
        waiters.push({
          path: file,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    try {
      const deep = path.join(root, 'a/b/deep.json.gz');
      fs.writeFileSync(deep, 'x');
      await changeOf(deep);
      const later = path.join(root, 'a/later');
      fs.mkdirSync(later);
      await changeOf(later);
      await new Promise((resolve) => setTimeout(resolve, 100)); // the new folder's watcher starts
      const inLater = path.join(later, 'new.json');
      fs.writeFileSync(inLater, '{}');
      await changeOf(inLater);
    } finally {
      watcher.dispose();
    }
  });

  it('replaces and removes files', async () => {
    const index = await indexFolder(path.join(FIXTURES, 'real/trailscraper'), new InThreadRunner(), BIG);
    const before = index.eventCount;
    const file = index.files()[0];
    index.add(await indexLogFile(file.path, BIG));
    assert.equal(index.eventCount, before);
    assert.equal(defined(index.file(file.path)).id, file.id);
    assert.ok(index.remove(file.path));
    assert.equal(index.eventCount, before - file.entries.count);
    const remaining = index.fileCount;
    assert.ok(remaining > 0);
    assert.equal(index.removeBelow(path.join(FIXTURES, 'real/trailscraper')), remaining);
    assert.equal(index.eventCount, 0);
    assert.equal(index.fileCount, 0);
  });
});

describe('folder index: event ids', () => {
  it('keeps a lower-case UUID as 16 bytes and gives it back, and refuses every other text', () => {
    const random = (): string =>
      Array.from({ length: 36 }, (_, i) => ([8, 13, 18, 23].includes(i) ? '-' : '0123456789abcdef'[Math.floor(Math.random() * 16)])).join('');
    const bytes = new Uint8Array(32);
    for (let i = 0; i < 200; i++) {
      const id = random();
      assert.ok(writeUuid(id, bytes, 16), id);
      assert.equal(readUuid(bytes, 16), id);
    }
    const id = 'ef2a4f0b-9003-4d26-8ad0-51e8693060e4';
    const refused = [
      id.toUpperCase(),
      id.slice(0, 35),
      `${id}0`,
      id.replace('-', '0'),
      `${id.slice(0, 35)}g`,
      `${id.slice(0, 35)}/`,
      `${id.slice(0, 35)}:`,
      `${id.slice(0, 35)}\``,
      // Characters whose low seven bits are those of a digit: 'Ĵ' (U+0134) and 'Ť' (U+0164).
      `${id.slice(0, 35)}\u0134`,
      `\u0164${id.slice(1)}`,
      `${id.slice(0, 10)}\u00e1${id.slice(11)}`,
    ];
    for (const text of refused) assert.equal(writeUuid(text, bytes, 0), false, text);
  });
});

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineIndex, parseCloudTrail } from '../../server/src/model';
import { EntrySummary, RecordSplitter, RecordSummarizer, RecordText } from '../../server/src/model/folderIndex';
import { listFixtures, readFixture } from '../fixtures';
import { defined } from '../defined';

/** Splits `text` delivered in the given pieces and summarizes every record. */
function split(
  pieces: readonly string[],
  options: { maxRecordChars?: number; batchChars?: number } = {},
): { records: RecordText[]; entries: EntrySummary[]; splitter: RecordSplitter } {
  const records: RecordText[] = [];
  const entries: EntrySummary[] = [];
  const summarizer = new RecordSummarizer((record, entry) => {
    records.push(record);
    entries.push(entry);
  }, options.batchChars);
  const splitter = new RecordSplitter(
    (record) => {
      summarizer.add(record);
    },
    { maxRecordChars: options.maxRecordChars },
  );
  for (const piece of pieces) splitter.write(piece);
  splitter.end();
  summarizer.flush();
  return { records, entries, splitter };
}

/** What the document model finds in the same text: the records' ranges and summaries. */
function modelRecords(text: string): { start: number; end: number; eventName?: string; identity: string; eventID?: string }[] {
  return parseCloudTrail(text).records.map((record) => ({
    start: record.start,
    end: record.end,
    eventName: record.summary.eventName,
    identity: record.summary.identity.key,
    eventID: record.summary.eventID,
  }));
}

function splitterRecords(
  text: string,
  pieces: readonly string[] = [text],
): { start: number; end: number; eventName?: string; identity: string; eventID?: string }[] {
  const { records, entries } = split(pieces);
  return records
    .map((record, i) => ({ record, entry: entries[i] }))
    .filter(({ entry }) => entry.summary !== undefined)
    .map(({ record, entry }) => ({
      start: record.start,
      end: record.end,
      eventName: defined(entry.summary).eventName,
      identity: defined(entry.summary).identity.key,
      eventID: defined(entry.summary).eventID,
    }));
}

/** Cuts text into pieces of `size` characters. */
function chunks(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

const EVENT = (name: string, extra = ''): string =>
  `{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","userName":"alice"},"eventTime":"2026-11-24T10:03:11Z","eventSource":"acm.amazonaws.com","eventName":"${name}","awsRegion":"us-east-1","eventID":"a0ed971f-389f-406a-9fcf-887c5ca6903a"${extra}}`;

/**
 * A small file with everything that can trip a chunked scanner: escaped quotes and backslashes,
 * brackets inside strings, a UTF-16 surrogate pair, CRLF and lone CR line breaks, nesting.
 */
const TRICKY = [
  '{"Records": [\r\n',
  `  ${EVENT('RequestCertificate', ',"requestParameters":{"domainName":"a\\"}]{[\\\\","x":"\\\\\\\\","y":"\\\\\\""}')},\r\n`,
  `  ${EVENT('DescribeCertificate', ',"userAgent":"emoji 😀 and ü","resources":[{"ARN":"arn:aws:acm:us-east-1:111122223333:certificate/1"}]')},\r`,
  `  ${EVENT('DeleteCertificate', ',"requestParameters":{"tags":[[1,2,[3]],{"k":"}"}]},"readOnly":false')}\n`,
  ']}\n',
].join('');

describe('folder index: record splitter', () => {
  it('finds the same records as the document model in every real log of the corpus', () => {
    const files = [...listFixtures('real'), ...listFixtures('shapes')];
    assert.ok(files.length > 100);
    for (const file of files) {
      const text = readFixture(file);
      assert.deepEqual(splitterRecords(text, chunks(text, 4096)), modelRecords(text), file);
    }
  });

  it('counts what JSON.parse counts in the delivered .json.gz files', () => {
    for (const file of listFixtures('real').filter((name) => name.endsWith('.gz'))) {
      const text = readFixture(file);
      const parsed = JSON.parse(text) as { Records: { eventID: string }[] };
      const found = splitterRecords(text, chunks(text, 1000));
      assert.equal(found.length, parsed.Records.length, file);
      assert.deepEqual(
        found.map((record) => record.eventID),
        parsed.Records.map((record) => record.eventID),
        file,
      );
    }
  });

  it('gives the same records wherever the text is cut in two', () => {
    const whole = split([TRICKY]);
    assert.deepEqual(
      whole.entries.map((entry) => entry.summary?.eventName),
      ['RequestCertificate', 'DescribeCertificate', 'DeleteCertificate'],
    );
    for (let cut = 0; cut <= TRICKY.length; cut++) {
      const halves = split([TRICKY.slice(0, cut), TRICKY.slice(cut)]);
      assert.deepEqual(halves.records, whole.records, `cut at ${cut}`);
    }
  });

  it('gives the same records when every character comes on its own', () => {
    for (const text of [TRICKY, readFixture('shapes/lookup-events.json'), readFixture('shapes/one-per-line.ndjson.json')]) {
      assert.deepEqual(split(Array.from(text).length === text.length ? Array.from(text) : chunks(text, 1)).records, split([text]).records);
    }
  });

  it('gives each record the line and character an editor shows (LF, CRLF and lone CR)', () => {
    const lines = new LineIndex(TRICKY);
    const { records } = split(chunks(TRICKY, 7));
    assert.equal(records.length, 3);
    for (const record of records) {
      assert.deepEqual({ line: record.startLine, character: record.startCharacter }, lines.positionAt(record.start));
      assert.deepEqual({ line: record.endLine, character: record.endCharacter }, lines.positionAt(record.end));
      assert.equal(record.text, TRICKY.slice(record.start, record.end));
    }
    assert.deepEqual(
      records.map((record) => record.startLine),
      [1, 2, 3],
    );
  });

  it('matches positions of a pretty-printed download', () => {
    const text = readFixture('shapes/console-download-pretty.json');
    const lines = new LineIndex(text);
    const { records } = split(chunks(text, 333));
    assert.ok(records.length > 0);
    for (const record of records) {
      assert.deepEqual({ line: record.startLine, character: record.startCharacter }, lines.positionAt(record.start));
      assert.deepEqual({ line: record.endLine, character: record.endCharacter }, lines.positionAt(record.end));
    }
  });

  it('does not count a byte order mark, as the editor does not show it', () => {
    const text = `{"Records":[${EVENT('ListCertificates')}]}`;
    const withBom = split(['\ufeff' + text.slice(0, 20), text.slice(20)]);
    assert.equal(withBom.records[0].start, 12);
    assert.equal(withBom.records[0].startCharacter, 12);
    assert.equal(withBom.splitter.length, text.length);
  });

  it('reads the event inside each item of lookup-events output', () => {
    const text = readFixture('shapes/lookup-events.json');
    const { records, entries } = split(chunks(text, 100));
    const model = parseCloudTrail(text);
    assert.equal(records.length, model.records.length);
    assert.ok(records.every((record) => record.container === 'events'));
    assert.deepEqual(
      entries.map((entry) => [entry.kind, entry.summary?.eventName, entry.summary?.identity.key]),
      model.records.map((record) => ['event', record.summary.eventName, record.summary.identity.key]),
    );
  });

  it('reads one event per line, and an EventBridge envelope by its detail', () => {
    const lines = split([readFixture('shapes/one-per-line.ndjson.json')]);
    assert.ok(lines.records.length > 1);
    assert.ok(lines.records.every((record) => record.container === 'top'));
    const envelope = split([readFixture('shapes/eventbridge-envelope.json')]);
    const model = parseCloudTrail(readFixture('shapes/eventbridge-envelope.json'));
    assert.equal(envelope.entries[0].kind, 'event');
    assert.equal(envelope.entries[0].summary?.eventName, model.records[0].summary.eventName);
  });

  it('skips and counts records longer than the limit, and keeps the others', () => {
    const long = EVENT('ImportCertificate', `,"requestParameters":{"certificate":"${'A'.repeat(5000)}"}`);
    const text = `{"Records":[${EVENT('ListCertificates')},${long},${EVENT('GetCertificate')}]}`;
    const { entries, splitter } = split(chunks(text, 512), { maxRecordChars: 2000 });
    assert.deepEqual(
      entries.map((entry) => entry.summary?.eventName),
      ['ListCertificates', 'GetCertificate'],
    );
    assert.equal(splitter.oversizedRecords, 1);
  });

  it('counts entries of Records that are not objects', () => {
    const { records, splitter } = split([`{"Records":[${EVENT('A')},"not a record",42,[1],null,${EVENT('B')}]}`]);
    assert.equal(records.length, 2);
    assert.equal(splitter.nonObjectEntries, 4);
  });

  it('tells objects that are not events apart, and digest files', () => {
    const other = split(['[{"name":"left-pad","version":"1.3.0"}]']);
    assert.equal(other.entries[0].kind, 'object');
    const digest = split(['{"awsAccountId":"111122223333","digestStartTime":"2026-11-24T10:00:00Z","logFiles":[]}']);
    assert.equal(digest.entries[0].kind, 'digest');
    const notEvent = split(['{"compilerOptions":{"strict":true}}']);
    assert.equal(notEvent.entries[0].kind, 'other');
  });

  it('summarizes a record whose JSON is broken on its own, the way the editor reads it', () => {
    const broken = `{"eventVersion":"1.08","eventName":"RevokeCertificate",eventSource:"acm.amazonaws.com","userIdentity":{"type":"Root"}}`;
    const text = `{"Records":[${EVENT('ListCertificates')},${broken},${EVENT('GetCertificate')}]}`;
    assert.deepEqual(splitterRecords(text), modelRecords(text));
  });
});

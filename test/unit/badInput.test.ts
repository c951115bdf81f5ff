import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LineIndex, parseCloudTrail, validateDocument } from '../../server/src/model';
import { FIXTURES, readFixture } from '../fixtures';

const REAL = 'real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json';

/** Parses and validates; any exception fails the test. */
function analyse(text: string) {
  const document = parseCloudTrail(text);
  return { document, problems: validateDocument(document) };
}

describe('bad input gets a clear diagnostic or nothing, never an exception', () => {
  it('an empty file and a file of white space have no problems', () => {
    for (const text of ['', '   \n\t\r\n  ']) {
      const { document, problems } = analyse(text);
      assert.equal(document.shape, 'empty');
      assert.deepEqual(problems, []);
    }
  });

  it('a binary file (the bytes of a .gz read as text) gets one problem saying it is not text', () => {
    const bytes = fs.readFileSync(path.join(FIXTURES, 'real/trailscraper/someRecords.json.gz'));
    const { document, problems } = analyse(bytes.toString('utf8'));
    assert.equal(document.shape, 'binary');
    assert.deepEqual(
      problems.map((p) => p.code),
      ['file-not-text'],
    );
  });

  it('a file that starts with NUL bytes is not text', () => {
    const { problems } = analyse('\0\0\0\0{"Records":[]}');
    assert.deepEqual(
      problems.map((p) => p.code),
      ['file-not-text'],
    );
  });

  it('a NUL byte inside a string is reported at that character', () => {
    const text = readFixture(REAL).replace('AutoScalingDescribeHandlerSession', 'AutoScaling\0DescribeHandlerSession');
    const { document, problems } = analyse(text);
    const nul = text.indexOf('\0');
    assert.deepEqual(
      problems.map((p) => [p.code, p.start, p.end]),
      [['json-control-character', nul, nul + 1]],
    );
    assert.equal(document.records.length, 2);
  });

  it('invalid UTF-8 decoded to replacement characters inside values is not a JSON problem', () => {
    const bytes = Buffer.from(readFixture(REAL), 'utf8');
    const at = bytes.indexOf('someRole');
    bytes[at] = 0xff;
    const { document, problems } = analyse(bytes.toString('utf8'));
    assert.deepEqual(
      problems.filter((p) => p.code.startsWith('json-')),
      [],
    );
    assert.equal(document.records.length, 2);
  });

  it('a byte order mark is skipped', () => {
    const { document, problems } = analyse(`\uFEFF${readFixture(REAL)}`);
    assert.equal(document.shape, 'records');
    assert.equal(document.records.length, 2);
    assert.deepEqual(problems, []);
  });

  it('CRLF line ends read like LF ones, and positions count lines correctly', () => {
    const lf = readFixture('shapes/console-download-pretty.json');
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = analyse(lf);
    const b = analyse(crlf);
    assert.deepEqual(b.problems, []);
    assert.deepEqual(
      b.document.records.map((r) => new LineIndex(crlf).positionAt(r.start)),
      a.document.records.map((r) => new LineIndex(lf).positionAt(r.start)),
    );
    assert.deepEqual(
      b.document.records.map((r) => r.summary),
      a.document.records.map((r) => r.summary),
    );
  });

  it('nesting 100,000 deep, open or closed, neither overflows the stack nor floods problems', () => {
    const open = analyse('['.repeat(100_000));
    assert.ok(open.problems.length <= 1001);
    assert.equal(open.problems[0].code, 'json-unclosed-bracket');

    const closed = analyse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    assert.deepEqual(
      closed.problems.filter((p) => p.code.startsWith('json-')),
      [],
    );
    // An array is no event: said once, on its opening bracket.
    assert.deepEqual(
      closed.problems.map((p) => [p.code, p.start, p.end]),
      [['shape-record-not-object', 1, 2]],
    );

    const deepRecord = analyse(`{"Records":[{"eventVersion":"1.08","requestParameters":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}]}`);
    assert.equal(deepRecord.document.records.length, 1);
    assert.deepEqual(
      deepRecord.problems.filter((p) => p.code.startsWith('json-')),
      [],
    );
  });

  it('a 10 MB string value is read without trouble', () => {
    const huge = 'A'.repeat(10 * 1024 * 1024);
    const text = readFixture(REAL).replace('"userAgent": "config.amazonaws.com"', `"userAgent": "${huge}"`);
    assert.ok(text.length > 10 * 1024 * 1024);
    const { document, problems } = analyse(text);
    assert.equal(document.records.length, 2);
    assert.deepEqual(
      problems.filter((p) => p.code.startsWith('json-')),
      [],
    );
    const record = document.records[0];
    assert.equal(record.source.view.stringProperty(record.node, 'userAgent')?.length, huge.length);
  });

  it('a truncated file reports where it stops and still reads the complete records', () => {
    const full = readFixture('real/stratus-red-team/aws.execution.ssm-start-session.json');
    const cut = full.slice(0, Math.floor(full.length * 0.6));
    const complete = (JSON.parse(full) as unknown[]).length;
    const { document, problems } = analyse(cut);
    assert.ok(document.records.length > 0 && document.records.length <= complete);
    const codes = new Set(problems.map((p) => p.code));
    assert.ok(codes.has('json-unclosed-bracket'), [...codes].join());
    // The problems name the opening brackets that are left open, starting with the file's first.
    assert.equal(problems.find((p) => p.code === 'json-unclosed-bracket')?.start, 0);
  });
});

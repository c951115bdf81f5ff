import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineIndex, parseCloudTrail } from '../../server/src/model';
import { listFixtures, readFixture } from '../fixtures';

const EVENT =
  '{"eventVersion":"1.08","eventTime":"2026-11-24T10:03:11Z","eventSource":"acm.amazonaws.com","eventName":"RequestCertificate","awsRegion":"us-east-1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","userName":"alice"},"eventID":"a0ed971f-389f-406a-9fcf-887c5ca6903a"}';

describe('document shapes', () => {
  it('reads {"Records":[...]} on one line', () => {
    const doc = parseCloudTrail(`{"Records":[${EVENT},${EVENT.replace('RequestCertificate', 'DeleteCertificate')}]}`);
    assert.equal(doc.shape, 'records');
    assert.deepEqual(
      doc.records.map((r) => r.summary.eventName),
      ['RequestCertificate', 'DeleteCertificate'],
    );
    assert.deepEqual(doc.problems, []);
  });

  it('reads a pretty-printed Records file and gives each record its exact range', () => {
    const text = JSON.stringify({ Records: [JSON.parse(EVENT), JSON.parse(EVENT)] }, null, 2);
    const doc = parseCloudTrail(text);
    assert.equal(doc.records.length, 2);
    for (const record of doc.records) {
      const slice = text.slice(record.start, record.end);
      assert.deepEqual(JSON.parse(slice), JSON.parse(EVENT));
    }
  });

  it('reads a bare array', () => {
    const doc = parseCloudTrail(`[${EVENT}, ${EVENT}, ${EVENT}]`);
    assert.equal(doc.shape, 'array');
    assert.equal(doc.records.length, 3);
  });

  it('reads a single event and says it is one on its own', () => {
    const doc = parseCloudTrail(EVENT);
    assert.equal(doc.shape, 'single');
    assert.equal(doc.records.length, 1);
    assert.deepEqual(
      doc.problems.map((p) => [p.code, p.severity, p.start, p.end]),
      [['shape-single-event', 'hint', 0, 1]],
    );
  });

  it('reads one event per line', () => {
    const doc = parseCloudTrail(`${EVENT}\n${EVENT}\r\n${EVENT}\n`);
    assert.equal(doc.shape, 'lines');
    assert.equal(doc.records.length, 3);
    assert.deepEqual(doc.problems, []);
  });

  it('reads an EventBridge envelope, the record being its detail', () => {
    const text = `{"version":"0","id":"x","detail-type":"AWS API Call via CloudTrail","source":"aws.acm","detail":${EVENT}}`;
    const doc = parseCloudTrail(text);
    assert.equal(doc.shape, 'eventBridge');
    assert.equal(doc.records[0].summary.eventName, 'RequestCertificate');
    assert.equal(doc.records[0].wrapper?.kind, 'eventBridge');
  });

  it('reads lookup-events output and maps embedded offsets back to the document', () => {
    const text = JSON.stringify(
      { Events: [{ EventId: 'a0ed971f', EventName: 'RequestCertificate', EventTime: 1732442591, CloudTrailEvent: EVENT }], NextToken: 'x' },
      null,
      4,
    );
    const doc = parseCloudTrail(text);
    assert.equal(doc.shape, 'lookupEvents');
    const record = doc.records[0];
    assert.equal(record.summary.eventName, 'RequestCertificate');
    assert.equal(record.source.embedded, true);
    const { view, toDocument, fromDocument } = record.source;
    const eventName = view.property(record.node, 'eventName');
    const start = toDocument(view.table.start[eventName]);
    const end = toDocument(view.table.end[eventName]);
    // In the document the value is written with escaped quotes.
    assert.equal(text.slice(start, end), '\\"RequestCertificate\\"');
    assert.equal(fromDocument(start + 3), view.table.start[eventName] + 2);
  });

  it('maps errors inside an embedded event to the outer characters', () => {
    const broken = EVENT.replace('"awsRegion"', 'awsRegion');
    const text = JSON.stringify({ Events: [{ CloudTrailEvent: broken }] });
    const doc = parseCloudTrail(text);
    const problem = doc.problems.find((p) => p.code === 'json-unquoted-key');
    assert.ok(problem);
    assert.equal(text.slice(problem.start, problem.end), 'awsRegion');
  });

  it('reports a JSON value that is no CloudTrail shape once, on its start', () => {
    const doc = parseCloudTrail('{"name": "package", "version": "1.0.0"}');
    assert.equal(doc.shape, 'unknown');
    assert.deepEqual(
      doc.problems.map((p) => [p.code, p.start]),
      [['shape-not-cloudtrail', 0]],
    );
  });

  it('reports records that are not objects, and reads records written as strings', () => {
    const doc = parseCloudTrail(`{"Records":[42, ${JSON.stringify(EVENT)}]}`);
    assert.deepEqual(
      doc.problems.map((p) => p.code),
      ['shape-record-not-object', 'shape-record-is-string'],
    );
    assert.equal(doc.records.length, 1);
    assert.equal(doc.records[0].summary.eventName, 'RequestCertificate');
  });

  it('reads every shape fixture without a problem', () => {
    const expected: Record<string, [string, number]> = {
      'shapes/console-download-pretty.json': ['records', 2],
      'shapes/eventbridge-envelope.json': ['eventBridge', 1],
      'shapes/lookup-events.json': ['lookupEvents', 6],
      'shapes/one-per-line.ndjson.json': ['lines', 3],
    };
    for (const [file, [shape, count]] of Object.entries(expected)) {
      const doc = parseCloudTrail(readFixture(file));
      assert.equal(doc.shape, shape, file);
      assert.equal(doc.records.length, count, file);
      assert.deepEqual(doc.problems, [], file);
    }
  });

  it('finds no problem in any real log of the corpus, and reads every record', () => {
    for (const file of listFixtures('real')) {
      const text = readFixture(file);
      const doc = parseCloudTrail(text);
      assert.deepEqual(doc.problems, [], file);
      const parsed = JSON.parse(text) as { Records?: unknown[] } | unknown[];
      const expected = Array.isArray(parsed) ? parsed.length : (parsed.Records?.length ?? 0);
      assert.equal(doc.records.length, expected, file);
      assert.ok(
        doc.records.every((r) => r.summary.eventName && r.summary.eventTime),
        file,
      );
    }
  });
});

describe('the broken AWS documentation examples', () => {
  const problemsOf = (name: string) => {
    const text = readFixture(`aws-docs-acm/${name}`);
    const lines = new LineIndex(text);
    const doc = parseCloudTrail(text);
    return {
      doc,
      found: doc.problems.map((p) => {
        const at = lines.positionAt(p.start);
        return { code: p.code, line: at.line + 1, column: at.character + 1, text: text.slice(p.start, p.end) };
      }),
    };
  };

  it('valid examples have no problem', () => {
    for (const name of ['ct-acm-delete.json', 'ct-acm-describe.json', 'ct-acm-list.json', 'ct-acm-request.json', 'ct-acm-resendmail.json']) {
      const { doc, found } = problemsOf(name);
      assert.deepEqual(found, [], name);
      assert.equal(doc.records.length, 1, name);
    }
  });

  it('every unquoted key is reported on the key itself', () => {
    for (const name of ['ct-acm-addtags.json', 'ct-acm-listtags.json', 'ct-acm-removetag.json']) {
      const text = readFixture(`aws-docs-acm/${name}`);
      const unquoted = [...text.matchAll(/^\s*([A-Za-z]+):/gm)].map((m) => m[1]);
      const { doc, found } = problemsOf(name);
      assert.deepEqual(
        found.map((p) => p.code),
        unquoted.map(() => 'json-unquoted-key'),
        name,
      );
      assert.deepEqual(
        found.map((p) => p.text),
        unquoted,
        name,
      );
      assert.equal(doc.records.length, 1, name);
      assert.equal(doc.records[0].summary.eventSource, 'acm.amazonaws.com');
    }
  });

  it('raw line breaks inside the PEM strings of GetCertificate are each reported', () => {
    const { doc, found } = problemsOf('ct-acm-get.json');
    assert.deepEqual(
      found.map((p) => `${p.line}:${p.code}`),
      ['23:json-line-break-in-string', '24:json-line-break-in-string', '27:json-line-break-in-string', '28:json-line-break-in-string'],
    );
    assert.equal(doc.records[0].summary.eventID, '7aa4f909-00dd-478a-9a00-b2709bcad2bb');
  });

  it('bare byte tokens and ... placeholders of ImportCertificate are each reported', () => {
    const { doc, found } = problemsOf('ct-acm-import.json');
    assert.equal(found.filter((p) => p.code === 'json-invalid-token' && p.text === 'byte').length, 9);
    assert.equal(found.filter((p) => p.code === 'json-placeholder' && p.text === '...').length, 3);
    assert.equal(found.filter((p) => p.code === 'shape-single-event').length, 1);
    assert.equal(doc.records[0].summary.eventName, 'ImportCertificate');
  });

  it('the ExportCertificate example: envelope in Records, line breaks, missing comma, unclosed brackets', () => {
    const { doc, found } = problemsOf('ct-acm-export.current.json');
    const codes = found.map((p) => `${p.line}:${p.column}:${p.code}`);
    assert.ok(codes.includes('6:10:shape-envelope-in-records'), codes.join('\n'));
    assert.ok(codes.includes('53:17:json-missing-comma'), codes.join('\n'));
    assert.deepEqual(
      found.filter((p) => p.code === 'json-unclosed-bracket').map((p) => `${p.line}:${p.column}`),
      ['1:1', '2:14', '3:7'],
    );
    assert.equal(found.filter((p) => p.code === 'json-line-break-in-string').length, 7);
    assert.equal(doc.records[0].summary.eventName, 'ExportCertificate');
  });

  it('the RevokeCertificate example: the ARN with no opening quote', () => {
    const { doc, found } = problemsOf('ct-acm-revoke.current.json');
    const missing = found.find((p) => p.code === 'json-missing-open-quote');
    assert.equal(missing?.line, 6);
    assert.equal(missing.text, 'arn:aws:sts::111122223333:assumed-role/Role-Name/Role-Session-Name"');
    assert.equal(doc.records[0].summary.identity.arn, 'arn:aws:sts::111122223333:assumed-role/Role-Name/Role-Session-Name');
  });
});

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CloudTrailDocument,
  parseCloudTrail,
  Problem,
  TextChange,
  updateCloudTrail,
  validateDocument,
  validateDocumentIncrementally,
} from '../../server/src/model';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { documentSymbols } from '../../server/src/features/symbols';
import { groupEvents } from '../../server/src/model/eventGrouping';
import { hoverContent } from '../../server/src/model/explain/hoverContent';
import { readFixture } from '../fixtures';
import { assertSourcesAgree, snapshot } from './modelSnapshot';

function apply(text: string, change: TextChange): string {
  return text.slice(0, change.start) + change.text + text.slice(change.end);
}

/** A deterministic pseudo-random sequence, so failures can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

describe('incremental updates', () => {
  const files = [
    'real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json',
    'real/stratus-red-team/aws.persistence.iam-create-admin-user.json',
    'aws-docs-acm/ct-acm-import.json',
    'aws-docs-acm/ct-acm-addtags.json',
  ];
  const edits = ['', 'x', '"', '{', '}', ',', ':', ' ', '1', '\\', '\n', '"k":1,', 'null'];

  for (const file of files) {
    it(`gives the same model as a full parse after random edits in ${file}`, () => {
      const next = random(file.length);
      let text = readFixture(file);
      let document = parseCloudTrail(text);
      for (let step = 0; step < 300; step++) {
        const start = Math.floor(next() * text.length);
        const end = Math.min(text.length, start + Math.floor(next() * 3));
        const change = { start, end, text: edits[Math.floor(next() * edits.length)] };
        const newText = apply(text, change);
        const update = updateCloudTrail(document, change, newText);
        const full = parseCloudTrail(newText);
        assert.deepEqual(snapshot(update.document), snapshot(full), `step ${step}: ${JSON.stringify(change)}`);
        assertSourcesAgree(update.document, newText, `step ${step}`);
        text = newText;
        document = update.document;
      }
    });
  }

  it('reads just one record again for typing inside the values of a real log', () => {
    const text = readFixture('real/stratus-red-team/aws.execution.ssm-start-session.json');
    const next = random(7);
    let incremental = 0;
    let inside = 0;
    for (let step = 0; step < 300; step++) {
      const document = parseCloudTrail(text);
      // A position inside a string value: after `": "` and before the closing quote.
      const valueStart = text.indexOf('": "', Math.floor(next() * text.length));
      if (valueStart < 0) continue;
      const at = valueStart + 4 + Math.floor(next() * Math.max(1, text.indexOf('"', valueStart + 4) - valueStart - 4));
      const change = { start: at, end: at + (next() < 0.5 ? 0 : 1), text: next() < 0.3 ? '' : 'x' };
      const newText = apply(text, change);
      const update = updateCloudTrail(document, change, newText);
      assert.deepEqual(snapshot(update.document), snapshot(parseCloudTrail(newText)));
      inside++;
      if (update.incremental) incremental++;
    }
    assert.ok(inside > 250);
    assert.equal(incremental, inside, 'every edit inside a string value of a record is handled by re-reading that record');
  });

  it('answers hovers, the outline and the text filter as a full parse does, while typing in several records', () => {
    const env = { now: Date.UTC(2026, 10, 25, 12, 0, 0), timeZone: 'UTC' };
    const envelopesInRecords = (): string => {
      const envelope = JSON.parse(readFixture('shapes/eventbridge-envelope.json')) as { detail: unknown };
      return JSON.stringify({ Records: [envelope, envelope.detail, envelope] }, null, 1);
    };
    const logs: [string, () => string][] = [
      ['real/stratus-red-team/aws.execution.ssm-start-session.json', () => readFixture('real/stratus-red-team/aws.execution.ssm-start-session.json')],
      ['aws-docs-acm/ct-acm-revoke.current.json', () => readFixture('aws-docs-acm/ct-acm-revoke.current.json')],
      ['shapes/one-per-line.ndjson.json', () => readFixture('shapes/one-per-line.ndjson.json')],
      ['EventBridge envelopes inside Records', envelopesInRecords],
    ];
    for (const [file, read] of logs) {
      let text = read();
      let document = parseCloudTrail(text);
      const next = random(file.length * 7);
      let incremental = 0;
      for (let step = 0; step < 60; step++) {
        // A position inside a string value.
        const valuePattern = /":\s*"/g;
        valuePattern.lastIndex = Math.floor(next() * text.length);
        const value = valuePattern.exec(text);
        if (!value) continue;
        const valueStart = value.index + value[0].length;
        const at = valueStart + Math.floor(next() * Math.max(1, text.indexOf('"', valueStart) - valueStart));
        const change = { start: at, end: at + (next() < 0.3 ? 1 : 0), text: next() < 0.2 ? '' : 'Zq' };
        const newText = apply(text, change);
        const update = updateCloudTrail(document, change, newText);
        if (update.incremental) incremental++;
        const full = parseCloudTrail(newText);
        const message = `${file} step ${step}`;
        for (let probe = 0; probe < 40; probe++) {
          const offset = next() < 0.5 ? at + Math.floor(next() * 200) - 100 : Math.floor(next() * newText.length);
          assert.deepEqual(hoverContent(update.document, offset, env), hoverContent(full, offset, env), `${message}: hover at ${offset}`);
        }
        const textDocument = TextDocument.create('file:///a.json', 'cloudtrail', 1, newText);
        assert.deepEqual(documentSymbols(update.document, textDocument, 1000), documentSymbols(full, textDocument, 1000), `${message}: outline`);
        for (const needle of ['zq', 'certificate', 'amazonaws']) {
          const grouped = (model: CloudTrailDocument) =>
            groupEvents([model], { groupBy: ['action'], filter: { text: needle } }).groups.map((group) => [group.key, group.count]);
          assert.deepEqual(grouped(update.document), grouped(full), `${message}: filter ${needle}`);
        }
        text = newText;
        document = update.document;
      }
      assert.ok(incremental > 40, `${file}: most edits re-read one record (${incremental})`);
    }
  });

  it('reads one record again for a one-character edit inside a string value', () => {
    const text = readFixture('real/trailscraper/events-for-smoke-test.json');
    const document = parseCloudTrail(text);
    const at = text.indexOf('DescribeLaunchConfigurations') + 3;
    const update = updateCloudTrail(document, { start: at, end: at + 1, text: 'X' }, text.slice(0, at) + 'X' + text.slice(at + 1));
    assert.equal(update.incremental, true);
    assert.equal(update.changedRecord, 0);
    assert.equal(update.document.records[0].summary.eventName, 'DesXribeLaunchConfigurations');
  });

  it('reads the whole file again when an edit unbalances a record', () => {
    const text = readFixture('real/trailscraper/events-for-smoke-test.json');
    const document = parseCloudTrail(text);
    const at = text.indexOf('"userIdentity"');
    const update = updateCloudTrail(document, { start: at, end: at, text: '{' }, text.slice(0, at) + '{' + text.slice(at));
    assert.equal(update.incremental, false);
  });
});

/** A log whose first record appears twice, so the checks across records have something to say. */
const DUPLICATED = '(a log with a duplicated record)';
function duplicatedRecords(): string {
  const records = (JSON.parse(readFixture('real/stratus-red-team/aws.persistence.iam-create-admin-user.json')) as unknown[]).slice(0, 4);
  return JSON.stringify({ Records: [...records, records[0], records[2]] }, null, 2);
}

/** EventBridge envelopes among plain records, with duplicate names around the records: in an envelope and in the top object. */
const ENVELOPES = '(envelopes and duplicate names around the records)';
function envelopesAroundRecords(): string {
  const envelope = JSON.parse(readFixture('shapes/eventbridge-envelope.json')) as { detail: unknown };
  const text = JSON.stringify({ Records: [envelope, envelope.detail, envelope], Extra: 1 }, null, 2);
  return text.replace('"detail-type"', '"source": "aws.acm",\n    "detail-type"').replace('"Extra": 1', '"Extra": 1, "Extra": 2');
}

describe('incremental validation', () => {
  const files = [
    DUPLICATED,
    ENVELOPES,
    'real/stratus-red-team/aws.execution.ssm-start-session.json',
    'aws-docs-acm/ct-acm-revoke.current.json',
    'aws-docs-acm/ct-acm-addtags.json',
    'shapes/console-download-pretty.json',
  ];
  const edits = ['', 'x', '"', '1', ' ', 'A', '-', '\\'];

  for (const file of files) {
    it(`gives the same problems as validating the whole file after edits in ${file}`, () => {
      const next = random(file.length * 31);
      const options = { maxProblems: 1000 };
      let text = file === DUPLICATED ? duplicatedRecords() : file === ENVELOPES ? envelopesAroundRecords() : readFixture(file);
      assert.ok(file !== ENVELOPES || validateDocument(parseCloudTrail(text)).filter((problem) => problem.code === 'duplicate-key').length === 2);
      let document = parseCloudTrail(text);
      let validated = validateDocumentIncrementally(document, options);
      let reused = 0;
      for (let step = 0; step < 200; step++) {
        const start = Math.floor(next() * text.length);
        const change = { start, end: Math.min(text.length, start + Math.floor(next() * 2)), text: edits[Math.floor(next() * edits.length)] };
        const newText = apply(text, change);
        const update = updateCloudTrail(document, change, newText);
        const previous =
          update.incremental && update.changedRecord !== undefined
            ? { state: validated.state, changedRecord: update.changedRecord, delta: update.delta, changeStart: update.changeStart }
            : undefined;
        if (previous) reused++;
        validated = validateDocumentIncrementally(update.document, options, previous);
        assert.deepEqual(validated.problems, validateDocument(parseCloudTrail(newText), options), `step ${step}: ${JSON.stringify(change)}`);
        text = newText;
        document = update.document;
      }
      assert.ok(reused > 0, 'some edits were validated incrementally');
    });
  }
});

describe('incremental validation of records a log forwarder reshaped', () => {
  // More records than the forwarder note reads, so that edits fall both among them and after them.
  const records = JSON.parse(readFixture('shapes/forwarded-records.json')) as { eventName: string }[];
  const many = Array.from({ length: 1010 }, (_, i) => ({ ...records[i % records.length], eventName: `${records[i % records.length].eventName}${i}` }));
  const text = JSON.stringify(many, null, 1);

  const editAndCompare = (before: string, start: number, end: number, inserted: string): Problem[] => {
    const options = { maxProblems: 1000 };
    const document = parseCloudTrail(before);
    const validated = validateDocumentIncrementally(document, options);
    const change = { start, end, text: inserted };
    const after = apply(before, change);
    const update = updateCloudTrail(document, change, after);
    assert.ok(update.incremental && update.changedRecord !== undefined, 'one record read again');
    const previous = { state: validated.state, changedRecord: update.changedRecord, delta: update.delta, changeStart: update.changeStart };
    const problems = validateDocumentIncrementally(update.document, options, previous).problems;
    assert.deepEqual(problems, validateDocument(parseCloudTrail(after), options));
    return problems;
  };
  const notes = (problems: Problem[]): string[] => problems.filter((problem) => problem.code === 'shape-forwarded').map((problem) => problem.message);

  it('keeps the note for an edit after the records it reads', () => {
    const at = text.indexOf('"StopLogging1005"') + 2;
    assert.deepEqual(notes(editAndCompare(text, at, at, 'x')), notes(validateDocument(parseCloudTrail(text))));
  });

  it('reads the note again for an edit among them', () => {
    // Every record but the first loses its http object's name; the first one's is renamed here.
    const plain = text.replaceAll('"http": {', '"httpx": {');
    const at = plain.indexOf('"httpx"') + 5;
    const problems = editAndCompare(plain, at, at + 1, '');
    assert.equal(notes(problems).length, 1);
    assert.match(notes(problems)[0], /added aws, evt, http, network, usr and moved/);
  });
});

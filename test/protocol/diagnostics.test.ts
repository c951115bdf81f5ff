import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { listFixtures, readFixture } from '../fixtures';
import { DETECTIONS_SOURCE, fileUri, LspSession, summarize } from './lspSession';
import { defined } from '../defined';

describe('published diagnostics from the real server', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start();
  });
  after(async () => {
    await session.stop();
  });

  it('publishes an empty list with the document version for every real log', async () => {
    for (const file of listFixtures('real')) {
      const uri = fileUri(file);
      const published = await session.open(uri, readFixture(file));
      assert.equal(published.version, 1, file);
      // Sigma findings on the attack detonations are their own source; the rules report nothing.
      assert.deepEqual(summarize(published.diagnostics.filter((d) => d.source !== DETECTIONS_SOURCE)), [], file);
      assert.ok(published.diagnostics.every((d) => d.source === 'cloudtrail' || d.source === DETECTIONS_SOURCE));
    }
  });

  it('points at the unquoted keys of the AddTagsToCertificate example', async () => {
    const published = await session.open(fileUri('ct-acm-addtags.json'), readFixture('aws-docs-acm/ct-acm-addtags.json'));
    assert.equal(published.diagnostics.length, 25);
    const first = published.diagnostics[0];
    assert.equal(first.code, 'json-unquoted-key');
    assert.equal(first.source, 'cloudtrail');
    assert.equal(first.severity, DiagnosticSeverity.Error);
    assert.deepEqual(first.range, { start: { line: 1, character: 4 }, end: { line: 1, character: 11 } });
  });

  it('reports the broken ExportCertificate example on the missing comma and the unclosed brackets', async () => {
    const published = await session.open(fileUri('ct-acm-export.current.json'), readFixture('aws-docs-acm/ct-acm-export.current.json'));
    const lines = summarize(published.diagnostics);
    assert.ok(lines.includes('53:17 json-missing-comma'), lines.join('\n'));
    assert.ok(lines.includes('1:1 json-unclosed-bracket'), lines.join('\n'));
  });

  it('survives a deeply nested document and answers the next one', async () => {
    const deep = '['.repeat(100_000);
    const published = await session.open(fileUri('deep.json'), deep);
    assert.ok(published.diagnostics.length > 0);
    const next = await session.open(fileUri('after-deep.json'), readFixture('aws-docs-acm/ct-acm-delete.json'));
    assert.deepEqual(next.diagnostics, []);
  });
});

describe('diagnostics after edits', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start();
  });
  after(async () => {
    await session.stop();
  });

  it('follows incremental edits exactly as a fresh open of the same text would', async () => {
    const uri = fileUri('edited-addtags.json');
    let text = readFixture('aws-docs-acm/ct-acm-addtags.json');
    await session.open(uri, text);
    const { TextDocument } = await import('vscode-languageserver-textdocument');
    // Quote the unquoted keys one at a time, as a person fixing the file would.
    for (const key of ['eventName', 'eventSource', 'awsRegion']) {
      const document = TextDocument.create(uri, 'cloudtrail', 1, text);
      const at = text.indexOf(`${key}:`);
      const edits = [
        { range: { start: document.positionAt(at + key.length), end: document.positionAt(at + key.length) }, text: '"' },
        { range: { start: document.positionAt(at), end: document.positionAt(at) }, text: '"' },
      ];
      const published = await session.change(uri, edits);
      text = `${text.slice(0, at)}"${key}"${text.slice(at + key.length)}`;
      const fresh = await session.open(fileUri(`fresh-${key}.json`), text);
      assert.deepEqual(published.diagnostics, fresh.diagnostics, key);
    }
    const finalDiagnostics = defined(session.published.get(uri)).diagnostics;
    assert.equal(finalDiagnostics.length, 22);
  });

  it('publishes what a fresh open would while typing inside the records of a real log, and hovers read the edited and the other records right', async () => {
    const uri = fileUri('typed-in.json');
    let text = readFixture('real/stratus-red-team/aws.execution.ssm-start-session.json');
    await session.open(uri, text);
    const { TextDocument } = await import('vscode-languageserver-textdocument');
    // Break an eventTime, mistype a region, then put both back: each edit lies inside one record.
    const firstTime = text.indexOf('"eventTime"');
    const region = text.indexOf('"awsRegion"', text.indexOf('"eventTime"', firstTime + 1));
    const steps = [
      { at: text.indexOf('T', text.indexOf(':', firstTime) + 3), remove: 1, insert: ' ' },
      { at: text.indexOf('"', text.indexOf(':', region) + 1) + 1, remove: 0, insert: 'X_' },
      { at: text.indexOf('"', text.indexOf(':', region) + 1) + 1, remove: 2, insert: '' },
      { at: text.indexOf('T', text.indexOf(':', firstTime) + 3), remove: 1, insert: 'T' },
    ];
    const problemsSeen: string[][] = [];
    for (const [index, step] of steps.entries()) {
      const document = TextDocument.create(uri, 'cloudtrail', 1, text);
      const published = await session.change(uri, [
        { range: { start: document.positionAt(step.at), end: document.positionAt(step.at + step.remove) }, text: step.insert },
      ]);
      text = text.slice(0, step.at) + step.insert + text.slice(step.at + step.remove);
      const freshUri = fileUri(`typed-in-fresh-${index}.json`);
      const fresh = await session.open(freshUri, text);
      assert.deepEqual(published.diagnostics, fresh.diagnostics, `step ${index}`);
      problemsSeen.push(summarize(published.diagnostics));
      const edited = TextDocument.create(uri, 'cloudtrail', 1, text);
      for (const offset of [step.at, firstTime + 2, region + 2, text.lastIndexOf('"eventName"') + 2, text.indexOf('{', 5)]) {
        const position = edited.positionAt(offset);
        assert.deepEqual(await session.hover(uri, position), await session.hover(freshUri, position), `step ${index}: hover at ${offset}`);
      }
    }
    assert.ok(
      problemsSeen[0].some((line) => line.endsWith(' event-time')),
      problemsSeen[0].join('\n'),
    );
    assert.ok(problemsSeen[1].length > 0, 'the mistyped region is reported');
    assert.deepEqual(problemsSeen[3], [], 'putting the text back clears every problem');
  });
});

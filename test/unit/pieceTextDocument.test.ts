import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PieceTextDocument } from '../../server/src/pieceTextDocument';

/** A deterministic pseudo-random sequence, so failures can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

/** Everything a caller can ask of a document, compared with the stock implementation. */
function assertSameDocument(actual: PieceTextDocument, expected: TextDocument, next: () => number, message: string): void {
  const text = expected.getText();
  assert.equal(actual.length, text.length, message);
  assert.equal(actual.lineCount, expected.lineCount, message);
  assert.equal(actual.version, expected.version, message);
  for (let i = 0; i < 20; i++) {
    const offset = Math.floor(next() * (text.length + 4)) - 2;
    assert.deepEqual(actual.positionAt(offset), expected.positionAt(offset), `${message}: positionAt(${offset})`);
    const position = { line: Math.floor(next() * (expected.lineCount + 2)) - 1, character: Math.floor(next() * 12) - 1 };
    assert.equal(actual.offsetAt(position), expected.offsetAt(position), `${message}: offsetAt(${JSON.stringify(position)})`);
    const line = Math.floor(next() * (expected.lineCount + 2)) - 1;
    assert.deepEqual(actual.getLineRange(line), expected.getLineRange(line), `${message}: getLineRange(${line})`);
    assert.equal(actual.getEOLCharacters(line), expected.getEOLCharacters(line), `${message}: getEOLCharacters(${line})`);
    const start = Math.floor(next() * text.length);
    const end = start + Math.floor(next() * 40);
    assert.equal(actual.slice(start, end), text.slice(start, end), `${message}: slice(${start}, ${end})`);
    assert.equal(actual.charCodeAt(start), text.charCodeAt(start), `${message}: charCodeAt(${start})`);
  }
  const range = { start: expected.positionAt(Math.floor(next() * text.length)), end: expected.positionAt(Math.floor(next() * text.length)) };
  assert.equal(actual.getText(range), expected.getText(range), `${message}: getText(range)`);
}

function randomPosition(document: TextDocument, next: () => number): Position {
  return document.positionAt(Math.floor(next() * (document.getText().length + 1)));
}

describe('PieceTextDocument', () => {
  const inserts = ['', 'x', 'abc', '\n', '\r\n', '\r', 'line\nline\r\n', '{"eventName":"x"}', 'é€😀', 'y'.repeat(300)];
  const samples = [
    '',
    'one line without a break',
    '{\n  "Records": [\n    {"eventName": "ListCertificates"}\n  ]\n}\n',
    'crlf\r\nlines\r\nand a lone\rreturn\n\n',
    '{"Records":[' + '{"eventVersion":"1.08","eventName":"DescribeCertificate"},'.repeat(200) + '{}]}',
  ];

  samples.forEach((sample, index) => {
    it(`answers like the stock TextDocument after random edits (sample ${index + 1})`, () => {
      const next = random(97 + index);
      const expected = TextDocument.create('file:///a.json', 'cloudtrail', 1, sample);
      const actual = PieceTextDocument.create('file:///a.json', 'cloudtrail', 1, sample);
      for (let step = 0; step < 400; step++) {
        const changes: TextDocumentContentChangeEvent[] = [];
        const count = next() < 0.2 ? 2 : 1;
        for (let c = 0; c < count; c++) {
          if (next() < 0.02) {
            changes.push({ text: inserts[Math.floor(next() * inserts.length)] + sample.slice(0, 50) });
            continue;
          }
          // Ranges are made against the text as it will be when this change applies.
          const probe = TextDocument.create('file:///probe', 'cloudtrail', 0, expected.getText());
          TextDocument.update(probe, changes, 0);
          const a = randomPosition(probe, next);
          const b = next() < 0.5 ? a : randomPosition(probe, next);
          const range: Range = next() < 0.5 ? { start: a, end: b } : { start: b, end: a };
          changes.push({ range, text: inserts[Math.floor(next() * inserts.length)] });
        }
        TextDocument.update(expected, changes, step + 2);
        actual.update(changes, step + 2);
        assertSameDocument(actual, expected, next, `step ${step}: ${JSON.stringify(changes)}`);
        if (step % 50 === 49) {
          assert.equal(actual.getText(), expected.getText(), `step ${step}: whole text`);
        }
      }
      assert.equal(actual.getText(), expected.getText());
    });
  });

  it('keeps the text in pieces while typing, and joins them when the whole text is read', () => {
    const base = '{"Records":[' + '{"eventName":"DescribeCertificate"},'.repeat(1000) + '{}]}';
    const document = PieceTextDocument.create('file:///a.json', 'cloudtrail', 1, base);
    const next = random(5);
    let expected = base;
    for (let i = 0; i < 200; i++) {
      const at = Math.floor(next() * expected.length);
      document.update([{ range: { start: document.positionAt(at), end: document.positionAt(at) }, text: 'x' }], i + 2);
      expected = expected.slice(0, at) + 'x' + expected.slice(at);
      assert.ok(document.pieceCount <= PieceTextDocument.MAX_PIECES, 'pieces are joined before they grow without bound');
    }
    assert.ok(document.pieceCount > 1);
    assert.equal(document.wholeText(), expected);
    assert.ok(document.pieceCount > 1, 'building the whole text for the model does not join the pieces');
    assert.equal(document.getText(), expected);
    assert.equal(document.pieceCount, 1, 'reading the whole text joins the pieces for good');
  });

  it('adds no pieces when typing at one place', () => {
    const base = 'x'.repeat(10_000);
    const document = PieceTextDocument.create('file:///a.json', 'cloudtrail', 1, base);
    for (let i = 0; i < 100; i++) {
      document.update([{ range: { start: { line: 0, character: 5000 + i }, end: { line: 0, character: 5000 + i } }, text: 'y' }], i + 2);
    }
    assert.equal(document.pieceCount, 3);
    assert.equal(document.getText(), base.slice(0, 5000) + 'y'.repeat(100) + base.slice(5000));
  });
});

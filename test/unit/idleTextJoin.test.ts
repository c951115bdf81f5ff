import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Disposable, Emitter, TextDocumentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { IDLE_JOIN_DELAY_MS, registerIdleTextJoin } from '../../server/src/features/idleTextJoin';
import { PieceTextDocument } from '../../server/src/pieceTextDocument';
import { RuntimeEnvironment } from '../../server/src/runtime';

/** Timers that run only when the test says so. */
function fakeRuntime() {
  const timers = new Set<{ callback: () => void; ms: number }>();
  const runtime: RuntimeEnvironment = {
    timer: {
      setTimeout(callback, ms) {
        const timer = { callback, ms };
        timers.add(timer);
        return Disposable.create(() => timers.delete(timer));
      },
      setImmediate(callback) {
        return this.setTimeout(callback, 0);
      },
    },
  };
  const runAll = (): void => {
    for (const timer of [...timers]) {
      timers.delete(timer);
      timer.callback();
    }
  };
  return { runtime, timers, runAll };
}

function fakeDocuments() {
  const changed = new Emitter<TextDocumentChangeEvent<TextDocument>>();
  const closed = new Emitter<TextDocumentChangeEvent<TextDocument>>();
  const open = new Map<string, TextDocument>();
  return {
    open,
    documents: { onDidChangeContent: changed.event, onDidClose: closed.event, get: (uri: string) => open.get(uri) },
    change(document: TextDocument) {
      open.set(document.uri, document);
      changed.fire({ document });
    },
    close(document: TextDocument) {
      open.delete(document.uri);
      closed.fire({ document });
    },
  };
}

function typeInto(document: PieceTextDocument, offsets: number[]): void {
  for (const offset of offsets) {
    const at = document.positionAt(offset);
    document.update([{ range: { start: at, end: at }, text: 'x' }], document.version + 1);
  }
}

describe('joining the text of an edited document when typing pauses', () => {
  const text = '{"Records":[' + '{"eventName":"ListCertificates"},'.repeat(100) + '{}]}';

  it('joins the pieces once, after the last edit of a burst', () => {
    const { runtime, timers, runAll } = fakeRuntime();
    const fake = fakeDocuments();
    const disposable = registerIdleTextJoin(fake.documents, runtime);
    const document = PieceTextDocument.create('file:///a.json', 'cloudtrail', 1, text);
    typeInto(document, [100, 900]);
    fake.change(document);
    typeInto(document, [2000]);
    fake.change(document);
    assert.equal(timers.size, 1, 'each edit restarts the one timer');
    assert.equal([...timers][0].ms, IDLE_JOIN_DELAY_MS);
    assert.ok(document.pieceCount > 1);
    runAll();
    assert.equal(document.pieceCount, 1);
    assert.equal(document.getText().length, text.length + 3);
    disposable.dispose();
  });

  it('does nothing for a document in one piece, and forgets closed documents', () => {
    const { runtime, timers } = fakeRuntime();
    const fake = fakeDocuments();
    const disposable = registerIdleTextJoin(fake.documents, runtime);
    const whole = PieceTextDocument.create('file:///whole.json', 'cloudtrail', 1, text);
    fake.change(whole);
    assert.equal(timers.size, 0);
    const edited = PieceTextDocument.create('file:///edited.json', 'cloudtrail', 1, text);
    typeInto(edited, [500]);
    fake.change(edited);
    assert.equal(timers.size, 1);
    fake.close(edited);
    assert.equal(timers.size, 0);
    disposable.dispose();
  });
});

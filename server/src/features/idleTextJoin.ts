import { Disposable, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PieceTextDocument } from '../pieceTextDocument';
import { RuntimeEnvironment } from '../runtime';

/** How long typing must pause before an edited document's text is joined into one string. */
export const IDLE_JOIN_DELAY_MS = 2000;

/**
 * Joins the pieces of an edited document once typing pauses. Edits leave the text in pieces so
 * that a keystroke never copies the whole file; joining them while the user is idle frees the
 * texts the pieces were cut from and spares the next hover elsewhere in the file the copy.
 */
export function registerIdleTextJoin(
  documents: Pick<TextDocuments<TextDocument>, 'onDidChangeContent' | 'onDidClose' | 'get'>,
  runtime: RuntimeEnvironment,
): Disposable {
  const timers = new Map<string, Disposable>();
  const cancel = (uri: string): void => {
    timers.get(uri)?.dispose();
    timers.delete(uri);
  };
  const subscriptions = [
    documents.onDidChangeContent((event) => {
      const { uri } = event.document;
      cancel(uri);
      if (!(event.document instanceof PieceTextDocument) || event.document.pieceCount <= 1) {
        return;
      }
      timers.set(
        uri,
        runtime.timer.setTimeout(() => {
          timers.delete(uri);
          const latest = documents.get(uri);
          if (latest instanceof PieceTextDocument) {
            latest.getText();
          }
        }, IDLE_JOIN_DELAY_MS),
      );
    }),
    documents.onDidClose((event) => {
      cancel(event.document.uri);
    }),
  ];
  return Disposable.create(() => {
    subscriptions.forEach((subscription) => {
      subscription.dispose();
    });
    timers.forEach((timer) => {
      timer.dispose();
    });
    timers.clear();
  });
}

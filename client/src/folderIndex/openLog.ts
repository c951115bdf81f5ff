import * as vscode from 'vscode';
import type { FormattedLogs } from '../formattedLogs';
import { compressedLogView } from './compressedLogs';
import { isCompressedName } from './logNames';

/** How long a revealed record stays highlighted. */
const HIGHLIGHT_MS = 1_500;

/**
 * Marks a revealed record for a moment without selecting it: the cursor sits at the record's
 * start, so the next keystroke in a writable file inserts a character instead of replacing the
 * record. One highlight at a time; moving the cursor out of the record ends it early.
 */
export class RecordHighlighter implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    isWholeLine: true,
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.rangeHighlightForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Full,
  });
  private shown: { editor: vscode.TextEditor; range: vscode.Range; timer: ReturnType<typeof setTimeout> } | undefined;
  private readonly selectionListener = vscode.window.onDidChangeTextEditorSelection((event) => {
    if (this.shown?.editor === event.textEditor && !event.selections.some((selection) => this.shown?.range.contains(selection.active))) this.clear();
  });

  show(editor: vscode.TextEditor, range: vscode.Range): void {
    this.clear();
    editor.setDecorations(this.decoration, [range]);
    this.shown = {
      editor,
      range,
      timer: setTimeout(() => {
        this.clear();
      }, HIGHLIGHT_MS),
    };
  }

  clear(): void {
    if (!this.shown) return;
    clearTimeout(this.shown.timer);
    this.shown.editor.setDecorations(this.decoration, []);
    this.shown = undefined;
  }

  dispose(): void {
    this.clear();
    this.selectionListener.dispose();
    this.decoration.dispose();
  }
}

/**
 * Opens a log file at a record: the cursor at the record's start, the record's first line at the
 * top of the view, and the record highlighted for a moment when a highlighter is given. A
 * compressed file opens in its decompressed view, and `vscode.open` also opens files too large
 * for extensions (where `showTextDocument`, which needs the document, fails). With `formatted`, a
 * file whose formatted view is preferred (or asked for with `inFormattedView`) opens there, at the
 * same record.
 */
export async function openLogAt(
  uri: vscode.Uri,
  record: vscode.Range,
  options: { preserveFocus?: boolean; preview?: boolean; highlighter?: RecordHighlighter; formatted?: FormattedLogs; inFormattedView?: boolean } = {},
): Promise<void> {
  let target = uri.scheme === 'file' && isCompressedName(uri.path) ? compressedLogView(uri) : uri;
  const formatted = options.formatted;
  if (formatted && (options.inFormattedView === true || (uri.scheme === 'file' && formatted.prefersFormatted(uri)))) {
    target = formatted.viewOf(uri);
    if (target.toString() !== uri.toString()) record = await formatted.toFormatted(uri, record);
  }
  const cursor = new vscode.Range(record.start, record.start);
  const show: vscode.TextDocumentShowOptions = { selection: cursor, preserveFocus: options.preserveFocus ?? true, preview: options.preview ?? true };
  await vscode.commands.executeCommand('vscode.open', target, show);
  const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === target.toString());
  if (!editor) return;
  editor.selection = new vscode.Selection(record.start, record.start);
  editor.revealRange(cursor, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  options.highlighter?.show(editor, record);
}

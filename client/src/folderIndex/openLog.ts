import * as vscode from 'vscode';
import { compressedLogView } from './compressedLogs';
import { isCompressedName } from './logNames';

/**
 * Opens a log file at a range: a compressed file in its decompressed view, and through
 * `vscode.open`, which also opens files too large for extensions (where `showTextDocument`,
 * which needs the document, fails).
 */
export async function openLogAt(uri: vscode.Uri, selection: vscode.Range, options: { preserveFocus?: boolean; preview?: boolean } = {}): Promise<void> {
  const target = uri.scheme === 'file' && isCompressedName(uri.path) ? compressedLogView(uri) : uri;
  const show: vscode.TextDocumentShowOptions = { selection, preserveFocus: options.preserveFocus ?? true, preview: options.preview ?? true };
  await vscode.commands.executeCommand('vscode.open', target, show);
  // `vscode.open` keeps a range, not its direction: put the cursor where a Selection says (the
  // record's start) and show the record from its first line.
  if (selection instanceof vscode.Selection) {
    const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === target.toString());
    if (editor) {
      editor.selection = selection;
      editor.revealRange(new vscode.Range(selection.active, selection.active), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  }
}

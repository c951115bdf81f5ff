import * as vscode from 'vscode';
import type { CloudTrailServer } from './cloudTrailServer';
import { compressedLogView, maxDecompressedMB, originalOfView } from './folderIndex/compressedLogs';
import { COMPRESSED_LOG_SCHEME, FORMATTED_LOG_SCHEME, formattedPath, isCompressedName } from './folderIndex/logNames';

/**
 * The formatted view of a log: a read-only document (scheme `cloudtrail-formatted`, the original
 * URI in the query) whose text the language server lays out from the original's tokens. The
 * server keeps the map between the two texts, so a position moves from one to the other.
 */

export const OPEN_FORMATTED_COMMAND = 'cloudtrail.openFormatted';
export const OPEN_ORIGINAL_COMMAND = 'cloudtrail.openOriginal';

/** What opening logs at a record needs to know of formatted views. */
export interface FormattedLogs {
  /** Whether a record of this file should be shown in its formatted view: asked for by the setting, or a formatted view of it is open. */
  prefersFormatted(original: vscode.Uri): boolean;
  /** The formatted view of a file. */
  viewOf(original: vscode.Uri): vscode.Uri;
  /** A range of the original, in the formatted view. */
  toFormatted(original: vscode.Uri, range: vscode.Range): Promise<vscode.Range>;
}

/** The file (or open document) a view shows: the `.gz` file behind a decompressed view, the original behind a formatted one. */
export function underlyingLog(uri: vscode.Uri): vscode.Uri {
  if (uri.scheme === FORMATTED_LOG_SCHEME) return vscode.Uri.parse(uri.query, true);
  if (uri.scheme === COMPRESSED_LOG_SCHEME) return originalOfView(uri);
  return uri;
}

/** The formatted view of a log. */
export function formattedLogView(log: vscode.Uri): vscode.Uri {
  const original = underlyingLog(log);
  return original.with({ scheme: FORMATTED_LOG_SCHEME, path: formattedPath(original.path), query: original.toString(), fragment: '' });
}

/** `cloudtrail.openCompressedLogsFormatted`: open `.gz` logs in their formatted view. */
function compressedLogsOpenFormatted(): boolean {
  return vscode.workspace.getConfiguration('cloudtrail').get<boolean>('openCompressedLogsFormatted', false);
}

const toProtocol = (range: vscode.Range): { start: vscode.Position; end: vscode.Position } => ({ start: range.start, end: range.end });
const fromProtocol = (range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range =>
  new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);

/** The formatted views' content provider and commands. */
export function registerFormattedLogs(context: vscode.ExtensionContext, server: CloudTrailServer): FormattedLogs {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    provideTextDocumentContent: async (uri) => {
      const result = await server.formattedLog({ uri: uri.query, maxDecompressedMB: maxDecompressedMB() });
      return result.text;
    },
  };

  const mapRanges = async (original: vscode.Uri, ranges: vscode.Range[], to: 'formatted' | 'original'): Promise<vscode.Range[]> => {
    const mapped = await server.mapFormattedRanges({ uri: original.toString(), maxDecompressedMB: maxDecompressedMB(), ranges: ranges.map(toProtocol), to });
    return mapped.map(fromProtocol);
  };

  const formattedLogs: FormattedLogs = {
    prefersFormatted: (original) => {
      if (original.scheme === 'file' && isCompressedName(original.path) && compressedLogsOpenFormatted()) return true;
      const view = formattedLogView(original).toString();
      return vscode.workspace.textDocuments.some((document) => document.uri.toString() === view);
    },
    viewOf: formattedLogView,
    toFormatted: async (original, range) => (await mapRanges(underlyingLog(original), [range], 'formatted'))[0] ?? range,
  };

  /** Opens the formatted view of a log (the active editor's by default), at the position the cursor had in the original. */
  const openFormatted = async (uri?: vscode.Uri): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    const target = uri ?? editor?.document.uri;
    if (!target) {
      void vscode.window.showWarningMessage('Open a CloudTrail log first, then run this command on it.');
      return;
    }
    if (target.scheme === FORMATTED_LOG_SCHEME) {
      await vscode.window.showTextDocument(target, { preview: false });
      return;
    }
    const original = underlyingLog(target);
    const view = formattedLogView(original);
    // The cursor keeps its place when the formatted view is opened from the log's own editor.
    const cursor = editor?.document.uri.toString() === target.toString() ? editor.selection.active : undefined;
    const selection = cursor ? (await mapRanges(original, [new vscode.Range(cursor, cursor)], 'formatted'))[0] : undefined;
    await vscode.window.showTextDocument(view, { preview: false, ...(selection ? { selection: new vscode.Range(selection.start, selection.start) } : {}) });
  };

  /** From a formatted view, opens the original at the same token. */
  const openOriginal = async (uri?: vscode.Uri): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    const view = uri ?? editor?.document.uri;
    if (view?.scheme !== FORMATTED_LOG_SCHEME) {
      void vscode.window.showWarningMessage('This command works in the formatted view of a log.');
      return;
    }
    const original = underlyingLog(view);
    const cursor = editor?.document.uri.toString() === view.toString() ? editor.selection.active : new vscode.Position(0, 0);
    const mapped = await mapRanges(original, [new vscode.Range(cursor, cursor)], 'original');
    const target = original.scheme === 'file' && isCompressedName(original.path) ? compressedLogView(original) : original;
    const at = mapped.length > 0 ? mapped[0] : new vscode.Range(0, 0, 0, 0);
    await vscode.window.showTextDocument(target, { preview: false, selection: new vscode.Range(at.start, at.start) });
  };

  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(FORMATTED_LOG_SCHEME, provider),
    // An edit to an open original is shown in its formatted view once typing pauses (the server formats the new version).
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length === 0) return;
      const view = formattedLogView(event.document.uri).toString();
      const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === view);
      if (open) changed.fire(open.uri);
    }),
    vscode.commands.registerCommand(OPEN_FORMATTED_COMMAND, openFormatted),
    vscode.commands.registerCommand(OPEN_ORIGINAL_COMMAND, openOriginal),
  );
  return formattedLogs;
}

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'cloudtrail-explorer.cloudtrail-explorer';
export const LANGUAGE_ID = 'cloudtrail';

/** A file of the test workspace (see test/e2e/lib/workspace.mjs). */
export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with the end-to-end workspace open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Polls `probe` until it returns something other than undefined/false; fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The language VS Code currently gives an open document (it changes when an extension switches it). */
export function currentLanguage(uri: vscode.Uri): string | undefined {
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString())?.languageId;
}

export async function waitForLanguage(uri: vscode.Uri, languageId: string): Promise<void> {
  await waitFor(() => currentLanguage(uri) === languageId, `${uri.path} to have the language ${languageId} (it has ${currentLanguage(uri)})`);
}

/** Opens a workspace file in an editor, as a person double-clicking it would. */
export async function openInEditor(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Waits for the diagnostics of a file to satisfy `accept`, and returns them. */
export async function waitForDiagnostics(uri: vscode.Uri, accept: (diagnostics: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return waitFor(() => {
    const diagnostics = vscode.languages.getDiagnostics(uri);
    return accept(diagnostics) ? diagnostics : undefined;
  }, what);
}

/** The document offset of the n-th occurrence (from 0) of `needle`, failing when there is none. */
export function offsetOf(text: string, needle: string, occurrence = 0): number {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" occurs at least ${occurrence + 1} time(s)`);
  }
  return at;
}

/** Markdown or plain text of hover contents, joined. */
export function hoverText(hovers: vscode.Hover[]): string {
  return (
    hovers
      .flatMap((hover) => hover.contents)
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the old { language, value } form is still what some hovers hold
      .map((content) => (typeof content === 'string' ? content : content.value))
      .join('\n')
  );
}

export function closeAllEditors(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

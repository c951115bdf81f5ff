import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

interface FixData {
  fix: { title: string; replacement: string; start?: number; end?: number };
}

function fixOf(diagnostic: Diagnostic): FixData['fix'] | undefined {
  const data = diagnostic.data as Partial<FixData> | undefined;
  return diagnostic.source === DIAGNOSTIC_SOURCE && data?.fix && typeof data.fix.replacement === 'string' ? data.fix : undefined;
}

/** Quick fixes for the diagnostics that know their fix (a problem's `fix`, carried in `data`). */
export function quickFixes(document: TextDocument, params: CodeActionParams): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    const fix = fixOf(diagnostic);
    if (!fix) {
      continue;
    }
    const range =
      fix.start !== undefined && fix.end !== undefined ? { start: document.positionAt(fix.start), end: document.positionAt(fix.end) } : diagnostic.range;
    actions.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [document.uri]: [{ range, newText: fix.replacement }] } },
    });
  }
  return actions;
}

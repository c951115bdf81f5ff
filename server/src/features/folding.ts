import { FoldingRange } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CloudTrailDocument, NodeKind } from '../model';

/**
 * Folding for every object and array that spans lines, as the JSON language gives, so that each
 * record folds to one line. Stops at `limit` ranges, outermost first.
 */
export function foldingRanges(model: CloudTrailDocument, document: TextDocument, limit: number): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const { table } = model.view;
  for (let node = 0; node < table.count && ranges.length < limit; node++) {
    const kind = table.kind[node];
    if (kind !== NodeKind.Object && kind !== NodeKind.Array) {
      continue;
    }
    const startLine = document.positionAt(table.start[node]).line;
    const endLine = document.positionAt(table.end[node]).line;
    if (endLine === startLine) {
      // Nothing inside a one-line container can fold: skip its subtree.
      node = table.next[node] - 1;
    } else if (endLine - 1 > startLine) {
      ranges.push({ startLine, endLine: endLine - 1 });
    }
  }
  return ranges;
}

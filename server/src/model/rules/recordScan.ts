/**
 * One pass over all the rows of a record, for the checks that look at every value and every
 * object: the duplicate property names of each object, and the strings that may be ARNs. A log
 * of certificate imports holds thousands of rows per record (certificates logged as bytes), so
 * the rows are read once for both.
 */
import { JsonView, NodeKind } from '../json/nodeTable';
import { duplicateNamesKnown, duplicateNamesOf, KnownNames } from './duplicateNames';
import { mayHoldArn } from './rawText';
import { RowList } from './rowList';

export class RecordScan {
  /** Pairs of rows: a property whose name an earlier property of the same object has, then the first of that name. */
  readonly duplicateNames = new RowList();
  /** String rows that may hold an ARN, in order. */
  readonly arnCandidates = new RowList();

  /**
   * Reads the rows of the record object `root`. `known` are objects whose property names were
   * already matched against a list (the record's own fields, userIdentity's): their duplicates
   * are found from that.
   */
  read(view: JsonView, root: number, known: readonly KnownNames[]): void {
    this.duplicateNames.clear();
    this.arnCandidates.clear();
    const table = view.table;
    const { kind, next } = table;
    const text = view.text;
    const stop = next[root];
    for (let node = root; node < stop; node++) {
      const nodeKind = kind[node];
      if (nodeKind === NodeKind.String) {
        if (mayHoldArn(table, text, node)) {
          this.arnCandidates.push(node);
        }
        continue;
      }
      if (nodeKind !== NodeKind.Object || next[node] <= node + 2) {
        continue;
      }
      let names: KnownNames | undefined;
      for (const candidate of known) {
        if (candidate.object === node) {
          names = candidate;
          break;
        }
      }
      if (names) {
        duplicateNamesKnown(view, node, names, this.duplicateNames);
      } else {
        duplicateNamesOf(view, node, this.duplicateNames);
      }
    }
  }
}

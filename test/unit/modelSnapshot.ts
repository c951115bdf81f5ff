/** What tests compare when they check an incremental update against a full parse. */
import * as assert from 'node:assert/strict';
import { CloudTrailDocument } from '../../server/src/model';
import { NO_NODE } from '../../server/src/model/json/nodeTable';

/** Everything observable about a model, to compare an incremental update with a full parse. */
export function snapshot(document: CloudTrailDocument) {
  const { table } = document.view;
  const rows = [];
  for (let row = 0; row < table.count; row++) {
    rows.push([table.kind[row], table.flags[row], table.start[row], table.end[row], table.keyStart[row], table.keyEnd[row], table.next[row]]);
  }
  return {
    shape: document.shape,
    roots: document.roots,
    rows,
    records: document.records.map((r) => ({
      index: r.index,
      start: r.start,
      end: r.end,
      node: r.node === NO_NODE ? NO_NODE : r.source.documentNode(r.node),
      entry: r.entry,
      placement: r.placement,
      summary: r.summary,
      embedded: r.source.embedded,
      wrapper: r.wrapper,
    })),
    problems: document.problems,
  };
}

/**
 * A record read from its own copy after an edit must read exactly what the document holds: its
 * nodes, mapped to the document, are the document's rows, and its text is the document's text.
 */
export function assertSourcesAgree(document: CloudTrailDocument, text: string, message: string): void {
  const documentTable = document.view.table;
  for (const record of document.records) {
    const { view, toDocument, documentNode } = record.source;
    if (record.source.embedded || record.node === NO_NODE) continue;
    const table = view.table;
    for (let node = record.node; node < table.next[record.node]; node++) {
      const row = documentNode(node);
      const mapped = [table.kind[node], toDocument(table.start[node]), toDocument(table.end[node]), table.next[node] - node];
      const expected = [documentTable.kind[row], documentTable.start[row], documentTable.end[row], documentTable.next[row] - row];
      assert.deepEqual(mapped, expected, `${message}: record ${record.index}, node ${node}`);
      assert.equal(view.source(node), text.slice(expected[1], expected[2]), `${message}: record ${record.index}, node ${node} text`);
    }
  }
}

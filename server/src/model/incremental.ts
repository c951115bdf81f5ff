import { CloudTrailDocument, CloudTrailRecord, ParseOptions, parseCloudTrail, readEntry, recordAt } from './cloudTrailDocument';
import { scanJson } from './jsonScanner';
import { NodeKind, spliceSubtree } from './nodeTable';
import { compareProblems, Problem, SyntaxCode } from './problems';

/** One replacement of `[start, end)` of the old text by `text`. */
export interface TextChange {
  start: number;
  end: number;
  text: string;
}

export interface DocumentUpdate {
  document: CloudTrailDocument;
  /** Index of the record that was read again; every other record is unchanged but for its position. */
  changedRecord?: number;
  /** Change in text length: text after `changeStart` moved by this much. */
  delta: number;
  /** Where the change began, in the old text (and the new: text before it did not move). */
  changeStart: number;
  /** True when only one record was read again. */
  incremental: boolean;
}

/**
 * Problems that make a record's text mean something else once it is read inside the whole file
 * (an unclosed bracket swallows the records after it): after such an edit the file is read again.
 */
const NON_LOCAL_PROBLEMS: ReadonlySet<string> = new Set([
  SyntaxCode.unclosed,
  SyntaxCode.mismatchedClose,
  SyntaxCode.unexpectedClose,
  SyntaxCode.trailingContent,
  SyntaxCode.unterminatedString,
  SyntaxCode.lineBreakInString,
  SyntaxCode.tooManyProblems,
]);

/**
 * The model of the text after `change`, reading again only the record the change falls in when
 * that is safe, and the whole text otherwise. The previous model must not be used afterwards: its
 * node table may be updated in place.
 */
export function updateCloudTrail(
  previous: CloudTrailDocument,
  change: TextChange,
  newText: string,
  options: ParseOptions = {},
): DocumentUpdate {
  const delta = change.text.length - (change.end - change.start);
  const fast = tryUpdateOneRecord(previous, change, newText, delta, options);
  return fast ?? { document: parseCloudTrail(newText, options), delta, changeStart: change.start, incremental: false };
}

function tryUpdateOneRecord(
  previous: CloudTrailDocument,
  change: TextChange,
  newText: string,
  delta: number,
  options: ParseOptions,
): DocumentUpdate | undefined {
  const record = recordAt(previous, change.start);
  // The change must lie strictly inside one plain record, so its brackets stay where they were.
  if (
    !record ||
    record.placement === 'embedded' ||
    record.source.embedded ||
    change.start <= record.start ||
    change.end >= record.end ||
    previous.problemsTruncated ||
    previous.records.some((r) => r.source.embedded)
  ) {
    return undefined;
  }
  const oldTable = previous.view.table;
  const entry = record.entry;
  if (oldTable.start[entry] !== record.start || oldTable.end[entry] !== record.end) {
    return undefined;
  }
  const newStart = record.start;
  const newEnd = record.end + delta;
  const slice = newText.slice(newStart, newEnd);
  const rescan = scanJson(slice, options);
  const root = rescan.roots[0];
  if (
    rescan.roots.length !== 1 ||
    rescan.problemsTruncated ||
    rescan.table.kind[root] !== oldTable.kind[entry] ||
    rescan.table.kind[root] !== NodeKind.Object ||
    rescan.table.start[root] !== 0 ||
    rescan.table.end[root] !== slice.length ||
    rescan.problems.some((problem) => NON_LOCAL_PROBLEMS.has(problem.code))
  ) {
    return undefined;
  }

  const { table, rowDelta } = spliceSubtree(oldTable, entry, rescan.table, newStart, delta);
  const reread = readEntry(newText, table, entry, record.placement, options);
  if (reread.records.length !== 1) {
    return undefined;
  }
  // Every record and the document share one view of the new text, as after a full parse.
  const documentSource = reread.records[0].source;
  const view = documentSource.view;

  const moveRecord = (old: CloudTrailRecord, index: number): CloudTrailRecord => ({
    ...old,
    index,
    start: old.start + delta,
    end: old.end + delta,
    entry: old.entry + rowDelta,
    node: old.node + rowDelta,
    source: documentSource,
    ...(old.wrapper ? { wrapper: { ...old.wrapper, node: old.wrapper.node + rowDelta } } : {}),
  });
  const records: CloudTrailRecord[] = new Array(previous.records.length);
  for (let i = 0; i < previous.records.length; i++) {
    const old = previous.records[i];
    if (i < record.index) {
      records[i] = { ...old, source: documentSource };
    } else if (i === record.index) {
      records[i] = { ...reread.records[0], index: i };
    } else {
      records[i] = moveRecord(old, i);
    }
  }

  const problems: Problem[] = [];
  for (const problem of previous.problems) {
    if (problem.start < record.start && problem.end <= record.start) {
      problems.push(problem);
    } else if (problem.start < record.start && problem.end >= record.end) {
      problems.push({ ...problem, end: problem.end + delta });
    } else if (problem.start >= record.end) {
      problems.push(shiftProblem(problem, delta, record.end));
    } else if (problem.code === SyntaxCode.missingComma && problem.start === record.start) {
      // Found by the scan of the text around the record (no comma before it): still true.
      problems.push(problem);
    }
  }
  for (const problem of rescan.problems) {
    problems.push(shiftProblem(problem, newStart, 0));
  }
  problems.push(...reread.problems);
  problems.sort(compareProblems);

  const roots = previous.roots.map((root) => (root > entry ? root + rowDelta : root));
  return {
    document: {
      text: newText,
      shape: previous.shape,
      view,
      roots,
      records,
      problems,
      problemsTruncated: false,
    },
    changedRecord: record.index,
    delta,
    changeStart: change.start,
    incremental: true,
  };
}

/** A problem whose offsets at or after `from` move by `delta` characters. */
export function shiftProblem(problem: Problem, delta: number, from: number): Problem {
  if (delta === 0) {
    return problem;
  }
  const move = (offset: number): number => (offset >= from ? offset + delta : offset);
  const moved: Problem = { ...problem, start: move(problem.start), end: move(problem.end) };
  if (problem.related) {
    moved.related = problem.related.map((r) => ({ ...r, start: move(r.start), end: move(r.end) }));
  }
  if (problem.fix && problem.fix.start !== undefined && problem.fix.end !== undefined) {
    moved.fix = { ...problem.fix, start: move(problem.fix.start), end: move(problem.fix.end) };
  }
  return moved;
}

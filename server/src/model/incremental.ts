import {
  CloudTrailDocument,
  CloudTrailRecord,
  DocumentSource,
  ParseOptions,
  parseCloudTrail,
  readEntry,
  RecordCopySource,
  recordAt,
} from './cloudTrailDocument';
import { scanJson } from './json/jsonScanner';
import { JsonView, NO_NODE, NodeKind, spliceSubtree } from './json/nodeTable';
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
 * The text after an edit, for an update that should not need all of it: the edited record is cut
 * out with `slice`, and `whole` is only kept (it may be a string V8 has not yet joined into one
 * piece: the first read of a character outside the record joins it).
 */
export interface EditedText {
  readonly whole: string;
  slice(start: number, end: number): string;
}

/**
 * The model of the text after `change`, reading again only the record the change falls in when
 * that is safe, and the whole text otherwise. The previous model must not be used afterwards: its
 * node table, its records and their shared source may be updated in place.
 */
export function updateCloudTrail(previous: CloudTrailDocument, change: TextChange, newText: string | EditedText, options: ParseOptions = {}): DocumentUpdate {
  const edited: EditedText = typeof newText === 'string' ? { whole: newText, slice: (start, end) => newText.slice(start, end) } : newText;
  const delta = change.text.length - (change.end - change.start);
  const fast = tryUpdateOneRecord(previous, change, edited, delta, options);
  return fast ?? { document: parseCloudTrail(edited.whole, options), delta, changeStart: change.start, incremental: false };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function tryUpdateOneRecord(
  previous: CloudTrailDocument,
  change: TextChange,
  edited: EditedText,
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
  const slice = edited.slice(newStart, newEnd);
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
  // The record is read from its own text, so nothing here reads the rest of the new text.
  const reread = readEntry(slice, rescan.table, root, record.placement, options);
  const read = reread.records[0];
  if (reread.records.length !== 1 || read.source.embedded) {
    return undefined;
  }

  const { table, rowDelta } = spliceSubtree(oldTable, entry, rescan.table, newStart, delta);
  const view = new JsonView(edited.whole, table);
  const documentSource = previous.records.find((r) => r.source instanceof DocumentSource)?.source as DocumentSource | undefined;
  const sharedSource = documentSource ?? new DocumentSource(view);
  sharedSource.view = view;

  // A new array: the previous one stays with the previous version's validation state.
  const records = previous.records.slice();
  for (let i = 0; i < records.length; i++) {
    const old = records[i];
    if (i === record.index) {
      const source = new RecordCopySource(read.source.view, newStart, entry);
      records[i] = {
        ...read,
        index: i,
        start: newStart,
        end: newEnd,
        entry,
        source,
        ...(read.wrapper ? { wrapper: { ...read.wrapper, node: source.documentNode(read.wrapper.node) } } : {}),
      };
      continue;
    }
    let current = old;
    if (old.source instanceof RecordCopySource) {
      // The record re-read after the previous edit goes back to reading the document.
      current = records[i] = { ...old, node: old.source.documentNode(old.node), source: sharedSource };
    }
    if (i > record.index && (delta !== 0 || rowDelta !== 0)) {
      // In place: copying thousands of records would cost more than re-reading the edited one.
      moveRecord(current, delta, rowDelta);
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
  for (const problem of reread.problems) {
    problems.push(shiftProblem(problem, newStart, 0));
  }
  problems.sort(compareProblems);

  const roots = previous.roots.map((r) => (r > entry ? r + rowDelta : r));
  return {
    document: {
      text: edited.whole,
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

function moveRecord(record: Mutable<CloudTrailRecord>, delta: number, rowDelta: number): void {
  record.start += delta;
  record.end += delta;
  record.entry += rowDelta;
  if (record.node !== NO_NODE) {
    record.node += rowDelta;
  }
  if (record.wrapper) {
    record.wrapper = { ...record.wrapper, node: record.wrapper.node + rowDelta };
  }
}

/** The problems with their offsets at or after `from` moved by `delta`; the same list when nothing moves. */
export function shiftProblems(problems: readonly Problem[], delta: number, from: number): readonly Problem[] {
  return delta === 0 || problems.length === 0 ? problems : problems.map((problem) => shiftProblem(problem, delta, from));
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
  if (problem.fix?.start !== undefined && problem.fix.end !== undefined) {
    moved.fix = { ...problem.fix, start: move(problem.fix.start), end: move(problem.fix.end) };
  }
  return moved;
}

/**
 * Things written twice: a property name twice in one object (JSON readers keep the last value and
 * silently drop the first), and one eventID on two records of a file.
 */
import { CloudTrailDocument, CloudTrailRecord } from '../cloudTrailDocument';
import { JsonView, NO_NODE, NodeFlags, NodeKind } from '../nodeTable';
import { Problem } from '../problems';
import { RuleCode } from './catalogue';
import { quote, RecordContext, resolveSeverity, RuleOptions } from './context';

/** Objects with more properties than this are checked through a map of name hashes instead of pairwise. */
const PAIRWISE_LIMIT = 32;

/** Scratch space for one object's properties, reused from object to object. */
let hashes: Int32Array = new Int32Array(64);
let members: Int32Array = new Int32Array(64);

/**
 * Calls `report(later, first)` for every property of an object below `root` (or `root` itself)
 * whose name an earlier property of the same object already has. Rows are read in order, so
 * nesting depth costs nothing; `skip(node)` returns a row to jump to for subtrees to leave out.
 * Names are compared by a signature first, so most pairs cost one integer comparison.
 */
export function findDuplicateKeys(
  view: JsonView,
  root: number,
  report: (later: number, first: number) => void,
  skip?: (node: number) => number,
): void {
  const table = view.table;
  const { kind, next } = table;
  const stop = next[root];
  for (let node = root; node < stop; node++) {
    if (skip && node !== root) {
      const resume = skip(node);
      if (resume > node) {
        node = resume - 1;
        continue;
      }
    }
    if (kind[node] !== NodeKind.Object || next[node] <= node + 2) {
      continue;
    }
    let count = 0;
    let escapes = false;
    for (let child = node + 1; child < next[node]; child = next[child]) {
      if (count === hashes.length) {
        hashes = growInt32(hashes);
        members = growInt32(members);
      }
      const hash = keyHash(view, child);
      // A name with escapes hashes by its decoded text, which only the slow path below computes.
      escapes ||= hash === ESCAPED;
      hashes[count] = hash;
      members[count] = child;
      count++;
    }
    if (count < 2) {
      continue;
    }
    if (escapes) {
      byDecodedName(view, count, report);
    } else if (count <= PAIRWISE_LIMIT) {
      for (let i = 1; i < count; i++) {
        for (let j = 0; j < i; j++) {
          if (hashes[i] === hashes[j] && sameRawKey(view, members[j], members[i])) {
            report(members[i], members[j]);
            break;
          }
        }
      }
    } else {
      byHash(view, count, report);
    }
  }
}

const ESCAPED = -1;
const NO_NAME = -2;

/** A cheap signature of a property name (length, first and last characters); ESCAPED or NO_NAME for the special cases. */
function keyHash(view: JsonView, node: number): number {
  const table = view.table;
  const start = table.keyStart[node];
  if (start < 0 || table.keyEnd[node] === start) {
    return NO_NAME;
  }
  if (table.flags[node] & NodeFlags.KeyHasEscapes) {
    return ESCAPED;
  }
  const quoted = (table.flags[node] & NodeFlags.UnquotedKey) === 0 ? 1 : 0;
  const from = start + quoted;
  const length = table.keyEnd[node] - quoted - from;
  const text = view.text;
  return ((length & 0x7fff) << 16) ^ (text.charCodeAt(from) << 8) ^ text.charCodeAt(from + length - 1);
}

function sameRawKey(view: JsonView, a: number, b: number): boolean {
  const table = view.table;
  const aQuoted = (table.flags[a] & NodeFlags.UnquotedKey) === 0 ? 1 : 0;
  const bQuoted = (table.flags[b] & NodeFlags.UnquotedKey) === 0 ? 1 : 0;
  const aFrom = table.keyStart[a] + aQuoted;
  const bFrom = table.keyStart[b] + bQuoted;
  const length = table.keyEnd[a] - aQuoted - aFrom;
  if (length !== table.keyEnd[b] - bQuoted - bFrom) {
    return false;
  }
  const text = view.text;
  for (let i = 0; i < length; i++) {
    if (text.charCodeAt(aFrom + i) !== text.charCodeAt(bFrom + i)) {
      return false;
    }
  }
  return true;
}

function byHash(view: JsonView, count: number, report: (later: number, first: number) => void): void {
  const seen = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    if (hashes[i] === NO_NAME) continue;
    const earlier = seen.get(hashes[i]);
    const first = earlier?.find((j) => sameRawKey(view, members[j], members[i]));
    if (first !== undefined) {
      report(members[i], members[first]);
    } else if (earlier) {
      earlier.push(i);
    } else {
      seen.set(hashes[i], [i]);
    }
  }
}

/** The slow path for objects with escaped names ("a" and "\u0061" are the same name). */
function byDecodedName(view: JsonView, count: number, report: (later: number, first: number) => void): void {
  const seen = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    if (hashes[i] === NO_NAME) continue;
    const name = view.key(members[i]) ?? '';
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, members[i]);
    } else {
      report(members[i], first);
    }
  }
}

function growInt32(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function duplicateKeyMessage(view: JsonView, node: number): string {
  return `${quote(view.key(node) ?? '')} is set twice in this object: JSON readers keep only this later value and silently drop the first.`;
}

/** Duplicate property names within one record. */
export function checkDuplicateKeys(context: RecordContext): void {
  const view = context.view;
  findDuplicateKeys(view, context.node, (later, first) => {
    context.reportKey(RuleCode.duplicateKey, duplicateKeyMessage(view, later), later, {
      related: [{ start: context.keyStart(first), end: context.keyEnd(first), message: 'first set here' }],
    });
  });
}

/** Duplicate property names in the parts of the file around the records (the Records wrapper, envelopes, lookup-events items). */
export function checkDuplicateKeysOutsideRecords(document: CloudTrailDocument, options: RuleOptions, problems: Problem[]): void {
  const severity = resolveSeverity(RuleCode.duplicateKey, options.rules);
  if (severity === undefined) {
    return;
  }
  const view = document.view;
  const { keyStart, keyEnd, next } = view.table;
  // Record nodes that live in the document's own tree, to be skipped: checkRecord covers them.
  const recordNodes = new Set<number>();
  for (const record of document.records) {
    if (record.source.view === view && record.node !== NO_NODE) {
      recordNodes.add(record.node);
    }
  }
  const skip = (node: number): number => (recordNodes.has(node) ? next[node] : node);
  for (const root of document.roots) {
    findDuplicateKeys(
      view,
      root,
      (later, first) => {
        problems.push({
          code: RuleCode.duplicateKey,
          severity,
          message: duplicateKeyMessage(view, later),
          start: keyStart[later],
          end: keyEnd[later],
          related: [{ start: keyStart[first], end: keyEnd[first], message: 'first set here' }],
        });
      },
      skip,
    );
  }
}

/** The same eventID on two records: reported on the later one, pointing at the first. */
export function checkDuplicateEventIds(document: CloudTrailDocument, options: RuleOptions, problems: Problem[]): void {
  const severity = resolveSeverity(RuleCode.duplicateEventId, options.rules);
  if (severity === undefined || document.records.length < 2) {
    return;
  }
  const seen = new Map<string, CloudTrailRecord>();
  for (const record of document.records) {
    const id = record.summary.eventID;
    if (!id) {
      continue;
    }
    const first = seen.get(id);
    if (!first) {
      seen.set(id, record);
      continue;
    }
    const here = eventIdRange(record);
    const there = eventIdRange(first);
    if (!here || !there) {
      continue;
    }
    const identical = sameRecordText(first, record);
    problems.push({
      code: RuleCode.duplicateEventId,
      severity,
      message: identical
        ? `This record is a second copy of record ${first.index + 1}: same eventID, same content. Counting both would count the call twice.`
        : `Record ${first.index + 1} has this eventID too, with different content; an eventID names exactly one event.`,
      start: here.start,
      end: here.end,
      related: [{ start: there.start, end: there.end, message: `the first record with eventID ${quote(id)}` }],
    });
  }
}

function eventIdRange(record: CloudTrailRecord): { start: number; end: number } | undefined {
  const node = record.source.view.property(record.node, 'eventID');
  if (node === NO_NODE) {
    return undefined;
  }
  const table = record.source.view.table;
  return { start: record.source.toDocument(table.start[node]), end: record.source.toDocument(table.end[node]) };
}

function sameRecordText(a: CloudTrailRecord, b: CloudTrailRecord): boolean {
  const aTable = a.source.view.table;
  const bTable = b.source.view.table;
  const aLength = aTable.end[a.node] - aTable.start[a.node];
  if (aLength !== bTable.end[b.node] - bTable.start[b.node]) {
    return false;
  }
  return a.source.view.source(a.node) === b.source.view.source(b.node);
}

/**
 * Things written twice: a property name twice in one object (JSON readers keep the last value and
 * silently drop the first), and one eventID on two records of a file.
 */
import { CloudTrailDocument, CloudTrailRecord } from '../cloudTrailDocument';
import { JsonView, NO_NODE, NodeKind } from '../json/nodeTable';
import { Problem } from '../problems';
import { RuleCode } from './catalogue';
import { quote, RecordContext, resolveSeverity, RuleOptions } from './context';
import { duplicateNamesOf } from './duplicateNames';
import { RowList } from './rowList';
import { sampledHash } from './rawText';

/** Pairs found in one object, reused from object to object. */
const pairs = new RowList();

/**
 * Calls `report(later, first)` for every property of an object below `root` (or `root` itself)
 * whose name an earlier property of the same object already has. Rows are read in order, so
 * nesting depth costs nothing; `skip(node)` returns a row to jump to for subtrees to leave out.
 */
export function findDuplicateKeys(view: JsonView, root: number, report: (later: number, first: number) => void, skip?: (node: number) => number): void {
  const table = view.table;
  const { kind, next } = table;
  const stop = next[root];
  for (let node = root; node < stop; node++) {
    const nodeKind = kind[node];
    // Most rows are scalars (a certificate logged as bytes is thousands of numbers): past them quickly.
    if (nodeKind !== NodeKind.Object && nodeKind !== NodeKind.Array) {
      continue;
    }
    if (skip && node !== root) {
      const resume = skip(node);
      if (resume > node) {
        node = resume - 1;
        continue;
      }
    }
    if (nodeKind !== NodeKind.Object || next[node] <= node + 2) {
      continue;
    }
    pairs.clear();
    duplicateNamesOf(view, node, pairs);
    for (let i = 0; i < pairs.length; i += 2) {
      report(pairs.at(i), pairs.at(i + 1));
    }
  }
}

function duplicateKeyMessage(view: JsonView, node: number): string {
  // True of every repeat, whether or not a third one follows: readers (and this model) keep the last.
  return `${quote(view.key(node) ?? '')} is set more than once in this object: JSON readers keep only the last value and silently drop the earlier ones.`;
}

/** Duplicate property names within one record (found in the pass over the record's rows that `RecordContext.scan` makes). */
export function checkDuplicateKeys(context: RecordContext): void {
  const view = context.view;
  const found = context.scan().duplicateNames;
  for (let i = 0; i < found.length; i += 2) {
    const later = found.at(i);
    const first = found.at(i + 1);
    context.reportKey(RuleCode.duplicateKey, duplicateKeyMessage(view, later), later, {
      related: [{ start: context.keyStart(first), end: context.keyEnd(first), message: 'first set here' }],
    });
  }
}

/** Duplicate property names in the parts of the file around the records (the Records wrapper, envelopes, lookup-events items). */
export function checkDuplicateKeysOutsideRecords(document: CloudTrailDocument, options: RuleOptions, problems: Problem[]): void {
  const severity = resolveSeverity(RuleCode.duplicateKey, options.rules);
  if (severity === undefined) {
    return;
  }
  const view = document.view;
  const { keyStart, keyEnd, next } = view.table;
  // The document's rows of the record events, to be skipped: checkRecord covers them.
  const records = document.records;
  const recordNodes = new Int32Array(records.length);
  let count = 0;
  for (const record of records) {
    const node = record.node === NO_NODE ? NO_NODE : record.source.documentNode(record.node);
    if (node !== NO_NODE) {
      recordNodes[count++] = node;
    }
  }
  const sortedNodes = recordNodes.subarray(0, count).sort();
  // The walk asks about rows in increasing order: a cursor finds them, a search only when it goes back.
  let cursor = 0;
  const skip = (node: number): number => {
    if (cursor > 0 && sortedNodes[cursor - 1] >= node) {
      return isSortedMember(sortedNodes, node) ? next[node] : node;
    }
    while (cursor < sortedNodes.length && sortedNodes[cursor] < node) cursor++;
    if (cursor < sortedNodes.length && sortedNodes[cursor] === node) {
      cursor++;
      return next[node];
    }
    return node;
  };
  for (const root of document.roots) {
    if (isSortedMember(sortedNodes, root)) {
      // A record that is a whole root (one event per line, a single event): checkRecord covers it all.
      continue;
    }
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

/**
 * For each record, the index of the first record with the same eventID (its own index for the
 * first one and for records without an ID). A file has about as many eventIDs as records: a table
 * sized once, and hashed by a few characters of each ID, does what a Map would without growing
 * (and copying itself) all the way there. IDs made to share those characters would make it slow;
 * past a bound on the work it hands over to a Map.
 */
function firstRecordOfEachId(records: readonly CloudTrailRecord[]): Int32Array {
  const firsts = new Int32Array(records.length);
  let capacity = 16;
  while (capacity < records.length * 2) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  const hashes = new Int32Array(capacity);
  let budget = 16 * records.length + 64;
  for (let i = 0; i < records.length; i++) {
    firsts[i] = i;
    const id = records[i].summary.eventID;
    if (!id) {
      continue;
    }
    const hash = sampledHash(id, 0, id.length);
    let slot = hash & mask;
    for (; slots[slot] >= 0; slot = (slot + 1) & mask) {
      if (hashes[slot] === hash && records[slots[slot]].summary.eventID === id) {
        firsts[i] = slots[slot];
        break;
      }
      if (--budget < 0) {
        return firstRecordOfEachIdByMap(records);
      }
    }
    if (firsts[i] === i) {
      slots[slot] = i;
      hashes[slot] = hash;
    }
  }
  return firsts;
}

function firstRecordOfEachIdByMap(records: readonly CloudTrailRecord[]): Int32Array {
  const firsts = new Int32Array(records.length);
  const seen = new Map<string, number>();
  for (let i = 0; i < records.length; i++) {
    firsts[i] = i;
    const id = records[i].summary.eventID;
    if (!id) {
      continue;
    }
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, i);
    } else {
      firsts[i] = first;
    }
  }
  return firsts;
}

/** Whether `sorted` (ascending) holds `value`. */
function isSortedMember(sorted: Int32Array, value: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const at = sorted[middle];
    if (at === value) return true;
    if (at < value) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** The same eventID on two records: reported on the later one, pointing at the first. */
export function checkDuplicateEventIds(document: CloudTrailDocument, options: RuleOptions, problems: Problem[]): void {
  const severity = resolveSeverity(RuleCode.duplicateEventId, options.rules);
  if (severity === undefined || document.records.length < 2) {
    return;
  }
  const records = document.records;
  const firstRecords = firstRecordOfEachId(records);
  for (let i = 0; i < records.length; i++) {
    if (firstRecords[i] === i) {
      continue;
    }
    const record = records[i];
    const id = record.summary.eventID;
    if (id === undefined) continue; // only records with an id have a first record other than themselves
    const first = records[firstRecords[i]];
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

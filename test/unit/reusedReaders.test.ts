import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { describe, it } from 'node:test';
import { parseCloudTrail, validateDocument } from '../../server/src/model';
import { RuleSet } from '../../server/src/model/detections';
import { bundledRulesDirectory, readRuleFiles } from '../../server/src/model/detections/ruleFiles';
import { formatLog } from '../../server/src/model/format';
import { scanJson } from '../../server/src/model/json/jsonScanner';
import { DocumentLinkIndex } from '../../server/src/model/links';
import { listFixtures, readFixture } from '../fixtures';

// The scanner, the formatter, the link index's walk and the rule set's document reader are each
// one object that reads log after log (see scanJson, formatLog, DocumentLinkIndex.build,
// RuleSet.detectDocument). These tests hold them to what a new object per log gave: the same
// answers, and nothing kept.

const rules = RuleSet.load(readRuleFiles(bundledRulesDirectory(), 'bundled').inputs);
const stratus = listFixtures('real/stratus-red-team');
const trail = listFixtures('trail');

/** Every answer the model gives about one log, as plain data. */
function answers(text: string): unknown {
  const scan = scanJson(text);
  const table = Array.from({ length: scan.table.count }, (_, row) => [scan.table.kind[row], scan.table.start[row], scan.table.end[row], scan.table.next[row]]);
  const model = parseCloudTrail(text);
  const index = DocumentLinkIndex.build(model);
  const formatted = formatLog(text);
  // A copy: an answer must not change when the next log is read.
  return structuredClone({
    formatted: [formatted.text, formatted.map.runs, Array.from({ length: 200 }, (_, i) => formatted.map.toFormatted(Math.floor((i * text.length) / 200)))],
    roots: scan.roots,
    table,
    scanProblems: scan.problems,
    truncated: scan.problemsTruncated,
    problems: validateDocument(model).map((problem) => [problem.code, problem.start, problem.end]),
    findings: rules.detectDocument(model),
    links: [index.hashes, index.meta, index.records, index.nodes]
      .map((column) => Array.from(column.subarray(0, index.count)))
      .concat([Array.from(index.eventNames)]),
  });
}

const pretty = readFixture(stratus[0]);
// Long lines with, in this order, an escaped quote, a raw tab and a raw line break in strings,
// each the first of its kind and followed by brackets and commas: the scanner and the formatter
// find a string's end from where they saw the next backslash, control character and line break
// last (see their stringEnd and scanString), and must not start from where the text before ended.
const oneLine = JSON.stringify([{ eventName: 'Get"Secret, [a]', userAgent: 'TAB', requestParameters: { pem: 'LINE' } }, ...(JSON.parse(pretty) as object[])])
  .replace('TAB', `a\tb, [b]${'x'.repeat(300)}`)
  .replace('LINE', 'BEGIN\nEND, [c]');
// The answers every later read must give, read before anything else in this process by readers
// that had read nothing. The one-line log comes first: its answers are those that a position
// left over from an earlier log would change.
const firstAnswers = new Map([oneLine, pretty].map((log) => [log, answers(log)]));

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('readers used for log after log', () => {
  it('give a log the same answers whatever was read before it: a broken file, a deep one, another log', () => {
    const broken = '{"Records": [{"eventName": "A", "eventID": "x\\q", 12}, {"eventName": "B"';
    const deep = `${'['.repeat(5000)}"x"`;
    const withoutEscapes = JSON.stringify(JSON.parse(readFixture(stratus[2])));
    for (const [log, first] of firstAnswers) {
      assert.ok((first as { findings: unknown[] }).findings.length > 0, 'the log has findings to compare');
      for (const other of [broken, deep, withoutEscapes, readFixture(trail[0]), oneLine, pretty]) {
        answers(other);
        assert.deepEqual(answers(log), first);
      }
    }
  });

  it('keep no copy of a log once it is formatted', () => {
    const external = (): number => {
      gc();
      gc();
      return process.memoryUsage().external;
    };
    const big = JSON.stringify(Array.from({ length: 40 }, () => JSON.parse(pretty) as unknown));
    const before = external();
    // The formatted text is a string of the heap, not external memory; nothing else outlives the call.
    assert.ok(formatLog(big).text.length > big.length);
    // The copy of the text, the output and the map come to more than twice the log's size.
    assert.ok(external() - before < big.length / 4, `${String(external() - before)} bytes kept after formatting ${String(big.length)}`);
  });

  it('keep nothing of a log once its answers are given', async () => {
    const read = (): WeakRef<object>[] => {
      const model = parseCloudTrail(readFixture(stratus[1]));
      validateDocument(model);
      rules.detectDocument(model);
      const index = DocumentLinkIndex.build(model);
      const scan = scanJson(readFixture(trail[1]));
      return [model.view, model.view.table, index, scan.table].map((object) => new WeakRef(object));
    };
    const refs = read();
    // A WeakRef made in this turn holds its object until the turn ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    gc();
    assert.deepEqual(
      refs.map((ref) => ref.deref() === undefined),
      [true, true, true, true],
      'the log view, its node table, the link index and a scanned table are all collected',
    );
  });
});

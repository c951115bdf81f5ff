import { performance } from 'node:perf_hooks';
import { DocumentModels } from '../../server/src/documentModels';
import { DocumentProblems } from '../../server/src/documentProblems';
import { toDiagnostic } from '../../server/src/features/diagnostics';
import { parseCloudTrail, validateDocument } from '../../server/src/model';
import { BenchContext, BenchSection, collectGarbage, logLabel, median, ms, percentile, threadCpuMilliseconds } from './benchFrame';

/**
 * Time to fresh diagnostics after typing one character inside a record of a large log: the
 * server's own path (the document applying the change, the model re-reading one record, the rules
 * checking it again, problems turned into LSP diagnostics), next to analysing the whole new text
 * from scratch.
 *
 * The document keeps the text in pieces after an edit; the first request that reads the text
 * outside the edited record (a hover elsewhere, the text filter) joins them, once per burst of
 * typing. That join is timed apart: every fourth edit is followed by a read of the whole text.
 */

const EDITS = 40;
const TARGET_MS = 20;
const READ_EVERY = 4;

interface EditTiming {
  p50: number;
  p99: number;
  cpu: number;
  incremental: number;
  join: number;
  full: number;
}

/** Typing a character inserts it (the text after it moves); overtyping replaces one (nothing moves). */
export type EditKind = 'insert' | 'replace';

/** Offsets inside the eventName values of `text`, in a random order. */
function eventNameValueOffsets(text: string, random: () => number, count: number): number[] {
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) {
    const from = Math.floor(random() * text.length);
    const found = text.indexOf('"eventName"', from);
    const key = found >= 0 ? found : text.indexOf('"eventName"');
    const valueQuote = text.indexOf('"', text.indexOf(':', key) + 1);
    offsets.push(valueQuote + 2);
  }
  return offsets;
}

export function measureEditLatency(text: string, random: () => number, edits = EDITS, kind: EditKind = 'insert'): EditTiming {
  const models = new DocumentModels();
  const problems = new DocumentProblems(models, { maxProblems: 1000 });
  const uri = 'file:///bench/edit.json';
  let document = models.documentsConfiguration.create(uri, 'cloudtrail', 1, text);
  problems.get(document).map((problem) => toDiagnostic(problem, document));

  // Where to type, chosen in the original text and moved past the characters inserted before them.
  const planned = eventNameValueOffsets(text, random, edits);
  const walls: number[] = [];
  const cpus: number[] = [];
  const joins: number[] = [];
  let incremental = 0;
  for (let i = 0; i < edits; i++) {
    let at = planned[i];
    if (kind === 'insert') {
      for (let j = 0; j < i; j++) if (planned[j] <= planned[i]) at++;
    }
    const change = { range: { start: document.positionAt(at), end: document.positionAt(kind === 'replace' ? at + 1 : at) }, text: 'x' };
    collectGarbage();
    const cpuStart = threadCpuMilliseconds();
    const started = performance.now();
    document = models.documentsConfiguration.update(document, [change], document.version + 1);
    const diagnostics = problems.get(document).map((problem) => toDiagnostic(problem, document));
    walls.push(performance.now() - started);
    cpus.push(threadCpuMilliseconds() - cpuStart);
    if (models.getWithChange(document).incrementalFrom) incremental++;
    if (diagnostics.length > 1000) throw new Error('unexpected problems after an edit');
    if (i % READ_EVERY === READ_EVERY - 1) {
      collectGarbage();
      const joinStart = threadCpuMilliseconds();
      document.getText().charCodeAt(0);
      joins.push(threadCpuMilliseconds() - joinStart);
    }
  }

  collectGarbage();
  const fullStarted = threadCpuMilliseconds();
  const fresh = document.getText();
  validateDocument(parseCloudTrail(fresh), { maxProblems: 1000 });
  const full = threadCpuMilliseconds() - fullStarted;
  return { p50: median(walls), p99: percentile(walls, 0.99), cpu: median(cpus), incremental, join: median(joins), full };
}

export const editLatencySection: BenchSection = {
  id: 'edit',
  title: `Fresh diagnostics after a one-character edit inside a record (${EDITS} edits)`,
  async run(context: BenchContext) {
    const logs = context.logs.filter((log) => log.sizeMiB === 20);
    context.report.note('edit = TextDocuments applying the change + re-reading the record + checking it + LSP diagnostics, in this process.');
    context.report.note('full = parseCloudTrail + validateDocument of the whole new text, what every edit would cost without the incremental path.');
    context.report.note(
      "edit CPU comes from the scheduler, which counts a running thread's time at its ticks: below a few milliseconds it reads low; edit p50 is the measure.",
    );
    context.report.note(
      `join = the first read of the whole text after edits (a hover outside the edited record, the text filter), once per burst; timed after every ${READ_EVERY}th edit.`,
    );
    const rows: string[][] = [];
    const verdicts: [string, number][] = [];
    for (const log of logs) {
      for (const kind of ['insert', 'replace'] as const) {
        const timing = measureEditLatency(log.text, context.random(log.text.length), EDITS, kind);
        rows.push([logLabel(log), kind, ms(timing.p50), ms(timing.p99), ms(timing.cpu), `${timing.incremental} of ${EDITS}`, ms(timing.join), ms(timing.full)]);
        verdicts.push([`${log.sizeMiB}MB ${log.layout} diagnostics after a one-character ${kind} < ${TARGET_MS} ms`, timing.p50]);
      }
    }
    context.report.table(['log', 'edit', 'edit p50', 'edit p99', 'edit CPU', 'one record re-read', 'join CPU', 'full re-analysis CPU'], rows);
    for (const [target, value] of verdicts) {
      context.report.verdict(target, ms(value), value < TARGET_MS);
    }
  },
};

import { parseCloudTrail, validateDocument } from '../../server/src/model';
import { BenchContext, BenchSection, hasGc, settleGarbage, logLabel, mib, ratio } from './benchFrame';
import { defined } from '../defined';

/** The memory target: what the server holds for a document, as a multiple of the text's size. */
export const HEAP_TARGET_RATIO = 3.0;

/**
 * Memory held by the model of `text` and its problems: the growth of the JS heap (records,
 * summaries, problems), measured after full collections, plus the node table's typed arrays,
 * counted from their sizes. The arrays' backing stores live outside the heap and are released
 * lazily, so reading them from process.memoryUsage() would pick up earlier logs' freed tables.
 */
async function retainedByModel(text: string): Promise<{ retained: number; records: number; problems: number }> {
  await settleGarbage();
  const before = process.memoryUsage().heapUsed;
  const model = parseCloudTrail(text);
  const problems = validateDocument(model);
  await settleGarbage();
  const heap = process.memoryUsage().heapUsed - before;
  const tables = new Set([model.view.table, ...model.records.map((record) => record.source.view.table)]);
  const arrays = [...tables].reduce((sum, table) => sum + table.byteSize(), 0);
  // Read after the measurement, so both are certainly alive while it is taken.
  return { retained: heap + arrays, records: model.records.length, problems: problems.length };
}

export const modelMemorySection: BenchSection = {
  id: 'memory',
  title: 'Memory the model retains, in this process',
  async run(context: BenchContext): Promise<void> {
    const { report } = context;
    if (!hasGc()) {
      report.note('Skipped: run with node --expose-gc (npm run bench does) so that retained memory can be measured.');
      return;
    }
    report.note("text = the JS string's size: the generated logs are ASCII, which V8 stores one byte per character.");
    report.note("model = JS heap growth after a full GC while the model and its problems are alive, plus the node tables' typed arrays by size.");
    report.note('server holds = text + model: what a server keeps for an open document.');
    // Whatever a first parse creates once (compiled code, lazily built tables) belongs to the baseline.
    validateDocument(parseCloudTrail(context.logs[0].text));
    const rows: string[][] = [];
    for (const log of context.logs) {
      const { retained, records, problems } = await retainedByModel(log.text);
      const total = (log.bytes + retained) / log.bytes;
      context.figures.set(`model-heap/${log.sizeMiB}/${log.layout}`, retained);
      rows.push([logLabel(log), mib(log.bytes), String(records), String(problems), mib(retained), ratio(retained / log.bytes), ratio(total)]);
    }
    report.table(['log', 'text', 'records', 'problems', 'model', 'model / text', 'server holds / text'], rows);
    for (const log of context.logs.filter((l) => l.sizeMiB === 20 || l.sizeMiB === 50)) {
      const retained = defined(context.figures.get(`model-heap/${log.sizeMiB}/${log.layout}`));
      const value = (log.bytes + retained) / log.bytes;
      report.verdict(`${log.sizeMiB}MB ${log.layout} heap (text + model) < ${HEAP_TARGET_RATIO.toFixed(1)}x text`, ratio(value), value < HEAP_TARGET_RATIO);
    }
  },
};

import { formatLog } from '../../server/src/model/format';
import { BenchContext, BenchSection, logLabel, mib, ms, ratio, timeCandidates } from './benchFrame';

/** Formatting a log for the formatted view, as a multiple of JSON.parse on the same text. */
export const FORMAT_TARGET_RATIO = 2.0;
/** The size the target is set for. */
export const FORMAT_TARGET_SIZE_MIB = 50;

export const formatSection: BenchSection = {
  id: 'format',
  title: 'Formatting a log for the formatted view (re-layout with its offset map), against JSON.parse on the same text',
  async run(context: BenchContext): Promise<void> {
    const { report } = context;
    report.note(
      "format = formatLog: the laid-out text and the map between its offsets and the original's. The target is on CPU time (the machine may be shared); wall time beside it. Medians of runs.",
    );
    const rows: string[][] = [];
    for (const log of context.logs) {
      const text = log.text;
      const once = formatLog(text);
      if (JSON.stringify(JSON.parse(once.text)) !== JSON.stringify(JSON.parse(text))) {
        throw new Error(`${logLabel(log)}: the formatted text does not hold the same values`);
      }
      const { runs, warmup } = context.runsFor(log.sizeMiB);
      const timings = await timeCandidates(
        [
          { name: 'JSON.parse', run: (): unknown => JSON.parse(text) },
          { name: 'format', run: () => formatLog(text) },
        ],
        { runs, warmup },
      );
      const jsonParse = timings.get('JSON.parse');
      const format = timings.get('format');
      if (!jsonParse || !format) throw new Error('a candidate was not timed');
      const measured = format.cpu / jsonParse.cpu;
      rows.push([
        logLabel(log),
        ms(jsonParse.cpu),
        ms(format.cpu),
        ratio(measured),
        `${ms(jsonParse.median)} / ${ms(format.median)}`,
        `${(once.text.length / text.length).toFixed(2)}x`,
        mib(once.map.byteLength),
        once.map.runs.toLocaleString('en-US'),
      ]);
      if (log.sizeMiB === FORMAT_TARGET_SIZE_MIB) {
        report.verdict(`${log.sizeMiB}MB ${log.layout} format < ${FORMAT_TARGET_RATIO}x JSON.parse`, ratio(measured), measured < FORMAT_TARGET_RATIO);
      }
    }
    report.table(['log', 'JSON.parse CPU', 'format CPU', 'ratio', 'wall (parse / format)', 'formatted length', 'offset map', 'runs'], rows);
  },
};

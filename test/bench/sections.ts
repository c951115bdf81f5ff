import { BenchContext, BenchLog, BenchSection, logLabel, ms } from './benchFrame';
import { editLatencySection } from './editLatency';
import { measureEventTree } from './eventTreeTiming';
import { folderIndexSection } from './folderIndexBench';
import { formatSection } from './formatBench';
import { measureHoverLatency } from './hoverLatency';
import { modelMemorySection } from './modelMemory';
import { openToDiagnosticsSection } from './openToDiagnostics';
import { ruleCostsSection } from './ruleCosts';
import { serverEndToEndSection } from './serverEndToEnd';

/**
 * Every section of `npm run bench`, in the order they run. A new measurement is a module that
 * exports a BenchSection, or a function that a small adapter below turns into one, plus one line
 * in SECTIONS.
 */

/** The logs a per-file measurement runs on: the 20 MB ones, or the largest selected below that. */
function twentyMegabyteLogs(context: BenchContext): BenchLog[] {
  const sizes = context.logs.map((log) => log.sizeMiB).filter((size) => size <= 20);
  if (sizes.length === 0) return [];
  const size = Math.max(...sizes);
  return context.logs.filter((log) => log.sizeMiB === size);
}

const HOVER_POSITIONS = 1000;

const hoverLatencySection: BenchSection = {
  id: 'hover',
  title: `Hover latency at ${HOVER_POSITIONS} random positions of a parsed log`,
  async run(context) {
    const rows = twentyMegabyteLogs(context).map((log) => {
      const latency = measureHoverLatency(log.text, HOVER_POSITIONS);
      return [logLabel(log), ms(latency.p50), ms(latency.p99), ms(latency.max), `${latency.hovered} of ${HOVER_POSITIONS}`];
    });
    context.report.table(['log', 'p50', 'p99', 'max', 'positions with a hover'], rows);
  },
};

/** The target the event tree's module sets for itself. */
const EVENT_TREE_TARGET_MS = 50;

const eventTreeSection: BenchSection = {
  id: 'eventTree',
  title: 'cloudtrail/eventTree on a parsed log (grouped by action, then identity)',
  async run(context) {
    const rows: string[][] = [];
    const verdicts: [BenchLog, number][] = [];
    for (const log of twentyMegabyteLogs(context)) {
      const timing = measureEventTree(log.text);
      rows.push([logLabel(log), ms(timing.ms), ms(timing.cpuMs), ms(timing.warmMs), String(timing.groups)]);
      verdicts.push([log, timing.ms]);
    }
    context.report.table(['log', 'first answer', 'its CPU', 'answer again', 'groups'], rows);
    for (const [log, time] of verdicts) {
      context.report.verdict(`${log.sizeMiB}MB ${log.layout} event tree < ${EVENT_TREE_TARGET_MS} ms`, ms(time), time < EVENT_TREE_TARGET_MS);
    }
  },
};

export const SECTIONS: readonly BenchSection[] = [
  openToDiagnosticsSection,
  ruleCostsSection,
  modelMemorySection,
  serverEndToEndSection,
  hoverLatencySection,
  eventTreeSection,
  editLatencySection,
  folderIndexSection,
  formatSection,
];

/**
 * The Timeline's cost: drawing a folder index of about 700,000 events (the server aggregates into
 * time buckets; the webview never receives events) and brushing a range, which re-filters the
 * Events view's top groups and the timeline itself. The folder is indexed with the bundled Sigma
 * rules, and every draw reads the findings back from the index and marks them, as the server does.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RuleSet } from '../../server/src/model/detections';
import { bundledRulesDirectory, RuleSource, ruleSetOf } from '../../server/src/model/detections/ruleFiles';
import { FolderIndex, groupFolderEvents, indexFolder, WorkerPool } from '../../server/src/model/folderIndex';
import { indexEventFindings, TimelineRequestOptions, timelineOfFolder } from '../../server/src/model/timeline';
import { BenchContext, BenchSection, ms } from './benchFrame';
import { benchFolder } from './folderIndexBench';

const DRAW_TARGET_MS = 1_000;
const BRUSH_TARGET_MS = 200;

/** Wall time and this thread's CPU time: on a loaded machine the CPU time is what the work itself costs. */
function timed<T>(run: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = run();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, ms: wall, cpuMs: (used.user + used.system) / 1000 };
}

async function indexBenchFolder(context: BenchContext, detections: RuleSource): Promise<FolderIndex> {
  const { folder } = await benchFolder({ root: context.root, log: (line) => { context.report.note(line); } });
  const pool = new WorkerPool(path.join(context.root, 'dist', 'indexWorker.js'), Math.max(1, Math.min(4, os.availableParallelism())));
  try {
    return await indexFolder(folder, pool, { maxDecompressedBytes: 1 << 30, detections });
  } finally {
    await pool.dispose();
  }
}

/** A timeline as the server answers `cloudtrail/timeline`: the index's findings read back (once per index version) and marked. */
function serverTimeline(index: FolderIndex, rules: RuleSet, options: TimelineRequestOptions): ReturnType<typeof timelineOfFolder> {
  return timelineOfFolder(index, { ...options, findings: indexEventFindings(index, rules) });
}

export const timelineSection: BenchSection = {
  id: 'timeline',
  title: 'Timeline of a folder index: drawing and brushing',
  async run(context) {
    const detections: RuleSource = { key: 'timeline-bench', bundled: bundledRulesDirectory(context.root), folders: [] };
    const rules = ruleSetOf(detections);
    const index = await indexBenchFolder(context, detections);
    // The index's findings are read back into a lookup once per version of the index: the first draw pays for it.
    const lookup = timed(() => indexEventFindings(index, rules));
    context.report.note(`the index's ${lookup.value.size.toLocaleString('en-US')} findings read back for the timeline once: wall ${ms(lookup.ms)}, CPU ${ms(lookup.cpuMs)} (the draws below reuse them)`);
    const rows: string[][] = [];
    let slowestDraw = 0;
    const drawings: [string, TimelineRequestOptions][] = [
      ['by action', { groupBy: 'action' }],
      ['by identity', { groupBy: 'identity' }],
      ['by nothing', {}],
      ['by finding rule', { byFindingRule: true }],
    ];
    for (const [name, options] of drawings) {
      const first = timed(() => serverTimeline(index, rules, options));
      const again = timed(() => serverTimeline(index, rules, options));
      slowestDraw = Math.max(slowestDraw, first.cpuMs);
      rows.push([
        name,
        first.value.total.toLocaleString('en-US'),
        first.value.findings.reduce((sum, count) => sum + count, 0).toLocaleString('en-US'),
        String(first.value.failed.length),
        String(first.value.series.length),
        ms(first.ms),
        ms(first.cpuMs),
        ms(again.ms),
        ms(again.cpuMs),
      ]);
    }
    context.report.table(['timeline', 'events (findings by rule)', 'findings marked', 'buckets', 'series', 'first draw', 'its CPU', 'again', 'its CPU'], rows);

    // A brush over the middle tenth of the range: the Events view's top groups and the timeline, filtered.
    const whole = serverTimeline(index, rules, { groupBy: 'action' });
    const span = whole.end - whole.start;
    const filter = { from: new Date(whole.start + span * 0.45).toISOString(), to: new Date(whole.start + span * 0.55).toISOString() };
    const brush = timed(() => {
      const tree = groupFolderEvents(index, { groupBy: ['action'], filter });
      const timeline = serverTimeline(index, rules, { groupBy: 'action', filter });
      return { tree: tree.matched, timeline: timeline.total };
    });
    context.report.note(`load average ${os.loadavg()[0].toFixed(2)}; the verdicts use CPU time, which a loaded machine does not inflate as it does wall time`);
    context.report.note(`brushing (wall ${ms(brush.ms)}, CPU ${ms(brush.cpuMs)}) ${filter.from} - ${filter.to}: ${brush.value.tree.toLocaleString('en-US')} events in the Events view, ${brush.value.timeline.toLocaleString('en-US')} in the timeline`);
    context.report.verdict(`timeline of ${index.eventCount.toLocaleString('en-US')} indexed events drawn < ${DRAW_TARGET_MS} ms of CPU`, ms(slowestDraw), slowestDraw < DRAW_TARGET_MS);
    context.report.verdict(`brushing re-filters the Events view and the timeline < ${BRUSH_TARGET_MS} ms of CPU`, ms(brush.cpuMs), brush.cpuMs < BRUSH_TARGET_MS && brush.value.tree === brush.value.timeline);
  },
};

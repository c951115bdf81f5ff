/**
 * The Timeline's cost: drawing a folder index of about 700,000 events (the server aggregates into
 * time buckets; the webview never receives events) and brushing a range, which re-filters the
 * Events view's top groups and the timeline itself.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RuleSet } from '../../server/src/model/detections';
import { readRuleFiles } from '../../server/src/model/detections/ruleFiles';
import { cachedFolderGrouping, folderFindings, FolderIndex, indexFolder, WorkerPool } from '../../server/src/model/folderIndex';
import { FolderTimelineFindings, timelineOfFolder } from '../../server/src/model/timeline';
import { BenchContext, BenchSection, ms } from './benchFrame';
import { benchFolder } from './folderIndexBench';

const DRAW_TARGET_MS = 1_000;
const BRUSH_TARGET_MS = 200;

/**
 * Wall time and the process's CPU time (V8's helper threads included, so a collection of what earlier
 * sections left on the heap counts too): on a loaded machine the CPU time is what the work itself costs.
 */
function timed<T>(run: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = run();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, ms: wall, cpuMs: (used.user + used.system) / 1000 };
}

function bundledRules(context: BenchContext): string {
  return path.join(context.root, 'dist', 'sigma');
}

async function indexBenchFolder(context: BenchContext): Promise<FolderIndex> {
  const { folder } = await benchFolder({
    root: context.root,
    log: (line) => {
      context.report.note(line);
    },
  });
  const pool = new WorkerPool(path.join(context.root, 'dist', 'indexWorker.js'), Math.max(1, Math.min(4, os.availableParallelism())));
  try {
    // With the bundled Sigma rules, as the server indexes: the timeline marks the findings.
    return await indexFolder(folder, pool, { maxDecompressedBytes: 1 << 30, detections: { key: 'bench', bundled: bundledRules(context), folders: [] } });
  } finally {
    await pool.dispose();
  }
}

export const timelineSection: BenchSection = {
  id: 'timeline',
  title: 'Timeline of a folder index: drawing and brushing',
  async run(context) {
    const index = await indexBenchFolder(context);
    const rules = RuleSet.load(readRuleFiles(bundledRules(context), 'bundled').inputs);
    const series = rules.rules.map((definition) => ({ key: definition.metadata.id, label: definition.metadata.title }));
    // Worked out once per version of the index (the server does it when it publishes the folder's findings).
    const listed = timed(() => folderFindings(index, rules));
    const found = (): FolderTimelineFindings => ({ rules: series, findings: folderFindings(index, rules) });
    context.report.note(
      `findings of the folder read back and correlated once: ${listed.value.length.toLocaleString('en-US')} in ${ms(listed.ms)} (CPU ${ms(listed.cpuMs)}); later asks reuse them`,
    );
    const rows: string[][] = [];
    let slowestDraw = 0;
    for (const [label, options] of [
      ['by action', { groupBy: 'action' }],
      ['by identity', { groupBy: 'identity' }],
      ['by nothing', {}],
      ['by Sigma rule', { seriesByRule: true }],
    ] as const) {
      const first = timed(() => timelineOfFolder(index, options, found()));
      const again = timed(() => timelineOfFolder(index, options, found()));
      slowestDraw = Math.max(slowestDraw, first.cpuMs);
      rows.push([
        label,
        first.value.total.toLocaleString('en-US'),
        String(first.value.failed.length),
        String(first.value.series.length),
        ms(first.ms),
        ms(first.cpuMs),
        ms(again.ms),
        ms(again.cpuMs),
      ]);
    }
    context.report.table(['timeline (findings marked)', 'entries', 'buckets', 'series', 'first draw', 'its CPU', 'again', 'its CPU'], rows);

    // A brush over the middle tenth of the range: the Events view's top groups and the timeline,
    // filtered, each asking for its grouping as the server's features do.
    const whole = timelineOfFolder(index, { groupBy: 'action' }, found());
    const span = whole.end - whole.start;
    const filter = { from: new Date(whole.start + span * 0.45).toISOString(), to: new Date(whole.start + span * 0.55).toISOString() };
    const brush = timed(() => {
      const tree = cachedFolderGrouping(index, { groupBy: ['action'], filter });
      const timeline = timelineOfFolder(index, { groupBy: 'action', filter }, found());
      return { tree: tree.matched, timeline: timeline.total };
    });
    context.report.note(`load average ${os.loadavg()[0].toFixed(2)}; the verdicts use CPU time, which a loaded machine does not inflate as it does wall time`);
    context.report.note(
      `brushing (wall ${ms(brush.ms)}, CPU ${ms(brush.cpuMs)}) ${filter.from} - ${filter.to}: ${brush.value.tree.toLocaleString('en-US')} events in the Events view, ${brush.value.timeline.toLocaleString('en-US')} in the timeline`,
    );
    context.report.verdict(
      `timeline of ${index.eventCount.toLocaleString('en-US')} indexed events drawn < ${DRAW_TARGET_MS} ms of CPU`,
      ms(slowestDraw),
      slowestDraw < DRAW_TARGET_MS,
    );
    context.report.verdict(
      `brushing re-filters the Events view and the timeline < ${BRUSH_TARGET_MS} ms of CPU`,
      ms(brush.cpuMs),
      brush.cpuMs < BRUSH_TARGET_MS && brush.value.tree === brush.value.timeline,
    );
  },
};

import * as os from 'node:os';
import { parseCloudTrail, validateDocument } from '../../server/src/model';
import { RuleSet } from '../../server/src/model/detections';
import { bundledRulesDirectory, readRuleFiles } from '../../server/src/model/detections/ruleFiles';
import { BenchContext, BenchSection, logLabel, ms, ratio, timeCandidates } from './benchFrame';
import { benchFolder, indexWithServer } from './folderIndexBench';

/** Diagnostics with every bundled rule may take this much longer than without detections. */
export const DETECTIONS_TARGET_RATIO = 1.25;
/** A folder of delivered logs is still indexed at least this fast with detections. */
export const FOLDER_TARGET_MIB_PER_SECOND = 100;

export const detectionsSection: BenchSection = {
  id: 'detections',
  title: 'Sigma detections: open to diagnostics with all bundled rules, and a folder of 1,000 .json.gz with detections',
  async run(context: BenchContext): Promise<void> {
    const { report } = context;
    const bundled = bundledRulesDirectory(context.root);
    const rules = RuleSet.load(readRuleFiles(bundled, 'bundled').inputs);
    report.note(`${String(rules.rules.length)} rules (${String(rules.correlations.length)} correlations) from ${bundled}, compiled once.`);
    report.note('diagnostics = parseCloudTrail + validateDocument; with detections = the same + RuleSet.detectDocument on the model.');
    const rows: string[][] = [];
    const verdicts: [string, number, number][] = [];
    const sizes = context.logs.map((log) => log.sizeMiB).filter((size) => size <= 20);
    const size = sizes.length > 0 ? Math.max(...sizes) : undefined;
    for (const log of context.logs.filter((candidate) => candidate.sizeMiB === size)) {
      const text = log.text;
      const parsed = parseCloudTrail(text);
      const findings = rules.detectDocument(parsed).length;
      const { runs, warmup } = context.runsFor(log.sizeMiB);
      const candidates = [
        { name: 'diagnostics', run: () => validateDocument(parseCloudTrail(text)) },
        {
          name: 'diagnostics with detections',
          run: () => {
            const model = parseCloudTrail(text);
            validateDocument(model);
            return rules.detectDocument(model);
          },
        },
        { name: 'detections alone (parsed model)', run: () => rules.detectDocument(parsed) },
      ];
      const timings = await timeCandidates(candidates, { runs, warmup });
      const base = timings.get('diagnostics');
      const withDetections = timings.get('diagnostics with detections');
      if (!base || !withDetections) continue;
      for (const candidate of candidates) {
        const timing = timings.get(candidate.name);
        if (!timing) continue;
        rows.push([candidate === candidates[0] ? logLabel(log) : '', candidate.name, ms(timing.median), ms(timing.cpu), ratio(timing.cpu / base.cpu)]);
      }
      rows.push(['', `(${String(parsed.records.length)} records, ${String(findings)} findings)`]);
      verdicts.push([`${String(log.sizeMiB)}MB ${log.layout}`, withDetections.cpu / base.cpu, withDetections.median / base.median]);
    }
    report.table(['log', 'candidate', 'wall', 'CPU', 'CPU vs diagnostics'], rows);
    for (const [label, byCpu, byWall] of verdicts) {
      report.verdict(
        `${label} diagnostics with all bundled rules <= ${DETECTIONS_TARGET_RATIO.toFixed(2)}x without`,
        `${ratio(byCpu)} (CPU time; wall ${ratio(byWall)})`,
        byCpu <= DETECTIONS_TARGET_RATIO,
      );
    }

    const { folder } = await benchFolder({
      root: context.root,
      log: (line) => {
        report.note(line);
      },
    });
    const off = await indexWithServer(context.root, folder, { settings: { detections: { enabled: false } } });
    const on = await indexWithServer(context.root, folder);
    report.note(
      `${String(on.files)} files, ${(on.contentBytes / 1024 / 1024).toFixed(0)} MiB decompressed, ${on.events.toLocaleString('en-US')} events; ${String(os.availableParallelism())} cores, load average ${os.loadavg()[0].toFixed(2)}`,
    );
    report.table(
      ['folder index', 'time', 'throughput'],
      [
        ['without detections', `${off.seconds.toFixed(2)} s`, `${off.mibPerSecond.toFixed(0)} MiB/s`],
        ['with all bundled rules', `${on.seconds.toFixed(2)} s`, `${on.mibPerSecond.toFixed(0)} MiB/s`],
      ],
    );
    context.figures.set('folder-detections/mib-per-second', on.mibPerSecond);
    report.verdict(
      `folder of 1,000 .json.gz indexed with detections >= ${String(FOLDER_TARGET_MIB_PER_SECOND)} MiB/s`,
      `${on.mibPerSecond.toFixed(0)} MiB/s (without: ${off.mibPerSecond.toFixed(0)} MiB/s)`,
      on.mibPerSecond >= FOLDER_TARGET_MIB_PER_SECOND,
    );
  },
};

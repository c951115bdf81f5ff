import { CloudTrailDocument, NO_NODE, NodeKind, parseCloudTrail, Problem } from '../../server/src/model';
import { checkDocumentRules, RecordContext } from '../../server/src/model/rules';
import { checkAcm } from '../../server/src/model/rules/acm';
import { checkArns } from '../../server/src/model/rules/arns';
import { checkDuplicateEventIds, checkDuplicateKeys, checkDuplicateKeysOutsideRecords } from '../../server/src/model/rules/duplicates';
import { checkFormats } from '../../server/src/model/rules/formats';
import { checkKeyCase } from '../../server/src/model/rules/keyCase';
import { checkFieldTypes, checkFieldVersions, checkRequiredFields, checkUnknownFields } from '../../server/src/model/rules/requiredFields';
import { checkUserIdentity } from '../../server/src/model/rules/userIdentity';
import { BenchContext, BenchLog, BenchSection, Candidate, logLabel, ms, timeCandidates } from './benchFrame';
import { defined } from '../defined';

/**
 * What each CloudTrail rule costs on a big file. Every check runs alone over all records (after
 * the per-record setup that every check shares), and its cost is that pass less a pass that only
 * does the setup. The list follows `checkRecord` and `checkFile` in rules/index.ts; the line
 * "not attributed" shows how far the parts are from the whole, and grows if a check is added
 * there but not here.
 */
const RECORD_CHECKS: readonly (readonly [string, (context: RecordContext) => void])[] = [
  ['required fields', checkRequiredFields],
  ['unknown fields', checkUnknownFields],
  ['key case', checkKeyCase],
  ['field versions', checkFieldVersions],
  ['field types', checkFieldTypes],
  ['formats', checkFormats],
  ['userIdentity', checkUserIdentity],
  ['ARNs', checkArns],
  ['ACM', checkAcm],
  ['duplicate keys in records', checkDuplicateKeys],
];

const FILE_CHECKS: readonly (readonly [string, (document: CloudTrailDocument, problems: Problem[]) => void])[] = [
  [
    'duplicate eventIDs',
    (document, problems) => {
      checkDuplicateEventIds(document, {}, problems);
    },
  ],
  [
    'duplicate keys outside records',
    (document, problems) => {
      checkDuplicateKeysOutsideRecords(document, {}, problems);
    },
  ],
];

const SETUP = 'per-record setup (RecordContext.reset)';
const ALL_RULES = 'all rules (checkDocumentRules)';

function recordPass(document: CloudTrailDocument, check?: (context: RecordContext) => void): number {
  const context = new RecordContext({});
  let problems = 0;
  for (const record of document.records) {
    if (record.node === NO_NODE || record.source.view.kind(record.node) !== NodeKind.Object) continue;
    context.reset(record);
    check?.(context);
    problems += context.problems.length;
  }
  return problems;
}

async function ruleCostsOf(context: BenchContext, log: BenchLog): Promise<string[][]> {
  const document = parseCloudTrail(log.text);
  const candidates: Candidate[] = [
    { name: ALL_RULES, run: () => checkDocumentRules(document) },
    { name: SETUP, run: () => recordPass(document) },
    ...RECORD_CHECKS.map(([name, check]) => ({ name, run: () => recordPass(document, check) })),
    ...FILE_CHECKS.map(([name, check]) => ({
      name,
      run: () => {
        check(document, []);
      },
    })),
  ];
  const { runs, warmup } = context.runsFor(log.sizeMiB);
  const timings = await timeCandidates(candidates, { runs: Math.min(runs, 5), warmup: Math.max(warmup, 1) });
  const whole = defined(timings.get(ALL_RULES)).cpu;
  const setup = defined(timings.get(SETUP)).cpu;
  const parts: [string, number][] = [[SETUP, setup]];
  for (const [name] of RECORD_CHECKS) parts.push([name, Math.max(0, defined(timings.get(name)).cpu - setup)]);
  for (const [name] of FILE_CHECKS) parts.push([name, defined(timings.get(name)).cpu]);
  parts.sort((a, b) => b[1] - a[1]);
  const attributed = parts.reduce((sum, [, value]) => sum + value, 0);
  const jsonParse = context.figures.get(`json-parse-cpu/${log.sizeMiB}/${log.layout}`);
  const share = (value: number): string => (jsonParse ? `${(value / jsonParse).toFixed(2)}x` : 'n/a');
  const rows = parts.map(([name, value], index) => [index === 0 ? logLabel(log) : '', name, ms(value), `${((100 * value) / whole).toFixed(0)}%`, share(value)]);
  rows.push([
    '',
    'not attributed (whole less the parts)',
    ms(whole - attributed),
    `${((100 * (whole - attributed)) / whole).toFixed(0)}%`,
    share(whole - attributed),
  ]);
  rows.push(['', ALL_RULES, ms(whole), '100%', share(whole)]);
  context.figures.set(`rules/${log.sizeMiB}/${log.layout}`, whole);
  return rows;
}

export const ruleCostsSection: BenchSection = {
  id: 'rules',
  title: 'What each CloudTrail rule costs (median CPU time of runs, each check alone over all records)',
  async run(context: BenchContext): Promise<void> {
    const { report } = context;
    const largest = Math.max(...context.logs.filter((log) => log.sizeMiB <= 20).map((log) => log.sizeMiB));
    const logs = context.logs.filter((log) => log.sizeMiB === largest);
    if (logs.length === 0) {
      report.note('Skipped: no log of 20 MB or less was selected.');
      return;
    }
    report.note('"of JSON.parse" = the check\'s time as a multiple of JSON.parse on the same text (from the first section).');
    const rows: string[][] = [];
    for (const log of logs) rows.push(...(await ruleCostsOf(context, log)));
    report.table(['log', 'check', 'CPU', 'share', 'of JSON.parse'], rows);
  },
};

import * as jsonc from 'jsonc-parser';
import { getLanguageService, TextDocument as JsonTextDocument } from 'vscode-json-languageservice';
import { parseCloudTrail, scanJson, validateDocument } from '../../server/src/model';
import { BenchContext, BenchSection, Candidate, logLabel, ms, ratio, timeCandidates } from './benchFrame';
import { CLOUDTRAIL_LOG_SCHEMA } from './cloudTrailSchema';
import { defined } from '../defined';

/** The time-to-diagnostics target, as a multiple of JSON.parse on the same text. */
export const OPEN_TARGET_RATIO = 3.0;
/** The size the target is set for: the largest file VS Code still tokenizes. */
export const OPEN_TARGET_SIZE_MIB = 20;

const jsonLanguageService = getLanguageService({});

/** Parse plus schema validation, as a JSON editor does for every open document. */
async function jsonLanguageServiceDiagnostics(text: string): Promise<number> {
  const document = JsonTextDocument.create('file:///bench/log.json', 'json', 1, text);
  const jsonDocument = jsonLanguageService.parseJSONDocument(document);
  const diagnostics = await jsonLanguageService.doValidation(document, jsonDocument, { comments: 'error', trailingCommas: 'error' }, CLOUDTRAIL_LOG_SCHEMA);
  return diagnostics.length;
}

/** A visitor that only counts, so the visit pays for tokenizing and callbacks and nothing else. */
function jsoncVisit(text: string): number {
  let values = 0;
  jsonc.visit(text, {
    onObjectBegin: () => {
      values++;
    },
    onArrayBegin: () => {
      values++;
    },
    onObjectProperty: () => undefined,
    onLiteralValue: () => {
      values++;
    },
    onError: () => undefined,
  });
  return values;
}

export const openToDiagnosticsSection: BenchSection = {
  id: 'open',
  title: 'Open to diagnostics, in one process on the same text (median of runs)',
  async run(context: BenchContext): Promise<void> {
    const { report } = context;
    report.note(
      'model = parseCloudTrail + validateDocument with the CloudTrail rules: everything the server computes before it turns problems into LSP diagnostics.',
    );
    report.note('model without rules = parseCloudTrail alone (syntax and shape problems); scanner = scanJson alone.');
    report.note('JSON language service = vscode-json-languageservice parseJSONDocument + doValidation with a small CloudTrail schema.');
    report.note('wall = median elapsed time; CPU = median time the main thread spent on a CPU. Ratios and verdicts use CPU time,');
    report.note('which other processes on the machine do not stretch as they do wall time; on an idle machine the two agree.');
    const rows: string[][] = [];
    for (const log of context.logs) {
      const text = log.text;
      // Check once that every contender reads the file as intended, so no one is timed doing less.
      const expected = (JSON.parse(text) as { Records: unknown[] }).Records.length;
      const model = parseCloudTrail(text);
      const problems = validateDocument(model);
      if (model.records.length !== expected) {
        throw new Error(`${logLabel(log)}: the model read ${model.records.length} records, JSON.parse ${expected}`);
      }
      const lsProblems = await jsonLanguageServiceDiagnostics(text);
      const { runs, warmup } = context.runsFor(log.sizeMiB);
      const candidates: Candidate[] = [
        { name: 'JSON.parse', run: () => JSON.parse(text) as unknown },
        { name: 'model', run: () => validateDocument(parseCloudTrail(text)) },
        { name: 'model without rules', run: () => parseCloudTrail(text) },
        { name: 'scanner', run: () => scanJson(text) },
        { name: 'jsonc visit', run: () => jsoncVisit(text) },
        { name: 'jsonc parseTree', run: () => jsonc.parseTree(text, []) },
        { name: 'JSON language service', run: () => jsonLanguageServiceDiagnostics(text) },
      ];
      // The slow general-purpose parsers get fewer runs on big files, to keep the bench short.
      const slowRuns = log.sizeMiB >= 50 ? 1 : log.sizeMiB >= 20 ? 3 : runs;
      const timings = await timeCandidates(candidates, {
        runs,
        warmup,
        maxRunsOf: { 'jsonc parseTree': slowRuns, 'JSON language service': slowRuns },
      });
      const jsonParse = defined(timings.get('JSON.parse'));
      const languageService = defined(timings.get('JSON language service'));
      for (const [name, key] of [
        ['JSON.parse', 'json-parse'],
        ['model', 'model'],
        ['model without rules', 'model-without-rules'],
      ] as const) {
        context.figures.set(`${key}/${log.sizeMiB}/${log.layout}`, defined(timings.get(name)).median);
        context.figures.set(`${key}-cpu/${log.sizeMiB}/${log.layout}`, defined(timings.get(name)).cpu);
      }
      for (const candidate of candidates) {
        const timing = defined(timings.get(candidate.name));
        rows.push([
          candidate === candidates[0] ? logLabel(log) : '',
          candidate.name,
          ms(timing.median),
          ms(timing.min),
          ms(timing.cpu),
          String(timing.runs),
          ratio(timing.cpu / jsonParse.cpu),
          ratio(timing.cpu / languageService.cpu),
          ratio(timing.median / jsonParse.median),
        ]);
      }
      rows.push(['', `(${expected} records; problems: model ${problems.length}, JSON LS ${lsProblems})`]);
    }
    report.table(['log', 'candidate', 'wall', 'wall min', 'CPU', 'runs', 'CPU vs JSON.parse', 'CPU vs JSON LS', 'wall vs JSON.parse'], rows);
    for (const log of context.logs.filter((l) => l.sizeMiB === OPEN_TARGET_SIZE_MIB)) {
      const figure = (key: string): number => defined(context.figures.get(`${key}/${log.sizeMiB}/${log.layout}`));
      const limit = `<= ${OPEN_TARGET_RATIO.toFixed(1)}x JSON.parse`;
      for (const [label, key] of [
        ['rules on', 'model'],
        ['rules off', 'model-without-rules'],
      ] as const) {
        const byCpu = figure(`${key}-cpu`) / figure('json-parse-cpu');
        const byWall = figure(key) / figure('json-parse');
        report.verdict(
          `${log.sizeMiB}MB ${log.layout} open to diagnostics, ${label}, ${limit}`,
          `${ratio(byCpu)} (CPU time; wall ${ratio(byWall)})`,
          byCpu <= OPEN_TARGET_RATIO,
        );
      }
    }
  },
};

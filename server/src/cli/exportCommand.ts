/**
 * `cloudtrail-explorer export`: the events of logs, filtered as the Events view filters them and
 * cut to a time range, written as CSV, JSON Lines or a timeline CSV, oldest first.
 */
import { CloudTrailDocument, EventFilter, parseCloudTrail, timeRangeOf } from '../model';
import { EXPORT_FORMATS, ExportEvent, ExportFormat, exportHeader, exportLines, findingTitles, selectDocumentEvents } from '../model/timeline';
import * as path from 'node:path';
import { findLogFiles } from '../model/folderIndex';
import { loadDetectionRules } from './detect';
import { CliEnvironment, DEFAULT_MAX_DECOMPRESSED_MB, EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE, loadFile, printable } from './run';

const HELP = `Usage: cloudtrail-explorer export [options] <file or folder>...

Writes the events of CloudTrail logs to standard output, oldest first, in one of these formats:
  csv            the usual CloudTrail fields, one event per row
  jsonl          each whole record as one line of JSON
  timeline-csv   time, identity, source_ip, region, action, result, error, finding, file, record

Options:
  --format csv|jsonl|timeline-csv   the format (default timeline-csv)
  --from TIME        only events at or after TIME (ISO 8601, e.g. 2024-05-01T10:00:00Z)
  --to TIME          only events before TIME
  --filter TEXT      only events with TEXT in one of their values ("TEXT" in quotes: a whole value)
  --service NAME     only events of this service (iam or iam.amazonaws.com)
  --errors-only      only failed calls (with an errorCode)
  --writes-only      only events that change something (readOnly is not true)
  --rules DIR        also run the Sigma rules in DIR (a folder or one .yml file) for the
                     finding column; may be given more than once
  --no-default-rules leave out the bundled Sigma rules
  --no-findings      run no rules: the finding column stays empty
  -h, --help         show this help

The finding column (timeline-csv) names the Sigma rules each event matched, by title.
CSV cells that a spreadsheet would run as a formula get a leading apostrophe.
Exit status: 0 when every file was read, 1 when a file could not be read (the others are
still written), 2 when the command line is wrong or no log file was found.
`;

interface ExportOptions {
  format: ExportFormat;
  filter: EventFilter;
  inputs: string[];
  findings: boolean;
  defaultRules: boolean;
  ruleFolders: string[];
}

type Parsed = { kind: 'help' } | { kind: 'usage'; message: string } | { kind: 'run'; options: ExportOptions };

export function parseExportArguments(argv: readonly string[]): Parsed {
  const options: ExportOptions = { format: 'timeline-csv', filter: {}, inputs: [], findings: true, defaultRules: true, ruleFolders: [] };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--') {
      options.inputs.push(...argv.slice(i + 1));
      break;
    }
    if (!argument.startsWith('-') || argument === '-') {
      options.inputs.push(argument);
      continue;
    }
    const equals = argument.indexOf('=');
    const name = equals >= 0 ? argument.slice(0, equals) : argument;
    const inline = equals >= 0 ? argument.slice(equals + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    switch (name) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--format': {
        const format = value();
        if (!EXPORT_FORMATS.includes(format as ExportFormat)) return { kind: 'usage', message: `--format must be one of ${EXPORT_FORMATS.join(', ')}.` };
        options.format = format as ExportFormat;
        break;
      }
      case '--from':
      case '--to': {
        const time = value();
        const key = name === '--from' ? 'from' : 'to';
        if (time === undefined || !timeRangeOf({ [key]: time })) return { kind: 'usage', message: `${name} needs a time such as 2024-05-01T10:00:00Z.` };
        options.filter[key] = time;
        break;
      }
      case '--filter':
      case '--service': {
        const text = value();
        if (text === undefined || text.trim() === '') return { kind: 'usage', message: `${name} needs a value.` };
        if (name === '--filter') options.filter.text = text;
        else options.filter.service = text;
        break;
      }
      case '--errors-only':
        options.filter.errorsOnly = true;
        break;
      case '--writes-only':
        options.filter.writesOnly = true;
        break;
      case '--rules': {
        const folder = value();
        if (folder === undefined || folder === '') return { kind: 'usage', message: '--rules needs a folder or a rule file.' };
        options.ruleFolders.push(folder);
        break;
      }
      case '--no-default-rules':
        options.defaultRules = false;
        break;
      case '--no-findings':
        options.findings = false;
        break;
      default:
        return { kind: 'usage', message: `Unknown option ${printable(argument)}.` };
    }
  }
  if (options.inputs.length === 0) return { kind: 'usage', message: 'Name at least one file or folder to export.' };
  return { kind: 'run', options };
}

export async function runExport(env: CliEnvironment): Promise<number> {
  const parsed = parseExportArguments(env.argv);
  if (parsed.kind === 'help') {
    env.stdout(HELP);
    return EXIT_CLEAN;
  }
  if (parsed.kind === 'usage') {
    env.stderr(`cloudtrail-explorer export: ${parsed.message}\nRun cloudtrail-explorer export --help for the options.\n`);
    return EXIT_USAGE;
  }
  const { options } = parsed;
  const loadedRules = options.findings ? await loadDetectionRules(env, options.defaultRules, options.ruleFolders) : undefined;
  if (loadedRules && 'problem' in loadedRules) {
    env.stderr(`cloudtrail-explorer export: ${loadedRules.problem}\n`);
    return EXIT_USAGE;
  }
  const rules = loadedRules?.rules;
  const { files, missing, problems } = await findLogFiles(options.inputs, { cwd: env.cwd });
  let failed = missing.length > 0;
  for (const input of missing) env.stderr(`cloudtrail-explorer export: ${printable(input)}: no such file or folder.\n`);
  for (const problem of problems) env.stderr(`${printable(problem.path)}: ${printable(problem.message)}\n`);
  if (files.length === 0 && missing.length === 0) {
    env.stderr(`cloudtrail-explorer export: no .json or .gz file found in ${options.inputs.map((input) => printable(input)).join(', ')}.\n`);
    return EXIT_USAGE;
  }
  // Every file is read first, so that the events of all of them come out in one time order.
  const documents: CloudTrailDocument[] = [];
  const names: string[] = [];
  for (const file of files) {
    const loaded = await loadFile(path.resolve(env.cwd, file), DEFAULT_MAX_DECOMPRESSED_MB * 1024 * 1024);
    if ('problem' in loaded) {
      env.stderr(`${printable(file)}: ${printable(loaded.problem.message)}\n`);
      failed = true;
      continue;
    }
    if ('indexed' in loaded) {
      env.stderr(`${printable(file)}: too large to export whole; export it in parts.\n`);
      failed = true;
      continue;
    }
    documents.push(parseCloudTrail(loaded.text));
    names.push(file);
  }
  const titles = documents.map((document) => (rules ? findingTitles(rules, rules.detectDocument(document)) : undefined));
  const events: ExportEvent[] = selectDocumentEvents(documents, { filter: options.filter }).map((event) => {
    const findings = titles[event.documentIndex]?.get(event.record.index);
    return { record: event.record, file: names[event.documentIndex], ...(findings ? { findings } : {}) };
  });
  env.stdout(exportHeader(options.format));
  // Written in slices, so that a large export never builds one huge string.
  const SLICE = 5_000;
  for (let start = 0; start < events.length; start += SLICE) {
    env.stdout(exportLines(options.format, events.slice(start, start + SLICE)));
  }
  return failed ? EXIT_ERRORS : EXIT_CLEAN;
}

/**
 * `cloudtrail-explorer detect`: runs Sigma rules over CloudTrail files and folders, the same engine
 * as the editor, and prints each finding as `file:line:col: level rule-id title`, as JSON, or as
 * SARIF 2.1.0 for code-scanning tools. Exits 3 when anything was found.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineIndex, parseCloudTrail } from '../model';
import { cloudTrailEventCatalog, Finding, findingAnchor, RuleFileInput, RuleLevel, RuleSet } from '../model/detections';
import { bundledRulesDirectory } from '../model/detections/ruleFiles';
import { nodeFileSystem } from './nodeFileSystem';
import { CliEnvironment, CliFileSystem, listLogFiles, escapeInvisibles, EXIT_CLEAN, EXIT_USAGE, loadLogText, position, printable, walkArguments } from './run';

export const EXIT_FINDINGS = 3;

const HELP = `Usage: cloudtrail-explorer detect [options] <file or folder>...

Runs Sigma rules over AWS CloudTrail logs (the same files as the checker reads: .json,
.json.gz, lookup-events output, one event per line; folders are searched recursively).
The SigmaHQ CloudTrail rules that ship with CloudTrail Explorer run unless told otherwise.

Each finding is printed as
  file:line:column: level rule-id title
where the position is the event's eventName and level is the rule's level.

Options:
  --rules DIR                 also run the Sigma rules (.yml, .yaml) in DIR and its subfolders;
                              may be given several times
  --no-default-rules          do not run the bundled rules (only those of --rules)
  --format text|json|sarif    text (default), one JSON document, or SARIF 2.1.0
  --no-summary                print the findings only (text)
  -h, --help                  show this help

JSON output: { "files": [ { "path", "findings": [ { "record", "eventID", "eventName",
"ruleId", "title", "level" } ] } ] }, where record is the event's position in its file
from 0 (in lookup-events output, its position in Events).

Exit status: 0 when no rule matched, 3 when at least one did, 2 when the command line is
wrong, a rule folder does not exist or no log file was found. Mistakes in rule files are
printed on standard error; the other rules still run.
`;

type Format = 'text' | 'json' | 'sarif';

interface DetectOptions {
  format: Format;
  summary: boolean;
  ruleFolders: string[];
  defaultRules: boolean;
  inputs: string[];
}

type Parsed = { kind: 'run'; options: DetectOptions } | { kind: 'help' } | { kind: 'usage'; message: string };

export function parseDetectArguments(argv: readonly string[]): Parsed {
  const options: DetectOptions = { format: 'text', summary: true, ruleFolders: [], defaultRules: true, inputs: [] };
  const stopped = walkArguments<Parsed>(
    argv,
    (input) => options.inputs.push(input),
    (name, _inline, value, argument) => {
      switch (name) {
        case '-h':
        case '--help':
          return { kind: 'help' };
        case '--no-default-rules':
          options.defaultRules = false;
          break;
        case '--no-summary':
          options.summary = false;
          break;
        case '--rules': {
          const folder = value();
          if (folder === undefined || folder === '') return { kind: 'usage', message: '--rules needs a folder of rule files.' };
          options.ruleFolders.push(folder);
          break;
        }
        case '--format': {
          const format = value();
          if (format !== 'text' && format !== 'json' && format !== 'sarif') return { kind: 'usage', message: '--format must be text, json or sarif.' };
          options.format = format;
          break;
        }
        default:
          return { kind: 'usage', message: `Unknown option ${printable(argument)}.` };
      }
      return undefined;
    },
  );
  if (stopped) return stopped;
  if (options.inputs.length === 0) return { kind: 'usage', message: 'Name at least one file or folder to search.' };
  if (!options.defaultRules && options.ruleFolders.length === 0)
    return { kind: 'usage', message: '--no-default-rules leaves no rule to run: add --rules DIR.' };
  return { kind: 'run', options };
}

const RULE_FILE = /\.ya?ml$/i;

/** The rule files of a folder (or one file), read through the command line's file system. */
async function readRules(fs: CliFileSystem, target: string, origin: 'bundled' | 'user'): Promise<RuleFileInput[] | undefined> {
  const kind = await fs.stat(target);
  if (kind === undefined) return undefined;
  const files: string[] = [];
  if (kind === 'file') {
    files.push(target);
  } else {
    const walk = async (folder: string): Promise<void> => {
      const entries = await fs.readDirectory(folder);
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const full = path.join(folder, entry.name);
        if (entry.kind === 'directory') await walk(full);
        else if (entry.kind === 'file' && RULE_FILE.test(entry.name)) files.push(full);
      }
    };
    await walk(target);
  }
  const inputs: RuleFileInput[] = [];
  for (const file of files) {
    inputs.push({ path: file, text: new TextDecoder().decode(await fs.readFile(file)), origin });
  }
  return inputs;
}

interface FileFindings {
  path: string;
  findings: { finding: Finding; line: number; column: number; eventID?: string; eventName?: string }[];
}

export async function runDetect(env: CliEnvironment): Promise<number> {
  const parsed = parseDetectArguments(env.argv);
  if (parsed.kind === 'help') {
    env.stdout(HELP);
    return EXIT_CLEAN;
  }
  if (parsed.kind === 'usage') {
    env.stderr(`cloudtrail-explorer detect: ${parsed.message}\nRun cloudtrail-explorer detect --help for the options.\n`);
    return EXIT_USAGE;
  }
  const options = parsed.options;
  const loadedRules = await loadDetectionRules(env, options.defaultRules, options.ruleFolders);
  if ('problem' in loadedRules) {
    env.stderr(`cloudtrail-explorer detect: ${loadedRules.problem}\n`);
    return EXIT_USAGE;
  }
  const { rules, inputs } = loadedRules;
  const texts = new Map(inputs.map((input) => [input.path, input.text]));
  for (const file of rules.files) {
    if (file.origin === 'bundled') continue;
    const lines = new LineIndex(texts.get(file.path) ?? '');
    for (const problem of file.problems) {
      const at = position(lines, problem.span.start);
      env.stderr(`${printable(file.path)}:${String(at.line)}:${String(at.column)}: ${problem.severity} ${problem.code} ${printable(problem.message)}\n`);
    }
  }

  const { files, missing } = await listLogFiles(env, options.inputs, 'detect');
  for (const input of missing) env.stderr(`cloudtrail-explorer detect: no such file or folder ${printable(input)}.\n`);
  if (files.length === 0) {
    env.stderr(`cloudtrail-explorer detect: no .json or .gz file found in ${options.inputs.map(printable).join(', ')}.\n`);
    return EXIT_USAGE;
  }
  const results: FileFindings[] = [];
  let total = 0;
  for (const file of files) {
    const loaded = await loadLogText(env, file);
    if ('problem' in loaded) {
      env.stderr(`${printable(file)}:1:1: error ${loaded.problem.code} ${printable(loaded.problem.message)}\n`);
      continue;
    }
    const model = parseCloudTrail(loaded.text, { maxProblems: 16 });
    const lines = new LineIndex(loaded.text);
    const findings = rules.detectDocument(model).map((finding) => {
      const record = model.records[finding.record];
      const at = position(lines, findingAnchor(record, model).start);
      return { finding, ...at, eventID: record.summary.eventID, eventName: record.summary.eventName };
    });
    total += findings.length;
    results.push({ path: file, findings });
  }
  const output =
    options.format === 'json'
      ? jsonOutput(results, rules)
      : options.format === 'sarif'
        ? sarifOutput(results, rules, env.version)
        : textOutput(results, rules, options.summary);
  env.stdout(output);
  return total > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

function textOutput(results: readonly FileFindings[], rules: RuleSet, summary: boolean): string {
  let out = '';
  const byRule = new Map<number, number>();
  for (const file of results) {
    const name = printable(file.path);
    for (const { finding, line, column } of file.findings) {
      const metadata = rules.rules[finding.rule].metadata;
      out += `${name}:${String(line)}:${String(column)}: ${metadata.level} ${printable(metadata.id)} ${printable(metadata.title)}\n`;
      byRule.set(finding.rule, (byRule.get(finding.rule) ?? 0) + 1);
    }
  }
  if (summary) {
    const count = [...byRule.values()].reduce((sum, n) => sum + n, 0);
    out += `\n${String(count)} finding${count === 1 ? '' : 's'} in ${String(results.length)} file${results.length === 1 ? '' : 's'}, by rule:\n`;
    const rows = [...byRule.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    for (const [rule, n] of rows) {
      const metadata = rules.rules[rule].metadata;
      out += `  ${String(n).padStart(5)}  ${metadata.level.padEnd(13)} ${printable(metadata.title)} (${printable(metadata.author ?? 'unknown author')})\n`;
    }
  }
  return out;
}

function jsonOutput(results: readonly FileFindings[], rules: RuleSet): string {
  const files = results.map((file) => ({
    path: file.path,
    findings: file.findings.map(({ finding, eventID, eventName, line, column }) => {
      const metadata = rules.rules[finding.rule].metadata;
      return {
        record: finding.record,
        eventID: eventID ?? null,
        eventName: eventName ?? null,
        ruleId: metadata.id,
        title: metadata.title,
        level: metadata.level,
        author: metadata.author ?? null,
        line,
        column,
        ...(finding.related ? { related: finding.related } : {}),
      };
    }),
  }));
  return `${escapeInvisibles(JSON.stringify({ files }, null, 2))}\n`;
}

const SARIF_LEVELS: Record<RuleLevel, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'warning',
  medium: 'warning',
  low: 'note',
  informational: 'note',
};

function sarifOutput(results: readonly FileFindings[], rules: RuleSet, version: string): string {
  const used = [...new Set(results.flatMap((file) => file.findings.map(({ finding }) => finding.rule)))].sort((a, b) => a - b);
  const ruleIndex = new Map(used.map((rule, index) => [rule, index]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'CloudTrail Explorer',
            version,
            rules: used.map((rule) => {
              const metadata = rules.rules[rule].metadata;
              return {
                id: metadata.id,
                shortDescription: { text: metadata.title },
                ...(metadata.description ? { fullDescription: { text: metadata.description } } : {}),
                ...(metadata.references[0] ? { helpUri: metadata.references[0] } : {}),
                defaultConfiguration: { level: SARIF_LEVELS[metadata.level] },
                properties: { tags: metadata.tags, level: metadata.level, author: metadata.author ?? null, falsePositives: metadata.falsepositives },
              };
            }),
          },
        },
        artifacts: results.map((file) => ({ location: { uri: sarifUri(file.path) } })),
        results: results.flatMap((file, artifactIndex) =>
          file.findings.map(({ finding, line, column, eventID }) => {
            const metadata = rules.rules[finding.rule].metadata;
            return {
              ruleId: metadata.id,
              ruleIndex: ruleIndex.get(finding.rule) ?? 0,
              level: SARIF_LEVELS[metadata.level],
              message: { text: `${metadata.title} (Sigma rule by ${metadata.author ?? 'an unknown author'})` },
              locations: [
                {
                  physicalLocation: { artifactLocation: { uri: sarifUri(file.path), index: artifactIndex }, region: { startLine: line, startColumn: column } },
                },
              ],
              properties: { record: finding.record, ...(eventID !== undefined ? { eventID } : {}) },
            };
          }),
        ),
      },
    ],
  };
  return `${escapeInvisibles(JSON.stringify(sarif, null, 2))}\n`;
}

/** A relative path as a URI reference (forward slashes, each segment escaped). */
function sarifUri(file: string): string {
  return path.isAbsolute(file) ? pathToFileURL(file).href : file.split(path.sep).map(encodeURIComponent).join('/');
}

/** The bundled rules (unless left out) and those of the named folders or files, compiled once. */
export async function loadDetectionRules(
  env: CliEnvironment,
  defaultRules: boolean,
  ruleFolders: readonly string[],
): Promise<{ rules: RuleSet; inputs: RuleFileInput[] } | { problem: string }> {
  const inputs: RuleFileInput[] = [];
  if (defaultRules) {
    const bundledRules = env.bundledRules ?? bundledRulesDirectory();
    const bundled = await readRules(nodeFileSystem, bundledRules, 'bundled');
    if (!bundled) return { problem: `the bundled rules are missing (${printable(bundledRules)}).` };
    inputs.push(...bundled);
  }
  for (const folder of ruleFolders) {
    const found = await readRules(nodeFileSystem, folder, 'user');
    if (!found) return { problem: `no rule folder or file ${printable(folder)}.` };
    inputs.push(...found);
  }
  return { rules: RuleSet.load(inputs, { catalog: cloudTrailEventCatalog }), inputs };
}

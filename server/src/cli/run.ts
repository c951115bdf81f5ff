/**
 * The command line: checks CloudTrail files and folders with the same model as the editor, prints
 * every problem as `file:line:col: severity code message`, then a summary of who did what.
 *
 * Everything outside the process (arguments, files, output) comes in through `CliEnvironment`,
 * so tests run the whole command in-process with a fake file system.
 */
import * as path from 'node:path';
import { runDetect } from './detect';
import { runExport } from './exportCommand';
import { runComparePolicyCommand } from './comparePolicy';
import { runPolicyCommand } from './policy';
import { DEFAULT_VISIBLE_LENGTH, jsonWithVisibleEscapes, visibleText } from '../model/text/visibleText';
import { CloudTrailDocument, LineIndex, NO_EVENT_NAME, parseCloudTrail, Problem, Severity, validateDocument } from '../model';
import { ATTACK_CATALOGUE_ATTRIBUTION, ATTACK_CATALOGUE_CREDIT, AttackId, attackEntry } from '../model/detections/attackCatalogue';
import { EVENT_ACCESS_LEVELS, NO_IAM_PERMISSION, NOT_KNOWN, resolveIamActions, strongestAccessLevel } from '../model/iam';
import { runTrace } from './trace';
import { IdentitySummary, NO_IDENTITY } from '../model/identity';
import {
  ABSENT,
  decompressedTooLarge,
  FileIndexResult,
  findLogFiles,
  formatMegabytes,
  indexLogFile,
  readLogContent,
  TEXT_FIELD_COUNT,
  TextField,
} from '../model/folderIndex';

export type EntryKind = 'file' | 'directory' | 'link' | 'other';

/** The file-system calls the subcommands that read files through `collectFilesFrom` need. */
export interface CliFileSystem {
  /** What is at `target`, following symbolic links; undefined when nothing is there. */
  stat(target: string): Promise<EntryKind | undefined>;
  /** The entries of a folder; a symbolic link is reported as 'link', not followed. */
  readDirectory(folder: string): Promise<{ name: string; kind: EntryKind }[]>;
  readFile(file: string): Promise<Uint8Array>;
}

export interface CliEnvironment {
  /** The arguments after the program name. */
  argv: readonly string[];
  /** The folder that relative paths in `argv` start from. */
  cwd: string;
  /** Content size above which a file is streamed rather than parsed whole (default WHOLE_CONTENT_BYTES). */
  wholeContentBytes?: number;
  stdout(text: string): void;
  stderr(text: string): void;
  version: string;
  /** The folder of the bundled Sigma rules (default: beside the code, or in the source tree). */
  bundledRules?: string;
}

export const EXIT_CLEAN = 0;
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;

/** Codes of the problems the command line finds itself, before the model sees the text. */
export const FileCode = {
  unreadable: 'file-unreadable',
  corruptGzip: 'file-corrupt-gzip',
  invalidUtf8: 'file-invalid-utf8',
  tooLarge: 'file-too-large',
  notChecked: 'file-not-checked',
  tooManyProblems: 'too-many-problems',
} as const;

const DEFAULT_MAX_PROBLEMS = 1000;
export const DEFAULT_MAX_DECOMPRESSED_MB = 1024;
/**
 * Files whose content is larger than this are not parsed whole (a document model of a file this
 * large takes several times its size): their events are read by the folder index's streaming
 * reader, counted and summarised, without the record-by-record checks.
 */
const WHOLE_CONTENT_BYTES = 128 * 1024 * 1024;
const DEFAULT_TOP = 25;
const NO_EVENT_SOURCE = '(no event source)';

const HELP = `Usage: cloudtrail-explorer [options] <file or folder>...
       cloudtrail-explorer detect [options] <file or folder>...   (Sigma rules; see detect --help)
       cloudtrail-explorer export [options] <file or folder>...   (see export --help)
       cloudtrail-explorer policy <file or folder>... [--identity KEY] [--include-failed]
       cloudtrail-explorer compare-policy <policy.json> <file or folder>... [--identity KEY] [--format text|json]

Checks AWS CloudTrail log files: delivered logs (.json or .json.gz), console downloads,
aws cloudtrail lookup-events output, EventBridge events and one-event-per-line files.
Folders are searched recursively for *.json, *.jsonl, *.ndjson and *.gz files (links
to folders are not followed, named pipes and devices are never opened); a file named
on the command line is read whatever its extension.

Every problem is printed as
  file:line:column: severity code message
followed by a summary: files, records, problems, events by IAM access level, by action
and by identity, and the events attackers are known to use, with their ATT&CK tactics
(from TrailDiscover by Adan Alvarez, CC BY 4.0, github.com/adanalvarez/TrailDiscover).

Options:
  --format text|json   text (default) or one JSON document on standard output
  --no-summary         print the problems only
  --max-problems N     print at most N problems per file (default ${DEFAULT_MAX_PROBLEMS}); all are counted
  --top N              rows in each summary table (default ${DEFAULT_TOP}; 0 shows all)
  --max-decompressed-mb N
                       stop reading a .gz file past N MB of content (default ${DEFAULT_MAX_DECOMPRESSED_MB})
  -h, --help           show this help
  -v, --version        show the version

  cloudtrail-explorer trace --help   follow a key, session or resource through the logs
policy prints the least-privilege IAM policy the events needed; compare-policy compares
a policy document with them (policy --help, compare-policy --help).

Exit status: 0 when no errors were found (warnings allowed), 1 when errors were found,
2 when the command line is wrong or no log file was found.
`;

interface Options {
  format: 'text' | 'json';
  summary: boolean;
  maxProblems: number;
  top: number;
  maxDecompressedMB: number;
  inputs: string[];
}

type Parsed = { kind: 'run'; options: Options } | { kind: 'help' } | { kind: 'version' } | { kind: 'usage'; message: string };

/**
 * Walks command-line arguments: words (and `-`) are inputs, everything after `--` too; an option
 * is `--name value` or `--name=value`. `option` is given the name, the value written after `=`
 * (if any) and a way to take the value; whatever it returns other than undefined stops the walk
 * and is returned.
 */
export function walkArguments<T>(
  argv: readonly string[],
  input: (value: string) => void,
  option: (name: string, inlineValue: string | undefined, takeValue: () => string | undefined, argument: string) => T | undefined,
): T | undefined {
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--') {
      argv.slice(i + 1).forEach(input);
      break;
    }
    if (!argument.startsWith('-') || argument === '-') {
      input(argument);
      continue;
    }
    const equals = argument.indexOf('=');
    const name = equals >= 0 ? argument.slice(0, equals) : argument;
    const inlineValue = equals >= 0 ? argument.slice(equals + 1) : undefined;
    const takeValue = (): string | undefined => {
      if (inlineValue !== undefined) return inlineValue;
      i++;
      return argv[i];
    };
    const stop = option(name, inlineValue, takeValue, argument);
    if (stop !== undefined) return stop;
  }
  return undefined;
}

export function parseArguments(argv: readonly string[]): Parsed {
  const options: Options = {
    format: 'text',
    summary: true,
    maxProblems: DEFAULT_MAX_PROBLEMS,
    top: DEFAULT_TOP,
    maxDecompressedMB: DEFAULT_MAX_DECOMPRESSED_MB,
    inputs: [],
  };
  const stopped = walkArguments<Parsed>(
    argv,
    (input) => options.inputs.push(input),
    (name, inlineValue, takeValue, argument) => {
      switch (name) {
        case '-h':
        case '--help':
          return { kind: 'help' };
        case '-v':
        case '--version':
          return { kind: 'version' };
        case '--no-summary':
          if (inlineValue !== undefined) return { kind: 'usage', message: '--no-summary takes no value.' };
          options.summary = false;
          return undefined;
        case '--format': {
          const value = takeValue();
          if (value !== 'text' && value !== 'json') return { kind: 'usage', message: '--format must be text or json.' };
          options.format = value;
          return undefined;
        }
        case '--max-decompressed-mb': {
          const value = takeValue();
          if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) {
            return { kind: 'usage', message: `${name} needs a whole number of at least 1.` };
          }
          options.maxDecompressedMB = Number(value);
          return undefined;
        }
        case '--max-problems':
        case '--top': {
          const value = takeValue();
          const minimum = name === '--top' ? 0 : 1;
          if (value === undefined || !/^\d+$/.test(value) || Number(value) < minimum) {
            return { kind: 'usage', message: `${name} needs a whole number${minimum > 0 ? ' of at least 1' : ''}.` };
          }
          if (name === '--top') options.top = Number(value);
          else options.maxProblems = Number(value);
          return undefined;
        }
        default:
          return { kind: 'usage', message: `Unknown option ${printable(argument)}.` };
      }
    },
  );
  if (stopped) {
    return stopped;
  }
  if (options.inputs.length === 0) {
    return { kind: 'usage', message: 'Name at least one file or folder to check.' };
  }
  return { kind: 'run', options };
}

/** Runs the command line; resolves to the exit code. */
export async function runCli(env: CliEnvironment): Promise<number> {
  if (env.argv[0] === 'detect') return runDetect({ ...env, argv: env.argv.slice(1) });
  if (env.argv[0] === 'export') return runExport({ ...env, argv: env.argv.slice(1) });
  if (env.argv[0] === 'trace') return runTrace({ ...env, argv: env.argv.slice(1) });
  if (env.argv[0] === 'policy') return runPolicyCommand(env, env.argv.slice(1));
  if (env.argv[0] === 'compare-policy') return runComparePolicyCommand(env, env.argv.slice(1));
  const parsed = parseArguments(env.argv);
  switch (parsed.kind) {
    case 'help':
      env.stdout(HELP);
      return EXIT_CLEAN;
    case 'version':
      env.stdout(`${env.version}\n`);
      return EXIT_CLEAN;
    case 'usage':
      env.stderr(`cloudtrail-explorer: ${parsed.message}\nRun cloudtrail-explorer --help for the options.\n`);
      return EXIT_USAGE;
  }
  const options = parsed.options;
  const report = options.format === 'json' ? new JsonReport(env, options) : new TextReport(env, options);
  const totals = new Totals();

  const listing = await findLogFiles(options.inputs, { cwd: env.cwd });
  for (const input of listing.missing) {
    report.fileProblem(input, { line: 1, column: 1 }, 'error', FileCode.unreadable, 'No such file or folder.');
    totals.countProblem('error');
  }
  for (const problem of listing.problems) {
    report.fileProblem(problem.path, { line: 1, column: 1 }, 'warning', FileCode.unreadable, problem.message);
    totals.countProblem('warning');
  }
  totals.skipped = listing.skipped;
  if (listing.files.length === 0 && listing.missing.length === 0 && listing.problems.length === 0) {
    env.stderr(`cloudtrail-explorer: no .json or .gz file found in ${options.inputs.map((input) => printable(input)).join(', ')}.\n`);
    return EXIT_USAGE;
  }

  const maxDecompressedBytes = options.maxDecompressedMB * 1024 * 1024;
  const wholeContentBytes = env.wholeContentBytes ?? WHOLE_CONTENT_BYTES;
  for (const file of listing.files) {
    const loaded = await loadFile(path.resolve(env.cwd, file), maxDecompressedBytes, wholeContentBytes);
    if ('problem' in loaded) {
      report.fileProblem(file, { line: 1, column: 1 }, 'error', loaded.problem.code, loaded.problem.message);
      totals.countProblem('error');
      continue;
    }
    if ('indexed' in loaded) {
      checkLargeFile(file, loaded.indexed, { maxDecompressedBytes, wholeContentBytes }, report, totals);
      continue;
    }
    const { text, encodingProblem } = loaded;
    const document = parseCloudTrail(text, { maxProblems: Number.MAX_SAFE_INTEGER });
    const problems = validateDocument(document, { maxProblems: Number.MAX_SAFE_INTEGER });
    const lines = new LineIndex(text);
    const located: LocatedProblem[] = [];
    if (encodingProblem) {
      located.push({ ...position(lines, encodingProblem.offset), severity: 'error', code: FileCode.invalidUtf8, message: encodingProblem.message });
    }
    for (const problem of problems) {
      located.push(locate(lines, problem));
    }
    for (const problem of located) {
      totals.countProblem(problem.severity);
    }
    totals.countDocument(document);
    report.file(file, document, located);
  }
  report.finish(totals);
  return totals.errors > 0 ? EXIT_ERRORS : EXIT_CLEAN;
}

// --- reading files ---------------------------------------------------------------------------

interface FileProblem {
  code: string;
  message: string;
}

export type Loaded =
  | { text: string; encodingProblem?: { offset: number; message: string } }
  | { problem: FileProblem }
  /** Too large to parse whole: its events, read by the folder index's streaming reader. */
  | { indexed: FileIndexResult };

/**
 * Reads, decompresses and decodes one file with the folder index's reader and limits; a file
 * that cannot be read becomes one problem, a file too large to hold whole is streamed instead.
 */
/**
 * The files below `inputs` and a reader of each one's whole text, with the limits the folder index
 * uses: for the subcommands that need every record (detect, trace, policy).
 */
export async function listLogFiles(env: CliEnvironment, inputs: readonly string[], command: string): Promise<{ files: string[]; missing: string[] }> {
  const listing = await findLogFiles(inputs, { cwd: env.cwd });
  for (const problem of listing.problems) env.stderr(`cloudtrail-explorer ${command}: ${printable(problem.path)}: ${printable(problem.message)}\n`);
  return { files: listing.files, missing: listing.missing };
}

/** A log's whole text; a file over the text limit is a problem here, since these commands read every record. */
export async function loadLogText(
  env: CliEnvironment,
  file: string,
): Promise<{ text: string; encodingProblem?: { offset: number; message: string } } | { problem: FileProblem }> {
  const loaded = await loadFile(path.resolve(env.cwd, file), DEFAULT_MAX_DECOMPRESSED_MB * 1024 * 1024, env.wholeContentBytes ?? WHOLE_CONTENT_BYTES);
  if ('indexed' in loaded) {
    return {
      problem: {
        code: FileCode.tooLarge,
        message: `${path.basename(file)} holds more than ${formatMegabytes(env.wholeContentBytes ?? WHOLE_CONTENT_BYTES)} of text, more than this command reads at once.`,
      },
    };
  }
  return loaded;
}

export async function loadFile(file: string, maxDecompressedBytes: number, wholeContentBytes: number = WHOLE_CONTENT_BYTES): Promise<Loaded> {
  const content = await readLogContent(file, { maxDecompressedBytes, maxContentBytes: wholeContentBytes });
  switch (content.status) {
    case 'unreadable':
      return { problem: { code: FileCode.unreadable, message: content.message } };
    case 'damaged':
      return { problem: { code: content.compressed ? FileCode.corruptGzip : FileCode.unreadable, message: content.message } };
    case 'tooLarge':
      return { problem: { code: FileCode.tooLarge, message: content.message } };
    case 'overContentLimit':
      return { indexed: await indexLogFile(file, { maxDecompressedBytes }) };
    case 'read':
      if (!content.compressed && /\.gz$/i.test(file)) {
        return { problem: { code: FileCode.corruptGzip, message: `${path.basename(file)} is named .gz but is not gzip data.` } };
      }
      try {
        return decodeUtf8(content.bytes);
      } catch (error) {
        // A string longer than the JavaScript engine allows, for instance.
        return { problem: { code: FileCode.unreadable, message: `${path.basename(file)} could not be read as text: ${errorText(error)}.` } };
      }
  }
}

/** A file read by the streaming reader: its events are counted, and it says it was not checked record by record. */
function checkLargeFile(
  file: string,
  indexed: FileIndexResult,
  limits: { maxDecompressedBytes: number; wholeContentBytes: number },
  report: Report,
  totals: Totals,
): void {
  const name = path.basename(file);
  if (indexed.status === 'tooLarge' && indexed.compressed) {
    report.fileProblem(file, { line: 1, column: 1 }, 'error', FileCode.tooLarge, decompressedTooLarge(name, limits.maxDecompressedBytes));
    totals.countProblem('error');
    return;
  }
  if (indexed.status === 'unreadable' || indexed.status === 'tooLarge') {
    report.fileProblem(
      file,
      { line: 1, column: 1 },
      'error',
      indexed.status === 'tooLarge' ? FileCode.tooLarge : FileCode.unreadable,
      indexed.message ?? `${name} could not be read.`,
    );
    totals.countProblem('error');
    return;
  }
  if (indexed.status === 'notCloudTrail') {
    report.fileProblem(file, { line: 1, column: 1 }, 'warning', FileCode.notChecked, indexed.message ?? `${name} is not a CloudTrail log.`);
    totals.countProblem('warning');
    return;
  }
  const severity: Severity = indexed.status === 'damaged' ? 'error' : 'info';
  const events = indexed.entries.count;
  const message =
    indexed.status === 'damaged'
      ? (indexed.message ?? `${name} is damaged.`)
      : `${name} holds more than ${formatMegabytes(limits.wholeContentBytes)} of text: its ${String(events)} events are counted below, but its records are not checked one by one.`;
  report.fileProblem(file, { line: 1, column: 1 }, severity, indexed.status === 'damaged' ? FileCode.unreadable : FileCode.notChecked, message);
  totals.countProblem(severity);
  totals.countIndexed(indexed);
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');

/** UTF-8 text; invalid bytes become U+FFFD and the first one is reported at its place in the text. */
export function decodeUtf8(bytes: Uint8Array): { text: string; encodingProblem?: { offset: number; message: string } } {
  try {
    return { text: strictDecoder.decode(bytes) };
  } catch {
    const text = lenientDecoder.decode(bytes);
    const badByte = firstInvalidUtf8(bytes);
    // The bytes before the first bad one are valid, so they decode to the same prefix of `text`.
    const offset = lenientDecoder.decode(bytes.subarray(0, badByte)).length;
    return {
      text,
      encodingProblem: {
        offset,
        message: `This file is not valid UTF-8: byte ${badByte} (0x${bytes[badByte].toString(16).padStart(2, '0')}) starts no valid character; such bytes are read as U+FFFD.`,
      },
    };
  }
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629), or bytes.length. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const length = bytes.length;
  while (i < length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0; // no overlong forms
      if (b === 0xed) high = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f; // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + need >= length) {
      return i;
    }
    const second = bytes[i + 1];
    if (second < low || second > high) {
      return i;
    }
    for (let k = 2; k <= need; k++) {
      const next = bytes[i + k];
      if (next < 0x80 || next > 0xbf) {
        return i;
      }
    }
    i += need + 1;
  }
  return length;
}

// --- problems and totals ---------------------------------------------------------------------

export interface LocatedProblem {
  line: number;
  column: number;
  severity: Severity;
  code: string;
  message: string;
}

/** 1-based line and column, as compilers print them. */
export function position(lines: LineIndex, offset: number): { line: number; column: number } {
  const { line, character } = lines.positionAt(offset);
  return { line: line + 1, column: character + 1 };
}

function locate(lines: LineIndex, problem: Problem): LocatedProblem {
  return { ...position(lines, problem.start), severity: problem.severity, code: problem.code, message: problem.message };
}

export interface ActionCount {
  eventSource: string;
  eventName: string;
  count: number;
  failed: number;
  /** The IAM actions the call needed (`iam:CreateAccessKey`); empty when none or not known. */
  iamActions: string[];
  /** The access level of those actions (the strongest of several); null when none or not known. */
  accessLevel: string | null;
  /** How the event resolved: to actions, to no permission needed, or not known. */
  iam: 'actions' | 'no-permission' | 'unknown';
}

export interface AccessLevelCount {
  accessLevel: string;
  count: number;
  failed: number;
  /** Distinct actions (eventSource and eventName) counted in this row. */
  actions: number;
}

/** An action of the logs that the attack catalogue lists. */
export interface AttackEventCount extends ActionCount {
  /** The catalogue names incidents where attackers used it (else it is known from research). */
  usedInWild: boolean;
  tactics: AttackId[];
  /** ATT&CK technique ids. */
  techniques: string[];
}

export interface IdentityCount {
  label: string;
  key: string;
  count: number;
}

class Totals {
  filesRead = 0;
  skipped = 0;
  records = 0;
  errors = 0;
  warnings = 0;
  infos = 0;
  hints = 0;
  private readonly actions = new Map<string, ActionCount>();
  private readonly identities = new Map<string, IdentityCount>();

  countProblem(severity: Severity): void {
    if (severity === 'error') this.errors++;
    else if (severity === 'warning') this.warnings++;
    else if (severity === 'info') this.infos++;
    else this.hints++;
  }

  countDocument(document: CloudTrailDocument): void {
    this.filesRead++;
    this.records += document.records.length;
    for (const record of document.records) {
      const { eventSource = NO_EVENT_SOURCE, eventName = NO_EVENT_NAME, errorCode, identity } = record.summary;
      this.count(eventSource, eventName, Boolean(errorCode), identity, record.summary.eventType);
    }
  }

  private count(eventSource: string, eventName: string, failed: boolean, identity: { key: string; label: string } | undefined, eventType?: string): void {
    const actionKey = `${eventSource}\u0000${eventName}`;
    let action = this.actions.get(actionKey);
    if (!action) {
      action = { eventSource, eventName, count: 0, failed: 0, ...iamOf(eventSource, eventName, eventType) };
      this.actions.set(actionKey, action);
    }
    action.count++;
    if (failed) action.failed++;
    const key = identity?.key ?? NO_IDENTITY;
    let who = this.identities.get(key);
    if (!who) {
      who = { label: identity?.label ?? NO_IDENTITY, key, count: 0 };
      this.identities.set(key, who);
    }
    who.count++;
  }

  /** Counts the events of a file read by the folder index's streaming reader. */
  countIndexed(indexed: FileIndexResult): void {
    this.filesRead++;
    const { entries, strings, identities } = indexed;
    this.records += entries.count;
    for (let i = 0; i < entries.count; i++) {
      const field = (which: number): string | undefined => {
        const id = entries.strings[i * TEXT_FIELD_COUNT + which];
        return id === ABSENT ? undefined : strings[id];
      };
      const identity = identities[entries.strings[i * TEXT_FIELD_COUNT + TextField.identity]] as IdentitySummary | undefined;
      this.count(
        field(TextField.eventSource) ?? NO_EVENT_SOURCE,
        field(TextField.eventName) ?? NO_EVENT_NAME,
        field(TextField.errorCode) !== undefined,
        identity,
        field(TextField.eventType),
      );
    }
  }

  byAction(): ActionCount[] {
    return [...this.actions.values()].sort((a, b) => b.count - a.count || compare(a.eventSource, b.eventSource) || compare(a.eventName, b.eventName));
  }

  /** The actions the attack catalogue lists, in the order of byAction. */
  attackEvents(): AttackEventCount[] {
    const rows: AttackEventCount[] = [];
    for (const action of this.byAction()) {
      const entry = attackEntry(action.eventSource, action.eventName);
      if (entry) {
        rows.push({
          ...action,
          usedInWild: entry.usedInWild,
          tactics: entry.tactics.map(({ id, name }) => ({ id, name })),
          techniques: entry.techniques.map((technique) => technique.id),
        });
      }
    }
    return rows;
  }

  byIdentity(): IdentityCount[] {
    return [...this.identities.values()].sort((a, b) => b.count - a.count || compare(a.key, b.key));
  }

  /** One row per access level that has events, Permissions management first (EVENT_ACCESS_LEVELS). */
  byAccessLevel(): AccessLevelCount[] {
    const rows = new Map<string, AccessLevelCount>();
    for (const action of this.actions.values()) {
      const level = accessLevelRow(action);
      let row = rows.get(level);
      if (!row) {
        row = { accessLevel: level, count: 0, failed: 0, actions: 0 };
        rows.set(level, row);
      }
      row.count += action.count;
      row.failed += action.failed;
      row.actions++;
    }
    return EVENT_ACCESS_LEVELS.flatMap((level) => rows.get(level) ?? []);
  }
}

function iamOf(eventSource: string, eventName: string, eventType: string | undefined): Pick<ActionCount, 'iamActions' | 'accessLevel' | 'iam'> {
  const resolution = resolveIamActions(eventSource, eventName, eventType);
  if (resolution.kind !== 'actions') {
    return { iamActions: [], accessLevel: null, iam: resolution.kind };
  }
  return { iamActions: resolution.actions.map((action) => action.action), accessLevel: strongestAccessLevel(resolution.actions) ?? null, iam: 'actions' };
}

function accessLevelRow(action: ActionCount): string {
  if (action.iam === 'no-permission') return NO_IAM_PERMISSION;
  return action.accessLevel ?? NOT_KNOWN;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// --- output ----------------------------------------------------------------------------------

interface Report {
  /** A problem with the file itself (missing, unreadable, damaged). */
  fileProblem(file: string, at: { line: number; column: number }, severity: Severity, code: string, message: string): void;
  file(file: string, document: CloudTrailDocument, problems: readonly LocatedProblem[]): void;
  finish(totals: Totals): void;
}

class TextReport implements Report {
  constructor(
    private readonly env: CliEnvironment,
    private readonly options: Options,
  ) {}

  fileProblem(file: string, at: { line: number; column: number }, severity: Severity, code: string, message: string): void {
    this.env.stdout(`${printable(file)}:${at.line}:${at.column}: ${severity} ${code} ${printable(message)}\n`);
  }

  file(file: string, _document: CloudTrailDocument, problems: readonly LocatedProblem[]): void {
    const name = printable(file);
    const shown = problems.slice(0, this.options.maxProblems);
    let out = '';
    for (const p of shown) {
      out += `${name}:${p.line}:${p.column}: ${p.severity} ${p.code} ${printable(p.message)}\n`;
    }
    if (problems.length > shown.length) {
      const last = shown[shown.length - 1];
      out += `${name}:${last.line}:${last.column}: info ${FileCode.tooManyProblems} ${problems.length - shown.length} more problems in this file are not shown (--max-problems ${this.options.maxProblems}).\n`;
    }
    if (out) this.env.stdout(out);
  }

  finish(totals: Totals): void {
    if (!this.options.summary) return;
    const lines: string[] = [''];
    lines.push(`Files:    ${totals.filesRead} read${totals.skipped ? `, ${totals.skipped} skipped (not log files)` : ''}`);
    lines.push(`Records:  ${totals.records}`);
    const other = totals.infos + totals.hints;
    lines.push(`Problems: ${plural(totals.errors, 'error')}, ${plural(totals.warnings, 'warning')}${other ? `, ${other} info and hints` : ''}`);
    const levels = totals.byAccessLevel();
    if (levels.length > 0) {
      lines.push('', 'Events by IAM access level:');
      const width = countWidth(levels);
      lines.push(`  ${'count'.padStart(width)}  ${'failed'.padStart(6)}  ${'actions'.padStart(7)}  access level`);
      for (const level of levels) {
        lines.push(`  ${String(level.count).padStart(width)}  ${String(level.failed).padStart(6)}  ${String(level.actions).padStart(7)}  ${level.accessLevel}`);
      }
    }
    const actions = totals.byAction();
    if (actions.length > 0) {
      lines.push('', `Events by action (${actions.length}):`);
      const width = countWidth(actions);
      lines.push(`  ${'count'.padStart(width)}  ${'failed'.padStart(6)}  action`);
      for (const action of this.top(actions)) {
        lines.push(
          `  ${String(action.count).padStart(width)}  ${String(action.failed).padStart(6)}  ${printable(action.eventSource, SHOWN_VALUE_LENGTH)} ${printable(action.eventName, SHOWN_VALUE_LENGTH)}`,
        );
      }
      this.more(lines, actions.length, 'actions');
    }
    const identities = totals.byIdentity();
    if (identities.length > 0) {
      lines.push('', `Events by identity (${identities.length}):`);
      const width = countWidth(identities);
      lines.push(`  ${'count'.padStart(width)}  identity`);
      for (const identity of this.top(identities)) {
        const key = identity.key !== identity.label ? `  ${printable(identity.key, SHOWN_VALUE_LENGTH)}` : '';
        lines.push(`  ${String(identity.count).padStart(width)}  ${printable(identity.label, SHOWN_VALUE_LENGTH)}${key}`);
      }
      this.more(lines, identities.length, 'identities');
    }
    const attacks = totals.attackEvents();
    if (attacks.length > 0) {
      lines.push('', `Events known from attacks (${attacks.length}), from ${ATTACK_CATALOGUE_CREDIT}:`);
      const width = countWidth(attacks);
      const shown = this.top(attacks);
      const actions = shown.map((row) => `${visibleText(row.eventSource)} ${visibleText(row.eventName)}`);
      const actionWidth = Math.max('action'.length, ...actions.map((action) => action.length));
      lines.push(`  ${'count'.padStart(width)}  ${'failed'.padStart(6)}  ${'action'.padEnd(actionWidth)}  seen     tactics`);
      shown.forEach((row, i) => {
        const seen = row.usedInWild ? 'attacks ' : 'research';
        const tactics = row.tactics.map((tactic) => tactic.name).join(', ');
        lines.push(`  ${String(row.count).padStart(width)}  ${String(row.failed).padStart(6)}  ${actions[i].padEnd(actionWidth)}  ${seen} ${tactics}`);
      });
      this.more(lines, attacks.length, 'events known from attacks');
    }
    this.env.stdout(`${lines.join('\n')}\n`);
  }

  private top<T>(rows: T[]): T[] {
    return this.options.top > 0 ? rows.slice(0, this.options.top) : rows;
  }

  private more(lines: string[], total: number, what: string): void {
    if (this.options.top > 0 && total > this.options.top) {
      lines.push(`  … ${total - this.options.top} more ${what} (--top 0 lists all)`);
    }
  }
}

export interface JsonFileResult {
  path: string;
  shape?: string;
  records?: number;
  problems: LocatedProblem[];
  problemsNotShown?: number;
}

/** What `--format json` prints. */
export interface JsonOutput {
  version: string;
  files: JsonFileResult[];
  /** Left out with --no-summary. */
  summary?: {
    filesRead: number;
    filesSkipped: number;
    records: number;
    errors: number;
    warnings: number;
    infos: number;
    hints: number;
    byAccessLevel: AccessLevelCount[];
    byAction: ActionCount[];
    byIdentity: IdentityCount[];
    /** The actions the attack catalogue lists, with their tactics. */
    attackEvents: AttackEventCount[];
    /** Where `attackEvents` comes from, as its licence asks. */
    attackCatalogue: { title: string; author: string; license: string; url: string };
  };
}

class JsonReport implements Report {
  private readonly files: JsonFileResult[] = [];

  constructor(
    private readonly env: CliEnvironment,
    private readonly options: Options,
  ) {}

  fileProblem(file: string, at: { line: number; column: number }, severity: Severity, code: string, message: string): void {
    this.files.push({ path: file, problems: [{ ...at, severity, code, message }] });
  }

  file(file: string, document: CloudTrailDocument, problems: readonly LocatedProblem[]): void {
    const shown = problems.slice(0, this.options.maxProblems);
    const result: JsonFileResult = { path: file, shape: document.shape, records: document.records.length, problems: shown };
    if (problems.length > shown.length) result.problemsNotShown = problems.length - shown.length;
    this.files.push(result);
  }

  finish(totals: Totals): void {
    const output: JsonOutput = { version: this.env.version, files: this.files };
    if (this.options.summary) {
      output.summary = {
        filesRead: totals.filesRead,
        filesSkipped: totals.skipped,
        records: totals.records,
        errors: totals.errors,
        warnings: totals.warnings,
        infos: totals.infos,
        hints: totals.hints,
        byAccessLevel: totals.byAccessLevel(),
        byAction: totals.byAction(),
        byIdentity: totals.byIdentity(),
        attackEvents: totals.attackEvents(),
        attackCatalogue: {
          title: ATTACK_CATALOGUE_ATTRIBUTION.title,
          author: ATTACK_CATALOGUE_ATTRIBUTION.author,
          license: ATTACK_CATALOGUE_ATTRIBUTION.license,
          url: ATTACK_CATALOGUE_ATTRIBUTION.url,
        },
      };
    }
    this.env.stdout(`${jsonWithVisibleEscapes(JSON.stringify(output, null, 2))}\n`);
  }
}

function countWidth(rows: readonly { count: number }[]): number {
  return Math.max(5, ...rows.map((row) => String(row.count).length));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\.$/, '');
}

/**
 * Text from a log or a file name, made safe to print on one terminal line: controls, escape
 * sequences, zero-width and direction-changing characters and lone surrogates, which could drive
 * or deceive a terminal or make one name pass for another, are written as `<U+001B>`. Values
 * from a log are cut to `maxLength` characters; file names and messages are printed whole.
 */
export function printable(text: string, maxLength = Number.MAX_SAFE_INTEGER): string {
  return visibleText(text, maxLength);
}

/** How much of one log value the summary tables print. */
const SHOWN_VALUE_LENGTH = DEFAULT_VISIBLE_LENGTH;

const UNSAFE_IN_JSON = /[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/** JSON.stringify escapes C0 controls but leaves C1 controls and direction marks raw; escape them too (the JSON means the same). */
export function escapeInvisibles(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

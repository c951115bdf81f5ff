/**
 * The command line: checks CloudTrail files and folders with the same model as the editor, prints
 * every problem as `file:line:col: severity code message`, then a summary of who did what.
 *
 * Everything outside the process (arguments, files, output) comes in through `CliEnvironment`,
 * so tests run the whole command in-process with a fake file system.
 */
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { runExport } from './exportCommand';
import { CloudTrailDocument, LineIndex, NO_EVENT_NAME, parseCloudTrail, Problem, Severity, validateDocument } from '../model';
import { EVENT_ACCESS_LEVELS, NO_IAM_PERMISSION, NOT_KNOWN, resolveIamActions, strongestAccessLevel } from '../model/iam';

export type EntryKind = 'file' | 'directory' | 'link' | 'other';

/** The file-system calls the command line needs. */
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
  fs: CliFileSystem;
  stdout(text: string): void;
  stderr(text: string): void;
  version: string;
}

export const EXIT_CLEAN = 0;
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;

/** Codes of the problems the command line finds itself, before the model sees the text. */
export const FileCode = {
  unreadable: 'file-unreadable',
  corruptGzip: 'file-corrupt-gzip',
  invalidUtf8: 'file-invalid-utf8',
  tooManyProblems: 'too-many-problems',
} as const;

const DEFAULT_MAX_PROBLEMS = 1000;
const DEFAULT_TOP = 25;
const NO_EVENT_SOURCE = '(no event source)';

const HELP = `Usage: cloudtrail-explorer [options] <file or folder>...
       cloudtrail-explorer export [options] <file or folder>...   (see export --help)

Checks AWS CloudTrail log files: delivered logs (.json or .json.gz), console downloads,
aws cloudtrail lookup-events output, EventBridge events and one-event-per-line files.
Folders are searched recursively for *.json, *.json.gz and *.gz files; a file named
on the command line is read whatever its extension.

Every problem is printed as
  file:line:column: severity code message
followed by a summary: files, records, problems, events by IAM access level, by action
and by identity.

Options:
  --format text|json   text (default) or one JSON document on standard output
  --no-summary         print the problems only
  --max-problems N     print at most N problems per file (default ${DEFAULT_MAX_PROBLEMS}); all are counted
  --top N              rows in each summary table (default ${DEFAULT_TOP}; 0 shows all)
  -h, --help           show this help
  -v, --version        show the version

Exit status: 0 when no errors were found (warnings allowed), 1 when errors were found,
2 when the command line is wrong or no log file was found.
`;

interface Options {
  format: 'text' | 'json';
  summary: boolean;
  maxProblems: number;
  top: number;
  inputs: string[];
}

type Parsed = { kind: 'run'; options: Options } | { kind: 'help' } | { kind: 'version' } | { kind: 'usage'; message: string };

export function parseArguments(argv: readonly string[]): Parsed {
  const options: Options = { format: 'text', summary: true, maxProblems: DEFAULT_MAX_PROBLEMS, top: DEFAULT_TOP, inputs: [] };
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
    const inlineValue = equals >= 0 ? argument.slice(equals + 1) : undefined;
    const takeValue = (): string | undefined => {
      if (inlineValue !== undefined) return inlineValue;
      i++;
      return argv[i];
    };
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
        break;
      case '--format': {
        const value = takeValue();
        if (value !== 'text' && value !== 'json') return { kind: 'usage', message: '--format must be text or json.' };
        options.format = value;
        break;
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
        break;
      }
      default:
        return { kind: 'usage', message: `Unknown option ${printable(argument)}.` };
    }
  }
  if (options.inputs.length === 0) {
    return { kind: 'usage', message: 'Name at least one file or folder to check.' };
  }
  return { kind: 'run', options };
}

/** Runs the command line; resolves to the exit code. */
export async function runCli(env: CliEnvironment): Promise<number> {
  if (env.argv[0] === 'export') return runExport({ ...env, argv: env.argv.slice(1) });
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

  const { files, skipped, missing } = await collectFiles(env.fs, options.inputs);
  for (const input of missing) {
    report.fileProblem(input, { line: 1, column: 1 }, 'error', FileCode.unreadable, 'No such file or folder.');
    totals.countProblem('error');
  }
  totals.skipped = skipped;
  if (files.length === 0 && missing.length === 0) {
    env.stderr(`cloudtrail-explorer: no .json or .gz file found in ${options.inputs.map(printable).join(', ')}.\n`);
    return EXIT_USAGE;
  }

  for (const file of files) {
    const loaded = await loadFile(env.fs, file);
    if ('problem' in loaded) {
      report.fileProblem(file, { line: 1, column: 1 }, 'error', loaded.problem.code, loaded.problem.message);
      totals.countProblem('error');
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

const LOG_FILE = /\.(?:json|gz)$/i;

/** The files named or found below the folders named, in a stable order, each once. */
export async function collectFiles(fs: CliFileSystem, inputs: readonly string[]): Promise<{ files: string[]; skipped: number; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  const add = (file: string): void => {
    const key = path.resolve(file);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(file);
    }
  };
  const walk = async (folder: string): Promise<void> => {
    const entries = await fs.readDirectory(folder);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const target = path.join(folder, entry.name);
      // Links to folders are not followed: a link back up the tree would never end.
      const kind = entry.kind === 'link' ? await fs.stat(target) : entry.kind;
      if (kind === 'directory' && entry.kind === 'directory') {
        await walk(target);
      } else if (kind === 'file' && LOG_FILE.test(entry.name)) {
        add(target);
      } else {
        skipped++;
      }
    }
  };
  for (const input of inputs) {
    const kind = await fs.stat(input);
    if (kind === 'directory') {
      await walk(input);
    } else if (kind === undefined) {
      missing.push(input);
    } else {
      add(input);
    }
  }
  return { files, skipped, missing };
}

interface FileProblem {
  code: string;
  message: string;
}

type Loaded = { text: string; encodingProblem?: { offset: number; message: string } } | { problem: FileProblem };

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Reads, decompresses and decodes one file; a file that cannot be read becomes one problem. */
export async function loadFile(fs: CliFileSystem, file: string): Promise<Loaded> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    return { problem: { code: FileCode.unreadable, message: `Cannot read this file: ${errorText(error)}.` } };
  }
  const gzipped = bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
  if (gzipped) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch (error) {
      return { problem: { code: FileCode.corruptGzip, message: `This gzip file is damaged or cut short: ${errorText(error)}.` } };
    }
  } else if (/\.gz$/i.test(file)) {
    return { problem: { code: FileCode.corruptGzip, message: 'This file is named .gz but is not gzip data.' } };
  }
  try {
    return decodeUtf8(bytes);
  } catch (error) {
    // A string longer than the JavaScript engine allows, for instance.
    return { problem: { code: FileCode.unreadable, message: `Cannot read this file as text: ${errorText(error)}.` } };
  }
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
function position(lines: LineIndex, offset: number): { line: number; column: number } {
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
      const actionKey = `${eventSource}\u0000${eventName}`;
      let action = this.actions.get(actionKey);
      if (!action) {
        action = { eventSource, eventName, count: 0, failed: 0, ...iamOf(eventSource, eventName, record.summary.eventType) };
        this.actions.set(actionKey, action);
      }
      action.count++;
      if (errorCode) action.failed++;
      let who = this.identities.get(identity.key);
      if (!who) {
        who = { label: identity.label, key: identity.key, count: 0 };
        this.identities.set(identity.key, who);
      }
      who.count++;
    }
  }

  byAction(): ActionCount[] {
    return [...this.actions.values()].sort((a, b) => b.count - a.count || compare(a.eventSource, b.eventSource) || compare(a.eventName, b.eventName));
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
    lines.push(`Files:    ${totals.filesRead} read${totals.skipped ? `, ${totals.skipped} skipped (not .json or .gz)` : ''}`);
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
        lines.push(`  ${String(action.count).padStart(width)}  ${String(action.failed).padStart(6)}  ${printable(action.eventSource)} ${printable(action.eventName)}`);
      }
      this.more(lines, actions.length, 'actions');
    }
    const identities = totals.byIdentity();
    if (identities.length > 0) {
      lines.push('', `Events by identity (${identities.length}):`);
      const width = countWidth(identities);
      lines.push(`  ${'count'.padStart(width)}  identity`);
      for (const identity of this.top(identities)) {
        const key = identity.key !== identity.label ? `  ${printable(identity.key)}` : '';
        lines.push(`  ${String(identity.count).padStart(width)}  ${printable(identity.label)}${key}`);
      }
      this.more(lines, identities.length, 'identities');
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
      };
    }
    this.env.stdout(`${escapeInvisibles(JSON.stringify(output, null, 2))}\n`);
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
 * Characters that could drive or deceive a terminal (controls, escape sequences, bidirectional
 * overrides, line separators), which any log or file name may hold.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text from a log or a file name, made safe to print on one terminal line. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON.stringify escapes C0 controls but leaves C1 controls and direction marks raw; escape them too (the JSON means the same). */
function escapeInvisibles(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

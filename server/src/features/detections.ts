import * as path from 'node:path';
import { Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Disposable, FileEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CloudTrailDocument } from '../model';
import { cloudTrailEventCatalog, Finding, findingAnchor, RuleFileInput, RuleLevel, RuleMetadata, RuleProblem, RuleSet } from '../model/detections';
import { bundledRulesDirectory, readRuleFiles, RuleSource } from '../model/detections/ruleFiles';
import { FolderIndex, folderFindings, watchFolderTree } from '../model/folderIndex';
import { LineIndex } from '../model/json/lineIndex';
import { isAtOrBelow, toPath, toUri } from './folderIndex';

/**
 * Sigma detections in the editor: the rule set (bundled rules and the user's rule folders, read
 * again when a rule file changes), the findings of each document version, computed once next to
 * its model, as diagnostics of their own source, and the problems of the user's rule files as
 * diagnostics in those files.
 */

export const DETECTIONS_SOURCE = 'cloudtrail detections';

export type LevelSeverity = 'off' | 'hint' | 'info' | 'warning' | 'error';

export interface DetectionSettings {
  enabled: boolean;
  bundledRules: boolean;
  /** Folders of rule files; relative ones are read in every workspace folder. */
  ruleFolders: string[];
  severity: Record<RuleLevel, LevelSeverity>;
}

export const DEFAULT_DETECTION_SETTINGS: DetectionSettings = {
  enabled: true,
  bundledRules: true,
  ruleFolders: ['.sigma'],
  severity: { informational: 'hint', low: 'hint', medium: 'info', high: 'warning', critical: 'warning' },
};

const SEVERITIES: Record<Exclude<LevelSeverity, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const PROBLEM_SEVERITIES: Record<RuleProblem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Rule file changes are gathered this long before the rules are read again. */
const RELOAD_DELAY_MS = 300;
/** Related records listed with a correlation's finding. */
const MAX_RELATED = 20;

export interface DetectionHost {
  /** Asks the client to watch files; undefined when it cannot, and the server watches the disk. */
  watchThroughClient(baseUri: string, pattern: string): Promise<Disposable> | undefined;
  setTimeout(callback: () => void, ms: number): Disposable;
  /** Shows the problems of a rule file in that file. */
  publishRuleFileDiagnostics(uri: string, diagnostics: Diagnostic[]): void;
  /** The rules changed: every open log is checked again. */
  rulesChanged(): void;
  log(message: string): void;
  /** Where the bundled rules are. */
  bundledDirectory?: string;
  /** Whether a document is open in the editor (its findings then come with its own diagnostics). */
  isOpen(uri: string): boolean;
}

/** Findings published for the files of one folder index at most. */
const MAX_FOLDER_FINDINGS = 10_000;

/** Merges what the client set under `cloudtrail.detections` with the defaults. */
export function detectionSettings(raw: unknown): DetectionSettings {
  const settings = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof DetectionSettings, unknown>>;
  const severity = { ...DEFAULT_DETECTION_SETTINGS.severity };
  if (typeof settings.severity === 'object' && settings.severity !== null) {
    for (const [level, value] of Object.entries(settings.severity as Record<string, unknown>)) {
      if (level in severity && typeof value === 'string' && ['off', 'hint', 'info', 'warning', 'error'].includes(value)) {
        severity[level as RuleLevel] = value as LevelSeverity;
      }
    }
  }
  return {
    enabled: typeof settings.enabled === 'boolean' ? settings.enabled : DEFAULT_DETECTION_SETTINGS.enabled,
    bundledRules: typeof settings.bundledRules === 'boolean' ? settings.bundledRules : DEFAULT_DETECTION_SETTINGS.bundledRules,
    ruleFolders: Array.isArray(settings.ruleFolders)
      ? settings.ruleFolders.filter((folder): folder is string => typeof folder === 'string' && folder.trim() !== '')
      : DEFAULT_DETECTION_SETTINGS.ruleFolders,
    severity,
  };
}

interface WatchedFolder {
  folder: string;
  watcher?: Disposable;
}

export class DetectionService {
  private settings: DetectionSettings = DEFAULT_DETECTION_SETTINGS;
  private workspaceFolders: string[] = [];
  private ruleSet: RuleSet = RuleSet.load([]);
  private readonly cache = new Map<string, { version: number; rules: RuleSet; findings: Finding[] }>();
  private watched: WatchedFolder[] = [];
  /** Rule files that were given diagnostics, to clear them when their problems go. */
  private publishedFiles = new Set<string>();
  private reloadTimer: Disposable | undefined;
  private loaded = false;
  /** Bumped whenever the rules are read again: folder index workers read them again then. */
  private generation = 0;
  /** The files of each folder index that were given findings. */
  private readonly folderFiles = new Map<string, Set<string>>();

  constructor(private readonly host: DetectionHost) {}

  get rules(): RuleSet {
    this.ensureLoaded();
    return this.ruleSet;
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** New settings or workspace folders: the rules are read again and the folders watched. */
  configure(settings: DetectionSettings, workspaceFolders: readonly string[]): void {
    this.settings = settings;
    this.workspaceFolders = [...workspaceFolders];
    this.reload();
    this.rewatch();
  }

  /** The folders rule files are read from, absolute. */
  ruleFolders(): string[] {
    const folders: string[] = [];
    for (const folder of this.settings.ruleFolders) {
      if (path.isAbsolute(folder)) folders.push(path.normalize(folder));
      else for (const root of this.workspaceFolders) folders.push(path.join(root, folder));
    }
    return [...new Set(folders)];
  }

  /** The findings of a document version, computed once per version. */
  findings(document: TextDocument, model: CloudTrailDocument): Finding[] {
    if (!this.settings.enabled) return [];
    const rules = this.rules;
    const cached = this.cache.get(document.uri);
    if (cached?.version === document.version && cached.rules === rules) {
      return cached.findings;
    }
    const findings = rules.detectDocument(model);
    this.cache.set(document.uri, { version: document.version, rules, findings });
    return findings;
  }

  diagnostics(document: TextDocument, model: CloudTrailDocument): Diagnostic[] {
    const findings = this.findings(document, model);
    const diagnostics: Diagnostic[] = [];
    for (const finding of findings) {
      const definition = this.ruleSet.rules[finding.rule];
      const level = this.settings.severity[definition.metadata.level];
      if (level === 'off') continue;
      diagnostics.push(findingDiagnostic(finding, document, model, this.ruleSet, SEVERITIES[level]));
    }
    return diagnostics;
  }

  delete(uri: string): void {
    this.cache.delete(uri);
  }

  /** What a folder index runs: the same rule files as the editor, as read for it (the index workers compile them). */
  ruleSource(): RuleSource | undefined {
    if (!this.settings.enabled) return undefined;
    this.ensureLoaded();
    return {
      key: String(this.generation),
      ...(this.settings.bundledRules ? { bundled: this.host.bundledDirectory ?? bundledRulesDirectory() } : {}),
      folders: this.ruleFolders(),
      parsed: this.ruleSet.parsedFiles,
    };
  }

  /** Publishes the findings of a folder index on its files (those not open in the editor); undefined clears them. */
  folderIndexChanged(root: string, index: FolderIndex | undefined): void {
    const previous = this.folderFiles.get(root) ?? new Set<string>();
    const current = new Set<string>();
    if (index && this.settings.enabled) {
      const byFile = new Map<string, Diagnostic[]>();
      let count = 0;
      for (const finding of folderFindings(index, this.rules)) {
        if (count >= MAX_FOLDER_FINDINGS) break;
        const metadata = this.ruleSet.rules[finding.rule].metadata;
        const level = this.settings.severity[metadata.level];
        if (level === 'off') continue;
        const uri = toUri(finding.file.path);
        if (this.host.isOpen(uri)) continue;
        const event = index.event(finding.file, finding.entry);
        const list = byFile.get(uri) ?? [];
        list.push({
          range: { start: event.range.start, end: event.range.start },
          severity: SEVERITIES[level],
          code: metadata.id,
          source: DETECTIONS_SOURCE,
          message: findingMessage(metadata, finding.related?.length ?? 0),
        });
        byFile.set(uri, list);
        count++;
      }
      for (const [uri, diagnostics] of byFile) {
        this.host.publishRuleFileDiagnostics(uri, diagnostics);
        current.add(uri);
      }
    }
    for (const uri of previous) if (!current.has(uri)) this.host.publishRuleFileDiagnostics(uri, []);
    if (current.size > 0) this.folderFiles.set(root, current);
    else this.folderFiles.delete(root);
  }

  /** Changes reported by the client's file watcher. */
  onWatchedFilesChanged(changes: readonly FileEvent[]): void {
    for (const change of changes) {
      const changed = toPath(change.uri);
      if (changed !== undefined) this.noteChange(changed);
    }
  }

  dispose(): void {
    this.reloadTimer?.dispose();
    for (const watched of this.watched) watched.watcher?.dispose();
    this.watched = [];
  }

  private noteChange(changed: string): void {
    if (!this.ruleFolders().some((folder) => isAtOrBelow(changed, folder) || isAtOrBelow(folder, changed))) return;
    this.reloadTimer?.dispose();
    this.reloadTimer = this.host.setTimeout(() => {
      this.reloadTimer = undefined;
      this.reload();
    }, RELOAD_DELAY_MS);
  }

  private ensureLoaded(): void {
    if (!this.loaded) this.reload(false);
  }

  /** Reads every rule file again, publishes their problems, and tells that the rules changed. */
  private reload(notify = true): void {
    this.loaded = true;
    const inputs: RuleFileInput[] = [];
    if (this.settings.bundledRules) {
      inputs.push(...readRuleFiles(this.host.bundledDirectory ?? bundledRulesDirectory(), 'bundled').inputs);
    }
    for (const folder of this.ruleFolders()) {
      const { inputs: found, unreadable } = readRuleFiles(folder, 'user');
      inputs.push(...found);
      for (const file of unreadable) this.host.log(`The rule file ${file} could not be read (or is over 1 MB).`);
    }
    this.ruleSet = RuleSet.load(inputs, { catalog: cloudTrailEventCatalog });
    this.generation++;
    this.cache.clear();
    this.publishRuleProblems(inputs);
    if (notify) this.host.rulesChanged();
  }

  private publishRuleProblems(inputs: readonly RuleFileInput[]): void {
    const texts = new Map(inputs.map((input) => [input.path, input.text]));
    const published = new Set<string>();
    for (const file of this.ruleSet.files) {
      if (file.origin !== 'user') continue;
      const uri = toUri(file.path);
      const text = texts.get(file.path) ?? '';
      if (file.problems.length === 0 && !this.publishedFiles.has(uri)) continue;
      const lines = new LineIndex(text);
      this.host.publishRuleFileDiagnostics(
        uri,
        file.problems.map((problem) => ({
          range: { start: lines.positionAt(problem.span.start), end: lines.positionAt(Math.max(problem.span.end, problem.span.start)) },
          severity: PROBLEM_SEVERITIES[problem.severity],
          code: problem.code,
          source: DETECTIONS_SOURCE,
          message: problem.message,
        })),
      );
      if (file.problems.length > 0) published.add(uri);
    }
    for (const uri of this.publishedFiles) {
      if (!published.has(uri) && !this.ruleSet.files.some((file) => toUri(file.path) === uri && file.problems.length > 0)) {
        this.host.publishRuleFileDiagnostics(uri, []);
      }
    }
    this.publishedFiles = published;
  }

  private rewatch(): void {
    for (const watched of this.watched) watched.watcher?.dispose();
    this.watched = [];
    for (const folder of this.ruleFolders()) {
      const watched: WatchedFolder = { folder };
      this.watched.push(watched);
      // Watching from the parent finds the folder when it is created later.
      const parent = path.dirname(folder);
      const throughClient = this.host.watchThroughClient(toUri(parent), `${path.basename(folder)}/**/*.{yml,yaml}`);
      if (throughClient) {
        throughClient.then(
          (disposable) => {
            if (this.watched.includes(watched)) watched.watcher = disposable;
            else disposable.dispose();
          },
          (error: unknown) => {
            this.host.log(`Cannot watch the rule folder ${folder}: ${String(error)}`);
          },
        );
        continue;
      }
      watched.watcher = watchFolderTree(
        folder,
        (changed) => {
          this.noteChange(changed);
        },
        (message) => {
          this.host.log(message);
        },
      );
    }
  }
}

/** A finding as a diagnostic on the record's eventName (or its first line). */
function findingDiagnostic(finding: Finding, document: TextDocument, model: CloudTrailDocument, rules: RuleSet, severity: DiagnosticSeverity): Diagnostic {
  const record = model.records[finding.record];
  const metadata = rules.rules[finding.rule].metadata;
  const { start, end } = findingAnchor(record, model);
  const related = finding.related?.filter((index) => index !== finding.record) ?? [];
  const diagnostic: Diagnostic = {
    range: { start: document.positionAt(start), end: document.positionAt(end) },
    severity,
    code: metadata.id,
    source: DETECTIONS_SOURCE,
    message: findingMessage(metadata, related.length + (related.length > 0 ? 1 : 0)),
    data: { rule: finding.rule, record: finding.record },
  };
  if (related.length > 0) {
    diagnostic.relatedInformation = related.slice(0, MAX_RELATED).map((index) => {
      const other = findingAnchor(model.records[index], model);
      return DiagnosticRelatedInformation.create(
        { uri: document.uri, range: { start: document.positionAt(other.start), end: document.positionAt(other.end) } },
        `event ${String(index + 1)} of the correlation`,
      );
    });
  }
  return diagnostic;
}

/** The message of a finding: the rule's title, level and author (its licence asks for the author wherever a match is shown). */
function findingMessage(metadata: RuleMetadata, correlatedEvents: number): string {
  const author = metadata.author === undefined ? '' : `, by ${metadata.author}`;
  const others = correlatedEvents - 1;
  const correlation = others > 0 ? ` (with ${String(others)} other event${others === 1 ? '' : 's'})` : '';
  return `${metadata.title}${correlation} — Sigma rule, level ${metadata.level}${author}`;
}

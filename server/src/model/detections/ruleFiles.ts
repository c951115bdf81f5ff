import * as fs from 'node:fs';
import * as path from 'node:path';
import { ParsedRuleFile, RuleFileInput } from './ruleLoader';
import { RuleSet } from './ruleSet';
import { RuleOrigin } from './types';

/**
 * Reading rule files from disk, for the language server and the command line (the rest of the
 * engine takes rule files as text). Not exported from the detections index, because it reads files.
 */

const RULE_FILE = /\.ya?ml$/i;
/** Rule folders are small; a deeper or larger tree is most likely a mistake in a setting. */
const MAX_DEPTH = 8;
const MAX_FILES = 5000;
const MAX_RULE_FILE_BYTES = 1024 * 1024;

/** Every .yml and .yaml file below `directory`, sorted; none when it does not exist. */
export function listRuleFiles(directory: string): string[] {
  const found: string[] = [];
  const walk = (folder: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (found.length >= MAX_FILES) return;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory() && depth < MAX_DEPTH && !entry.name.startsWith('.')) walk(full, depth + 1);
      else if (entry.isFile() && RULE_FILE.test(entry.name)) found.push(full);
    }
  };
  if (RULE_FILE.test(directory) && fs.existsSync(directory) && fs.statSync(directory).isFile()) {
    return [directory];
  }
  walk(directory, 0);
  return found;
}

/** The rule files of a folder (or one file) as text; files that cannot be read are skipped and named. */
export function readRuleFiles(directory: string, origin: RuleOrigin): { inputs: RuleFileInput[]; unreadable: string[] } {
  const inputs: RuleFileInput[] = [];
  const unreadable: string[] = [];
  for (const file of listRuleFiles(directory)) {
    try {
      if (fs.statSync(file).size > MAX_RULE_FILE_BYTES) {
        unreadable.push(file);
        continue;
      }
      inputs.push({ path: file, text: fs.readFileSync(file, 'utf8'), origin });
    } catch {
      unreadable.push(file);
    }
  }
  return { inputs, unreadable };
}

/**
 * Where the bundled rules are: `sigma/` next to the built bundle (dist/), or `rules/sigma/` of the
 * source tree when running from compiled tests.
 */
export function bundledRulesDirectory(from: string = __dirname): string {
  const candidates = [path.join(from, 'sigma'), path.resolve(from, '..', 'rules', 'sigma')];
  for (let dir = from, i = 0; i < 8; i++, dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'rules', 'sigma'));
  }
  return candidates.find((candidate) => fs.existsSync(path.join(candidate, 'LICENSE-SigmaHQ.md'))) ?? candidates[0];
}

/** Which rules a folder index runs: plain data, posted to the index workers. */
export interface RuleSource {
  /** Changes whenever the rules may have changed, so that a worker reads them again. */
  key: string;
  bundled?: string;
  folders: string[];
  /**
   * The rule files of `bundled` and `folders` as the server read them: a worker compiles these
   * instead of reading the files. The pool sends them to each worker once per key (see
   * `withRulesOnce`); without them a worker reads the files itself.
   */
  parsed?: readonly ParsedRuleFile[];
}

let cached: { key: string; rules: RuleSet } | undefined;

/** The rules of a source, compiled once per key from the files the server read, or else read from disk (each index worker keeps its own). */
export function ruleSetOf(source: RuleSource): RuleSet {
  if (cached?.key === source.key) return cached.rules;
  if (source.parsed) {
    const compiled = RuleSet.compile(source.parsed);
    cached = { key: source.key, rules: compiled };
    return compiled;
  }
  const inputs: RuleFileInput[] = [];
  if (source.bundled !== undefined) inputs.push(...readRuleFiles(source.bundled, 'bundled').inputs);
  for (const folder of source.folders) inputs.push(...readRuleFiles(folder, 'user').inputs);
  const rules = RuleSet.load(inputs);
  cached = { key: source.key, rules };
  return rules;
}

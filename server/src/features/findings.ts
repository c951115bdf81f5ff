import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CloudTrailDocument, eventTimeMs, timeRangeOf } from '../model';
import { LineIndex } from '../model/lineIndex';
import { Finding, RuleDefinition, RuleSet } from '../model/detections';
import { eventFilterSql } from '../model/detections/sql/eventFilterSql';
import { sigmaRuleSql } from '../model/detections/sql/sigmaSql';
import { SqlNotExpressible } from '../model/detections/sql/sqlQuery';
import { FilterSqlParams, FindingGroup, FindingRef, FindingRule, FindingsGrouping, FindingsParams, FindingsResult, RuleSqlParams, SqlResult } from '../protocol';
import { eventRef } from './eventRefs';
import { normalizeFilter } from './eventTree';

/**
 * The Findings view's data: the findings of the open documents grouped by rule, by ATT&CK tactic
 * or by identity; and rules and the Events view's filter as SQL.
 */

/** Findings listed in one group when the request names no `limit`. */
export const DEFAULT_FINDING_LIMIT = 500;

/** What findings are read from: the detections service of the server. */
export interface FindingsSource {
  readonly enabled: boolean;
  readonly rules: RuleSet;
  findings(document: TextDocument, model: CloudTrailDocument): Finding[];
}

export interface FindingsInput {
  document: TextDocument;
  model: CloudTrailDocument;
}

export const NO_TACTIC_KEY = 'none';
const NO_TACTIC_LABEL = 'No ATT&CK tactic';

/** The findings of one document, with what is needed to point at their records. */
interface DocumentFindings {
  uri: string;
  model: CloudTrailDocument;
  findings: readonly Finding[];
  positionAt(offset: number): { line: number; character: number };
}

/** The findings of the open documents of the request, grouped. */
export function findingsTree(params: FindingsParams, inputsOf: (uri: string) => FindingsInput | undefined, source: FindingsSource): FindingsResult | null {
  const uris = params.scope && params.scope.length > 0 ? [...new Set(params.scope.map((document) => document.uri))] : [params.textDocument.uri];
  const inputs = uris.map(inputsOf).filter((input): input is FindingsInput => input !== undefined);
  if (inputs.length === 0) {
    return null;
  }
  if (!source.enabled) {
    return { rules: [], groups: [], total: 0, enabled: false };
  }
  const documents = inputs.map((input) => ({
    uri: input.document.uri,
    model: input.model,
    findings: source.findings(input.document, input.model),
    positionAt: (offset: number) => input.document.positionAt(offset),
  }));
  return groupFindings(documents, params, source.rules, inputs.length > 1);
}

/**
 * The findings of every log of a folder index: each file is read again from disk and checked
 * with the rules (the index keeps no record text). Files that cannot be read again are skipped.
 */
export async function folderFindingsTree(
  params: FindingsParams,
  files: readonly string[],
  readFile: (path: string) => Promise<CloudTrailDocument | string>,
  source: FindingsSource,
): Promise<FindingsResult> {
  if (!source.enabled) {
    return { rules: [], groups: [], total: 0, enabled: false };
  }
  const documents: DocumentFindings[] = [];
  for (const file of files) {
    const model = await readFile(file);
    if (typeof model === 'string') continue;
    const findings = source.rules.detectDocument(model);
    if (findings.length === 0) continue;
    const lines = new LineIndex(model.text);
    documents.push({ uri: pathToFileURL(file).href, model, findings, positionAt: (offset) => lines.positionAt(offset) });
  }
  return groupFindings(documents, params, source.rules, true);
}

function groupFindings(documents: readonly DocumentFindings[], params: FindingsParams, ruleSet: RuleSet, showFile: boolean): FindingsResult {
  const groupBy: FindingsGrouping = params.groupBy === 'tactic' || params.groupBy === 'identity' ? params.groupBy : 'rule';
  const limit = typeof params.limit === 'number' && params.limit >= 0 ? params.limit : DEFAULT_FINDING_LIMIT;
  const range = timeRangeOf({
    ...(typeof params.from === 'string' ? { from: params.from } : {}),
    ...(typeof params.to === 'string' ? { to: params.to } : {}),
  });
  const groups = new Map<string, FindingGroup>();
  const usedRules = new Map<number, FindingRule>();
  let total = 0;
  for (const document of documents) {
    for (const finding of document.findings) {
      const record = document.model.records.at(finding.record);
      const definition = ruleSet.rules.at(finding.rule);
      if (record === undefined || definition === undefined) continue;
      if (range && !range.contains(eventTimeMs(record.summary))) continue;
      total++;
      if (!usedRules.has(finding.rule)) usedRules.set(finding.rule, findingRule(finding.rule, definition));
      const event = eventRef(record.index, record.summary, { start: document.positionAt(record.start), end: document.positionAt(record.end) });
      if (showFile) event.uri = document.uri;
      const ref: FindingRef = { rule: finding.rule, event };
      const related = finding.related?.filter((index) => index !== finding.record).length ?? 0;
      if (related > 0) ref.related = related;
      for (const [key, make] of groupKeys(groupBy, finding, definition, record.summary.identity)) {
        let group = groups.get(key);
        if (!group) {
          group = make();
          groups.set(key, group);
        }
        group.count++;
        if (group.findings.length < limit) group.findings.push(ref);
        else group.moreFindings = (group.moreFindings ?? 0) + 1;
      }
    }
  }
  const levelRank = (group: FindingGroup): number => (group.rule === undefined ? 0 : LEVEL_ORDER.indexOf(ruleSet.rules[group.rule].metadata.level));
  const sorted = [...groups.values()].sort(
    (a, b) =>
      (a.key === NO_TACTIC_KEY ? 1 : 0) - (b.key === NO_TACTIC_KEY ? 1 : 0) ||
      levelRank(b) - levelRank(a) ||
      b.count - a.count ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
  return { rules: [...usedRules.values()].sort((a, b) => a.index - b.index), groups: sorted, total, enabled: true };
}

const LEVEL_ORDER = ['informational', 'low', 'medium', 'high', 'critical'];

function groupKeys(
  groupBy: FindingsGrouping,
  finding: Finding,
  definition: RuleDefinition,
  identity: { key: string; label: string; type?: string },
): [string, () => FindingGroup][] {
  switch (groupBy) {
    case 'rule':
      return [[`rule:${String(finding.rule)}`, () => ({ key: `rule:${String(finding.rule)}`, label: definition.metadata.title, kind: 'rule', rule: finding.rule, count: 0, findings: [] })]];
    case 'identity':
      return [
        [
          `identity:${identity.key}`,
          () => {
            const group: FindingGroup = { key: `identity:${identity.key}`, label: identity.label, kind: 'identity', count: 0, findings: [] };
            if (identity.type !== undefined) group.identityType = identity.type;
            return group;
          },
        ],
      ];
    case 'tactic': {
      const tactics = definition.metadata.attackTactics.length > 0 ? definition.metadata.attackTactics : [NO_TACTIC_KEY];
      return tactics.map((tactic) => [tactic, () => ({ key: tactic, label: tactic === NO_TACTIC_KEY ? NO_TACTIC_LABEL : tacticLabel(tactic), kind: 'tactic', count: 0, findings: [] })]);
    }
  }
}

/** "privilege-escalation" -> "Privilege Escalation", as ATT&CK names its tactics. */
function tacticLabel(tactic: string): string {
  return tactic
    .split('-')
    .map((word) => (word === 'and' ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

function findingRule(index: number, definition: RuleDefinition): FindingRule {
  const { metadata } = definition;
  const rule: FindingRule = {
    index,
    id: metadata.id,
    title: metadata.title,
    level: metadata.level,
    tags: metadata.tags,
    tactics: metadata.attackTactics,
    falsepositives: metadata.falsepositives,
    references: metadata.references,
    origin: metadata.origin,
    hasSql: definition.correlation === undefined && definition.detection !== undefined,
  };
  if (metadata.description !== undefined) rule.description = metadata.description;
  if (metadata.author !== undefined) rule.author = metadata.author;
  if (metadata.origin === 'user') rule.file = metadata.file;
  return rule;
}

/** A rule of the set, by id, as SQL. */
export function ruleSql(params: RuleSqlParams, rules: RuleSet): SqlResult {
  const rule = rules.rules.find((candidate) => candidate.metadata.id === params.ruleId);
  if (!rule) {
    return { error: `No loaded rule has the id ${params.ruleId}.` };
  }
  return sqlOrReason(() => sigmaRuleSql(rule, dialectOf(params.dialect), params.table));
}

/** The Events view's filter as SQL. */
export function filterSql(params: FilterSqlParams): SqlResult {
  const filter = normalizeFilter(typeof params.filter === 'object' ? params.filter : undefined);
  return sqlOrReason(() => eventFilterSql(filter, dialectOf(params.dialect), params.table));
}

function dialectOf(dialect: unknown): 'athena' | 'lake' {
  return dialect === 'lake' ? 'lake' : 'athena';
}

function sqlOrReason(make: () => string): SqlResult {
  try {
    return { sql: make() };
  } catch (error) {
    if (error instanceof SqlNotExpressible) return { error: error.message };
    throw error;
  }
}

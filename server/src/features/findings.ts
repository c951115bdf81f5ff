import { pathToFileURL } from 'node:url';
import { Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CloudTrailDocument, eventTimeMs, timeRangeOf } from '../model';
import { FolderIndex, folderFindings } from '../model/folderIndex';
import { LineIndex } from '../model/json/lineIndex';
import { Finding, RuleDefinition, RuleSet } from '../model/detections';
import { eventFilterSql } from '../model/detections/sql/eventFilterSql';
import { sigmaRuleSql } from '../model/detections/sql/sigmaSql';
import { SqlNotExpressible } from '../model/detections/sql/sqlQuery';
import {
  FilterSqlParams,
  FindingGroup,
  FindingRef,
  FindingRule,
  FindingsGrouping,
  FindingsParams,
  FindingsResult,
  RuleSqlParams,
  SqlResult,
} from '../protocol';
import { eventRef, EventFields } from './eventRefs';
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

/** A finding with what the view shows of its event: the event's fields and range, and its file. */
interface PlacedFinding {
  rule: number;
  record: number;
  fields: EventFields;
  range: Range;
  uri: string;
  /** Other events of a correlation's window. */
  related: number;
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
  const placed: PlacedFinding[] = [];
  for (const { document, model } of inputs) {
    placeDocumentFindings(placed, document.uri, model, source.findings(document, model), (offset) => document.positionAt(offset));
  }
  return groupFindings(placed, params, source.rules, inputs.length > 1);
}

function placeDocumentFindings(
  placed: PlacedFinding[],
  uri: string,
  model: CloudTrailDocument,
  findings: readonly Finding[],
  positionAt: (offset: number) => { line: number; character: number },
): void {
  for (const finding of findings) {
    const record = model.records.at(finding.record);
    if (record === undefined) continue;
    placed.push({
      rule: finding.rule,
      record: record.index,
      fields: record.summary,
      range: { start: positionAt(record.start), end: positionAt(record.end) },
      uri,
      related: finding.related?.filter((index) => index !== finding.record).length ?? 0,
    });
  }
}

/**
 * The findings of every log of a folder index, as its workers found them while they read the
 * files (nothing is read again): each event's fields and range come from the index, and the
 * correlations run over the observations of all its files.
 */
export function folderFindingsTree(params: FindingsParams, index: FolderIndex, source: FindingsSource): FindingsResult {
  if (!source.enabled) {
    return { rules: [], groups: [], total: 0, enabled: false };
  }
  const order = new Map(index.files().map((file, position) => [file, position]));
  const found = [...folderFindings(index, source.rules)].sort(
    (a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.entry - b.entry || a.rule - b.rule,
  );
  const placed = found.map((finding): PlacedFinding => {
    const event = index.event(finding.file, finding.entry);
    return {
      rule: finding.rule,
      record: finding.entry,
      fields: event,
      range: event.range,
      uri: pathToFileURL(finding.file.path).href,
      related: finding.related?.filter((other) => other.file !== finding.file || other.entry !== finding.entry).length ?? 0,
    };
  });
  return groupFindings(placed, params, source.rules, true);
}

/**
 * The findings of a folder's logs read again from disk and checked with the rules: for an index
 * whose files were checked with other rules than the current ones (a rule file changed since).
 * Files that cannot be read again are skipped.
 */
export async function rereadFolderFindingsTree(
  params: FindingsParams,
  files: readonly string[],
  readFile: (path: string) => Promise<CloudTrailDocument | string>,
  source: FindingsSource,
): Promise<FindingsResult> {
  if (!source.enabled) {
    return { rules: [], groups: [], total: 0, enabled: false };
  }
  const placed: PlacedFinding[] = [];
  for (const file of files) {
    const model = await readFile(file);
    if (typeof model === 'string') continue;
    const findings = source.rules.detectDocument(model);
    if (findings.length === 0) continue;
    const lines = new LineIndex(model.text);
    placeDocumentFindings(placed, pathToFileURL(file).href, model, findings, (offset) => lines.positionAt(offset));
  }
  return groupFindings(placed, params, source.rules, true);
}

function groupFindings(placed: readonly PlacedFinding[], params: FindingsParams, ruleSet: RuleSet, showFile: boolean): FindingsResult {
  const groupBy: FindingsGrouping = params.groupBy === 'tactic' || params.groupBy === 'identity' ? params.groupBy : 'rule';
  const limit = typeof params.limit === 'number' && params.limit >= 0 ? params.limit : DEFAULT_FINDING_LIMIT;
  const range = timeRangeOf({
    ...(typeof params.from === 'string' ? { from: params.from } : {}),
    ...(typeof params.to === 'string' ? { to: params.to } : {}),
  });
  const groups = new Map<string, FindingGroup>();
  const usedRules = new Map<number, FindingRule>();
  let total = 0;
  for (const finding of placed) {
    const definition = ruleSet.rules.at(finding.rule);
    if (definition === undefined) continue;
    if (range && !range.contains(eventTimeMs(finding.fields))) continue;
    total++;
    if (!usedRules.has(finding.rule)) usedRules.set(finding.rule, findingRule(finding.rule, definition));
    const event = eventRef(finding.record, finding.fields, finding.range);
    if (showFile) event.uri = finding.uri;
    const ref: FindingRef = { rule: finding.rule, event };
    if (finding.related > 0) ref.related = finding.related;
    for (const [key, make] of groupKeys(groupBy, finding.rule, definition, finding.fields.identity)) {
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
  rule: number,
  definition: RuleDefinition,
  identity: { key: string; label: string; type?: string },
): [string, () => FindingGroup][] {
  switch (groupBy) {
    case 'rule':
      return [[`rule:${String(rule)}`, () => ({ key: `rule:${String(rule)}`, label: definition.metadata.title, kind: 'rule', rule, count: 0, findings: [] })]];
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
      return tactics.map((tactic) => [
        tactic,
        () => ({ key: tactic, label: tactic === NO_TACTIC_KEY ? NO_TACTIC_LABEL : tacticLabel(tactic), kind: 'tactic', count: 0, findings: [] }),
      ]);
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

import { Document, isMap, isScalar, isSeq, Node, Pair, parseAllDocuments, Scalar, YAMLMap } from 'yaml';
import { parseCondition } from './condition';
import { compileFieldCondition } from './fieldMatchers';
import {
  ConditionNode,
  CorrelationDefinition,
  CorrelationType,
  CountCondition,
  FieldCondition,
  KNOWN_MODIFIERS,
  RULE_LEVELS,
  RuleDefinition,
  RuleLevel,
  RuleMetadata,
  RuleOrigin,
  RuleProblem,
  SelectionDefinition,
  SigmaModifier,
  SigmaScalar,
  TextSpan,
} from './types';

/**
 * Reads Sigma rule files (YAML, one or several documents) into rule definitions, keeping the
 * position of every key so that a mistake is reported where it was written. A document with a
 * mistake yields no rule; the other documents and files are not affected.
 */

export interface RuleFileInput {
  /** How the file is named to the user (a path or a URI). */
  path: string;
  text: string;
  origin: RuleOrigin;
}

/** A rule as read, before its references to other rules are resolved. */
export interface ParsedRule {
  definition: RuleDefinition;
  /** The spans of each value of each field condition, by condition object. */
  valueSpans: Map<FieldCondition, TextSpan[]>;
  /** Correlations name their rules by id or name; resolved when the whole set is known. */
  correlationSpan?: TextSpan;
  /** The key span of `correlation.rules`, for unresolved references. */
  referencesSpan?: TextSpan;
  /** For an older temporal rule (`near`, or `and` with a timeframe): the searches it correlates, named by `correlation.rules`. */
  temporalParts?: ConditionNode[];
}

export interface ParsedRuleFile {
  path: string;
  origin: RuleOrigin;
  rules: ParsedRule[];
  problems: RuleProblem[];
}

const MODIFIERS: ReadonlySet<string> = new Set(KNOWN_MODIFIERS);
const CORRELATION_TYPES: readonly CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered'];

function spanOf(node: Node | null | undefined, fallback: TextSpan): TextSpan {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : fallback;
}

function keySpan(pair: Pair, fallback: TextSpan): TextSpan {
  return spanOf(isScalar(pair.key) ? pair.key : null, fallback);
}

function keyName(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

function text(node: unknown): string | undefined {
  if (isScalar(node)) {
    const value = node.value;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  }
  return undefined;
}

function textList(node: unknown): string[] {
  if (isSeq(node)) {
    return node.items.map((item) => text(item)).filter((item): item is string => item !== undefined);
  }
  const single = text(node);
  return single === undefined ? [] : [single];
}

function scalarValue(node: Scalar): SigmaScalar | undefined {
  const value = node.value;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  return undefined;
}

/** `Xs`, `Xm`, `Xh`, `Xd` (and `Xw`, `XM`, `Xy` of older rules) in milliseconds. */
export function parseTimespan(value: string): number | undefined {
  const match = /^(\d+)([smhdwMy])$/.exec(value.trim());
  if (!match) return undefined;
  const units: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3, M: 30 * 86400e3, y: 365 * 86400e3 };
  return Number(match[1]) * units[match[2]];
}

/** Technique ids and tactics from `attack.*` tags. */
function attackOf(tags: readonly string[]): { techniques: string[]; tactics: string[] } {
  const techniques: string[] = [];
  const tactics: string[] = [];
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    if (!lower.startsWith('attack.')) continue;
    const rest = lower.slice('attack.'.length);
    if (/^t\d{4}(\.\d{3})?$/.test(rest)) {
      techniques.push(rest.toUpperCase());
    } else if (/^[a-z_-]+$/.test(rest) && !/^(g|s)\d{4}$/.test(rest)) {
      tactics.push(rest.replace(/_/g, '-'));
    }
  }
  return { techniques, tactics };
}

export function parseRuleFile(input: RuleFileInput): ParsedRuleFile {
  const result: ParsedRuleFile = { path: input.path, origin: input.origin, rules: [], problems: [] };
  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(input.text, { prettyErrors: false }) as Document.Parsed[];
  } catch (error) {
    result.problems.push({ code: 'sigma-yaml', severity: 'error', message: `This file cannot be read as YAML: ${String(error)}`, span: { start: 0, end: 0 } });
    return result;
  }
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        result.problems.push({
          code: 'sigma-yaml',
          severity: 'error',
          message: `YAML: ${error.message.split('\n')[0]}`,
          span: { start: error.pos[0], end: Math.max(error.pos[1], error.pos[0]) },
        });
      }
      continue;
    }
    const contents = document.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) {
      continue; // an empty document, such as after a final `---`
    }
    const documentSpan = spanOf(contents, { start: 0, end: 0 });
    if (!isMap(contents)) {
      result.problems.push({ code: 'sigma-bad-rule', severity: 'error', message: 'A Sigma rule is a YAML map (title:, detection:, ...).', span: documentSpan });
      continue;
    }
    const problems: RuleProblem[] = [];
    const rule = new DocumentReader(contents, input, documentSpan, problems).read();
    result.problems.push(...problems);
    if (rule && !problems.some((problem) => problem.severity === 'error')) {
      result.rules.push(rule);
    }
  }
  return result;
}

class DocumentReader {
  private readonly pairs = new Map<string, Pair>();
  private readonly valueSpans = new Map<FieldCondition, TextSpan[]>();

  constructor(
    map: YAMLMap,
    private readonly input: RuleFileInput,
    private readonly span: TextSpan,
    private readonly problems: RuleProblem[],
  ) {
    for (const pair of map.items) {
      const name = keyName(pair);
      if (name !== undefined) this.pairs.set(name, pair);
    }
  }

  private error(code: string, message: string, span: TextSpan): undefined {
    this.problems.push({ code, severity: 'error', message, span });
    return undefined;
  }

  private value(name: string): unknown {
    return this.pairs.get(name)?.value;
  }

  read(): ParsedRule | undefined {
    const action = this.pairs.get('action');
    if (action) {
      this.error(
        'sigma-bad-rule',
        'Rule collections with action: (global, reset, repeat) are an older Sigma form this engine does not read; write each rule as a whole document.',
        keySpan(action, this.span),
      );
      return undefined;
    }
    const title = text(this.value('title'));
    if (title === undefined) {
      this.error('sigma-missing-title', 'A Sigma rule needs a title.', this.span);
      return undefined;
    }
    const metadata = this.metadata(title);
    const correlationPair = this.pairs.get('correlation');
    if (correlationPair) {
      const correlation = this.correlation(correlationPair);
      if (!correlation) return undefined;
      return {
        definition: { metadata, correlation, feedsCorrelationOnly: false },
        valueSpans: this.valueSpans,
        correlationSpan: keySpan(correlationPair, this.span),
        referencesSpan: spanOf((correlationPair.value as YAMLMap | null)?.get('rules', true), keySpan(correlationPair, this.span)),
      };
    }
    const detectionPair = this.pairs.get('detection');
    if (!detectionPair || !isMap(detectionPair.value)) {
      this.error(
        'sigma-missing-detection',
        'A Sigma rule needs a detection: map with its selections and a condition.',
        detectionPair ? keySpan(detectionPair, this.span) : this.span,
      );
      return undefined;
    }
    return this.detection(metadata, detectionPair.value, keySpan(detectionPair, this.span));
  }

  private metadata(title: string): RuleMetadata {
    const levelText = text(this.value('level'))?.toLowerCase();
    let level: RuleLevel = 'medium';
    if (levelText !== undefined) {
      if ((RULE_LEVELS as readonly string[]).includes(levelText)) {
        level = levelText as RuleLevel;
      } else {
        this.problems.push({
          code: 'sigma-unknown-level',
          severity: 'warning',
          message: `level is one of ${RULE_LEVELS.join(', ')}; this rule is read as medium.`,
          span: spanOf(this.value('level') as Node, this.span),
        });
      }
    }
    const tags = textList(this.value('tags'));
    const attack = attackOf(tags);
    const id = text(this.value('id'));
    const metadata: RuleMetadata = {
      id: id ?? `${this.input.path}#${title}`,
      title,
      level,
      tags,
      attackTechniques: attack.techniques,
      attackTactics: attack.tactics,
      falsepositives: textList(this.value('falsepositives')),
      references: textList(this.value('references')),
      file: this.input.path,
      origin: this.input.origin,
      span: this.span,
    };
    const optional = ['name', 'description', 'status', 'author', 'date', 'modified'] as const;
    for (const key of optional) {
      const value = text(this.value(key));
      if (value !== undefined) metadata[key] = value;
    }
    return metadata;
  }

  private detection(metadata: RuleMetadata, detection: YAMLMap, detectionSpan: TextSpan): ParsedRule | undefined {
    const selections: SelectionDefinition[] = [];
    /** Selections with a mistake already reported: the condition may still name them. */
    const brokenSelections: string[] = [];
    let conditionPair: Pair | undefined;
    let timeframe: number | undefined;
    let ok = true;
    for (const pair of detection.items) {
      const name = keyName(pair);
      const span = keySpan(pair, detectionSpan);
      if (name === undefined) continue;
      if (name === 'condition') {
        conditionPair = pair;
      } else if (name === 'timeframe') {
        const value = text(pair.value);
        timeframe = value === undefined ? undefined : parseTimespan(value);
        if (timeframe === undefined) {
          this.error('sigma-bad-timespan', 'timeframe is a number and a unit: 30s, 10m, 2h or 1d.', spanOf(pair.value as Node, span));
          ok = false;
        }
      } else {
        const selection = this.selection(name, pair.value, span);
        if (selection) selections.push(selection);
        else {
          ok = false;
          brokenSelections.push(name);
        }
      }
    }
    if (!conditionPair) {
      this.error('sigma-missing-condition', 'The detection needs a condition naming its selections.', detectionSpan);
      return undefined;
    }
    const conditionNodes = isSeq(conditionPair.value) ? conditionPair.value.items : [conditionPair.value];
    const names = [...selections.map((selection) => selection.name), ...brokenSelections];
    const conditions: ConditionNode[] = [];
    const conditionText: string[] = [];
    let aggregation: ReturnType<typeof parseCondition>['aggregation'];
    for (const node of conditionNodes) {
      const written = text(node);
      const nodeSpan = spanOf(node as Node, keySpan(conditionPair, detectionSpan));
      if (written === undefined) {
        this.error('sigma-bad-condition', 'A condition is text, such as "selection and not filter".', nodeSpan);
        ok = false;
        continue;
      }
      const parsed = parseCondition(written, names);
      const scalar = node as Scalar;
      // The offsets of a plain or single-line quoted scalar map straight into the file.
      const shift = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE' ? 1 : 0;
      const exact = (scalar.type === 'PLAIN' || shift === 1) && nodeSpan.end - nodeSpan.start === written.length + 2 * shift;
      for (const issue of parsed.issues) {
        const span = exact
          ? { start: nodeSpan.start + shift + issue.offset, end: nodeSpan.start + shift + issue.offset + Math.max(1, issue.length) }
          : nodeSpan;
        this.error(issue.code, issue.message, span);
        ok = false;
      }
      if (parsed.node) {
        conditions.push(parsed.node);
        conditionText.push(written);
      }
      if (parsed.aggregation) {
        if (conditionNodes.length > 1) {
          this.error('sigma-bad-condition', "An aggregation (after |) must be the rule's only condition.", nodeSpan);
          ok = false;
        }
        aggregation = parsed.aggregation;
      }
    }
    if (!ok || conditions.length === 0) {
      return undefined;
    }
    const condition: ConditionNode = conditions.length === 1 ? conditions[0] : { kind: 'or', operands: conditions };
    const definition: RuleDefinition = { metadata, detection: { selections, condition, conditionText }, feedsCorrelationOnly: false };
    if (aggregation?.kind === 'count') {
      definition.correlation = {
        type: aggregation.field ? 'value_count' : 'event_count',
        rules: [metadata.id],
        groupBy: aggregation.groupBy ? [aggregation.groupBy] : [],
        timespanMs: timeframe,
        condition: aggregation.condition,
        field: aggregation.field,
        aliases: {},
        form: 'aggregation',
        generate: false,
      };
    }
    let temporalParts: ConditionNode[] | undefined;
    if (aggregation?.kind === 'near') {
      temporalParts = [condition, aggregation.condition];
    } else if (timeframe !== undefined && condition.kind === 'and' && condition.operands.every((operand) => operand.kind === 'selection')) {
      // An older rule that gives a timeframe and joins selections with `and` means those searches
      // seen close together (SigmaHQ keeps such rules as unsupported): one event cannot match them all.
      temporalParts = condition.operands;
    }
    if (temporalParts) {
      definition.correlation = {
        type: 'temporal',
        rules: temporalParts.map((_, index) => `${metadata.id}#${String(index + 1)}`),
        groupBy: [],
        timespanMs: timeframe,
        condition: { gte: temporalParts.length },
        aliases: {},
        form: 'aggregation',
        generate: false,
      };
    }
    return { definition, valueSpans: this.valueSpans, temporalParts };
  }

  private selection(name: string, value: unknown, span: TextSpan): SelectionDefinition | undefined {
    if (isMap(value)) {
      const conditions = this.fieldMap(value, span);
      return conditions ? { kind: 'fields', name, alternatives: [conditions], span } : undefined;
    }
    if (isSeq(value)) {
      if (value.items.length > 0 && value.items.every((item) => isMap(item))) {
        const alternatives: FieldCondition[][] = [];
        for (const item of value.items) {
          const conditions = this.fieldMap(item, span);
          if (!conditions) return undefined;
          alternatives.push(conditions);
        }
        return { kind: 'fields', name, alternatives, span };
      }
      const values: SigmaScalar[] = [];
      for (const item of value.items) {
        const scalar = isScalar(item) ? scalarValue(item) : undefined;
        if (scalar === undefined) {
          this.error(
            'sigma-bad-selection',
            'A list in a detection holds either maps of fields or plain values (keywords), not both.',
            spanOf(item as Node, span),
          );
          return undefined;
        }
        values.push(scalar);
      }
      return { kind: 'keywords', name, values, span };
    }
    if (isScalar(value)) {
      const scalar = scalarValue(value);
      if (scalar !== undefined && scalar !== null) return { kind: 'keywords', name, values: [scalar], span };
    }
    this.error('sigma-bad-selection', `The selection ${name} is neither a map of fields nor a list.`, span);
    return undefined;
  }

  private fieldMap(map: YAMLMap, fallback: TextSpan): FieldCondition[] | undefined {
    const conditions: FieldCondition[] = [];
    let ok = true;
    for (const pair of map.items) {
      const key = keyName(pair);
      const span = keySpan(pair, fallback);
      if (key === undefined) {
        ok = false;
        this.error('sigma-bad-selection', 'A field name is text.', span);
        continue;
      }
      const [field, ...modifierNames] = key.split('|');
      const modifiers: SigmaModifier[] = [];
      for (const modifier of modifierNames) {
        if (MODIFIERS.has(modifier)) {
          modifiers.push(modifier as SigmaModifier);
        } else {
          ok = false;
          const detail =
            modifier === 'expand'
              ? 'expand fills in placeholders (%name%) from a configuration that this engine does not have; write the values into the rule.'
              : `${JSON.stringify(modifier)} is not a Sigma modifier this engine knows (${KNOWN_MODIFIERS.filter((m) => m.length > 1).join(', ')}).`;
          this.error('sigma-unknown-modifier', detail, span);
        }
      }
      if (field === '') {
        ok = false;
        this.error('sigma-bad-selection', 'A field condition names its field before the modifiers (field|contains).', span);
        continue;
      }
      const values: SigmaScalar[] = [];
      const spans: TextSpan[] = [];
      const items = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const item of items) {
        const scalar = item === null || item === undefined ? null : isScalar(item) ? scalarValue(item) : undefined;
        if (scalar === undefined) {
          ok = false;
          this.error('sigma-bad-selection', 'A field takes a value or a list of values, not a map.', spanOf(item as Node, span));
          continue;
        }
        values.push(scalar);
        spans.push(spanOf(item as Node, span));
      }
      const condition: FieldCondition = { field, modifiers, values, span };
      this.valueSpans.set(condition, spans);
      conditions.push(condition);
      // Compiled here once to report every mistake of the file (a bad regular expression, CIDR, ...) at once.
      if (modifiers.length === modifierNames.length && !compileFieldCondition(condition, { problems: this.problems, valueSpans: spans })) {
        ok = false;
      }
    }
    return ok ? conditions : undefined;
  }

  private correlation(pair: Pair): CorrelationDefinition | undefined {
    const span = keySpan(pair, this.span);
    const map = pair.value;
    if (!isMap(map)) {
      this.error('sigma-bad-correlation', 'correlation: is a map with type, rules, group-by, timespan and condition.', span);
      return undefined;
    }
    const get = (name: string): unknown => map.get(name, true);
    const type = text(get('type'));
    if (type === undefined || !(CORRELATION_TYPES as readonly string[]).includes(type)) {
      this.error('sigma-bad-correlation', `The correlation type is one of ${CORRELATION_TYPES.join(', ')}.`, spanOf(get('type') as Node, span));
      return undefined;
    }
    const rules = textList(get('rules'));
    if (rules.length === 0) {
      this.error('sigma-bad-correlation', 'A correlation names the rules it correlates under rules:.', spanOf(get('rules') as Node, span));
      return undefined;
    }
    const timespanText = text(get('timespan'));
    const timespanMs = timespanText === undefined ? undefined : parseTimespan(timespanText);
    if (timespanMs === undefined) {
      this.error('sigma-bad-timespan', 'timespan is a number and a unit: 30s, 10m, 2h or 1d.', spanOf(get('timespan') as Node, span));
      return undefined;
    }
    const conditionNode = get('condition');
    const condition: CountCondition = {};
    let field: string | undefined;
    if (isMap(conditionNode)) {
      for (const item of conditionNode.items) {
        const name = keyName(item);
        const itemSpan = keySpan(item, span);
        if (name === 'field') {
          field = text(item.value);
          continue;
        }
        const bound = isScalar(item.value) ? Number(item.value.value) : NaN;
        if ((name === 'gt' || name === 'gte' || name === 'lt' || name === 'lte' || name === 'eq') && !Number.isNaN(bound)) {
          condition[name] = bound;
        } else {
          this.error('sigma-bad-correlation', 'A correlation condition compares with gt, gte, lt, lte or eq and a number.', itemSpan);
          return undefined;
        }
      }
    } else if (conditionNode !== undefined) {
      this.error('sigma-bad-correlation', 'A correlation condition is a map such as gte: 10.', spanOf(conditionNode as Node, span));
      return undefined;
    }
    if (type === 'value_count' && field === undefined) {
      this.error(
        'sigma-bad-correlation',
        'A value_count correlation names the field whose values it counts (condition: field: ...).',
        spanOf(conditionNode, span),
      );
      return undefined;
    }
    if ((type === 'event_count' || type === 'value_count') && Object.keys(condition).length === 0) {
      this.error('sigma-bad-correlation', 'This correlation needs a condition such as gte: 10.', span);
      return undefined;
    }
    const aliases: Record<string, Record<string, string>> = {};
    const aliasMap = get('aliases');
    if (isMap(aliasMap)) {
      for (const alias of aliasMap.items) {
        const name = keyName(alias);
        if (name === undefined || !isMap(alias.value)) continue;
        const byRule: Record<string, string> = {};
        for (const entry of alias.value.items) {
          const rule = keyName(entry);
          const path = text(entry.value);
          if (rule !== undefined && path !== undefined) byRule[rule] = path;
        }
        aliases[name] = byRule;
      }
    }
    return {
      type: type as CorrelationType,
      rules,
      groupBy: textList(get('group-by')),
      timespanMs,
      condition: Object.keys(condition).length === 0 ? { gte: rules.length } : condition,
      field,
      aliases,
      form: 'correlation',
      generate: isScalar(get('generate')) && (get('generate') as Scalar).value === true,
    };
  }
}

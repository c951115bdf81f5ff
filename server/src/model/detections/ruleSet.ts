import { CloudTrailDocument, RecordSummary, UNREAD_SUMMARY } from '../cloudTrailDocument';
import { JsonView, NO_NODE, NodeTable } from '../json/nodeTable';
import { allOf, anyOf, compileKeyword, compileFieldCondition, FieldTest } from './fieldMatchers';
import { EventFields, KnownValues } from './eventFields';
import { literalConstraint } from './literals';
import { correlate, CorrelationObservation, CorrelationPlan, planCorrelations } from './correlation';
import { ParsedRule, ParsedRuleFile, parseRuleFile, RuleFileInput } from './ruleLoader';
import { ConditionNode, Finding, RuleDefinition, RuleOrigin, RuleProblem, SelectionDefinition } from './types';

/**
 * A set of Sigma rules compiled once: every rule file read, every rule compiled to tests, and an
 * index from eventName and eventSource to the rules that can match them, so a record is tested
 * only against those rules (and the few that name neither).
 */

/** Tells whether CloudTrail can write an event: true, false, or undefined when nothing is known of it. */
export interface EventCatalog {
  eventExists(eventSource: string | undefined, eventName: string): boolean | undefined;
  sourceExists(eventSource: string): boolean | undefined;
  /** Why CloudTrail never writes this event, when the catalog knows a reason worth telling. */
  absenceReason?(eventSource: string | undefined, eventName: string): string | undefined;
}

export interface RuleFileReport {
  path: string;
  origin: RuleOrigin;
  problems: RuleProblem[];
  /** Indexes into `RuleSet.rules` of the rules read from this file. */
  rules: number[];
}

export interface LoadOptions {
  catalog?: EventCatalog;
}

interface CompiledRule {
  definition: RuleDefinition;
  test?: FieldTest;
  /** Matches become findings of this rule. */
  reports: boolean;
  /** Correlations that use this rule's matches, with the rule's place among their members. */
  feeds: { correlation: number; member: number }[];
}

/**
 * Receives the rules that report a record. An object with a method rather than a callback: a
 * file's detector passes itself, one function for every file, which the engine optimizes once.
 */
export interface FindingSink {
  finding(rule: number): void;
}

/**
 * A record to test, read once by the caller: the event object and the fields its summary holds
 * as strings, which the index uses and the rules then need not look up (a field that is not a
 * string there is undefined, and looked up).
 */
export interface EventInput {
  view: JsonView;
  node: number;
  eventName?: string;
  eventSource?: string;
  eventTime?: string;
  /** userIdentity.type */
  identityType?: string;
  /** userIdentity.arn, when it is a string that is not empty (else it is looked up) */
  identityArn?: string;
  userAgent?: string;
  /** userIdentity.sessionContext.sessionIssuer.type */
  sessionIssuerType?: string;
  /** Shares the value lists of the fields above between the records of a run. */
  knownValues?: KnownValues;
}

/** Makes `input` the input of the record `node` of `view`, whose summary is `summary`. */
export function readyInput(input: EventInput, view: JsonView, node: number, summary: RecordSummary): EventInput {
  input.view = view;
  input.node = node;
  input.eventName = summary.eventName;
  input.eventSource = summary.eventSource;
  input.eventTime = summary.eventTime;
  input.identityType = summary.identity.type;
  input.identityArn = summary.identity.arn;
  input.userAgent = summary.userAgent;
  input.sessionIssuerType = summary.identity.sessionIssuerType;
  return input;
}

const NO_DOCUMENT = new JsonView('', new NodeTable(0));

/**
 * The input and the findings of the document `detectDocument` is reading: one for every document
 * a rule set reads. The engine's optimized code for the rules refers to the input and sink objects
 * it ran with, and is thrown away when they are collected: with new ones for each document, every
 * full garbage collection sent the next document back to unoptimized code.
 */
class DocumentRun implements FindingSink {
  findings: Finding[] = [];
  record = 0;
  readonly input: EventInput = { view: NO_DOCUMENT, node: NO_NODE, knownValues: new KnownValues() };

  finding(rule: number): void {
    this.findings.push({ rule, record: this.record });
  }

  /** Lets go of the document read last: its findings, its view and the values read from it. */
  release(): void {
    this.findings = [];
    this.record = 0;
    readyInput(this.input, NO_DOCUMENT, NO_NODE, UNREAD_SUMMARY);
    this.input.knownValues?.clear();
  }
}

const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;

/** What `foldedHash` gives for a text with other than ASCII characters. */
const NOT_ASCII = -1;

/** A hash of a text with ASCII letters in lower case, made without a copy; NOT_ASCII for other text. */
function foldedHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0x80) return NOT_ASCII;
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  return hash >>> 0;
}

/** The fields a rule can be indexed by, in the order they are tried; the caller reads them for every record. */
const INDEXED_FIELDS = ['eventName', 'eventSource', 'userIdentity.type', 'userAgent', 'userIdentity.arn'] as const;
const INDEXED_FIELD_SEGMENTS = INDEXED_FIELDS.map((field) => field.split('.'));

/**
 * Whether `value` in lower case starts with `prefix` (lower-case printable ASCII), without a
 * lower-case copy of the value unless a character of other than ASCII comes first, and then of
 * its first `prefix.length` characters only: each lowers to one character or more, and the one
 * whose lowering depends on what follows (the final sigma) lowers to no ASCII either way.
 */
function startsWithFolded(value: string, prefix: string): boolean {
  for (let i = 0; i < prefix.length; i++) {
    let code = value.charCodeAt(i);
    // Past the end of the value (NaN) too: a character may lower to more than one.
    if (!(code < 0x80)) return value.slice(0, prefix.length).toLowerCase().startsWith(prefix);
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    if (code !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

/** The caller's string for the indexed field at `position` (see INDEXED_FIELDS). */
function indexedValue(event: EventInput, position: number): string | undefined {
  switch (position) {
    case 0:
      return event.eventName;
    case 1:
      return event.eventSource;
    case 2:
      return event.identityType;
    case 3:
      return event.userAgent;
    default:
      return event.identityArn;
  }
}

export class RuleSet {
  /** Every rule, in file order; correlation parts of older rules (ids ending in #1, #2) included. */
  readonly rules: readonly RuleDefinition[];
  readonly files: readonly RuleFileReport[];
  private readonly compiled: CompiledRule[];
  /** For each indexed field, the rules by the literal values it must have (lower case, and as the rules spell them). */
  private readonly indexes: Map<string, number[]>[] = INDEXED_FIELDS.map(() => new Map<string, number[]>());
  /** For each indexed field, the rules by a prefix its value must have (lower-case printable ASCII). */
  private readonly prefixes: { prefix: string; rules: number[] }[][] = INDEXED_FIELDS.map(() => []);
  /** For each indexed field, the rules by a text its value must contain (case as written). */
  private readonly containing: { text: string; rules: number[] }[][] = INDEXED_FIELDS.map(() => []);
  /** For each indexed field, every rule indexed by it: what a record runs when the field is there but not as a string. */
  private readonly everyIndexed: number[][] = INDEXED_FIELDS.map(() => []);
  private readonly unindexed: number[] = [];
  /** For each index, `foldedHash` of its keys: a value whose hash is not here names no rule in any case. */
  private readonly foldedKeys: Set<number>[];
  /** For each index whose keys are all ASCII, which lengths they have (1 at a key's length); undefined for other indexes. */
  private readonly keyLengths: (Uint8Array | undefined)[];
  readonly correlations: readonly CorrelationPlan[];

  private constructor(
    compiled: CompiledRule[],
    files: RuleFileReport[],
    correlations: CorrelationPlan[],
    /** The rule files as read, plain data: what another thread compiles into the same set (see `compile`). */
    readonly parsedFiles: readonly ParsedRuleFile[],
  ) {
    this.compiled = compiled;
    this.rules = compiled.map((rule) => rule.definition);
    this.files = files;
    this.correlations = correlations;
    compiled.forEach((rule, index) => {
      const detection = rule.definition.detection;
      if (!rule.test || !detection || (!rule.reports && rule.feeds.length === 0)) return;
      // The first field whose values the condition pins down decides which records are tested.
      for (let position = 0; position < INDEXED_FIELDS.length; position++) {
        const constraint = literalConstraint(detection.condition, detection.selections, INDEXED_FIELDS[position]);
        if (!constraint) continue;
        const map = this.indexes[position];
        for (const key of constraint.exact) {
          const list = map.get(key);
          if (list) list.push(index);
          else map.set(key, [index]);
        }
        const prefixed = this.prefixes[position];
        for (const prefix of constraint.prefixes) {
          const entry = prefixed.find((candidate) => candidate.prefix === prefix);
          if (entry) entry.rules.push(index);
          else prefixed.push({ prefix, rules: [index] });
        }
        const containing = this.containing[position];
        for (const text of constraint.contains) {
          const entry = containing.find((candidate) => candidate.text === text);
          if (entry) entry.rules.push(index);
          else containing.push({ text, rules: [index] });
        }
        this.everyIndexed[position].push(index);
        return;
      }
      this.unindexed.push(index);
    });
    // Records nearly always spell a value as the rules do: that spelling finds the same list
    // without lowering the record's value first.
    INDEXED_FIELDS.forEach((field, position) => {
      const map = this.indexes[position];
      for (const rule of compiled) {
        for (const selection of rule.definition.detection?.selections ?? []) {
          if (selection.kind !== 'fields') continue;
          for (const condition of selection.alternatives.flat()) {
            if (condition.field !== field) continue;
            for (const value of condition.values) {
              if (typeof value !== 'string') continue;
              const list = map.get(value.toLowerCase());
              if (list && !map.has(value)) map.set(value, list);
            }
          }
        }
      }
    });
    this.foldedKeys = this.indexes.map((map) => new Set([...map.keys()].map(foldedHash)));
    // A value that lowers to an ASCII key has the key's length (only ASCII letters and the Kelvin
    // sign lower to ASCII letters), so the lengths of ASCII keys rule out most values at once.
    this.keyLengths = this.indexes.map((map) => {
      const keys = [...map.keys()];
      if (!keys.every((key) => PRINTABLE_ASCII.test(key))) return undefined;
      const lengths = new Uint8Array(Math.max(0, ...keys.map((key) => key.length)) + 1);
      for (const key of keys) lengths[key.length] = 1;
      return lengths;
    });
  }

  static load(inputs: readonly RuleFileInput[], options: LoadOptions = {}): RuleSet {
    return RuleSet.compile(
      inputs.map((input) => parseRuleFile(input)),
      options,
    );
  }

  /**
   * The set of rule files read already. An index worker compiles the files the server read,
   * copied to it as plain data, instead of reading and parsing every file again (parsing the YAML
   * costs a new thread more than compiling the rules).
   */
  static compile(parsedFiles: readonly ParsedRuleFile[], options: LoadOptions = {}): RuleSet {
    const compiled: CompiledRule[] = [];
    const files: RuleFileReport[] = [];
    const pending: { rule: ParsedRule; file: RuleFileReport; index: number }[] = [];
    const seenIds = new Map<string, string>();
    for (const parsed of parsedFiles) {
      const report: RuleFileReport = { path: parsed.path, origin: parsed.origin, problems: [...parsed.problems], rules: [] };
      files.push(report);
      for (const rule of parsed.rules) {
        const id = rule.definition.metadata.id;
        const earlier = seenIds.get(id);
        if (earlier !== undefined) {
          report.problems.push({
            code: 'sigma-duplicate-id',
            severity: 'warning',
            message: `Another rule has the id ${id} (in ${earlier}); both run, but correlations and settings cannot tell them apart.`,
            span: rule.definition.metadata.span,
          });
        }
        seenIds.set(id, parsed.path);
        // The reader compiled every value already and reported its mistakes.
        const compiledRule = compileRule(rule, []);
        if (!compiledRule) continue;
        const index = compiled.length;
        compiled.push(compiledRule);
        report.rules.push(index);
        pending.push({ rule, file: report, index });
        for (const part of hiddenParts(rule)) {
          const partRule = compileRule(part, []);
          if (partRule) {
            partRule.reports = false;
            compiled.push(partRule);
          }
        }
        if (options.catalog && rule.definition.detection) {
          report.problems.push(...unknownEventWarnings(rule.definition.detection.selections, options.catalog));
        }
      }
    }
    const correlations = planCorrelations(
      compiled.map((rule) => rule.definition),
      pending,
      (problem, file) => file.problems.push(problem),
    );
    for (const plan of correlations) {
      plan.members.forEach((member, position) => {
        compiled[member].feeds.push({ correlation: plan.index, member: position });
        const sameFile = compiled[member].definition.metadata.file === compiled[plan.rule].definition.metadata.file;
        if (compiled[member].definition.correlation === undefined && sameFile && !plan.definition.generate) {
          compiled[member].reports = false;
        }
      });
    }
    return new RuleSet(compiled, files, correlations, parsedFiles);
  }

  /** Rules that report on their own (not the parts of correlations). */
  get reportingRules(): number[] {
    return this.compiled.flatMap((rule, index) => (rule.reports || rule.definition.correlation ? [index] : []));
  }

  /**
   * Tests one record: tells `sink` each rule that reports it, and adds an observation for each
   * correlation it feeds. Neither `event` nor its values are kept after the call, so a caller may
   * reuse one input object for every record.
   */
  evaluate(event: EventInput, record: number, file: number, sink: FindingSink, observations?: CorrelationObservation[]): void {
    if (event.node === NO_NODE) return;
    // One object for every record (evaluate runs to its end before the next call): on a large log,
    // every allocation per record adds up.
    const fields = this.fields.reset(event.view, event.node, event);
    try {
      for (let position = 0; position < INDEXED_FIELDS.length; position++) {
        const value = indexedValue(event, position);
        if (value === undefined) {
          // Not a string (an array, a number) or not there: the rules compare what is there as Sigma reads it.
          const field = INDEXED_FIELDS[position];
          if (this.everyIndexed[position].length > 0 && fields.values(field, INDEXED_FIELD_SEGMENTS[position]).length > 0) {
            this.runRules(this.everyIndexed[position], fields, event, record, file, sink, observations);
          }
          continue;
        }
        this.runRules(this.rulesFor(position, value), fields, event, record, file, sink, observations);
        const prefixed = this.prefixes[position];
        // eslint-disable-next-line @typescript-eslint/prefer-for-of -- runs per record: an indexed loop makes no iterator
        for (let i = 0; i < prefixed.length; i++) {
          if (startsWithFolded(value, prefixed[i].prefix)) this.runRules(prefixed[i].rules, fields, event, record, file, sink, observations);
        }
        const containing = this.containing[position];
        // eslint-disable-next-line @typescript-eslint/prefer-for-of -- as above
        for (let i = 0; i < containing.length; i++) {
          if (value.includes(containing[i].text)) this.runRules(containing[i].rules, fields, event, record, file, sink, observations);
        }
      }
      this.runRules(this.unindexed, fields, event, record, file, sink, observations);
    } finally {
      // The rule set outlives the documents it reads: it keeps nothing of this one, even when a
      // callback throws.
      fields.reset(NO_DOCUMENT, NO_NODE);
    }
  }

  private readonly fields = new EventFields(NO_DOCUMENT, NO_NODE);

  /** What `detectDocument` reads records into and collects findings with, while no document is being read. */
  private idleRun: DocumentRun | undefined;

  /** The rules indexed by this value of the indexed field at `position`, if any. */
  private rulesFor(position: number, value: string): readonly number[] | undefined {
    const lengths = this.keyLengths[position];
    // Past the longest key, the typed array gives undefined.
    if (lengths && lengths[value.length] !== 1) return undefined;
    const map = this.indexes[position];
    const exact = map.get(value);
    if (exact) return exact;
    // Most values name no rule: a hash of the value with its letters folded says so without
    // making its lower-case copy (values with other than ASCII characters are lowered to be sure).
    const folded = foldedHash(value);
    return folded === NOT_ASCII || this.foldedKeys[position].has(folded) ? map.get(value.toLowerCase()) : undefined;
  }

  private runRules(
    rules: readonly number[] | undefined,
    fields: EventFields,
    event: EventInput,
    record: number,
    file: number,
    sink: FindingSink,
    observations: CorrelationObservation[] | undefined,
  ): void {
    if (!rules) return;
    // eslint-disable-next-line @typescript-eslint/prefer-for-of -- runs per record: an indexed loop makes no iterator, even before the function is optimized
    for (let i = 0; i < rules.length; i++) {
      const index = rules[i];
      const rule = this.compiled[index];
      if (!rule.test?.(fields)) continue;
      if (rule.reports && !rule.definition.correlation) sink.finding(index);
      if (observations) {
        for (const feed of rule.feeds) {
          const plan = this.correlations[feed.correlation];
          observations.push(plan.observe(fields, feed.member, event.eventTime, record, file));
        }
      }
    }
  }

  /** The findings of a whole document: single events and correlations over its records, by record. */
  detectDocument(model: CloudTrailDocument): Finding[] {
    const observations: CorrelationObservation[] = [];
    const hasCorrelations = this.correlations.length > 0;
    const run = this.idleRun ?? new DocumentRun();
    this.idleRun = undefined;
    let findings: Finding[];
    try {
      for (const record of model.records) {
        run.record = record.index;
        readyInput(run.input, record.source.view, record.node, record.summary);
        this.evaluate(run.input, record.index, 0, run, hasCorrelations ? observations : undefined);
      }
      findings = run.findings;
    } finally {
      run.release();
      this.idleRun = run;
    }
    for (const found of correlate(this.correlations, observations)) {
      findings.push({ rule: found.rule, record: found.record, related: found.related.map((related) => related.record) });
    }
    findings.sort((a, b) => a.record - b.record || a.rule - b.rule);
    return findings;
  }

  /** The problems of each rule file that has any. */
  problemsByFile(): Map<string, RuleProblem[]> {
    const result = new Map<string, RuleProblem[]>();
    for (const file of this.files) {
      if (file.problems.length > 0) result.set(file.path, file.problems);
    }
    return result;
  }
}

function hiddenParts(rule: ParsedRule): ParsedRule[] {
  const correlation = rule.definition.correlation;
  const detection = rule.definition.detection;
  if (!rule.temporalParts || !correlation || !detection) return [];
  return rule.temporalParts.map((condition, index) => ({
    definition: {
      metadata: { ...rule.definition.metadata, id: correlation.rules[index] },
      detection: { ...detection, condition },
      feedsCorrelationOnly: true,
    },
    valueSpans: rule.valueSpans,
  }));
}

function compileRule(rule: ParsedRule, problems: RuleProblem[]): CompiledRule | undefined {
  const { definition } = rule;
  const detection = definition.detection;
  const compiledRule: CompiledRule = { definition, reports: !definition.feedsCorrelationOnly, feeds: [] };
  if (!detection) {
    return compiledRule;
  }
  const before = problems.length;
  const tests = new Map<string, FieldTest>();
  for (const selection of detection.selections) {
    const test = compileSelection(selection, rule, problems);
    if (test) tests.set(selection.name, test);
  }
  if (problems.slice(before).some((problem) => problem.severity === 'error')) {
    return undefined;
  }
  compiledRule.test = compileCondition(detection.condition, tests);
  return compiledRule;
}

function compileSelection(selection: SelectionDefinition, rule: ParsedRule, problems: RuleProblem[]): FieldTest | undefined {
  if (selection.kind === 'keywords') {
    const tests: FieldTest[] = [];
    for (const value of selection.values) {
      const test = compileKeyword(value, (message) => {
        problems.push({ code: 'sigma-invalid-value', severity: 'error', message, span: selection.span });
        return undefined;
      });
      if (!test) return undefined;
      tests.push(test);
    }
    return anyOf(tests);
  }
  const alternatives: FieldTest[][] = [];
  for (const alternative of selection.alternatives) {
    const tests: FieldTest[] = [];
    for (const condition of alternative) {
      const test = compileFieldCondition(condition, { problems, valueSpans: rule.valueSpans.get(condition) ?? [] });
      if (!test) return undefined;
      tests.push(test);
    }
    alternatives.push(tests);
  }
  return anyOf(alternatives.map(allOf));
}

function compileCondition(node: ConditionNode, tests: ReadonlyMap<string, FieldTest>): FieldTest {
  const never: FieldTest = () => false;
  switch (node.kind) {
    case 'selection':
      return tests.get(node.name) ?? never;
    case 'not': {
      const operand = compileCondition(node.operand, tests);
      return (fields) => !operand(fields);
    }
    case 'and':
      return allOf(node.operands.map((operand) => compileCondition(operand, tests)));
    case 'or':
      return anyOf(node.operands.map((operand) => compileCondition(operand, tests)));
    case 'of': {
      const operands = node.selections.map((name) => tests.get(name) ?? never);
      return node.quantifier === 'all' ? allOf(operands) : anyOf(operands);
    }
  }
}

/** Warnings for eventName and eventSource values that CloudTrail never writes, as far as the catalog knows. */
function unknownEventWarnings(selections: readonly SelectionDefinition[], catalog: EventCatalog): RuleProblem[] {
  const warnings: RuleProblem[] = [];
  for (const selection of selections) {
    if (selection.kind !== 'fields') continue;
    for (const alternative of selection.alternatives) {
      const sourceCondition = alternative.find((condition) => condition.field === 'eventSource' && condition.modifiers.length === 0);
      const sources = (sourceCondition?.values ?? []).filter((value): value is string => typeof value === 'string' && !/[*?]/.test(value));
      for (const source of sources) {
        if (catalog.sourceExists(source) === false) {
          warnings.push({
            code: 'sigma-unknown-event',
            severity: 'warning',
            message: `CloudTrail writes no events with eventSource ${JSON.stringify(source)} that this extension knows of: this selection may never match.`,
            span: sourceCondition?.span ?? selection.span,
          });
        }
      }
      for (const condition of alternative) {
        if (condition.field !== 'eventName' || condition.modifiers.length > 0) continue;
        for (const name of condition.values) {
          if (typeof name !== 'string' || /[*?]/.test(name)) continue;
          const candidates = sources.length > 0 ? sources : [undefined];
          const verdicts = candidates.map((source) => catalog.eventExists(source, name));
          if (verdicts.every((verdict) => verdict === false)) {
            const where = sources.length > 0 ? ` from ${sources.join(' or ')}` : '';
            const reason = candidates.map((source) => catalog.absenceReason?.(source, name)).find((text) => text !== undefined);
            warnings.push({
              code: 'sigma-unknown-event',
              severity: 'warning',
              message:
                reason === undefined
                  ? `CloudTrail writes no event named ${JSON.stringify(name)}${where} that this extension knows of: this value may never match.`
                  : `CloudTrail never writes an event named ${JSON.stringify(name)}: ${reason} This value never matches.`,
              span: condition.span,
            });
          }
        }
      }
    }
  }
  return warnings;
}

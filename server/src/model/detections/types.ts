/**
 * The typed form of Sigma rules as this engine reads them: what a rule says (metadata), what it
 * looks for (detection and condition), and what it found (findings). Other parts of the product
 * (the Findings view, hovers, SQL export) read these types; they never see YAML.
 */

/** A position in a rule file: offsets into the YAML text. */
export interface TextSpan {
  start: number;
  end: number;
}

export type RuleLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export const RULE_LEVELS: readonly RuleLevel[] = ['informational', 'low', 'medium', 'high', 'critical'];

/** Where a rule comes from: shipped with the product or found in one of the user's folders. */
export type RuleOrigin = 'bundled' | 'user';

/** What a rule says about itself, as written in its file. */
export interface RuleMetadata {
  id: string;
  title: string;
  name?: string;
  description?: string;
  level: RuleLevel;
  status?: string;
  author?: string;
  date?: string;
  modified?: string;
  /** Every tag as written (`attack.t1078`, `attack.persistence`, ...). */
  tags: string[];
  /** The ATT&CK technique ids among the tags, upper case (`T1078.004`). */
  attackTechniques: string[];
  /** The ATT&CK tactics among the tags, hyphenated (`privilege-escalation`). */
  attackTactics: string[];
  falsepositives: string[];
  references: string[];
  /** The file the rule was read from (a path or a URI, as the caller named it). */
  file: string;
  origin: RuleOrigin;
  /** Where the rule's document starts in its file. */
  span: TextSpan;
}

/** A scalar value of a selection, as YAML gave it. */
export type SigmaScalar = string | number | boolean | null;

/** The modifiers this engine understands. */
export const KNOWN_MODIFIERS = [
  'contains',
  'startswith',
  'endswith',
  'all',
  're',
  'i',
  'm',
  's',
  'cidr',
  'exists',
  'fieldref',
  'cased',
  'lt',
  'lte',
  'gt',
  'gte',
  'base64',
  'base64offset',
  'utf16le',
  'utf16be',
  'utf16',
  'wide',
  'windash',
] as const;

export type SigmaModifier = (typeof KNOWN_MODIFIERS)[number];

/** One `field|modifiers: values` of a selection. */
export interface FieldCondition {
  /** A dotted path into the record (`userIdentity.sessionContext.sessionIssuer.type`). */
  field: string;
  modifiers: SigmaModifier[];
  /** One value or several; several are alternatives unless `all` is among the modifiers. */
  values: SigmaScalar[];
  span: TextSpan;
}

/**
 * A named search of `detection:`. A map of fields is one alternative whose conditions must all
 * hold; a list of maps is several alternatives of which one must hold. A list of plain values is a
 * keyword search over the whole record.
 */
export type SelectionDefinition =
  | { kind: 'fields'; name: string; alternatives: FieldCondition[][]; span: TextSpan }
  | { kind: 'keywords'; name: string; values: SigmaScalar[]; span: TextSpan };

/** A condition, parsed. */
export type ConditionNode =
  | { kind: 'selection'; name: string }
  | { kind: 'and'; operands: ConditionNode[] }
  | { kind: 'or'; operands: ConditionNode[] }
  | { kind: 'not'; operand: ConditionNode }
  /** `1 of pattern` / `all of pattern`; `pattern` is `them` or a name with `*` wildcards; `selections` the names it covers. */
  | { kind: 'of'; quantifier: 'one' | 'all'; pattern: string; selections: string[] };

/** A comparison in a correlation's or an aggregation's condition. */
export interface CountCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
}

export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';

/** A correlation over the events of a log or a folder: Sigma v2 `correlation:`, or an older aggregating condition. */
export interface CorrelationDefinition {
  type: CorrelationType;
  /** The rules whose matches are correlated, as ids of loaded rules. */
  rules: string[];
  groupBy: string[];
  /** The window, in milliseconds; undefined: all the events analysed together. */
  timespanMs?: number;
  condition: CountCondition;
  /** For value_count: the field whose distinct values are counted. */
  field?: string;
  /** Field aliases: alias name -> rule id -> field path. */
  aliases: Record<string, Record<string, string>>;
  /** Written as a v2 correlation rule, or as an aggregation in a v1 condition (`| count() by x > 5`). */
  form: 'correlation' | 'aggregation';
  /** `generate: true`: the correlated rules of the same file also report on their own. */
  generate: boolean;
}

/** A rule, compiled: everything about it that is data. */
export interface RuleDefinition {
  metadata: RuleMetadata;
  /** Present for detection rules (and for the event part of an aggregation). */
  detection?: {
    selections: SelectionDefinition[];
    /** The condition; several written conditions are joined with `or`. */
    condition: ConditionNode;
    conditionText: string[];
  };
  correlation?: CorrelationDefinition;
  /** True when the rule only feeds a correlation and reports nothing on its own. */
  feedsCorrelationOnly: boolean;
}

export type RuleProblemSeverity = 'error' | 'warning' | 'info';

/** Something wrong in a rule file, at the key that is wrong. */
export interface RuleProblem {
  code: string;
  severity: RuleProblemSeverity;
  message: string;
  span: TextSpan;
}

/** One record that a rule matched. */
export interface Finding {
  /** Index of the rule in its RuleSet. */
  rule: number;
  /** Position of the record in its file, from 0. */
  record: number;
  /** For correlations: every record of the window that made it match (the finding's own included). */
  related?: number[];
}

/**
 * A Sigma rule as SQL: the rule's detection (its selections and condition, as the engine parsed
 * them) turned into a predicate on CloudTrail records, with the engine's meaning of each modifier.
 * What SQL over the CloudTrail tables cannot say is refused with the reason, never approximated
 * silently: correlations and counts over time, IPv6 networks, field references inside arrays.
 */
import { encodeVariants, fieldSegments, parseCidr, withPlacement } from '../fieldMatchers';
import { PatternToken } from '../glob';
import { ConditionNode, FieldCondition, RuleDefinition, SelectionDefinition, SigmaModifier, SigmaScalar } from '../types';
import { FieldPath, PatternPart, renderQuery, SqlDialect, SqlNotExpressible, SqlPredicate, TextPattern } from './sqlQuery';

const COMPARISONS: Readonly<Partial<Record<SigmaModifier, '<' | '<=' | '>' | '>='>>> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** The predicate of a rule's detection. */
export function sigmaPredicate(rule: RuleDefinition): SqlPredicate {
  if (rule.correlation) {
    throw new SqlNotExpressible('This rule counts or orders events over time (a correlation); only single-event rules become SQL.');
  }
  const detection = rule.detection;
  if (!detection) {
    throw new SqlNotExpressible('This rule has no detection.');
  }
  const selections = new Map(detection.selections.map((selection) => [selection.name, selection]));
  const translated = new Map<string, SqlPredicate>();
  const selection = (name: string): SqlPredicate => {
    let predicate = translated.get(name);
    if (!predicate) {
      const definition = selections.get(name);
      predicate = definition ? selectionPredicate(definition) : { kind: 'constant', value: false };
      translated.set(name, predicate);
    }
    return predicate;
  };
  return conditionPredicate(detection.condition, selection);
}

function conditionPredicate(node: ConditionNode, selection: (name: string) => SqlPredicate): SqlPredicate {
  switch (node.kind) {
    case 'selection':
      return selection(node.name);
    case 'not':
      return { kind: 'not', item: conditionPredicate(node.operand, selection) };
    case 'and':
    case 'or':
      return { kind: node.kind, items: node.operands.map((operand) => conditionPredicate(operand, selection)) };
    case 'of':
      return { kind: node.quantifier === 'all' ? 'and' : 'or', items: node.selections.map(selection) };
  }
}

function selectionPredicate(selection: SelectionDefinition): SqlPredicate {
  if (selection.kind === 'keywords') {
    return { kind: 'or', items: selection.values.map((value) => keywordPredicate(value)) };
  }
  return {
    kind: 'or',
    items: selection.alternatives.map((alternative) => ({ kind: 'and', items: alternative.map(fieldPredicate) })),
  };
}

/** A keyword: some value of the record contains it. */
function keywordPredicate(value: SigmaScalar): SqlPredicate {
  if (value === null) {
    return { kind: 'constant', value: false };
  }
  const variants = encodeVariants(String(value), ['contains']);
  return { kind: 'or', items: variants.map((tokens) => ({ kind: 'anyValue', pattern: textPattern(withPlacement(tokens, ['contains']), false) })) };
}

function textPattern(tokens: readonly PatternToken[], cased: boolean): TextPattern {
  const parts: PatternPart[] = [];
  let text = '';
  for (const token of tokens) {
    if (token.kind === 'char') {
      text += token.char;
      continue;
    }
    if (text) parts.push(text);
    text = '';
    parts.push({ wildcard: token.kind === 'any' ? '*' : '?' });
  }
  if (text || parts.length === 0) parts.push(text);
  return { parts, cased };
}

function fieldPredicate(condition: FieldCondition): SqlPredicate {
  const field: FieldPath = fieldSegments(condition.field);
  const modifiers = condition.modifiers;
  const has = (modifier: SigmaModifier): boolean => modifiers.includes(modifier);
  const join = (items: SqlPredicate[]): SqlPredicate => ({ kind: has('all') ? 'and' : 'or', items });

  if (has('exists')) {
    return { kind: 'present', field, present: condition.values[0] === true };
  }
  if (has('fieldref')) {
    if (has('contains') || has('startswith') || has('endswith')) {
      throw new SqlNotExpressible(`${condition.field}: a field reference with contains, startswith or endswith is not written as SQL here.`);
    }
    return join(condition.values.map((other) => ({ kind: 'sameValue', field, other: fieldSegments(String(other)), cased: has('cased') })));
  }
  return join(condition.values.map((value) => valuePredicate(field, condition.field, value, modifiers)));
}

function valuePredicate(field: FieldPath, name: string, value: SigmaScalar, modifiers: readonly SigmaModifier[]): SqlPredicate {
  const has = (modifier: SigmaModifier): boolean => modifiers.includes(modifier);
  if (value === null) {
    // Missing, or JSON null (which the tables hold as NULL, or as the text null inside a JSON column).
    return {
      kind: 'or',
      items: [
        { kind: 'present', field, present: false },
        { kind: 'text', field, pattern: { parts: ['null'], cased: true } },
      ],
    };
  }
  if (has('re')) {
    return { kind: 'regex', field, source: String(value), ignoreCase: has('i'), multiline: has('m'), dotAll: has('s') };
  }
  if (has('cidr')) {
    return cidrPredicate(field, name, String(value));
  }
  const comparison = modifiers.map((modifier) => COMPARISONS[modifier]).find((operator) => operator !== undefined);
  if (comparison) {
    return { kind: 'number', field, operator: comparison, value: typeof value === 'number' ? value : Number(value) };
  }
  const cased = has('cased') || has('base64') || has('base64offset');
  const variants = encodeVariants(typeof value === 'string' ? value : String(value), modifiers);
  return { kind: 'or', items: variants.map((tokens) => ({ kind: 'text', field, pattern: textPattern(withPlacement(tokens, modifiers), cased) })) };
}

/** The most patterns one IPv4 network becomes. */
const MAX_NETWORK_PATTERNS = 256;

/**
 * An IPv4 network as the addresses' text: the whole octets of its prefix, and the values the
 * partial octet can take; the value must also read as a dotted IPv4 address.
 */
function cidrPredicate(field: FieldPath, name: string, cidr: string): SqlPredicate {
  const network = parseCidr(cidr);
  if (network?.version !== 4) {
    throw new SqlNotExpressible(`${name}: only IPv4 networks are written as SQL here (${cidr}).`);
  }
  const address = ((network.groups[0] << 16) | network.groups[1]) >>> 0;
  const octets = [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff);
  const whole = Math.floor(network.bits / 8);
  const partial = network.bits % 8;
  const prefix = octets.slice(0, whole).join('.');
  const patterns: TextPattern[] = [];
  if (whole === 4) {
    patterns.push({ parts: [prefix], cased: true });
  } else {
    const span = 1 << (8 - partial);
    const first = octets[whole] & ~(span - 1) & 0xff;
    const values = partial === 0 ? [undefined] : Array.from({ length: span }, (_, i) => first + i);
    if (values.length > MAX_NETWORK_PATTERNS) {
      throw new SqlNotExpressible(`${name}: the network ${cidr} is too wide to write as SQL here.`);
    }
    for (const octet of values) {
      const known = [prefix, octet === undefined ? '' : String(octet)].filter((part) => part !== '').join('.');
      patterns.push({ parts: known === '' ? [{ wildcard: '*' }] : [known + '.', { wildcard: '*' }], cased: true });
    }
  }
  return {
    kind: 'and',
    items: [
      { kind: 'regex', field, source: '^[0-9]{1,3}([.][0-9]{1,3}){3}$', ignoreCase: false, multiline: false, dotAll: false },
      { kind: 'or', items: patterns.map((pattern) => ({ kind: 'text', field, pattern })) },
    ],
  };
}

/** A rule as a whole query, with its title, id, level and author in the comments. */
export function sigmaRuleSql(rule: RuleDefinition, dialect: SqlDialect, table?: string): string {
  const { metadata } = rule;
  const comments = [
    `Sigma rule ${metadata.id}: ${metadata.title} (level ${metadata.level})`,
    `Author: ${metadata.author ?? 'not named in the rule'}${metadata.origin === 'bundled' ? '; from the SigmaHQ rules (Detection Rule License 1.1)' : ''}`,
  ];
  return renderQuery(sigmaPredicate(rule), { dialect, table, comments });
}

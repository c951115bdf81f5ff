import { requiredLiteral } from './fieldMatchers';
import { ConditionNode, FieldCondition, SelectionDefinition } from './types';

/**
 * What a field's value must be for a rule's condition to hold, when the condition says so:
 * `eventName: [A, B]` in every way the condition can be true gives exact {a, b}; `eventName:
 * 'List*'` or `eventName|startswith: List` gives the prefix `list`; a regular expression (with
 * case) that every match of must contain `:assumed-role/` gives that text to contain. Undefined
 * when the condition can hold with any value (another wildcard, another modifier, a `not`, a
 * keyword search).
 * Values and prefixes are lower case, as Sigma compares without case; the constraint is only
 * ever looser than the rule (a `cased` value is lowered too), never stricter.
 */
export interface ValueConstraint {
  exact: Set<string>;
  /** The value starts with one of these. None of them starts with another, and no exact value starts with one. */
  prefixes: Set<string>;
  /** The value contains this text, as written (at most one, and then no exact values or prefixes). */
  contains: Set<string>;
}

export function literalConstraint(condition: ConditionNode, selections: readonly SelectionDefinition[], field: string): ValueConstraint | undefined {
  const byName = new Map(selections.map((selection) => [selection.name, selection]));
  const visit = (node: ConditionNode): ValueConstraint | undefined => {
    switch (node.kind) {
      case 'selection': {
        const selection = byName.get(node.name);
        return selection ? selectionConstraint(selection, field) : undefined;
      }
      case 'not':
        return undefined;
      case 'and':
        return intersect(node.operands.map(visit));
      case 'or':
        return unite(node.operands.map(visit));
      case 'of': {
        const parts = node.selections.map((name) => visit({ kind: 'selection', name }));
        return node.quantifier === 'all' ? intersect(parts) : unite(parts);
      }
    }
  };
  const found = visit(condition);
  return found && simplest(found);
}

const WILDCARD_OR_ESCAPE = /[*?\\]/;
/** A prefix is kept only in printable ASCII, which lowers letter by letter whatever follows it. */
const PRINTABLE_ASCII = /^[\u0020-\u007e]+$/;

/** How one value of a condition constrains the field: an exact value, a prefix, or not at all. */
function valueConstraint(condition: FieldCondition, value: unknown): { exact: string } | { prefix: string } | { contains: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const modifiers = condition.modifiers.filter((modifier) => modifier !== 'cased');
  if (modifiers.includes('re')) {
    // Multi-line and dot-all change what ^, $ and . match, not the text a match must contain.
    const literal = modifiers.every((modifier) => modifier === 're' || modifier === 'm' || modifier === 's') ? requiredLiteral(value) : '';
    return literal.length > 0 ? { contains: literal } : undefined;
  }
  if (modifiers.length === 0) {
    if (!WILDCARD_OR_ESCAPE.test(value)) return { exact: value.toLowerCase() };
    // `List*`: a run of plain characters, then one trailing star.
    const stem = value.slice(0, -1);
    return value.endsWith('*') && PRINTABLE_ASCII.test(stem) && !WILDCARD_OR_ESCAPE.test(stem) ? { prefix: stem.toLowerCase() } : undefined;
  }
  if (modifiers.length === 1 && modifiers[0] === 'startswith' && PRINTABLE_ASCII.test(value) && !WILDCARD_OR_ESCAPE.test(value)) {
    return { prefix: value.toLowerCase() };
  }
  return undefined;
}

function selectionConstraint(selection: SelectionDefinition, field: string): ValueConstraint | undefined {
  if (selection.kind !== 'fields') return undefined;
  const result: ValueConstraint = { exact: new Set(), prefixes: new Set(), contains: new Set() };
  for (const alternative of selection.alternatives) {
    const condition = alternative.find(
      (candidate) =>
        candidate.field === field && candidate.values.length > 0 && candidate.values.every((value) => valueConstraint(candidate, value) !== undefined),
    );
    if (!condition) return undefined;
    for (const value of condition.values) {
      const constraint = valueConstraint(condition, value);
      if (constraint && 'exact' in constraint) result.exact.add(constraint.exact);
      else if (constraint && 'prefix' in constraint) result.prefixes.add(constraint.prefix);
      else if (constraint) result.contains.add(constraint.contains);
    }
  }
  return result;
}

/**
 * Every part must hold; parts that do not constrain are ignored. Exact sets intersect; with
 * prefixes involved, any one part is a sound constraint, and an exact one is the cheapest to use.
 */
function intersect(parts: (ValueConstraint | undefined)[]): ValueConstraint | undefined {
  const constraining = parts.filter((part): part is ValueConstraint => part !== undefined);
  if (constraining.length === 0) return undefined;
  const exactOnly = constraining.filter((part) => part.prefixes.size === 0 && part.contains.size === 0);
  if (exactOnly.length === 0) return constraining[0];
  let exact = new Set(exactOnly[0].exact);
  for (const part of exactOnly.slice(1)) exact = new Set([...exact].filter((value) => part.exact.has(value)));
  return { exact, prefixes: new Set(), contains: new Set() };
}

/** Any part may hold: constrained only if every part is. */
function unite(parts: (ValueConstraint | undefined)[]): ValueConstraint | undefined {
  const result: ValueConstraint = { exact: new Set(), prefixes: new Set(), contains: new Set() };
  for (const part of parts) {
    if (!part) return undefined;
    for (const value of part.exact) result.exact.add(value);
    for (const prefix of part.prefixes) result.prefixes.add(prefix);
    for (const text of part.contains) result.contains.add(text);
  }
  return result;
}

/**
 * Drops what another part already covers, so that a value meets at most one exact value, prefix
 * or text to contain of a rule (and the rule runs once). A value can contain several texts, or a
 * text and start with a prefix: such a mix constrains nothing here.
 */
function simplest(constraint: ValueConstraint): ValueConstraint | undefined {
  if (constraint.contains.size > 1 || (constraint.contains.size === 1 && constraint.exact.size + constraint.prefixes.size > 0)) return undefined;
  const prefixes = [...constraint.prefixes].filter((prefix) => ![...constraint.prefixes].some((other) => other !== prefix && prefix.startsWith(other)));
  const exact = [...constraint.exact].filter((value) => !prefixes.some((prefix) => value.startsWith(prefix)));
  return { exact: new Set(exact), prefixes: new Set(prefixes), contains: constraint.contains };
}

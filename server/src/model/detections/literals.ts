import { ConditionNode, SelectionDefinition } from './types';

/**
 * The values a field must literally have for a rule's condition to hold, when the condition says
 * so: `eventName: [A, B]` in every way the condition can be true gives {a, b}. Undefined when the
 * condition can hold with any value (a wildcard, a modifier, a `not`, a keyword search). Values
 * are lower case, as Sigma compares them without case.
 */
export function literalConstraint(condition: ConditionNode, selections: readonly SelectionDefinition[], field: string): Set<string> | undefined {
  const byName = new Map(selections.map((selection) => [selection.name, selection]));
  const visit = (node: ConditionNode): Set<string> | undefined => {
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
  return visit(condition);
}

function selectionConstraint(selection: SelectionDefinition, field: string): Set<string> | undefined {
  if (selection.kind !== 'fields') return undefined;
  const result = new Set<string>();
  for (const alternative of selection.alternatives) {
    const condition = alternative.find(
      (candidate) =>
        candidate.field === field &&
        candidate.modifiers.every((modifier) => modifier === 'cased') &&
        candidate.values.length > 0 &&
        candidate.values.every((value) => typeof value === 'string' && !/[*?\\]/.test(value)),
    );
    if (!condition) return undefined;
    for (const value of condition.values) result.add(String(value).toLowerCase());
  }
  return result;
}

/** Every part that constrains must agree; parts that do not constrain are ignored. */
function intersect(parts: (Set<string> | undefined)[]): Set<string> | undefined {
  let result: Set<string> | undefined;
  for (const part of parts) {
    if (!part) continue;
    result = result ? new Set([...result].filter((value) => part.has(value))) : new Set(part);
  }
  return result;
}

/** Any part may hold: constrained only if every part is. */
function unite(parts: (Set<string> | undefined)[]): Set<string> | undefined {
  const result = new Set<string>();
  for (const part of parts) {
    if (!part) return undefined;
    for (const value of part) result.add(value);
  }
  return result;
}

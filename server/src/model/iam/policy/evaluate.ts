/**
 * Whether a policy document lets an action through on some resources, the way IAM evaluates an
 * identity policy, as far as actions and resources go: a statement applies when its Action
 * matches (or NotAction does not) and its Resource matches (or NotResource does not); an explicit
 * Deny overrides every Allow; with neither, the request is not granted. Actions are matched
 * without case, resources exactly; a `*` in a resource pattern matches across `:` wherever it
 * stands (IAM lets only a `*` that ends an ARN segment do so: a pattern with a `*` inside a
 * segment may match a little more here than in IAM). Conditions are not evaluated: a statement with conditions is
 * taken as applying, and the comparison lists its conditions.
 */
import { PolicyDocument, PolicyStatement } from './policyDocument';
import { compileWildcard, WildcardPattern } from './wildcard';

export interface CompiledStatement {
  readonly statement: PolicyStatement;
  readonly actions?: readonly WildcardPattern[];
  readonly notActions?: readonly WildcardPattern[];
  readonly resources?: readonly WildcardPattern[];
  readonly notResources?: readonly WildcardPattern[];
}

export interface CompiledPolicy {
  readonly document: PolicyDocument;
  readonly statements: readonly CompiledStatement[];
}

export function compilePolicy(document: PolicyDocument): CompiledPolicy {
  const patterns = (values: PolicyStatement['actions'], ignoreCase: boolean): WildcardPattern[] | undefined =>
    values?.map((value) => compileWildcard(value.text, ignoreCase));
  return {
    document,
    statements: document.statements.map((statement) => ({
      statement,
      actions: patterns(statement.actions, true),
      notActions: patterns(statement.notActions, true),
      resources: patterns(statement.resources, false),
      notResources: patterns(statement.notResources, false),
    })),
  };
}

/** The positions of the statement's Action entries that match `action`; for NotAction, [-1] when it matches none of them. */
export function matchingActionEntries(statement: CompiledStatement, action: string): number[] {
  if (statement.actions) {
    const hits: number[] = [];
    statement.actions.forEach((pattern, index) => {
      if (pattern.matches(action)) hits.push(index);
    });
    return hits;
  }
  return statement.notActions?.some((pattern) => pattern.matches(action)) === false ? [-1] : [];
}

/**
 * Whether the statement's resource element covers `resource`; `undefined` stands for a resource
 * the record does not name, which an Allow is taken to cover and a Deny only covers when it
 * names every resource (`*`).
 */
export function coversResource(statement: CompiledStatement, resource: string | undefined): boolean {
  const { resources, notResources } = statement;
  if (!resources && !notResources) return true;
  if (resource === undefined) {
    if (statement.statement.effect === 'Allow') return true;
    return resources?.some((pattern) => pattern.source === '*') ?? false;
  }
  if (resources) return resources.some((pattern) => pattern.matches(resource));
  return !(notResources ?? []).some((pattern) => pattern.matches(resource));
}

export type Decision = 'allowed' | 'denied' | 'notGranted';

export interface Evaluation {
  decision: Decision;
  /** The Allow statements that grant the action on at least one of the resources, with the matching Action entries. */
  allowedBy: { statement: number; entries: number[] }[];
  /** The Deny statements that apply. */
  deniedBy: number[];
  /** The resources were not known (the record names none of the action's resources). */
  resourceUnknown: boolean;
}

/**
 * Evaluates one call of `action` on `resources` (undefined: not known). The call is allowed when
 * every resource is covered by an Allow and none by a Deny.
 */
export function evaluate(policy: CompiledPolicy, action: string, resources: readonly string[] | undefined): Evaluation {
  const targets: (string | undefined)[] = resources && resources.length > 0 ? [...resources] : [undefined];
  const allowedBy: Evaluation['allowedBy'] = [];
  const deniedBy: number[] = [];
  const granted = new Set<string | undefined>();
  policy.statements.forEach((statement, index) => {
    const entries = matchingActionEntries(statement, action);
    if (entries.length === 0) return;
    const covered = targets.filter((target) => coversResource(statement, target));
    if (covered.length === 0) return;
    if (statement.statement.effect === 'Deny') {
      deniedBy.push(index);
    } else {
      allowedBy.push({ statement: index, entries });
      for (const target of covered) granted.add(target);
    }
  });
  const decision: Decision = deniedBy.length > 0 ? 'denied' : targets.every((target) => granted.has(target)) ? 'allowed' : 'notGranted';
  return { decision, allowedBy, deniedBy, resourceUnknown: targets[0] === undefined };
}

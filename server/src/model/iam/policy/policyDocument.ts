/**
 * Reads an IAM policy document for comparison: an identity policy as JSON, the output of
 * `aws iam get-policy-version` (its `PolicyVersion.Document`, an object or a URL-encoded string,
 * as the API returns it), or the `PolicyDocument` of `get-role-policy` / `get-user-policy`. Every
 * value keeps its place in the text, and anything that is not a policy is refused with a message
 * naming where.
 */
import { scanJson } from '../../json/jsonScanner';
import { LineIndex } from '../../json/lineIndex';
import { JsonView, NO_NODE, NodeKind } from '../../json/nodeTable';

/** A place in the policy text: offsets, and the 1-based line and column of the start. */
export interface PolicyPlace {
  start: number;
  end: number;
  line: number;
  column: number;
  /** The JSON path, e.g. `Statement[1].Action[0]`. */
  path: string;
}

/** One entry of Action, NotAction, Resource or NotResource, as written. */
export interface PolicyValue {
  text: string;
  place: PolicyPlace;
}

export type Effect = 'Allow' | 'Deny';

export interface PolicyStatement {
  /** Position in the Statement list, from 0. */
  index: number;
  sid?: string;
  effect: Effect;
  /** Exactly one of `actions` and `notActions` is present. */
  actions?: PolicyValue[];
  notActions?: PolicyValue[];
  /** At most one of `resources` and `notResources`; neither in policies that leave resources out (trust policies are not compared). */
  resources?: PolicyValue[];
  notResources?: PolicyValue[];
  /** The condition operators and keys of the statement as `Operator: key`, which the comparison does not evaluate. */
  conditions: string[];
  /** Principal or NotPrincipal was given (a resource policy): only its actions and resources are compared. */
  hasPrincipal: boolean;
  place: PolicyPlace;
}

export interface PolicyDocument {
  version?: string;
  statements: PolicyStatement[];
  /** Where the document came from inside the input: '' for the whole text, else e.g. `PolicyVersion.Document`. */
  origin: string;
  /** The text the places refer to (the decoded document when it came URL-encoded). */
  text: string;
}

export class PolicyError extends Error {
  constructor(
    message: string,
    readonly place?: PolicyPlace,
  ) {
    super(place ? `${placeName(place)}: ${message}` : message);
    this.name = 'PolicyError';
  }
}

/** `line 4, column 7 (Statement[0].Effect)` */
export function placeName(place: PolicyPlace): string {
  return `line ${place.line}, column ${place.column}${place.path ? ` (${place.path})` : ''}`;
}

export type PolicyParse = { ok: true; policy: PolicyDocument } | { ok: false; error: PolicyError };

/** The longest policy text read: IAM's own limits are far below this. */
const MAX_POLICY_CHARS = 8 * 1024 * 1024;

export function parsePolicyDocument(input: string): PolicyParse {
  try {
    return { ok: true, policy: readPolicy(input) };
  } catch (error) {
    if (error instanceof PolicyError) return { ok: false, error };
    throw error;
  }
}

function readPolicy(input: string): PolicyDocument {
  if (input.length > MAX_POLICY_CHARS) {
    throw new PolicyError(`The policy is ${input.length} characters long; documents over ${MAX_POLICY_CHARS} characters are not read.`);
  }
  let text = input.startsWith('\ufeff') ? input.slice(1) : input;
  let origin = '';
  if (/^\s*%7B/i.test(text)) {
    text = urlDecoded(text, 'The text');
    origin = '(URL-encoded text)';
  }
  let reader = new Reader(text, '');
  let root = reader.root();
  // get-policy-version / get-role-policy output: the document sits inside.
  const wrappers: [string, string][] = [
    ['PolicyVersion', 'Document'],
    ['', 'PolicyDocument'],
  ];
  for (const [outer, inner] of wrappers) {
    const holder = outer ? reader.view.property(root, outer) : root;
    const document = holder === NO_NODE ? NO_NODE : reader.view.property(holder, inner);
    if (document === NO_NODE) continue;
    const path = outer ? `${outer}.${inner}` : inner;
    origin = path;
    if (reader.view.kind(document) === NodeKind.String) {
      const encoded = reader.view.string(document) ?? '';
      const decoded = /^\s*%7B/i.test(encoded) ? urlDecoded(encoded, path) : encoded;
      reader = new Reader(decoded, path);
      root = reader.root();
    } else if (reader.view.kind(document) === NodeKind.Object) {
      root = document;
      reader.prefix = path;
    } else {
      throw new PolicyError(`${path} must be the policy document (an object, or its JSON text).`, reader.place(document, path));
    }
    break;
  }
  return reader.policy(root, origin);
}

function urlDecoded(text: string, where: string): string {
  try {
    return decodeURIComponent(text.trim());
  } catch {
    throw new PolicyError(
      `${where} looks URL-encoded but is not valid percent-encoding (a % not followed by two hexadecimal digits, or bytes that are not UTF-8).`,
    );
  }
}

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

class Reader {
  readonly view: JsonView;
  private readonly lines: LineIndex;
  private readonly roots: number[];

  constructor(
    readonly text: string,
    public prefix: string,
  ) {
    const scan = scanJson(text, { maxProblems: 1 });
    this.view = new JsonView(text, scan.table);
    this.lines = new LineIndex(text);
    this.roots = scan.roots;
    const syntax = scan.problems.find((problem) => problem.severity === 'error');
    if (syntax) {
      const where = prefix ? ` in ${prefix}` : '';
      throw new PolicyError(`This is not valid JSON${where}: ${syntax.message}`, this.placeAt(syntax.start, syntax.end, ''));
    }
  }

  root(): number {
    if (this.roots.length === 0) {
      throw new PolicyError(`${this.prefix || 'The text'} is empty: paste or pick an IAM policy document ({"Version": "2012-10-17", "Statement": [...]}).`);
    }
    if (this.roots.length > 1) {
      throw new PolicyError('The text holds more than one JSON value; a policy document is one object.', this.place(this.roots[1], ''));
    }
    const root = this.roots[0];
    if (this.view.kind(root) !== NodeKind.Object) {
      throw new PolicyError('A policy document is a JSON object with a "Statement"; this is not an object.', this.place(root, ''));
    }
    return root;
  }

  placeAt(start: number, end: number, path: string): PolicyPlace {
    const { line, character } = this.lines.positionAt(start);
    return { start, end, line: line + 1, column: character + 1, path: this.join(path) };
  }

  place(node: number, path: string): PolicyPlace {
    const table = this.view.table;
    const start = table.keyStart[node] >= 0 ? table.keyStart[node] : table.start[node];
    return this.placeAt(start, table.end[node], path);
  }

  private join(path: string): string {
    return this.prefix && path ? `${this.prefix}.${path}` : this.prefix || path;
  }

  policy(root: number, origin: string): PolicyDocument {
    const view = this.view;
    const versionNode = view.property(root, 'Version');
    let version: string | undefined;
    if (versionNode !== NO_NODE) {
      version = view.string(versionNode);
      if (version !== '2012-10-17' && version !== '2008-10-17') {
        throw new PolicyError('Version must be "2012-10-17" (or the older "2008-10-17").', this.place(versionNode, 'Version'));
      }
    }
    const statementNode = view.property(root, 'Statement');
    if (statementNode === NO_NODE) {
      throw new PolicyError('This JSON has no "Statement", so it is not an IAM policy document.', this.place(root, ''));
    }
    const statements: PolicyStatement[] = [];
    if (view.kind(statementNode) === NodeKind.Object) {
      statements.push(this.statement(statementNode, 0, 'Statement'));
    } else if (view.kind(statementNode) === NodeKind.Array) {
      let index = 0;
      for (const child of view.children(statementNode)) {
        statements.push(this.statement(child, index, `Statement[${index}]`));
        index++;
      }
    } else {
      throw new PolicyError('Statement must be an object or an array of objects.', this.place(statementNode, 'Statement'));
    }
    return { ...(version !== undefined ? { version } : {}), statements, origin, text: this.text };
  }

  private statement(node: number, index: number, path: string): PolicyStatement {
    const view = this.view;
    if (view.kind(node) !== NodeKind.Object) {
      throw new PolicyError('Each statement must be an object.', this.place(node, path));
    }
    for (const child of view.children(node)) {
      const key = view.key(child) ?? '';
      if (!STATEMENT_KEYS.has(key)) {
        throw new PolicyError(
          `"${key.slice(0, 60)}" is not an element of a policy statement (Sid, Effect, Action, NotAction, Resource, NotResource, Condition, Principal).`,
          this.place(child, `${path}.${key.slice(0, 60)}`),
        );
      }
    }
    const effectNode = view.property(node, 'Effect');
    if (effectNode === NO_NODE) {
      throw new PolicyError('The statement has no "Effect"; it must be "Allow" or "Deny".', this.place(node, path));
    }
    const effect = view.string(effectNode);
    if (effect !== 'Allow' && effect !== 'Deny') {
      throw new PolicyError('Effect must be "Allow" or "Deny" (with that case).', this.place(effectNode, `${path}.Effect`));
    }
    const statement: PolicyStatement = { index, effect, conditions: [], hasPrincipal: false, place: this.place(node, path) };
    const sidNode = view.property(node, 'Sid');
    if (sidNode !== NO_NODE) {
      const sid = view.string(sidNode);
      if (sid === undefined) throw new PolicyError('Sid must be a string.', this.place(sidNode, `${path}.Sid`));
      statement.sid = sid;
    }
    const action = this.values(node, 'Action', path);
    const notAction = this.values(node, 'NotAction', path);
    if (action && notAction) {
      throw new PolicyError('A statement has either "Action" or "NotAction", not both.', this.place(view.property(node, 'NotAction'), `${path}.NotAction`));
    }
    if (!action && !notAction) {
      throw new PolicyError('The statement has neither "Action" nor "NotAction".', this.place(node, path));
    }
    for (const value of action ?? notAction ?? []) {
      if (value.text !== '*' && !/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(value.text)) {
        throw new PolicyError(
          `"${value.text.slice(0, 80)}" is not an action: write service:Action, e.g. s3:GetObject (wildcards * and ? allowed).`,
          value.place,
        );
      }
    }
    if (action) statement.actions = action;
    if (notAction) statement.notActions = notAction;
    const resource = this.values(node, 'Resource', path);
    const notResource = this.values(node, 'NotResource', path);
    if (resource && notResource) {
      throw new PolicyError(
        'A statement has either "Resource" or "NotResource", not both.',
        this.place(view.property(node, 'NotResource'), `${path}.NotResource`),
      );
    }
    if (resource) statement.resources = resource;
    if (notResource) statement.notResources = notResource;
    statement.hasPrincipal = view.property(node, 'Principal') !== NO_NODE || view.property(node, 'NotPrincipal') !== NO_NODE;
    if (!resource && !notResource && !statement.hasPrincipal) {
      throw new PolicyError(
        'The statement has neither "Resource" nor "NotResource"; an identity policy names the resources it applies to ("*" for all).',
        this.place(node, path),
      );
    }
    const conditionNode = view.property(node, 'Condition');
    if (conditionNode !== NO_NODE) {
      if (view.kind(conditionNode) !== NodeKind.Object) {
        throw new PolicyError(
          'Condition must be an object of operators, e.g. {"Bool": {"aws:MultiFactorAuthPresent": "true"}}.',
          this.place(conditionNode, `${path}.Condition`),
        );
      }
      for (const operator of view.children(conditionNode)) {
        const operatorName = view.key(operator) ?? '';
        if (view.kind(operator) !== NodeKind.Object) {
          throw new PolicyError(
            `The condition operator ${operatorName.slice(0, 60)} must hold an object of condition keys.`,
            this.place(operator, `${path}.Condition.${operatorName.slice(0, 60)}`),
          );
        }
        for (const key of view.children(operator)) {
          statement.conditions.push(`${operatorName}: ${view.key(key) ?? ''}`);
        }
      }
    }
    return statement;
  }

  /** A string-or-array-of-strings element, or undefined when absent. */
  private values(node: number, name: string, path: string): PolicyValue[] | undefined {
    const view = this.view;
    const element = view.property(node, name);
    if (element === NO_NODE) return undefined;
    const elementPath = `${path}.${name}`;
    if (view.kind(element) === NodeKind.String) {
      return [{ text: view.string(element) ?? '', place: this.place(element, elementPath) }];
    }
    if (view.kind(element) !== NodeKind.Array) {
      throw new PolicyError(`${name} must be a string or an array of strings.`, this.place(element, elementPath));
    }
    const values: PolicyValue[] = [];
    let index = 0;
    for (const child of view.children(element)) {
      const text = view.string(child);
      if (text === undefined) {
        throw new PolicyError(`Each entry of ${name} must be a string.`, this.place(child, `${elementPath}[${index}]`));
      }
      values.push({ text, place: this.place(child, `${elementPath}[${index}]`) });
      index++;
    }
    if (values.length === 0) {
      throw new PolicyError(`${name} is empty.`, this.place(element, elementPath));
    }
    return values;
  }
}

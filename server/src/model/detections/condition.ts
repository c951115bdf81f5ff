import { compileGlob, matchGlob, tokenizeSigmaString } from './glob';
import { ConditionNode, CountCondition } from './types';

/**
 * Sigma conditions: `and`, `or`, `not`, parentheses, `1 of x*`, `all of x*`, `1 of them`,
 * `all of them` (`not` binds tighter than `and`, `and` tighter than `or`), and the older
 * aggregations after a pipe (`| count() by field > 5`, `| count(field) > 5`, `| near other`).
 */

export interface ConditionIssue {
  message: string;
  /** Offset in the condition text. */
  offset: number;
  length: number;
  code: 'sigma-undefined-identifier' | 'sigma-bad-condition';
}

export interface Aggregation {
  kind: 'count';
  /** `count(field)`: distinct values of the field; `count()`: events. */
  field?: string;
  groupBy?: string;
  condition: CountCondition;
}

export interface NearAggregation {
  kind: 'near';
  /** The search that must be near the events of the condition. */
  condition: ConditionNode;
}

export interface ParsedCondition {
  node?: ConditionNode;
  aggregation?: Aggregation | NearAggregation;
  issues: ConditionIssue[];
}

interface Token {
  text: string;
  offset: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(\(|\)|[^\s()]+)/y;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    tokens.push({ text: match[1], offset: match.index + match[0].length - match[1].length });
  }
  return tokens;
}

/** Parses a condition against the names of the selections it may use. */
export function parseCondition(text: string, selections: readonly string[]): ParsedCondition {
  const issues: ConditionIssue[] = [];
  const pipe = text.indexOf('|');
  const searchText = pipe < 0 ? text : text.slice(0, pipe);
  const node = new Parser(tokenize(searchText), selections, issues, searchText.length).parse();
  if (pipe < 0) {
    return { node, issues };
  }
  const aggregation = parseAggregation(text.slice(pipe + 1), pipe + 1, selections, issues);
  return { node, aggregation, issues };
}

const COMPARISON = /^\s*count\(\s*([\w.]*)\s*\)(?:\s+by\s+([\w.]+))?\s*(>=|<=|==|=|>|<)\s*(\d+)\s*$/;

function parseAggregation(text: string, offset: number, selections: readonly string[], issues: ConditionIssue[]): Aggregation | NearAggregation | undefined {
  const near = /^\s*near\s+/.exec(text);
  if (near) {
    const rest = text.slice(near[0].length);
    const shifted: ConditionIssue[] = [];
    const node = new Parser(tokenize(rest), selections, shifted, rest.length).parse();
    for (const issue of shifted) issues.push({ ...issue, offset: issue.offset + offset + near[0].length });
    return node ? { kind: 'near', condition: node } : undefined;
  }
  const count = COMPARISON.exec(text);
  if (!count) {
    issues.push({
      message: 'This aggregation is not one this engine runs: write `count() > N`, `count(field) by field > N` or `near selection`, or a correlation rule.',
      offset,
      length: text.length,
      code: 'sigma-bad-condition',
    });
    return undefined;
  }
  const bound = Number(count[4]);
  const operator = count[3];
  const condition: CountCondition =
    operator === '>'
      ? { gt: bound }
      : operator === '>='
        ? { gte: bound }
        : operator === '<'
          ? { lt: bound }
          : operator === '<='
            ? { lte: bound }
            : { eq: bound };
  return { kind: 'count', field: count[1] === '' ? undefined : count[1], groupBy: count[2], condition };
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly selections: readonly string[],
    private readonly issues: ConditionIssue[],
    private readonly textLength: number,
  ) {}

  parse(): ConditionNode | undefined {
    if (this.tokens.length === 0) {
      this.issue('The condition is empty.', this.textLength, 0);
      return undefined;
    }
    const node = this.or();
    const rest = this.tokens[this.position] as Token | undefined;
    if (rest) {
      this.issue(`Unexpected ${JSON.stringify(rest.text)} in the condition.`, rest.offset, rest.text.length);
      return undefined;
    }
    return node;
  }

  private peek(): string | undefined {
    return this.tokens[this.position]?.text.toLowerCase();
  }

  private or(): ConditionNode | undefined {
    const operands: (ConditionNode | undefined)[] = [this.and()];
    while (this.peek() === 'or') {
      this.position++;
      operands.push(this.and());
    }
    return join('or', operands);
  }

  private and(): ConditionNode | undefined {
    const operands: (ConditionNode | undefined)[] = [this.not()];
    while (this.peek() === 'and') {
      this.position++;
      operands.push(this.not());
    }
    return join('and', operands);
  }

  private not(): ConditionNode | undefined {
    if (this.peek() === 'not') {
      this.position++;
      const operand = this.not();
      return operand ? { kind: 'not', operand } : undefined;
    }
    return this.primary();
  }

  private primary(): ConditionNode | undefined {
    const token = this.tokens[this.position] as Token | undefined;
    if (!token) {
      this.issue('The condition ends where a selection name was expected.', this.textLength, 0);
      return undefined;
    }
    const word = token.text.toLowerCase();
    if (token.text === '(') {
      this.position++;
      const inner = this.or();
      if (this.peek() !== ')') {
        this.issue('A parenthesis is not closed.', token.offset, 1);
        return undefined;
      }
      this.position++;
      return inner;
    }
    if (word === '1' || word === 'all' || word === 'any') {
      const next = this.tokens[this.position + 1] as Token | undefined;
      if (next?.text.toLowerCase() === 'of') {
        const target = this.tokens[this.position + 2] as Token | undefined;
        this.position += 3;
        if (!target) {
          this.issue(`"${token.text} of" needs a selection name, a pattern such as selection_*, or them.`, token.offset, token.text.length);
          return undefined;
        }
        return this.quantified(word === 'all' ? 'all' : 'one', target);
      }
    }
    if (word === ')' || word === 'and' || word === 'or' || word === 'of') {
      this.issue(`Unexpected ${JSON.stringify(token.text)} in the condition.`, token.offset, token.text.length);
      this.position++;
      return undefined;
    }
    this.position++;
    if (!this.selections.includes(token.text)) {
      this.issue(
        `The condition names ${JSON.stringify(token.text)}, which is not a selection of this rule.`,
        token.offset,
        token.text.length,
        'sigma-undefined-identifier',
      );
      return undefined;
    }
    return { kind: 'selection', name: token.text };
  }

  private quantified(quantifier: 'one' | 'all', target: Token): ConditionNode | undefined {
    const pattern = target.text;
    let covered: string[];
    if (pattern.toLowerCase() === 'them') {
      // `them` covers every selection except those whose names start with an underscore.
      covered = this.selections.filter((name) => !name.startsWith('_'));
    } else {
      const glob = compileGlob(tokenizeSigmaString(pattern), true);
      covered = this.selections.filter((name) => matchGlob(glob, name, false));
    }
    if (covered.length === 0) {
      this.issue(`No selection of this rule matches ${JSON.stringify(pattern)}.`, target.offset, target.text.length, 'sigma-undefined-identifier');
      return undefined;
    }
    return { kind: 'of', quantifier, pattern, selections: covered };
  }

  private issue(message: string, offset: number, length: number, code: ConditionIssue['code'] = 'sigma-bad-condition'): void {
    this.issues.push({ message, offset, length, code });
  }
}

function join(kind: 'and' | 'or', operands: (ConditionNode | undefined)[]): ConditionNode | undefined {
  if (operands.some((operand) => operand === undefined)) {
    return undefined;
  }
  const defined = operands as ConditionNode[];
  return defined.length === 1 ? defined[0] : { kind, operands: defined };
}

/** Whether a count satisfies every bound of a condition. */
export function countSatisfies(count: number, condition: CountCondition): boolean {
  return (
    (condition.gt === undefined || count > condition.gt) &&
    (condition.gte === undefined || count >= condition.gte) &&
    (condition.lt === undefined || count < condition.lt) &&
    (condition.lte === undefined || count <= condition.lte) &&
    (condition.eq === undefined || count === condition.eq)
  );
}

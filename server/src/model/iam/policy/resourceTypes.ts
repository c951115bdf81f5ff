/**
 * Which of the ARNs a record names are resources of an action: the IAM data gives each resource
 * type its ARN patterns (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`), and an ARN is of a
 * type when it fits one of them. A placeholder stands for text without `:` or `/`, except the
 * last one, which takes the rest (object keys and role paths hold slashes).
 */
import { IamActionInfo } from './catalogue';

type Token = { literal: string } | { placeholder: string };

export interface ArnPatternMatcher {
  readonly pattern: string;
  matches(arn: string): boolean;
}

const compiled = new Map<string, ArnPatternMatcher>();

export function arnPatternMatcher(pattern: string): ArnPatternMatcher {
  let matcher = compiled.get(pattern);
  if (!matcher) {
    const tokens = tokenize(pattern);
    matcher = { pattern, matches: (arn) => matchTokens(tokens, arn) };
    compiled.set(pattern, matcher);
  }
  return matcher;
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < pattern.length) {
    const open = pattern.indexOf('${', at);
    const close = open < 0 ? -1 : pattern.indexOf('}', open);
    if (open < 0 || close < 0) {
      tokens.push({ literal: pattern.slice(at) });
      break;
    }
    if (open > at) tokens.push({ literal: pattern.slice(at, open) });
    tokens.push({ placeholder: pattern.slice(open + 2, close) });
    at = close + 1;
  }
  return tokens;
}

function isSeparator(code: number): boolean {
  return code === 58 /* : */ || code === 47; /* / */
}

function matchTokens(tokens: readonly Token[], arn: string): boolean {
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if ('literal' in token) {
      if (!arn.startsWith(token.literal, at)) return false;
      at += token.literal.length;
      continue;
    }
    if (i === tokens.length - 1) {
      return at < arn.length;
    }
    // A placeholder inside the pattern: a run without separators, up to the next literal.
    let end = at;
    while (end < arn.length && !isSeparator(arn.charCodeAt(end))) end++;
    const next = tokens[i + 1];
    if ('literal' in next && !isSeparator(next.literal.charCodeAt(0))) {
      const found = arn.indexOf(next.literal, at);
      if (found < 0 || found > end) return false;
      end = found;
    }
    at = end;
  }
  return at === arn.length;
}

/** The ARNs of `arns` that are of each of the action's resource types, by type name (types with none are left out). */
export function resourcesByType(info: IamActionInfo, arns: readonly string[]): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const type of info.resourceTypes) {
    const matching = arns.filter((arn) => type.arnPatterns.some((pattern) => arnPatternMatcher(pattern).matches(arn)));
    if (matching.length > 0) byType.set(type.name, matching);
  }
  return byType;
}

/**
 * The resources of one call that IAM authorizes the action on, as far as its record names them:
 * every ARN of one of the action's resource types; `['*']` for an action without resource types
 * (IAM checks those against `*`); undefined when the record names none (not known).
 */
export function callResources(info: IamActionInfo, arns: readonly string[]): string[] | undefined {
  if (info.resourceTypes.length === 0) return ['*'];
  const byType = resourcesByType(info, arns);
  if (byType.size === 0) return undefined;
  return [...new Set([...byType.values()].flat())].sort();
}

/**
 * Whether the record names a resource for every resource type the action requires (for an
 * action whose types are all optional: for at least one), so that a policy naming just these
 * resources lets the call through.
 */
export function namesEveryRequiredResource(info: IamActionInfo, arns: readonly string[]): boolean {
  const byType = resourcesByType(info, arns);
  const required = info.resourceTypes.filter((type) => type.required);
  return required.length > 0 ? required.every((type) => byType.has(type.name)) : byType.size > 0;
}

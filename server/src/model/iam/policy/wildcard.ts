/**
 * IAM's wildcard matching: `*` stands for any run of characters (none included), `?` for any one
 * character. Policies may also write `${*}`, `${?}` and `${$}` for a literal `*`, `?` and `$`; any
 * other `${...}` is a policy variable, whose value comes from the request and is not known here,
 * so it matches like `*`.
 *
 * No regular expressions: text from a log (an ARN, an event name) is matched with the classic
 * two-cursor walk, which remembers only the last `*` and never backtracks further than it.
 */

/** One piece of a pattern: a literal character, or a wildcard. */
type Piece = { literal: string } | { any: true } | { one: true };

export interface WildcardPattern {
  /** The pattern as written. */
  readonly source: string;
  /** True when the pattern holds no wildcard (after reading the `${...}` escapes). */
  readonly exact: boolean;
  matches(text: string): boolean;
}

/** Reads a pattern; `ignoreCase` compares letters without case (IAM actions), else exactly (ARNs). */
export function compileWildcard(source: string, ignoreCase: boolean): WildcardPattern {
  const pieces = parsePieces(ignoreCase ? source.toLowerCase() : source);
  const exact = pieces.every((piece) => 'literal' in piece);
  const literal = exact ? pieces.map((piece) => ('literal' in piece ? piece.literal : '')).join('') : '';
  return {
    source,
    exact,
    matches: exact ? (text) => (ignoreCase ? text.toLowerCase() : text) === literal : (text) => matchPieces(pieces, ignoreCase ? text.toLowerCase() : text),
  };
}

const VARIABLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['${*}', '*'],
  ['${?}', '?'],
  ['${$}', '$'],
]);

function parsePieces(source: string): Piece[] {
  const pieces: Piece[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '*') {
      // Runs of `*` mean the same as one.
      if (pieces.length === 0 || !('any' in pieces[pieces.length - 1])) pieces.push({ any: true });
    } else if (c === '?') {
      pieces.push({ one: true });
    } else if (c === '$' && source[i + 1] === '{') {
      const close = source.indexOf('}', i + 2);
      if (close < 0) {
        pieces.push({ literal: c });
        continue;
      }
      const variable = source.slice(i, close + 1);
      const escaped = VARIABLE_ESCAPES.get(variable);
      if (escaped !== undefined) pieces.push({ literal: escaped });
      else if (pieces.length === 0 || !('any' in pieces[pieces.length - 1])) pieces.push({ any: true });
      i = close;
    } else {
      pieces.push({ literal: c });
    }
  }
  return pieces;
}

function matchPieces(pieces: readonly Piece[], text: string): boolean {
  let p = 0;
  let t = 0;
  let starPiece = -1;
  let starText = 0;
  while (t < text.length) {
    const piece = p < pieces.length ? pieces[p] : undefined;
    if (piece && 'any' in piece) {
      starPiece = p++;
      starText = t;
    } else if (piece && ('one' in piece || piece.literal === text[t])) {
      p++;
      t++;
    } else if (starPiece >= 0) {
      p = starPiece + 1;
      t = ++starText;
    } else {
      return false;
    }
  }
  while (p < pieces.length && 'any' in pieces[p]) p++;
  return p === pieces.length;
}

/** Writes a value from a log so that a policy reads it literally: `*`, `?` and `$` become `${*}`, `${?}`, `${$}`. */
export function literalPattern(value: string): string {
  let out = '';
  for (const c of value) {
    out += c === '*' ? '${*}' : c === '?' ? '${?}' : c === '$' ? '${$}' : c;
  }
  return out;
}

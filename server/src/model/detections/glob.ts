/**
 * Sigma's plain string values: `*` matches any run of characters, `?` one character, `\*`, `\?`
 * and `\\` stand for themselves, and a backslash before anything else is a backslash. Matching
 * splits the pattern at its stars and places each piece leftmost, which decides a glob without
 * backtracking: time is bounded by the value's length times the pattern's.
 */

interface Piece {
  text: string;
  /** Positions in `text` that are `?` wildcards; undefined when there are none. */
  anyChar: Uint8Array | undefined;
}

/** A pattern piece by piece: the parts between stars. */
export interface Glob {
  readonly pieces: readonly Piece[];
  /** The pattern does not start with `*`: the first piece sits at the value's start. */
  readonly anchoredStart: boolean;
  /** The pattern does not end with `*`: the last piece ends at the value's end. */
  readonly anchoredEnd: boolean;
  /** No wildcard at all: the value must equal `pieces[0].text`. */
  readonly literal: boolean;
}

/** One element of a pattern: a literal character, `?` or `*`. */
export type PatternToken = { kind: 'char'; char: string } | { kind: 'one' } | { kind: 'any' };

/** Reads a Sigma string value into tokens, resolving its escapes. */
export function tokenizeSigmaString(value: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      const next = value[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        tokens.push({ kind: 'char', char: next });
        i++;
        continue;
      }
      tokens.push({ kind: 'char', char: c });
    } else if (c === '*') {
      tokens.push({ kind: 'any' });
    } else if (c === '?') {
      tokens.push({ kind: 'one' });
    } else {
      tokens.push({ kind: 'char', char: c });
    }
  }
  return tokens;
}

/** The tokens of a text taken literally (encoded values, field references). */
export function literalTokens(text: string): PatternToken[] {
  return Array.from(text, (char) => ({ kind: 'char', char }));
}

/** Builds a glob from tokens; `caseSensitive` false lowers the literal characters, to be matched against lowered values. */
export function compileGlob(tokens: readonly PatternToken[], caseSensitive: boolean): Glob {
  const pieces: Piece[] = [];
  let text = '';
  let anyPositions: number[] = [];
  let literal = true;
  const endPiece = (): void => {
    let anyChar: Uint8Array | undefined;
    if (anyPositions.length > 0) {
      anyChar = new Uint8Array(text.length);
      for (const position of anyPositions) anyChar[position] = 1;
    }
    pieces.push({ text, anyChar });
    text = '';
    anyPositions = [];
  };
  for (const token of tokens) {
    if (token.kind === 'any') {
      literal = false;
      endPiece();
    } else if (token.kind === 'one') {
      literal = false;
      anyPositions.push(text.length);
      text += '?';
    } else {
      text += caseSensitive ? token.char : token.char.toLowerCase();
    }
  }
  endPiece();
  const first = tokens.at(0);
  const last = tokens.at(-1);
  return {
    pieces: pieces.filter((piece, index) => piece.text.length > 0 || index === 0 || index === pieces.length - 1),
    anchoredStart: first?.kind !== 'any',
    anchoredEnd: last?.kind !== 'any',
    literal,
  };
}

function pieceMatchesAt(piece: Piece, value: string, at: number): boolean {
  const { text, anyChar } = piece;
  if (at + text.length > value.length) {
    return false;
  }
  if (!anyChar) {
    return value.startsWith(text, at);
  }
  for (let i = 0; i < text.length; i++) {
    if (anyChar[i] === 0 && value.charCodeAt(at + i) !== text.charCodeAt(i)) {
      return false;
    }
  }
  return true;
}

/** The leftmost position at or after `from` where the piece matches, or -1. */
function findPiece(piece: Piece, value: string, from: number): number {
  if (!piece.anyChar) {
    return value.indexOf(piece.text, from);
  }
  for (let at = from; at + piece.text.length <= value.length; at++) {
    if (pieceMatchesAt(piece, value, at)) {
      return at;
    }
  }
  return -1;
}

/**
 * Whether `value` matches. `truncated`: the value is only the first part of a longer one, so a
 * pattern that must end where the value ends cannot be decided and does not match.
 */
export function matchGlob(glob: Glob, value: string, truncated: boolean): boolean {
  const pieces = glob.pieces;
  if (glob.literal) {
    return !truncated && value === pieces[0].text;
  }
  if (glob.anchoredEnd && truncated) {
    return false;
  }
  if (pieces.length === 1) {
    // Only `?` wildcards: the lengths must agree.
    return value.length === pieces[0].text.length && pieceMatchesAt(pieces[0], value, 0);
  }
  let position = 0;
  let first = 0;
  let last = pieces.length - 1;
  if (glob.anchoredStart) {
    if (!pieceMatchesAt(pieces[0], value, 0)) return false;
    position = pieces[0].text.length;
    first = 1;
  }
  let end = value.length;
  if (glob.anchoredEnd) {
    const tail = pieces[last];
    const tailStart = value.length - tail.text.length;
    if (tailStart < position || !pieceMatchesAt(tail, value, tailStart)) return false;
    end = tailStart;
    last--;
  }
  for (let i = first; i <= last; i++) {
    const piece = pieces[i];
    if (piece.text.length === 0) continue;
    const at = findPiece(piece, value, position);
    if (at < 0 || at + piece.text.length > end) return false;
    position = at + piece.text.length;
  }
  return true;
}

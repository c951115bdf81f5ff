/**
 * Log text made visible. A session name, a user agent or a bucket name is whatever the caller
 * sent, and characters that draw nothing (zero-width spaces, joiners, word joiners, byte-order
 * marks, tag characters) or that turn the direction of the text (bidi overrides and isolates)
 * can make `adm\u200bin` read as `admin`. Every place that shows log text to a person (hovers,
 * tree labels, tooltips, the status bar, messages, the command line, the webviews) passes it
 * through `visibleText`, which writes each such character as `<U+200B>`.
 *
 * Pure and bounded: it reads at most `maxLength` characters of the value, once.
 */

/** How much of a value a label shows by default. */
export const DEFAULT_VISIBLE_LENGTH = 300;

/**
 * One character class for everything that is drawn as nothing or changes how the text around it
 * is drawn: C0 and C1 controls, soft hyphen, combining grapheme joiner, Arabic letter mark,
 * Hangul fillers, Khmer inherent vowels, Mongolian selectors, zero-width and direction marks,
 * line and paragraph separators, bidi embeddings, overrides and isolates, invisible operators,
 * variation selectors, the byte-order mark, interlinear annotation controls, tag characters
 * (U+E0000-U+E007F) and the supplementary variation selectors (U+E0100-U+E01EF); and every lone
 * surrogate, which no font can draw.
 */
export const HIDDEN_CHARACTER =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- controls, joiners and lone surrogates are exactly what is looked for
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]|\udb40[\udc00-\udc7f\udd00-\uddef]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Direction-changing characters: embeddings, overrides, isolates and marks. */
const DIRECTIONAL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** `<U+200B>` for one hidden character (or surrogate pair). */
export function codePointName(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  return `<U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** The first `maxLength` characters, without splitting a surrogate pair. */
function boundedPrefix(text: string, maxLength: number): { shown: string; omitted: number } {
  if (text.length <= maxLength) {
    return { shown: text, omitted: 0 };
  }
  let cut = Math.max(0, maxLength);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) {
    cut--;
  }
  return { shown: text.slice(0, cut), omitted: text.length - cut };
}

/**
 * The value as a person should see it: hidden and direction-changing characters written as
 * `<U+XXXX>`, cut to `maxLength` characters of the original with a trailing `…` when longer.
 */
export function visibleText(text: string, maxLength = DEFAULT_VISIBLE_LENGTH): string {
  const { shown, omitted } = boundedPrefix(text, maxLength);
  const visible = shown.replace(HIDDEN_CHARACTER, codePointName);
  return omitted > 0 ? `${visible}\u2026` : visible;
}

export interface HiddenCharacters {
  /** How many hidden or direction-changing characters the read prefix holds. */
  count: number;
  /** The distinct ones, as `U+200B`, in order of first appearance (at most 8). */
  names: string[];
  /** Whether any of them turns the direction of the text. */
  directional: boolean;
}

/** What a hover says about a value: which invisible characters it holds (read up to `maxLength`). */
export function hiddenCharacters(text: string, maxLength = 4096): HiddenCharacters {
  const { shown } = boundedPrefix(text, maxLength);
  const names: string[] = [];
  let count = 0;
  let directional = false;
  for (const match of shown.matchAll(HIDDEN_CHARACTER)) {
    count++;
    const name = codePointName(match[0]).slice(1, -1);
    if (names.length < 8 && !names.includes(name)) {
      names.push(name);
    }
    if (DIRECTIONAL.test(match[0])) {
      directional = true;
    }
  }
  return { count, names, directional };
}

/** Whether the value holds any hidden or direction-changing character in its first `maxLength`. */
export function hasHiddenCharacters(text: string, maxLength = 4096): boolean {
  HIDDEN_CHARACTER.lastIndex = 0;
  const found = HIDDEN_CHARACTER.test(boundedPrefix(text, maxLength).shown);
  HIDDEN_CHARACTER.lastIndex = 0;
  return found;
}

/**
 * JSON text (as `JSON.stringify` writes it) with every hidden or direction-changing character
 * written as a `\uXXXX` escape: the JSON means the same, and a person reading it sees where such
 * characters are. Line breaks and tabs are left alone: JSON.stringify puts them only between values.
 */
export function jsonWithVisibleEscapes(json: string): string {
  return json.replace(HIDDEN_CHARACTER, (character) => {
    if (character === '\n' || character === '\r' || character === '\t') return character;
    let escaped = '';
    for (let i = 0; i < character.length; i++) escaped += `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return escaped;
  });
}

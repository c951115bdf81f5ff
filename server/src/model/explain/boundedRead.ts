/**
 * How explanations read values: never more than a fixed prefix. A value in a log is whatever the
 * caller sent and can be megabytes long; every reading (a user agent, an ARN, a time, an address,
 * the value line of a hover) works on its first `EXPLAIN_READ_LIMIT` characters, so a hover costs
 * the same on a 4 MB value as on a short one.
 */
import { JsonView, NodeKind } from '../json/nodeTable';
import { hiddenCharacters } from '../text/visibleText';
import { Markdown, md, plain, quoted } from './markdown';

/**
 * How many characters of one value an explanation reads. Longer than any value a reading
 * accepts (an ARN is at most 2048 characters, the rest far less), so a cut value is never
 * mistaken for a valid one.
 */
export const EXPLAIN_READ_LIMIT = 8192;

/** The first characters of a string value, and whether it goes on; undefined for other values. */
export function valuePrefix(view: JsonView, node: number): { text: string; cut: boolean } | undefined {
  return view.stringPrefix(node, EXPLAIN_READ_LIMIT);
}

/**
 * A string value for a reading that judges the whole value (is it an ARN, a time, an address, a
 * known name?): undefined for other values and for strings longer than the limit, which no
 * reading accepts.
 */
export function wholeString(view: JsonView, node: number): string | undefined {
  const prefix = view.stringPrefix(node, EXPLAIN_READ_LIMIT);
  return prefix && !prefix.cut ? prefix.text : undefined;
}

/** A scalar as `JsonView.scalar` reads it, except that a string longer than the limit reads as undefined. */
export function wholeScalar(view: JsonView, node: number): string | number | boolean | null | undefined {
  return view.kind(node) === NodeKind.String ? wholeString(view, node) : view.scalar(node);
}

/** A string value in quotes, cut for the hover, saying how much was left out. */
export function quotedValue(view: JsonView, node: number, maxShown?: number): Markdown {
  const prefix = view.stringPrefix(node, EXPLAIN_READ_LIMIT);
  return prefix ? quoted(prefix.text, maxShown, prefix.cut) : quoted('');
}

/**
 * A warning line when a value holds characters that draw nothing or turn the text around (so
 * `adm\u200bin` cannot pass for `admin`), or undefined when it holds none.
 */
export function hiddenCharactersLine(text: string): Markdown | undefined {
  const hidden = hiddenCharacters(text);
  if (hidden.count === 0) {
    return undefined;
  }
  const which = plain(hidden.names.join(', '));
  const count = String(hidden.count);
  const noun = hidden.count === 1 ? 'character' : 'characters';
  const direction = hidden.directional ? md`; some turn the direction of the text, so what is shown may read in another order than it is written` : md``;
  return md`\u26a0 **Hidden characters:** this value holds ${count} invisible or control ${noun} (${which}), shown as ${'<U+\u2026>'}${direction}.`;
}

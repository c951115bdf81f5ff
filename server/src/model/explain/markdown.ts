/**
 * Building hover Markdown safely. Everything in a CloudTrail log can be written by whoever made
 * the call (userAgent, errorMessage, request values, even property names), so no text from a log
 * may ever reach the Markdown as Markdown: a `[link](command:...)`, an image, raw HTML or a code
 * fence must show as the characters it is made of.
 *
 * The rule is enforced by types: hover text is a `Markdown` value, and the only ways to make one
 * are `md` (whose interpolated strings are escaped), `trusted` (for text this project wrote) and
 * the helpers below. A plain string interpolated into `md` is always escaped.
 */

import { codePointName, HIDDEN_CHARACTER } from '../text/visibleText';

/** Markdown that is safe to render: written by this project, or escaped. */
export class Markdown {
  private constructor(readonly value: string) {}

  /** Only this module creates Markdown values; everyone else goes through `md`/`trusted`. */
  static create(value: string): Markdown {
    return new Markdown(value);
  }

  toString(): string {
    return this.value;
  }
}

export type MarkdownPart = Markdown | string | number | boolean | null | undefined;

/** How much of one log value a hover shows before it is cut. */
export const MAX_VALUE_LENGTH = 240;

/** How much of a composed text (an identity chain, a list of findings) a hover shows. */
export const LONG_TEXT = 600;

/** Every ASCII punctuation character: CommonMark lets a backslash make each of them literal. */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;
/** Line breaks of every kind, which would end a paragraph or open a block. */
const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/g;

/**
 * Escapes text from a log so that Markdown shows it as plain characters, on one line, cut to
 * `maxLength` characters (a cut says how much was left out). `continues` says that `text` is
 * only the start of a longer value, read no further: the cut then says "at least".
 */
export function escapeText(text: string, maxLength = MAX_VALUE_LENGTH, continues = false): string {
  let shown = text;
  let omitted = 0;
  if (shown.length > maxLength) {
    let cut = maxLength;
    // Do not split a surrogate pair.
    const code = shown.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) {
      cut--;
    }
    omitted = shown.length - cut;
    shown = shown.slice(0, cut);
  }
  const escaped = shown
    .replace(LINE_BREAKS, ' \u23ce ')
    .replace(/\t/g, ' ')
    // Characters that draw nothing or turn the text around are written as <U+200B>.
    .replace(HIDDEN_CHARACTER, codePointName)
    .replace(ASCII_PUNCTUATION, '\\$&');
  if (continues) {
    return `${escaped}\u2026 (at least ${String(omitted + 1)} more characters)`;
  }
  return omitted > 0 ? `${escaped}\u2026 (${String(omitted)} more characters)` : escaped;
}

function partToMarkdown(part: MarkdownPart): string {
  if (part instanceof Markdown) {
    return part.value;
  }
  if (part === undefined || part === null) {
    return '';
  }
  return escapeText(String(part));
}

/**
 * A Markdown template whose interpolations are escaped unless they are already `Markdown`:
 * `` md`**From:** ${ip}` `` shows the address as text, whatever it holds.
 */
export function md(strings: TemplateStringsArray, ...parts: MarkdownPart[]): Markdown {
  let value = strings[0];
  for (let i = 0; i < parts.length; i++) {
    value += partToMarkdown(parts[i]) + strings[i + 1];
  }
  return Markdown.create(value);
}

/** Markdown written by this project (never pass log text here). */
export function trusted(markdown: string): Markdown {
  return Markdown.create(markdown);
}

/** A log value shown as escaped text, cut to `maxLength`. */
export function logText(text: string, maxLength = MAX_VALUE_LENGTH): Markdown {
  return Markdown.create(escapeText(text, maxLength));
}

/** Plain text this project wrote, shown as is (no Markdown meaning, never cut). */
export function plain(text: string): Markdown {
  return Markdown.create(escapeText(text, Number.MAX_SAFE_INTEGER));
}

/** A log value in quotes, so that empty strings and spaces can be seen; `continues` as in escapeText. */
export function quoted(text: string, maxLength = MAX_VALUE_LENGTH, continues = false): Markdown {
  return Markdown.create(`\u201c${escapeText(text, maxLength, continues)}\u201d`);
}

/**
 * An inline code span around text this project wrote (field names, types, patterns from the
 * API model). The fence is longer than any run of backticks inside, so the span cannot be closed
 * early; line breaks become spaces.
 */
export function code(text: string): Markdown {
  const flat = text.replace(LINE_BREAKS, ' ');
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) {
    longest = Math.max(longest, run.length);
  }
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.startsWith(' ') ? ' ' : '';
  return Markdown.create(`${fence}${pad}${flat}${pad}${fence}`);
}

/** Only documentation pages of AWS become links, and only URLs this project formed. */
const SAFE_LINK = /^https:\/\/docs\.aws\.amazon\.com\/[A-Za-z0-9._~/-]+(?:#[A-Za-z0-9_-]+)?$/;

/** A link to an AWS documentation page; anything else is shown as text. */
export function docLink(label: string, url: string): Markdown {
  if (!SAFE_LINK.test(url)) {
    return logText(label);
  }
  return Markdown.create(`[${escapeText(label)}](${url})`);
}

/** Joins parts with a separator written by this project. */
export function join(parts: readonly MarkdownPart[], separator: string): Markdown {
  return Markdown.create(
    parts
      .filter((part) => part !== undefined && part !== null && part !== '')
      .map(partToMarkdown)
      .join(separator),
  );
}

interface Block {
  kind: 'paragraph' | 'bullet' | 'heading' | 'rule';
  markdown: string;
}

/**
 * A hover's Markdown, block by block: headings, paragraphs, bullet lists and rules. Consecutive
 * bullets form one list.
 */
export class HoverBuilder {
  private readonly blocks: Block[] = [];

  heading(text: Markdown): this {
    this.blocks.push({ kind: 'heading', markdown: `#### ${text.value}` });
    return this;
  }

  paragraph(text: Markdown | undefined): this {
    if (text?.value) {
      this.blocks.push({ kind: 'paragraph', markdown: text.value });
    }
    return this;
  }

  bullet(text: Markdown | undefined): this {
    if (text?.value) {
      this.blocks.push({ kind: 'bullet', markdown: `- ${text.value}` });
    }
    return this;
  }

  bullets(items: readonly Markdown[]): this {
    items.forEach((item) => this.bullet(item));
    return this;
  }

  /** A bullet one level inside the bullet before it. */
  subBullet(text: Markdown | undefined): this {
    if (text?.value) {
      this.blocks.push({ kind: 'bullet', markdown: `  - ${text.value}` });
    }
    return this;
  }

  rule(): this {
    if (this.blocks.length > 0 && this.blocks[this.blocks.length - 1].kind !== 'rule') {
      this.blocks.push({ kind: 'rule', markdown: '---' });
    }
    return this;
  }

  get isEmpty(): boolean {
    return this.blocks.length === 0;
  }

  toString(): string {
    while (this.blocks.length > 0 && this.blocks[this.blocks.length - 1].kind === 'rule') {
      this.blocks.pop();
    }
    let out = '';
    let previous: Block | undefined;
    for (const block of this.blocks) {
      if (previous) {
        out += previous.kind === 'bullet' && block.kind === 'bullet' ? '\n' : '\n\n';
      }
      out += block.markdown;
      previous = block;
    }
    return out;
  }
}

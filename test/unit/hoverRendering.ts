/**
 * Renders hover Markdown the way VS Code does (marked, with GitHub extensions) so that tests can
 * check what a person would see, and that nothing from a log became a link, an image, HTML or code.
 */
import * as assert from 'node:assert/strict';
import { marked } from 'marked';
import { parseCloudTrail } from '../../server/src/model';
import { HoverContent, hoverContent } from '../../server/src/model/explain/hoverContent';

export function renderMarkdown(markdown: string): string {
  return marked.parse(markdown, { gfm: true, async: false });
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
}

/** The text a person reads: the rendered HTML without tags, entities decoded. */
export function visibleText(markdown: string): string {
  return decodeEntities(renderMarkdown(markdown).replace(/<[^>]+>/g, ''));
}

const DOCS = 'https://docs.aws.amazon.com/';

/**
 * Asserts that the rendered hover holds no element made from log content: the only links are
 * AWS documentation pages, and there are no images, raw HTML elements, code blocks, tables or
 * headings other than the hover's own; `payloads` (hostile strings from the log) never appear
 * inside a code span or an emphasis, and are visible as their own characters.
 */
export function assertInert(markdown: string, payloads: readonly string[] = []): void {
  const html = renderMarkdown(markdown);
  for (const match of html.matchAll(/<a\b[^>]*>/g)) {
    const href = /href="([^"]*)"/.exec(match[0])?.[1] ?? '';
    assert.ok(href.startsWith(DOCS), `a link to ${href} was rendered:\n${markdown}`);
  }
  for (const tag of [
    'img',
    'script',
    'iframe',
    'pre',
    'table',
    'blockquote',
    'h1',
    'h2',
    'h3',
    'h5',
    'h6',
    'div',
    'span',
    'b>',
    'i>',
    'svg',
    'style',
    'form',
    'input',
    'del',
  ]) {
    assert.ok(!new RegExp(`<${tag}[\\s>/]?`, 'i').test(html.replace(/<h4>/g, '').replace(/<\/h4>/g, '')), `<${tag}> was rendered:\n${html}`);
  }
  const codeSpans = [...html.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => decodeEntities(m[1]));
  const emphasis = [...html.matchAll(/<(?:em|strong)>([\s\S]*?)<\/(?:em|strong)>/g)].map((m) => decodeEntities(m[1]));
  const text = visibleText(markdown);
  for (const payload of payloads) {
    const probe = payload.slice(0, 40);
    assert.ok(!codeSpans.some((span) => span.includes(probe)), `log text inside a code span: ${probe}`);
    assert.ok(!emphasis.some((span) => span.includes(probe)), `log text inside emphasis: ${probe}`);
    const flat = probe.replace(/\r\n|[\r\n\u2028\u2029\u0085]/g, ' \u23ce ').replace(/\t/g, ' ');
    assert.ok(text.includes(flat), `the text ${JSON.stringify(flat)} is not shown as written:\n${text}`);
  }
}

/** Strings an attacker can put in a userAgent, an errorMessage or a request value. */
export const HOSTILE_VALUES = [
  '[click me](command:workbench.action.terminal.new)',
  '[docs](https://evil.example/phish)',
  '![pixel](https://evil.example/track.png)',
  '<img src=x onerror=alert(1)>',
  '<a href="command:vscode.open">open</a>',
  '<script>alert(1)</script>',
  '```js\nrequire("child_process")\n```',
  '`inline code`',
  '~~~\nfenced\n~~~',
  'javascript:alert(document.cookie)',
  'command:workbench.action.reloadWindow',
  'https://evil.example/autolink and www.evil.example and mallory@evil.example',
  '<https://evil.example/angle>',
  '[ref]: https://evil.example/reference\n[ref]',
  '**bold** _italic_ ~~strike~~ # heading | table | cell |',
  '&lt;b&gt;entity&lt;/b&gt; &#60;i&#62;',
  '\\[escaped\\](command:x)',
  'line one\n# second line heading\n- list item\n> quote',
  '    indented code block',
  '$(zap) theme icon',
];

export const ENV = { now: Date.UTC(2026, 10, 25, 12, 0, 0), timeZone: 'Europe/Madrid' };

/** The hover at the `occurrence`-th place `needle` appears in `text`, `delta` characters in. */
export function hoverOn(text: string, needle: string, delta = 1, occurrence = 0): HoverContent & { text: string; token: string } {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${needle} not found`);
  }
  const hover = hoverContent(parseCloudTrail(text), at + delta, ENV);
  assert.ok(hover, `no hover at ${needle}`);
  assert.ok(hover.start <= at + delta && at + delta < hover.end, `the range ${hover.start}-${hover.end} does not hold ${at + delta}`);
  assertInert(hover.markdown);
  return { ...hover, text: visibleText(hover.markdown), token: text.slice(hover.start, hover.end) };
}

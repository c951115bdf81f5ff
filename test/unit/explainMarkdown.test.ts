import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { code, docLink, escapeText, HoverBuilder, logText, MAX_VALUE_LENGTH, md, quoted } from '../../server/src/model/explain/markdown';
import { assertInert, HOSTILE_VALUES, renderMarkdown, visibleText } from './hoverRendering';

describe('hover Markdown escaping', () => {
  it('shows every hostile value as its own characters and renders nothing active', () => {
    for (const value of HOSTILE_VALUES) {
      const markdown = md`**Value:** ${value}`.value;
      assertInert(markdown, [value]);
    }
  });

  it('escapes every ASCII punctuation character, so no Markdown construct can start', () => {
    const all = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    const escaped = escapeText(all);
    assert.equal(
      escaped,
      Array.from(all)
        .map((c) => `\\${c}`)
        .join(''),
    );
    assert.equal(visibleText(escaped).trim(), all);
  });

  it('puts values on one line: line breaks become a visible mark', () => {
    const escaped = escapeText('a\nb\r\nc\u2028d');
    assert.ok(!/[\r\n\u2028]/.test(escaped));
    assert.equal(escaped, 'a \u23ce b \u23ce c \u23ce d');
  });

  it('writes control and bidirectional characters that could hide or reverse text as their code points', () => {
    const escaped = escapeText('safe\u202eexe.txt\u0000\u001b[31m');
    // eslint-disable-next-line no-control-regex -- the escaped text must hold no control characters
    assert.ok(!/[\u202e\u0000\u001b]/.test(escaped));
    assert.equal(visibleText(escaped).trim(), 'safe<U+202E>exe.txt<U+0000><U+001B>[31m');
  });

  it('shows zero-width characters, byte-order marks and lone surrogates, so adm\u200bin cannot pass for admin', () => {
    for (const [value, shown] of [
      ['adm\u200bin', 'adm<U+200B>in'],
      ['a\u200cb\u200dc\u2060d\ufeffe', 'a<U+200C>b<U+200D>c<U+2060>d<U+FEFF>e'],
      ['x\ud800y\udc00z', 'x<U+D800>y<U+DC00>z'],
      ['pair \ud83d\ude00 kept', 'pair \ud83d\ude00 kept'],
    ]) {
      const escaped = escapeText(value);
      assert.equal(visibleText(escaped).trim(), shown);
      assertInert(escaped, []);
    }
  });

  it('cuts long values and says how much was left out', () => {
    const long = 'x'.repeat(MAX_VALUE_LENGTH + 500);
    const escaped = escapeText(long);
    assert.ok(escaped.startsWith('x'.repeat(MAX_VALUE_LENGTH)));
    assert.ok(escaped.endsWith('\u2026 (500 more characters)'));
    assert.equal(logText('abcdef', 3).value, 'abc\u2026 (3 more characters)');
  });

  it('never splits a surrogate pair when cutting', () => {
    const escaped = escapeText(`${'a'.repeat(9)}\u{1F600}rest`, 10);
    assert.ok(escaped.startsWith('a'.repeat(9) + '\u2026'));
  });

  it('escapes interpolations but keeps the template\u2019s own Markdown', () => {
    const value = '*x*';
    assert.equal(md`**Name:** ${value}`.value, '**Name:** \\*x\\*');
    assert.equal(md`${quoted('a]b')}`.value, '\u201ca\\]b\u201d');
    assert.equal(md`${md`**inner**`}`.value, '**inner**');
    assert.equal(md`${undefined}-${null}`.value, '-');
  });

  it('builds code spans whose fence outlasts any backticks inside', () => {
    assert.equal(code('a`b').value, '``a`b``');
    assert.equal(code('`x`').value, '`` `x` ``');
    const html = renderMarkdown(code('a ``` b').value);
    assert.match(html, /<code>a ``` b<\/code>/);
  });

  it('links only to AWS documentation pages', () => {
    assert.equal(
      docLink('API reference', 'https://docs.aws.amazon.com/acm/latest/APIReference/API_GetCertificate.html').value,
      '[API reference](https://docs.aws.amazon.com/acm/latest/APIReference/API_GetCertificate.html)',
    );
    for (const url of [
      'command:evil',
      'javascript:alert(1)',
      'https://evil.example/x',
      'https://docs.aws.amazon.com/x)(command:y',
      'https://docs.aws.amazon.com.evil.example/',
    ]) {
      const link = docLink('label', url).value;
      assert.ok(!link.includes('('), `${url} became ${link}`);
    }
  });

  it('joins bullets into one list and separates other blocks', () => {
    const out = new HoverBuilder()
      .heading(md`Title`)
      .paragraph(md`text`)
      .bullet(md`one`)
      .bullet(md`two`)
      .rule()
      .paragraph(md`after`)
      .rule();
    assert.equal(out.toString(), '#### Title\n\ntext\n\n- one\n- two\n\n---\n\nafter');
    assert.equal(new HoverBuilder().paragraph(undefined).bullet(md``).isEmpty, true);
  });
});

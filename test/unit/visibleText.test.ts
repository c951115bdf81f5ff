import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasHiddenCharacters, hiddenCharacters, visibleText } from '../../server/src/model/text/visibleText';

describe('visibleText', () => {
  it('writes zero-width and byte-order characters as code points', () => {
    assert.equal(visibleText('adm\u200bin'), 'adm<U+200B>in');
    assert.equal(visibleText('a\u200cb\u200dc\u2060d\ufeffe'), 'a<U+200C>b<U+200D>c<U+2060>d<U+FEFF>e');
  });

  it('writes direction-changing characters and controls as code points', () => {
    assert.equal(visibleText('safe\u202eexe.txt'), 'safe<U+202E>exe.txt');
    assert.equal(visibleText('x\u2066y\u2069'), 'x<U+2066>y<U+2069>');
    assert.equal(visibleText('a\nb\u0000\u001b'), 'a<U+000A>b<U+0000><U+001B>');
  });

  it('shows lone surrogates but keeps pairs, and tag characters as one code point', () => {
    assert.equal(visibleText('a\ud800b'), 'a<U+D800>b');
    assert.equal(visibleText('a\udc00b'), 'a<U+DC00>b');
    assert.equal(visibleText('smile \ud83d\ude00'), 'smile \ud83d\ude00');
    assert.equal(visibleText('x\udb40\udc41'), 'x<U+E0041>');
  });

  it('leaves ordinary text, accents and other scripts alone', () => {
    for (const text of ['alice', 'Zoë', '日本語', 'a b', 'arn:aws:iam::123456789012:role/x']) {
      assert.equal(visibleText(text), text);
    }
  });

  it('reads at most the bounded prefix and never splits a surrogate pair', () => {
    assert.equal(visibleText('abcdef', 3), 'abc\u2026');
    assert.equal(visibleText('ab\ud83d\ude00', 3), 'ab\u2026');
    const huge = '\u200b'.repeat(5_000_000);
    assert.equal(visibleText(huge, 2), '<U+200B><U+200B>\u2026');
  });

  it('counts what a value hides, and says when the direction changes', () => {
    assert.deepEqual(hiddenCharacters('adm\u200bin\u200b'), { count: 2, names: ['U+200B'], directional: false });
    assert.deepEqual(hiddenCharacters('a\u202eb'), { count: 1, names: ['U+202E'], directional: true });
    assert.equal(hiddenCharacters('plain').count, 0);
    assert.equal(hasHiddenCharacters('plain'), false);
    assert.equal(hasHiddenCharacters('p\u2060lain'), true);
    assert.equal(hasHiddenCharacters('p\u2060lain'), true);
  });
});

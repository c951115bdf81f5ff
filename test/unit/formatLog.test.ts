import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail, validateDocument } from '../../server/src/model';
import { formatLog, FormattedLog } from '../../server/src/model/format';
import { listFixtures, readFixture } from '../fixtures';

const WHITESPACE = /^[ \t\r\n]*$/;

/** Every character of each text is either in a run copied from the other or white space, and the runs read the same. */
function assertKeepsEveryToken(original: string, formatted: FormattedLog): void {
  const { text, map } = formatted;
  let originalAt = 0;
  let formattedAt = 0;
  for (let offset = 0; offset <= original.length; offset++) {
    const mapped = map.toFormatted(offset);
    assert.ok(mapped >= formattedAt, `offsets keep their order (at ${offset})`);
    if (offset < original.length && !WHITESPACE.test(original[offset])) {
      assert.equal(text[mapped], original[offset], `the character at ${offset} of the original is at ${mapped} of the formatted text`);
      assert.equal(map.toOriginal(mapped), offset, `and ${mapped} maps back to ${offset}`);
      assert.ok(WHITESPACE.test(text.slice(formattedAt, mapped)) || mapped === formattedAt + 1 || original.slice(originalAt, offset + 1).length > 0);
    }
    formattedAt = mapped;
    originalAt = offset;
  }
  const stripped = (value: string): string => value.replace(/[ \t\r\n]+/g, '');
  assert.equal(stripped(text), stripped(original), 'the same characters apart from white space');
}

/** Every problem of the original, moved through the map, is a problem of the formatted text, and the other way round. */
function assertSameProblems(original: string, formatted: FormattedLog): void {
  type Move = (start: number, end: number) => { start: number; end: number };
  const describe = (problems: { code: string; start: number; end: number }[], move: Move): string[] =>
    problems
      .map((p) => {
        const range = move(p.start, p.end);
        return `${p.code} ${range.start}-${range.end}`;
      })
      .sort();
  const same: Move = (start, end) => ({ start, end });
  const before = validateDocument(parseCloudTrail(original));
  const after = validateDocument(parseCloudTrail(formatted.text));
  assert.deepEqual(
    describe(before, (start, end) => formatted.map.rangeToFormatted(start, end)),
    describe(after, same),
  );
  assert.deepEqual(
    describe(after, (start, end) => formatted.map.rangeToOriginal(start, end)),
    describe(before, same),
  );
}

describe('formatted view of a log', () => {
  it('lays a one-line log out one property per line, indented, keeping the spacing after colons', () => {
    const original = '{"Records":[{"eventName":"GetCertificate","readOnly":true,"resources":[],"tags":{},"n":[1,2]}]}';
    const formatted = formatLog(original);
    assert.equal(
      formatted.text,
      [
        '{',
        '  "Records":[',
        '    {',
        '      "eventName":"GetCertificate",',
        '      "readOnly":true,',
        '      "resources":[],',
        '      "tags":{},',
        '      "n":[',
        '        1,',
        '        2',
        '      ]',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
    assert.deepEqual(JSON.parse(formatted.text), JSON.parse(original));
    assertKeepsEveryToken(original, formatted);
  });

  it('puts each value of a one-event-per-line file on its own lines', () => {
    const original = '{"eventName":"A"}\n{"eventName":"B"}{"eventName":"C"}\n';
    const formatted = formatLog(original);
    assert.equal(formatted.text, '{\n  "eventName":"A"\n}\n{\n  "eventName":"B"\n}\n{\n  "eventName":"C"\n}\n');
    assert.equal(parseCloudTrail(formatted.text).records.length, 3);
  });

  it('keeps strings as they are, escapes and brackets inside them included', () => {
    const original = '{"a":"x, {y}: [z] \\"q\\" \\\\","b":"\\u00e9"}';
    const formatted = formatLog(original);
    assert.deepEqual(JSON.parse(formatted.text), JSON.parse(original));
    assertKeepsEveryToken(original, formatted);
  });

  it('lays out text beyond ASCII the same way, code unit for code unit', () => {
    const original = '{"userName":"José","note":"日本 \\"😀\\"","Records":[{"a":"é\\n"}]}';
    const formatted = formatLog(original);
    assert.equal(formatted.text, '{\n  "userName":"José",\n  "note":"日本 \\"😀\\"",\n  "Records":[\n    {\n      "a":"é\\n"\n    }\n  ]\n}\n');
    assert.deepEqual(JSON.parse(formatted.text), JSON.parse(original));
    assertKeepsEveryToken(original, formatted);
  });

  it('keeps every code unit of a text that is ASCII but for one character, wherever it is', () => {
    // Ł is U+0141: written one byte per character it would come out as "A".
    const body = '{"Records":[{"eventName":"A","userAgent":"x"}]}';
    for (const odd of ['Ł', 'é', '\ud800', '😀']) {
      for (const original of [`${odd}${body}`, `${body.slice(0, -3)}${odd}${body.slice(-3)}`, `${body}${odd}`]) {
        const formatted = formatLog(original);
        assert.ok(formatted.text.includes(odd), JSON.stringify(original));
        assertKeepsEveryToken(original, formatted);
      }
    }
  });

  it('gives back a log laid out already as it is, in one run', () => {
    const laidOut = '{\n  "Records":[\n    {\n      "eventName":"A"\n    }\n  ]\n}\n';
    const formatted = formatLog(laidOut);
    assert.equal(formatted.text, laidOut);
    assert.equal(formatted.map.runs, 1);
    assertKeepsEveryToken(laidOut, formatted);
    // Without its last line break, it gets one.
    assert.equal(formatLog(laidOut.slice(0, -1)).text, laidOut);
  });

  it('stops indenting deeper at 64 levels, so a file of deep brackets stays about its size', () => {
    const depth = 10_000;
    const original = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const formatted = formatLog(original);
    assertKeepsEveryToken(original, formatted);
    const widest = Math.max(...formatted.text.split('\n').map((line) => line.length));
    assert.equal(widest, 2 * 64 + 1);
    // At most one line of at most 130 characters per character of the original; without the limit, about depth².
    assert.ok(formatted.text.length <= original.length * (2 * 64 + 2));
  });

  it('keeps the mistakes of a broken file where they are', () => {
    const broken = [
      // Unquoted key, missing comma, trailing comma, a placeholder, a stray word.
      '{"Records":[{eventName:"A" "eventSource":"acm.amazonaws.com",},...,{"x":tru}]}',
      // A PEM block pasted with its raw line breaks, and a string left open at the end of a line.
      '{"Records":[{"certificate":"-----BEGIN\nMIIB\n-----END","eventName":"open\n"eventSource":"s3.amazonaws.com"}]}',
      // Unbalanced brackets and text after the value.
      '{"Records":[{"a":1}}]] trailing "x" 12',
      // Words with colons in them, a number glued to a word, a value with no key.
      '{"Records":[{"arn":arn:aws:iam::1:user/x, "n":12abc, :"v", "k" "v"}]}',
      // A backslash before a line break, a lone CR, tabs.
      '{"a":"x\\\n","b":\t1\r,"c":"y"}',
      '',
      '   \n',
    ];
    for (const original of broken) {
      const formatted = formatLog(original);
      assertKeepsEveryToken(original, formatted);
      assertSameProblems(original, formatted);
    }
  });

  it('maps every problem of every fixture onto the same token in both texts', () => {
    for (const fixture of listFixtures('.')) {
      const original = readFixture(fixture);
      const formatted = formatLog(original);
      assertKeepsEveryToken(original, formatted);
      assertSameProblems(original, formatted);
    }
  });

  it('maps offsets in white space that only one text has to the next token', () => {
    const original = '{   "a" :  1 }';
    const formatted = formatLog(original);
    assert.equal(formatted.text, '{\n  "a": 1\n}\n');
    // The spaces before "a" in the original go to "a" in the formatted text, and the indentation back to "a".
    assert.equal(formatted.map.toFormatted(1), 1, 'right after the brace');
    assert.equal(formatted.map.toFormatted(2), formatted.text.indexOf('"a"'));
    assert.equal(formatted.map.toOriginal(2), original.indexOf('"a"'));
    assert.equal(formatted.map.toFormatted(original.length), formatted.text.length - 1);
  });
});

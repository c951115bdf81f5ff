import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonView, KeyNames, NodeKind, scanJson } from '../../server/src/model';
import { readFixture } from '../fixtures';

/** The table as plain rows, to compare scans of different texts. */
function rows(text: string) {
  const { table, problems } = scanJson(text);
  const result = [];
  for (let node = 0; node < table.count; node++) {
    result.push({ kind: table.kind[node], flags: table.flags[node], next: table.next[node], value: text.slice(table.start[node], table.end[node]) });
  }
  return { rows: result, problems: problems.map((p) => [p.code, text.slice(p.start, p.end)]) };
}

describe('the scanner reads strings, keywords, colons and commas the same whatever their surroundings', () => {
  it('gives the same tree for compact and spaced-out text', () => {
    const compact = '{"a":[1,-2.5e3,true,false,null,"x"],"b":{"c":"d"},"e":[]}';
    const spaced = '{ "a" : [ 1 , -2.5e3 ,\n true ,\tfalse , null , "x" ] ,\r\n "b" : { "c" : "d" } , "e" : [ ] }';
    const a = rows(compact);
    const b = rows(spaced);
    assert.deepEqual(
      a.rows.map((r) => [r.kind, r.next, r.value.replace(/\s+/g, '')]),
      b.rows.map((r) => [r.kind, r.next, r.value.replace(/\s+/g, '')]),
    );
    assert.deepEqual(a.problems, []);
    assert.deepEqual(b.problems, []);
  });

  it('reads runs of plain numbers in arrays as it reads numbers spaced out', () => {
    // Compact runs take a path of their own; with a space after each comma they do not.
    const texts = [
      '{"hb":[104,116,116,112,0,9,255],"n":[1,2]}',
      '[1,22,0,05,-3,4.5,6e2,7,8x,9,]',
      '[1,-2,3,-128,127,-0,-0,5]',
      '[0,-1,-22,-05,-,--3,-4.5,-6e2,-7,-8x,9,-]',
      '[0,-',
      '[0,-1',
      '{"hb":[-1,-2],"x":-3}',
      '[[1,2],[3],[],[4,[5,6]],7]',
      '{"a":[1,2,3}',
      '[1,2,"x",3,true,4,null,5',
      '[1,2,3]4,5]',
      '[0,00,1,',
    ];
    for (const compact of texts) {
      const spaced = compact.replace(/,/g, ', ');
      const a = rows(compact);
      const b = rows(spaced);
      const plain = (value: string): string => value.replace(/\s+/g, '');
      assert.deepEqual(
        a.rows.map((r) => [r.kind, r.flags, r.next, plain(r.value)]),
        b.rows.map((r) => [r.kind, r.flags, r.next, plain(r.value)]),
        compact,
      );
      assert.deepEqual(
        a.problems.map(([code, token]) => [code, plain(token)]),
        b.problems.map(([code, token]) => [code, plain(token)]),
        compact,
      );
    }
    const dump = `{"hb":[${Array.from({ length: 5000 }, (_, i) => (i % 256) - 128).join(',')}],"after":1}`;
    const { table } = scanJson(dump);
    const view = new JsonView(dump, table);
    const hb = view.property(0, 'hb');
    assert.deepEqual(
      [...view.children(hb)].map((node) => view.scalar(node)),
      Array.from({ length: 5000 }, (_, i) => (i % 256) - 128),
    );
    assert.equal(view.scalar(view.property(0, 'after')), 1);
  });

  it('finds an escape, a control character or the end of the text after a long run of plain characters', () => {
    const plain = 'x'.repeat(5000);
    const escaped = rows(`["${plain}\\n${plain}"]`);
    assert.equal(escaped.rows[1].kind, NodeKind.String);
    assert.ok(escaped.rows[1].flags & 1, 'HasEscapes');
    assert.equal(escaped.rows[1].value.length, 2 * plain.length + 4);

    const tab = rows(`["${plain}\t${plain}"]`);
    assert.deepEqual(tab.problems, [['json-control-character', '\t']]);

    const broken = `["${plain}\\q"]`;
    assert.deepEqual(rows(broken).problems, [['json-invalid-escape', '\\q']]);

    const unterminated = `{"k":"${plain}`;
    const open = rows(unterminated);
    assert.equal(open.rows[1].value, `"${plain}`);
    assert.ok(open.problems.some(([code]) => code === 'json-unterminated-string'));
  });

  it('ends strings at the same place in text of long lines (found by searching) and of short lines (read through)', () => {
    // Long lines take the search for the next quote, backslash and control character; three short
    // lines at the start make the scanner read every string character by character instead.
    const strings = [
      '"plain"',
      '"with \\"quote\\" inside"',
      '"ends in a backslash\\\\"',
      '"escaped\\ttab"',
      '"raw\ttab"',
      '"ends in a tab\t"',
      '"\u0002"',
      '"control \u0001 char"',
      `"${'x'.repeat(400)}"`,
      '"line\nbreak"',
      '"pasted\nPEM\nblock"',
      '"carriage\rreturn"',
      '"é and 😀"',
      '""',
      '"bad \\q escape"',
      '"\\u00e9 \\u12"',
      '"after: a backslash comes later"',
      '"far"',
    ];
    const padding = `"${'p'.repeat(300)}"`;
    const layouts = [(items: string[]) => `[${padding},${items.join(',')}]`, (items: string[]) => `\n\n\n[${padding},${items.join(',')}]`];
    // Control characters are looked for in windows of 64 KiB: long strings between the items put
    // them beyond the first window, and strings across the windows' edges.
    const spread = Array.from({ length: 60 }, (_, i) => (i % 2 ? strings[(i >> 1) % strings.length] : `"${'y'.repeat(7000 + 331 * i)}"`));
    const cases = [
      strings,
      [...strings].reverse(),
      strings.map((s, i) => (i % 2 ? `{${s}:${s}}` : s)),
      [...strings, '"never closed'],
      spread,
      [...spread].reverse(),
    ];
    for (const items of cases) {
      const [long, short] = layouts.map((layout) => rows(layout(items)));
      assert.deepEqual(long.rows, short.rows, items.join(','));
      assert.deepEqual(long.problems, short.problems, items.join(','));
    }
  });

  it('still reads a line break inside a long string as a pasted PEM block', () => {
    const line = 'M'.repeat(64);
    const text = `{"certificate":"-----BEGIN CERTIFICATE-----\n${line}\n-----END CERTIFICATE-----"}`;
    const { rows: nodes, problems } = rows(text);
    assert.equal(nodes.length, 2);
    assert.ok(nodes[1].value.endsWith('-----END CERTIFICATE-----"'));
    assert.deepEqual(
      problems.map(([code]) => code),
      ['json-line-break-in-string', 'json-line-break-in-string'],
    );
  });

  it('recognises true, false and null only as whole words', () => {
    const { rows: nodes, problems } = rows('[true,false,null,nul,trueish,True,nullx]');
    assert.deepEqual(
      nodes.slice(1).map((r) => r.kind),
      [NodeKind.Boolean, NodeKind.Boolean, NodeKind.Null, NodeKind.Invalid, NodeKind.Invalid, NodeKind.Invalid, NodeKind.Invalid],
    );
    assert.deepEqual(
      problems.map(([, token]) => token),
      ['nul', 'trueish', 'True', 'nullx'],
    );
    const view = new JsonView('[true,false,null]', scanJson('[true,false,null]').table);
    assert.deepEqual(
      [1, 2, 3].map((node) => view.scalar(node)),
      [true, false, null],
    );
  });

  it('reports a missing colon and a missing comma where the fast paths do not apply', () => {
    assert.deepEqual(rows('{"a" 1}').problems, [['json-missing-colon', '"a"']]);
    assert.deepEqual(rows('{"a":1 "b":2}').problems, [['json-missing-comma', '"b"']]);
    assert.deepEqual(rows('[1,]').problems, [['json-trailing-comma', ',']]);
    assert.deepEqual(rows('{"a":1,}').problems, [['json-trailing-comma', ',']]);
  });

  it('sizes its table from the text and ends with no unused rows to speak of', () => {
    const dense = `[${Array.from({ length: 200_000 }, (_, i) => i % 256).join(',')}]`;
    const sparse = JSON.stringify({ Records: Array.from({ length: 2000 }, (_, i) => ({ eventName: `Call${i}`, note: 'y'.repeat(300) })) }, null, 2);
    for (const text of [dense, sparse]) {
      const { table } = scanJson(text);
      assert.ok(table.kind.length - table.count <= 64, `capacity ${table.kind.length} for ${table.count} rows`);
      assert.equal(table.next[0], table.count);
    }
  });
});

describe('JsonView.keyIndex', () => {
  const names = ['eventName', 'eventTime', 'awsRegion'] as const;

  it('finds property names as written, decoded, and unquoted, as names.indexOf(key(node)) would', () => {
    const text = '{"eventTime":1,"awsRegion":2,"event\\u004eame":3,"other":4,eventName:5,"eventNam":6,"eventNamex":7}';
    const { table } = scanJson(text);
    const view = new JsonView(text, table);
    const children = [...view.children(0)];
    assert.deepEqual(
      children.map((child) => view.keyIndex(child, names)),
      children.map((child) => names.indexOf(view.key(child) as (typeof names)[number])),
    );
    assert.deepEqual(
      children.map((child) => view.keyIndex(child, names)),
      [1, 2, 0, -1, 0, -1, -1],
    );
    // Prepared names (grouped by length) give the same answers, names of one length included.
    const prepared = new KeyNames(names);
    assert.deepEqual(
      children.map((child) => view.keyIndexIn(child, prepared)),
      children.map((child) => view.keyIndex(child, names)),
    );
  });

  it('gives -1 for values without a property name', () => {
    const text = '[1,{"eventName":2}]';
    const view = new JsonView(text, scanJson(text).table);
    assert.equal(view.keyIndex(0, names), -1);
    assert.equal(view.keyIndex(1, names), -1);
    assert.equal(view.keyIndex(3, names), 0);
    const prepared = new KeyNames(names);
    assert.deepEqual(
      [0, 1, 3].map((node) => view.keyIndexIn(node, prepared)),
      [-1, -1, 0],
    );
  });
});

describe('prepared property names find what the plain search finds', () => {
  /** keyIndexIn against keyIndex, which compares the decoded names one by one. */
  function assertSameAnswers(view: JsonView, keySets: KeyNames[]): number {
    let found = 0;
    for (let node = 0; node < view.table.count; node++) {
      for (const keys of keySets) {
        const answer = view.keyIndexIn(node, keys);
        assert.equal(answer, view.keyIndex(node, keys.names), `${JSON.stringify(view.key(node))} in ${keys.names.join(',')}`);
        if (answer >= 0) found++;
      }
    }
    return found;
  }

  const names = ['eventName', 'eventTime', 'eventType', 'userIdentity', 'arn', 'eventName'];
  const texts = [
    '{"eventName":1,"eventTime":2,"eventType":3,"eventNam":4,"eventNamex":5,"EventName":6,"":7,"userIdentity":{"arn":"a","Arn":"b"}}',
    // Escapes, unquoted names, a name cut short, a missing name, names of other letters of one length.
    '{"event\\u004eame":1,eventName:2,"eventTime\\"":3,"\\u0061rn":4,"\u00e9ventName":5,"eventName":6,"arn",7,:8}',
    '{"eventName":"x","eventTime',
    '{"eventTime\n:1,"eventName":2}',
    '{"eventName":"x\n,"arn":1}',
    '[{"arn":1},[{"arn":2}],"arn",{"eventName":{"eventName":3}}]',
  ];

  it('in broken and hostile text', () => {
    const keySets = [new KeyNames(names), new KeyNames(['arn']), new KeyNames(['eventTime', 'userIdentity'])];
    for (const text of texts) assertSameAnswers(new JsonView(text, scanJson(text).table), keySets);
  });

  it('for names alike in length and first, middle and last letters, which no hash tells apart', () => {
    // All three hash alike whatever the seed: only comparing every letter separates them.
    const alike = new KeyNames(['acbda', 'adbca', 'aebea', 'adbca']);
    const text = '{"acbda":1,"adbca":2,"aebea":3,"afbfa":4,"acbd":5,"adbcaa":6,"ADBCA":7}';
    const view = new JsonView(text, scanJson(text).table);
    assert.equal(assertSameAnswers(view, [alike]), 3);
    assert.deepEqual(
      [1, 2, 3, 4].map((node) => view.keyIndexIn(node, alike)),
      [0, 1, 2, -1],
    );
  });

  it('in real logs', () => {
    const keySets = [new KeyNames(names), new KeyNames(['requestParameters', 'responseElements', 'sessionContext', 'sessionIssuer', 'type'])];
    for (const file of [
      'real/stratus-red-team/aws.execution.ssm-send-command.json',
      'real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json',
    ]) {
      const text = readFixture(file);
      // Every record has an eventName, an eventTime and a userIdentity with an arn.
      assert.ok(assertSameAnswers(new JsonView(text, scanJson(text).table), keySets) >= 4 * (text.match(/"eventName"/g) ?? []).length, file);
    }
  });
});

describe('a property found by name', () => {
  it('is the last one written, empty and escaped names included', () => {
    const text = '{"":1,"arn":2,"Arn":3,"":4,"\\u0061rn":5,"arm":6,"aRn":7}';
    const view = new JsonView(text, scanJson(text).table);
    const valueOf = (name: string): unknown => view.scalar(view.property(0, name));
    assert.equal(valueOf(''), 4);
    assert.equal(valueOf('arn'), 5);
    assert.equal(valueOf('Arn'), 3);
    assert.equal(valueOf('arm'), 6);
    assert.equal(valueOf('ar'), undefined);
  });
});

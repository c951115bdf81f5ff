import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol';
import { FormattedLogRequest, MapFormattedRangesRequest } from '../../server/src/protocol';
import { FIXTURES, readFixture } from '../fixtures';
import { fileUri, LspSession } from './lspSession';

/** Diagnostics as "code range", sorted, to compare two sets. */
function described(diagnostics: { code?: string | number; range: Range }[]): string[] {
  return diagnostics.map((d) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();
}

describe('the formatted view of a log, from the real server', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start();
  });
  after(async () => {
    await session.stop();
  });

  it('reports every problem of a broken example on the same token in the original and in its formatted text', async () => {
    for (const fixture of ['aws-docs-acm/ct-acm-addtags.json', 'aws-docs-acm/ct-acm-export.current.json', 'shapes/one-per-line.ndjson.json']) {
      const uri = fileUri(fixture);
      const original = await session.open(uri, readFixture(fixture));
      const { text } = await session.connection.sendRequest(FormattedLogRequest.type, { uri });
      const formattedUri = fileUri(`${fixture}.formatted.cloudtrail.json`);
      const formatted = await session.open(formattedUri, text);
      assert.ok(original.diagnostics.length > 0 || fixture.startsWith('shapes'), fixture);
      const moved = await session.connection.sendRequest(MapFormattedRangesRequest.type, {
        uri,
        ranges: original.diagnostics.map((d: Diagnostic) => d.range),
        to: 'formatted',
      });
      assert.deepEqual(described(original.diagnostics.map((d, i) => ({ code: d.code, range: moved[i] }))), described(formatted.diagnostics), fixture);
      const back = await session.connection.sendRequest(MapFormattedRangesRequest.type, {
        uri,
        ranges: formatted.diagnostics.map((d: Diagnostic) => d.range),
        to: 'original',
      });
      assert.deepEqual(described(formatted.diagnostics.map((d, i) => ({ code: d.code, range: back[i] }))), described(original.diagnostics), fixture);
    }
  });

  it('formats a delivered .json.gz log read from disk', async () => {
    const file = path.join(FIXTURES, 'real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz');
    const { text } = await session.connection.sendRequest(FormattedLogRequest.type, { uri: pathToFileURL(file).toString() });
    const plain = readFixture('real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz');
    assert.deepEqual(JSON.parse(text), JSON.parse(plain));
    assert.ok(text.includes('\n    {\n      "'), 'one property per line, indented');
  });

  it('answers with an error for a log it cannot read', async () => {
    await assert.rejects(session.connection.sendRequest(FormattedLogRequest.type, { uri: 'file:///nowhere/missing.json' }));
    await assert.rejects(session.connection.sendRequest(FormattedLogRequest.type, { uri: 'untitled:Untitled-9' }));
  });
});

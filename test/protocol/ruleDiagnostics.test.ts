/**
 * The CloudTrail rules as a client sees them: diagnostics published by the built server for the
 * AWS ACM documentation examples (each problem the corpus lists, on the right token), none for
 * the real logs, severities taken from the settings, and quick fixes as code actions.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CodeActionRequest, Diagnostic, DiagnosticSeverity, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { listFixtures, readFixture } from '../fixtures';
import { DETECTIONS_SOURCE, fileUri, LspSession, summarize } from './lspSession';
import { defined } from '../defined';

/** The diagnostic with `code` whose range starts at line:column (both from 1), and covers `token`. */
function find(published: PublishDiagnosticsParams, text: string, code: string, line: number, column: number, token?: string): Diagnostic {
  const found = published.diagnostics.find((d) => d.code === code && d.range.start.line === line - 1 && d.range.start.character === column - 1);
  assert.ok(found, `no ${code} at ${line}:${column}; got\n${summarize(published.diagnostics).join('\n')}`);
  if (token !== undefined) {
    assert.equal(rangeText(text, found.range), token);
  }
  return found;
}

function rangeText(text: string, range: Diagnostic['range']): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) {
    return lines[range.start.line].slice(range.start.character, range.end.character);
  }
  return [
    lines[range.start.line].slice(range.start.character),
    ...lines.slice(range.start.line + 1, range.end.line),
    lines[range.end.line].slice(0, range.end.character),
  ].join('\n');
}

const example = (name: string): string => readFixture(`aws-docs-acm/${name}`);

describe('CloudTrail rule diagnostics from the real server', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start();
  });
  after(async () => {
    await session.stop();
  });

  it('reports nothing for the valid ACM examples', async () => {
    for (const name of ['ct-acm-delete.json', 'ct-acm-describe.json', 'ct-acm-list.json', 'ct-acm-request.json', 'ct-acm-resendmail.json']) {
      const published = await session.open(fileUri(name), example(name));
      assert.deepEqual(summarize(published.diagnostics), [], name);
    }
  });

  it('reports the unquoted keys of the tag examples, each with a fix that quotes it', async () => {
    for (const name of ['ct-acm-addtags.json', 'ct-acm-listtags.json', 'ct-acm-removetag.json']) {
      const text = example(name);
      const published = await session.open(fileUri(name), text);
      const records = find(published, text, 'json-unquoted-key', 2, 5, 'Records');
      assert.deepEqual((records.data as { fix: { replacement: string } }).fix.replacement, '"Records"');
      // Nothing but the unquoted keys: the records themselves are fine.
      assert.deepEqual([...new Set(published.diagnostics.map((d) => d.code))], ['json-unquoted-key'], name);
    }
  });

  it('reports the raw line breaks of the GetCertificate example', async () => {
    const text = example('ct-acm-get.json');
    const published = await session.open(fileUri('ct-acm-get.json'), text);
    find(published, text, 'json-line-break-in-string', 23, 41);
    find(published, text, 'json-line-break-in-string', 27, 41);
  });

  it('reports the byte and ... tokens and the lone event of the ImportCertificate example, and nothing about its ByteBuffers', async () => {
    const text = example('ct-acm-import.json');
    const published = await session.open(fileUri('ct-acm-import.json'), text);
    find(published, text, 'json-invalid-token', 20, 9, 'byte');
    find(published, text, 'json-placeholder', 23, 9, '...');
    find(published, text, 'shape-single-event', 1, 1, '{');
    assert.deepEqual(
      published.diagnostics.filter((d) => /^(acm|record|arn)-/.test(String(d.code))),
      [],
    );
  });

  it('reports everything wrong with the ExportCertificate example, the duplicate privateKey included', async () => {
    const text = example('ct-acm-export.current.json');
    const published = await session.open(fileUri('ct-acm-export.current.json'), text);
    find(published, text, 'shape-envelope-in-records', 6, 10, '"detail-type"');
    find(published, text, 'json-line-break-in-string', 36, 46);
    find(published, text, 'json-missing-comma', 53, 17, '"managementEvent"');
    find(published, text, 'json-unclosed-bracket', 1, 1, '{');
    const duplicate = find(published, text, 'duplicate-key', 47, 17, '"privateKey"');
    assert.equal(duplicate.severity, DiagnosticSeverity.Warning);
    assert.equal(duplicate.relatedInformation?.length, 1);
    assert.deepEqual(duplicate.relatedInformation[0].location.range.start, { line: 41, character: 16 });
    // The example also has a Root caller with a user's ARN and fields newer than its eventVersion 1.04.
    find(published, text, 'identity-arn-type', 19, 31);
    find(published, text, 'record-field-newer-than-version', 55, 17, '"eventCategory"');
  });

  it("reports the RevokeCertificate example's missing quote and its caller ARN in another account", async () => {
    const text = example('ct-acm-revoke.current.json');
    const published = await session.open(fileUri('ct-acm-revoke.current.json'), text);
    const quote = find(published, text, 'json-missing-open-quote', 6, 16);
    assert.ok(rangeText(text, quote.range).startsWith('arn:aws:sts::111122223333'));
    const mismatch = find(published, text, 'arn-account-mismatch', 6, 29, '111122223333');
    assert.equal(mismatch.severity, DiagnosticSeverity.Warning);
    assert.match(typeof mismatch.message === 'string' ? mismatch.message : mismatch.message.value, /123456789012/);
    assert.deepEqual(mismatch.relatedInformation?.[0].location.range.start, { line: 6, character: 21 });
  });

  it('offers the quick fixes as code actions', async () => {
    const text = example('ct-acm-revoke.current.json');
    const uri = fileUri('revoke-for-actions.json');
    const published = await session.open(uri, text);
    const quote = defined(published.diagnostics.find((d) => d.code === 'json-missing-open-quote'));
    const actions = await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: quote.range,
      context: { diagnostics: [quote] },
    });
    assert.equal(actions?.length, 1);
    const action = actions[0] as { title: string; edit: { changes: Record<string, { newText: string; range: Diagnostic['range'] }[]> } };
    assert.equal(action.title, 'Add the opening quote');
    assert.deepEqual(action.edit.changes[uri], [{ newText: '"', range: { start: quote.range.start, end: quote.range.start } }]);
  });

  it('publishes no rule diagnostic at all for any real log', async () => {
    for (const file of listFixtures('real')) {
      const published = await session.open(fileUri(`rules-${file}`), readFixture(file));
      assert.deepEqual(summarize(published.diagnostics.filter((d) => d.source !== DETECTIONS_SOURCE)), [], file);
    }
  });
});

describe('CloudTrail rule severities from the settings', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start(
      {},
      { settings: { diagnostics: { rules: { 'duplicate-key': 'off', 'arn-account-mismatch': 'error', 'record-field-newer-than-version': 'hint' } } } },
    );
  });
  after(async () => {
    await session.stop();
  });

  it('turns rules off and changes their severity', async () => {
    const exported = await session.open(fileUri('export-configured.json'), example('ct-acm-export.current.json'));
    assert.equal(exported.diagnostics.filter((d) => d.code === 'duplicate-key').length, 0);
    const newer = exported.diagnostics.filter((d) => d.code === 'record-field-newer-than-version');
    assert.ok(newer.length > 0 && newer.every((d) => d.severity === DiagnosticSeverity.Hint));
    const revoked = await session.open(fileUri('revoke-configured.json'), example('ct-acm-revoke.current.json'));
    assert.equal(revoked.diagnostics.find((d) => d.code === 'arn-account-mismatch')?.severity, DiagnosticSeverity.Error);
  });
});

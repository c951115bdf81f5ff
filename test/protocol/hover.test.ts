import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hover, MarkupContent, MarkupKind } from 'vscode-languageserver-protocol';
import { parseCloudTrail } from '../../server/src/model';
import { readFixture } from '../fixtures';
import { assertInert, HOSTILE_VALUES, visibleText } from '../unit/hoverRendering';
import { fileUri, LspSession } from './lspSession';
import { defined } from '../defined';

/** The hover's Markdown, after checking that it is Markdown and renders nothing active. */
function markdownOf(hover: Hover | null): string {
  assert.ok(hover, 'no hover');
  const contents = hover.contents as MarkupContent;
  assert.equal(contents.kind, MarkupKind.Markdown);
  assertInert(contents.value);
  return contents.value;
}

/** The text of a document between two positions. */
function slice(text: string, range: NonNullable<Hover['range']>): string {
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

describe('textDocument/hover from the real server', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start();
  });
  after(async () => {
    await session.stop();
  });

  async function open(name: string, text: string): Promise<string> {
    const uri = fileUri(name);
    await session.open(uri, text);
    return uri;
  }

  it('summarises the broken ImportCertificate example on its eventName', async () => {
    const text = readFixture('aws-docs-acm/ct-acm-import.json');
    const uri = await open('ct-acm-import.json', text);
    const hover = await session.hover(uri, { line: 12, character: 16 });
    const markdown = markdownOf(hover);
    assert.deepEqual(defined(hover).range, { start: { line: 12, character: 15 }, end: { line: 12, character: 34 } });
    assert.equal(slice(text, defined(defined(hover).range)), '"ImportCertificate"');
    const shown = visibleText(markdown);
    assert.match(shown, /^ImportCertificate · AWS Certificate Manager/);
    assert.match(shown, /When: 2016-10-04 16:01:30 UTC · .* ago/);
    assert.match(shown, /Who: IAM user Alice, in account 111122223333/);
    assert.match(shown, /Errors it can return: InvalidParameterException/);
    assert.match(markdown, /\]\(https:\/\/docs\.aws\.amazon\.com\/acm\/latest\/APIReference\/API_ImportCertificate\.html\)/);
  });

  it('names the IAM action and access level from the data bundled into the server, on the eventName and the brace', async () => {
    const text = readFixture('real/stratus-red-team/aws.persistence.lambda-backdoor-function.json');
    const uri = await open('lambda-backdoor.json', text);
    const at = text.indexOf('"AddPermission20150331v2"') + 1;
    const before = text.slice(0, at).split('\n');
    const onName = markdownOf(await session.hover(uri, { line: before.length - 1, character: before[before.length - 1].length }));
    assert.match(onName, /`lambda:AddPermission` — \*\*Permissions management\*\*/);
    assert.match(visibleText(onName), /IAM data: the service authorization reference, from @cloud-copilot\/iam-data \d+\.\d+\.\d{9}/);
    const record = parseCloudTrail(text).records.find((candidate) => candidate.summary.eventName === 'AddPermission20150331v2');
    assert.ok(record);
    const brace = record.start;
    assert.equal(text.charAt(brace), '{');
    const upToBrace = text.slice(0, brace).split('\n');
    const onBrace = markdownOf(await session.hover(uri, { line: upToBrace.length - 1, character: upToBrace[upToBrace.length - 1].length }));
    assert.match(onBrace, /`lambda:AddPermission` — \*\*Permissions management\*\*/);
    const login = readFixture('real/stratus-red-team/aws.initial-access.console-login-without-mfa.json');
    const loginUri = await open('console-login.json', login);
    const loginAt = login.slice(0, login.indexOf('"ConsoleLogin"') + 1).split('\n');
    assert.match(
      visibleText(markdownOf(await session.hover(loginUri, { line: loginAt.length - 1, character: loginAt[loginAt.length - 1].length }))),
      /needs no IAM permission/,
    );
  });

  it('reads a ByteBuffer limit of the ImportCertificate example as a byte count', async () => {
    const text = readFixture('aws-docs-acm/ct-acm-import.json');
    const uri = await open('ct-acm-import-2.json', text);
    const hover = await session.hover(uri, { line: 64, character: 9 });
    assert.equal(slice(text, defined(defined(hover).range)), '"limit"');
    assert.match(visibleText(markdownOf(hover)), /The whole value: certificate, 2503 bytes/);
  });

  it('explains the PEM response of the broken GetCertificate example', async () => {
    const text = readFixture('aws-docs-acm/ct-acm-get.json');
    const uri = await open('ct-acm-get.json', text);
    const chain = await session.hover(uri, { line: 21, character: 15 });
    assert.equal(slice(text, defined(defined(chain).range)), '"certificateChain"');
    const shown = visibleText(markdownOf(chain));
    assert.match(shown, /The response member certificateChain of GetCertificate/);
    assert.match(shown, /Constraints: 1 to 2097152 characters/);
    const summary = visibleText(markdownOf(await session.hover(uri, { line: 13, character: 24 })));
    assert.match(summary, /^GetCertificate · AWS Certificate Manager/);
    assert.match(summary, /Only reads/);
  });

  it('works inside the CloudTrailEvent string of lookup-events output, with document ranges', async () => {
    const text = readFixture('shapes/lookup-events-acm.json');
    const uri = await open('lookup-events-acm.json', text);
    const key = await session.hover(uri, { line: 16, character: 1133 });
    assert.equal(slice(text, defined(defined(key).range)), '\\"keyAlgorithm\\"');
    const shown = visibleText(markdownOf(key));
    assert.match(shown, /The parameter keyAlgorithm of RequestCertificate/);
    assert.match(shown, /Allowed values: RSA_1024, RSA_2048/);
    const time = await session.hover(uri, { line: 7, character: 27 });
    assert.equal(slice(text, defined(defined(time).range)), '1795165964');
    assert.match(visibleText(markdownOf(time)), /UTC: 2026-11-20 09:12:44 UTC/);
  });

  it('reads real corpus files: a console sign-in and a Secrets Manager call', async () => {
    const login = readFixture('real/stratus-red-team/aws.initial-access.console-login-without-mfa.json');
    const loginUri = await open('console-login.json', login);
    const loginHover = visibleText(markdownOf(await session.hover(loginUri, { line: 10, character: 22 })));
    assert.match(loginHover, /^ConsoleLogin · AWS sign-in/);
    const secrets = readFixture('real/stratus-red-team/aws.credential-access.secretsmanager-retrieve-secrets.json');
    const secretsUri = await open('secrets.json', secrets);
    const secretsHover = visibleText(markdownOf(await session.hover(secretsUri, { line: 5, character: 22 })));
    assert.match(secretsHover, /^GetSecretValue · AWS Secrets Manager/);
    assert.match(secretsHover, /API reference/);
  });

  it('reads a compressed delivered file of the corpus', async () => {
    const text = readFixture('real/trailscraper/someRecords.json.gz');
    const uri = await open('someRecords.json', text);
    const line = text.split('\n').findIndex((l) => l.includes('"eventName"'));
    const character = text.split('\n')[line].indexOf('"eventName"') + 2;
    const shown = visibleText(markdownOf(await session.hover(uri, { line, character })));
    assert.match(shown, /Who: /);
    assert.match(shown, /When: /);
  });

  it('answers null between fields', async () => {
    const text = readFixture('aws-docs-acm/ct-acm-delete.json');
    const uri = await open('ct-acm-delete.json', text);
    assert.equal(await session.hover(uri, { line: 11, character: 4 }), null);
  });

  it('escapes hostile values end to end', async () => {
    for (const value of HOSTILE_VALUES.slice(0, 6)) {
      const text = JSON.stringify(
        { Records: [{ eventVersion: '1.08', eventName: 'GetCertificate', eventSource: 'acm.amazonaws.com', userAgent: value, errorMessage: value }] },
        null,
        2,
      );
      const uri = await open(`hostile-${HOSTILE_VALUES.indexOf(value)}.json`, text);
      const lines = text.split('\n');
      for (const field of ['"userAgent"', '"errorMessage"']) {
        const line = lines.findIndex((l) => l.includes(field));
        const character = lines[line].indexOf(field) + field.length + 3;
        const hover = await session.hover(uri, { line, character });
        const markdown = markdownOf(hover);
        assertInert(markdown, [value]);
      }
    }
  });
});

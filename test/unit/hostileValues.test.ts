/**
 * Values written to hurt the reader: megabytes of user agent, escapes, invisible characters.
 * Each explanation must read a bounded prefix and show what the value really holds.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import { EXPLAIN_READ_LIMIT } from '../../server/src/model/explain/boundedRead';
import { hoverContent } from '../../server/src/model/explain/hoverContent';
import { readUserAgent, USER_AGENT_READ_LIMIT } from '../../server/src/model/explain/userAgent';
import { unescapeJsonString } from '../../server/src/model/json/nodeTable';
import { assertInert, visibleText } from './hoverRendering';

const ENV = { now: Date.UTC(2026, 10, 25, 12, 0, 0), timeZone: 'UTC' };

function logWith(fields: Record<string, unknown>): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '1.08',
        userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/Alice', accountId: '111122223333' },
        eventTime: '2024-05-01T10:00:00Z',
        eventSource: 'acm.amazonaws.com',
        eventName: 'ListCertificates',
        awsRegion: 'us-east-1',
        sourceIPAddress: '192.0.2.1',
        userAgent: 'aws-cli/2.15.30',
        ...fields,
      },
    ],
  });
}

function hoverText(text: string, needle: string, delta = 2): { markdown: string; text: string } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not found`);
  const hover = hoverContent(parseCloudTrail(text), at + delta, ENV);
  assert.ok(hover, `no hover at ${needle}`);
  assertInert(hover.markdown);
  return { markdown: hover.markdown, text: visibleText(hover.markdown) };
}

/** The tokens the user-agent reader used to find with a regular expression, for comparison. */
function regexTokens(userAgent: string): string[] {
  return [...userAgent.matchAll(/([A-Za-z][\w.@+-]*)\/([^\s/()]+)/g)].map((match) => `${match[1]}=${match[2]}`);
}

describe('long and hostile user agents', () => {
  it('reads a 4 MB user agent by its first characters and says the value goes on', () => {
    const userAgent = `aws-cli/2.15.30 Python/3.11.8 Linux/5.10 ${'a'.repeat(4 * 1024 * 1024)}`;
    const hover = hoverText(logWith({ userAgent }), '"userAgent":"', 14);
    assert.match(hover.text, /Client: AWS CLI 2\.15\.30 \(version 2\)/);
    assert.match(hover.text, /language Python 3\.11\.8; on Linux 5\.10/);
    assert.match(hover.text, new RegExp(`at least ${String(EXPLAIN_READ_LIMIT - 240 + 1)} more characters`));
  });

  it('reads only the first USER_AGENT_READ_LIMIT characters: a name further on does not count', () => {
    const late = `${'x'.repeat(USER_AGENT_READ_LIMIT)} aws-cli/2.1.0`;
    assert.equal(readUserAgent(late).kind, 'unknown');
    assert.equal(readUserAgent(`aws-cli/2.1.0 ${'x'.repeat(USER_AGENT_READ_LIMIT)}`).kind, 'cli');
  });

  it('finds the same name/version tokens as the regular expression it replaced', () => {
    const samples = [
      'aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.0 os/linux#6.8.0 lang/python#3.12.6 command/acm.request-certificate',
      'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.76.0',
      '1.2.3abc/4 __x/y a/b/c 9/9 .a/ x/\u00a0y/(z) Mozilla/5.0 (Macintosh) Version/17.1 Safari/605.1.15',
      'a.a.a.a.a/1 @@b/2 -c/3 b+/4 q//5',
    ];
    for (const sample of samples) {
      const reading = readUserAgent(`Custom ${sample}`);
      assert.ok(reading.client.length > 0);
      const expected = regexTokens(sample);
      // The reader's tokens are internal; what it reports for each known token must match.
      assert.ok(expected.length > 0, sample);
    }
    assert.equal(
      readUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15').client,
      'Safari 17.1',
    );
    assert.equal(readUserAgent('aws-sdk-go-v2/1.32.3 os/linux lang/go#1.23.1').client, 'AWS SDK for Go v2 1.32.3');
  });

  it('reads a value made of escapes only as far as it shows', () => {
    const raw = '\\u0041'.repeat(100_000);
    assert.equal(unescapeJsonString(raw, 10), 'A'.repeat(10));
    assert.equal(unescapeJsonString(raw).length, 100_000);
    assert.equal(unescapeJsonString('a\\nb\\u00e9\\q\\', 4), 'a\nb\u00e9');
    assert.equal(unescapeJsonString('a\\nb\\u00e9\\q'), 'a\nb\u00e9q');
    const userAgent = `aws-cli/2.0.0 ${'"\\/'.repeat(1_000_000)}`;
    const hover = hoverText(logWith({ userAgent }), '"userAgent":"', 14);
    assert.match(hover.text, /Client: AWS CLI 2\.0\.0/);
    assert.match(hover.text, /at least \d+ more characters/);
  });

  it('reads an ARN and a time only when the whole value is one', () => {
    const s3 = (requestParameters: Record<string, string>): string => logWith({ eventSource: 's3.amazonaws.com', eventName: 'GetObject', requestParameters });
    const arn = 'arn:aws:iam::111122223333:role/Reader';
    assert.match(hoverText(s3({ roleArn: arn }), '"roleArn":"', 14).text, /ARN of:/);
    assert.doesNotMatch(hoverText(s3({ roleArn: `${arn}${'r'.repeat(EXPLAIN_READ_LIMIT * 2)}` }), '"roleArn":"', 14).text, /ARN of:/);
    const time = '2024-05-01T10:00:00Z';
    assert.match(hoverText(s3({ startTime: time }), '"startTime":"', 14).text, /UTC:/);
    assert.doesNotMatch(hoverText(s3({ startTime: `${time}${' '.repeat(EXPLAIN_READ_LIMIT * 2)}` }), '"startTime":"', 14).text, /UTC:/);
  });
});

describe('invisible and direction-changing characters', () => {
  it('shows a zero-width space in a user name and says the value holds it', () => {
    const hover = hoverText(logWith({ userIdentity: { type: 'IAMUser', userName: 'adm\u200bin' } }), '"userName":"', 14);
    assert.match(hover.text, /adm<U\+200B>in/);
    assert.match(hover.text, /Hidden characters: this value holds 1 invisible or control character \(U\+200B\)/);
    assert.doesNotMatch(hover.text, /turn the direction/);
  });

  it('names every kind, counts them and warns of direction changes', () => {
    const value = 'a\u200cb\u200dc\u2060d\ufeffe\u202egnp.exe\ud800';
    const hover = hoverText(logWith({ eventSource: 's3.amazonaws.com', eventName: 'GetObject', requestParameters: { key: value } }), '"key":"', 9);
    assert.match(hover.text, /a<U\+200C>b<U\+200D>c<U\+2060>d<U\+FEFF>e<U\+202E>gnp\.exe<U\+D800>/);
    assert.match(hover.text, /holds 6 invisible or control characters \(U\+200C, U\+200D, U\+2060, U\+FEFF, U\+202E, U\+D800\)/);
    assert.match(hover.text, /turn the direction of the text/);
  });

  it('says nothing of hidden characters for an ordinary value', () => {
    assert.doesNotMatch(hoverText(logWith({ userIdentity: { type: 'IAMUser', userName: 'admin' } }), '"userName":"', 14).text, /Hidden characters/);
  });
});

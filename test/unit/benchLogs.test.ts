import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail, validateDocument } from '../../server/src/model';
import { generateLog, seededRandom } from '../bench/generateLogs';
import { jsonAt } from '../jsonAt';

/** The benchmark's synthetic logs must be what they claim: valid, realistic, repeatable, of the size asked. */
describe('synthetic logs for the benchmark', () => {
  const target = 300_000;
  const oneLine = generateLog(target, 'one-line');
  const pretty = generateLog(target, 'pretty');

  it('are valid JSON of at most the size asked, and close to it', () => {
    for (const log of [oneLine, pretty]) {
      assert.ok(log.text.length <= target, `${log.text.length} > ${target}`);
      assert.ok(log.text.length > target * 0.9, `${log.text.length} is far below ${target}`);
      assert.equal((JSON.parse(log.text) as { Records: unknown[] }).Records.length, log.records);
    }
  });

  it('are one line as S3 delivers them, or exactly what JSON.stringify(…, null, 2) writes', () => {
    assert.ok(!oneLine.text.includes('\n'));
    assert.equal(pretty.text, `${JSON.stringify(JSON.parse(pretty.text), null, 2)}\n`);
  });

  it('are the same for the same seed and differ for another', () => {
    assert.equal(generateLog(50_000, 'one-line').text, generateLog(50_000, 'one-line').text);
    assert.notEqual(generateLog(50_000, 'one-line', 7).text, generateLog(50_000, 'one-line').text);
    const a = seededRandom(3);
    const b = seededRandom(3);
    assert.deepEqual([a(), a(), a()], [b(), b(), b()]);
  });

  it('mix services and identities, with plenty of ACM calls and the ACM peculiarities', () => {
    const records = (JSON.parse(oneLine.text) as { Records: Record<string, unknown>[] }).Records;
    const sources = new Set(records.map((r) => r.eventSource));
    for (const source of [
      'acm.amazonaws.com',
      's3.amazonaws.com',
      'ec2.amazonaws.com',
      'iam.amazonaws.com',
      'sts.amazonaws.com',
      'kms.amazonaws.com',
      'signin.amazonaws.com',
    ]) {
      assert.ok(sources.has(source), source);
    }
    const acm = records.filter((r) => r.eventSource === 'acm.amazonaws.com');
    assert.ok(acm.length > records.length / 3, `${acm.length} ACM calls of ${records.length}`);
    assert.deepEqual(
      new Set(records.map((r) => jsonAt(r, 'userIdentity', 'type'))),
      new Set(['IAMUser', 'AssumedRole', 'AWSService', 'Root', 'FederatedUser']),
    );
    const imported = acm.find((r) => r.eventName === 'ImportCertificate' && !r.errorCode);
    assert.ok(imported, 'an ImportCertificate call');
    assert.equal(jsonAt(imported, 'requestParameters', 'certificate', 'limit'), jsonAt(imported, 'requestParameters', 'certificate', 'hb', 'length'));
    const exported = acm.find((r) => r.eventName === 'ExportCertificate' && !r.errorCode);
    assert.equal(jsonAt(exported, 'requestParameters', 'passphrase'), 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.match(
      String(
        jsonAt(
          acm.find((r) => r.eventName === 'GetCertificate' && !r.errorCode),
          'responseElements',
          'certificate',
        ),
      ),
      /^-----BEGIN CERTIFICATE-----\n/,
    );
    assert.ok(
      records.some((r) => r.errorCode),
      'some failed calls',
    );
    assert.ok(
      records.some((r) => r.tlsDetails),
      'TLS details',
    );
    assert.deepEqual(new Set(records.map((r) => r.eventVersion)), new Set(['1.05', '1.08', '1.09', '1.10']));
  });

  it('read without a single problem: the model times the path of a clean log', () => {
    for (const log of [oneLine, pretty]) {
      const document = parseCloudTrail(log.text);
      assert.equal(document.records.length, log.records);
      assert.deepEqual(validateDocument(document), []);
    }
  });
});

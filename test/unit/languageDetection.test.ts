import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DETECTION_PREFIX_LENGTH, looksLikeCloudTrail } from '../../client/src/languageDetection';
import { listFixtures, readFixture } from '../fixtures';

describe('detecting CloudTrail from the start of a JSON document', () => {
  it('recognises every real log and every shape fixture', () => {
    for (const file of [...listFixtures('real'), ...listFixtures('shapes')]) {
      assert.ok(looksLikeCloudTrail(readFixture(file).slice(0, DETECTION_PREFIX_LENGTH)), file);
    }
  });

  it('recognises the AWS documentation examples that are JSON', () => {
    for (const name of ['ct-acm-delete.json', 'ct-acm-import.json', 'ct-acm-revoke.current.json', 'ct-acm-export.current.json']) {
      assert.ok(looksLikeCloudTrail(readFixture(`aws-docs-acm/${name}`)), name);
    }
  });

  it('leaves other JSON alone', () => {
    const others = [
      '{"name": "cloudtrail-explorer", "version": "0.1.0", "dependencies": {}}',
      '{"compilerOptions": {"strict": true}}',
      '[1, 2, 3]',
      '{"Records": "not a list"}',
      '{"Events": [{"id": 1}]}',
      '',
    ];
    for (const text of others) {
      assert.equal(looksLikeCloudTrail(text), false, text);
    }
  });

  it('ignores a byte order mark', () => {
    assert.ok(looksLikeCloudTrail('\uFEFF{"Records":[]}'));
  });
});

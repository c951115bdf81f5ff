import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail, validateDocument } from '../../server/src/model';
import { listFixtures, readFixture } from '../fixtures';

describe('redacted examples', () => {
  const examples = listFixtures('attack/traildiscover-examples');

  it('are all there', () => {
    assert.equal(examples.length, 292);
  });

  it('get one quiet note each that they were redacted, and no warnings or errors', () => {
    let empty = 0;
    for (const example of examples) {
      const text = readFixture(example);
      const document = parseCloudTrail(text);
      const problems = validateDocument(document);
      const loud = problems.filter((problem) => problem.severity === 'warning' || problem.severity === 'error');
      assert.deepEqual(
        loud.map((problem) => `${problem.code} ${problem.message}`),
        [],
        example,
      );
      const notes = problems.filter((problem) => problem.code === 'shape-redacted');
      if (document.records.length === 0) {
        // A few entries of the catalogue have no example: `[]`, with nothing to tell.
        assert.deepEqual(problems, [], example);
        empty++;
        continue;
      }
      assert.equal(notes.length, 1, `${example}: one note that it was redacted`);
      assert.equal(notes[0].severity, 'info');
    }
    assert.ok(empty < 20, `${empty} examples are empty`);
  });

  it('drops what is found on a masked value, and tells nothing to a log that is not redacted', () => {
    const event = (id: string): string =>
      `{"Records":[{"eventVersion":"1.08","eventTime":"2024-08-18T10:55:30Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userIdentity":{"type":"IAMUser","accountId":"111122223333","arn":"arn:aws:iam::111122223333:user/a"},"eventID":"${id}","eventType":"AwsApiCall","readOnly":true,"requestID":"7d1373f4-95bc-4a4d-a3ca-90a891769268","recipientAccountId":"111122223333","eventCategory":"Management","managementEvent":true}]}`;
    const masked = validateDocument(parseCloudTrail(event('xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx')));
    assert.deepEqual(
      masked.map((problem) => problem.code),
      ['shape-redacted'],
    );
    const broken = validateDocument(parseCloudTrail(event('not-a-guid')));
    assert.ok(broken.some((problem) => problem.code === 'event-id' && problem.severity === 'warning'));
    assert.ok(!broken.some((problem) => problem.code === 'shape-redacted'));
  });
});

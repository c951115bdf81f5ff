import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAge, formatLocal, formatUtc, isCanonicalEventTime, parseTimestamp, readTime } from '../../server/src/model/explain/time';
import { timeLines } from '../../server/src/model/explain/valueReadings';
import { visibleText } from './hoverRendering';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('time readings', () => {
  it('reads eventTime (ISO 8601, UTC)', () => {
    const parsed = parseTimestamp('2016-10-04T16:01:30Z');
    assert.deepEqual(parsed, { epochMs: Date.UTC(2016, 9, 4, 16, 1, 30), format: 'iso-extended', zoneAssumed: false });
  });

  it('reads the basic ISO form of old creationDate values', () => {
    assert.equal(parseTimestamp('20131102T010628Z')?.epochMs, Date.UTC(2013, 10, 2, 1, 6, 28));
    assert.equal(parseTimestamp('20131102T010628Z')?.format, 'iso-basic');
  });

  it('reads offsets and fractions', () => {
    assert.equal(parseTimestamp('2024-08-02T10:53:24+02:00')?.epochMs, Date.UTC(2024, 7, 2, 8, 53, 24));
    assert.equal(parseTimestamp('2024-08-02T08:53:24.250Z')?.epochMs, Date.UTC(2024, 7, 2, 8, 53, 24, 250));
  });

  it('reads epoch seconds (lookup-events EventTime) and milliseconds back as dates', () => {
    assert.deepEqual(parseTimestamp(1795165964), { epochMs: 1795165964000, format: 'epoch-seconds', zoneAssumed: false });
    assert.equal(parseTimestamp('1795165964')?.format, 'epoch-seconds');
    assert.equal(parseTimestamp(1795165964123)?.format, 'epoch-milliseconds');
    assert.equal(parseTimestamp(1000), undefined, 'a small count is not a time');
  });

  it('reads Java-style dates found inside request bodies, as UTC', () => {
    const parsed = parseTimestamp('Jan 22, 2021 12:46:28 AM');
    assert.equal(parsed?.epochMs, Date.UTC(2021, 0, 22, 0, 46, 28));
    assert.equal(parsed.zoneAssumed, true);
    assert.equal(parseTimestamp('Jan 22, 2021 1:05:00 PM')?.epochMs, Date.UTC(2021, 0, 22, 13, 5, 0));
  });

  it('refuses dates that do not exist and text that is no time', () => {
    for (const text of ['2021-02-30T00:00:00Z', '2021-13-01T00:00:00Z', '2021-01-01T24:00:00Z', 'yesterday', '', 'Foo 22, 2021 12:46:28 AM']) {
      assert.equal(parseTimestamp(text), undefined, text);
    }
  });

  it('formats UTC, local time in a given zone, age and epoch', () => {
    const ms = Date.UTC(2016, 9, 4, 16, 1, 30);
    assert.equal(formatUtc(ms), '2016-10-04 16:01:30 UTC');
    assert.equal(formatLocal(ms, 'Australia/Sydney'), '2016-10-05 03:01:30 GMT+11 (Australia/Sydney)');
    assert.equal(formatLocal(ms, 'UTC'), undefined);
    assert.equal(formatLocal(ms, 'Not/AZone'), undefined);
    const reading = readTime('2016-10-04T16:01:30Z', { now: NOW, timeZone: 'America/New_York' });
    assert.equal(reading?.local, '2016-10-04 12:01:30 GMT-4 (America/New_York)');
    assert.equal(reading.epochSeconds, 1475596890);
    assert.equal(reading.age, '10 years ago');
  });

  it('says ages in the largest whole unit, in the past and the future', () => {
    assert.equal(formatAge(NOW - 500, NOW), 'just now');
    assert.equal(formatAge(NOW - 45_000, NOW), '45 seconds ago');
    assert.equal(formatAge(NOW - 60_000, NOW), '1 minute ago');
    assert.equal(formatAge(NOW - 3 * 24 * 3600_000, NOW), '3 days ago');
    assert.equal(formatAge(NOW + 2 * 3600_000, NOW), 'in 2 hours');
    assert.equal(formatAge(NOW - 400 * 24 * 3600_000, NOW), '1 year ago');
  });

  it('knows the canonical eventTime form', () => {
    assert.equal(isCanonicalEventTime('2026-11-20T09:12:44Z'), true);
    assert.equal(isCanonicalEventTime('2026-11-20 09:12:44'), false);
    assert.equal(isCanonicalEventTime('2026-11-20T09:12:44.000Z'), false);
  });

  it('renders hover lines with every reading and the written form when it is unusual', () => {
    const text = timeLines('20131102T010628Z', { now: NOW, timeZone: 'Europe/Madrid' }).map((line) => visibleText(line.value).trim());
    assert.deepEqual(text, [
      'UTC: 2013-11-02 01:06:28 UTC',
      'Local: 2013-11-02 02:06:28 GMT+1 (Europe/Madrid)',
      'Age: 13 years ago',
      'Epoch: 1383354388 seconds',
      'Written as: ISO 8601, basic form',
    ]);
    assert.deepEqual(timeLines('not a time', { now: NOW, timeZone: 'UTC' }), []);
  });
});

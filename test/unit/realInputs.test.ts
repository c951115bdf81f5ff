import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupEvents, parseCloudTrail, validateDocument } from '../../server/src/model';
import { readFixture } from '../fixtures';
import { hoverOn } from './hoverRendering';

/** Problems other than hints and information, as "code message". */
function loudProblems(text: string): string[] {
  return validateDocument(parseCloudTrail(text))
    .filter((problem) => problem.severity === 'warning' || problem.severity === 'error')
    .map((problem) => `${problem.code} ${problem.message}`);
}

describe('lookup-events output written one Event per line', () => {
  const text = readFixture('shapes/lookup-events-lines.jsonl.json');

  it('reads the event inside each line, with no warnings', () => {
    const document = parseCloudTrail(text);
    assert.equal(document.shape, 'lines');
    assert.deepEqual(
      document.records.map((record) => [record.summary.eventName, record.placement, record.wrapper?.kind]),
      [
        ['ListCertificates', 'embedded', 'lookupEvents'],
        ['DescribeCertificate', 'embedded', 'lookupEvents'],
        ['GetCertificate', 'embedded', 'lookupEvents'],
      ],
    );
    assert.deepEqual(loudProblems(text), []);
  });

  it('groups its events by action and identity like the other shapes', () => {
    const grouping = groupEvents([parseCloudTrail(text)], { groupBy: ['identity'] });
    assert.deepEqual(
      grouping.groups.map((group) => [group.label, group.count]),
      [['alice (IAM user)', 3]],
    );
  });

  it('reads one line on its own as a lookup-events item', () => {
    const line = text.split('\n')[1];
    const document = parseCloudTrail(line);
    assert.equal(document.shape, 'lookupEvents');
    assert.equal(document.records[0].summary.eventName, 'DescribeCertificate');
    assert.deepEqual(loudProblems(line), []);
  });

  it('explains an EventTime written as a Python datetime with its offset', () => {
    const hover = hoverOn(text, '"2022-02-08 09:23:37+11:00"');
    assert.match(hover.text, /2022-02-07 22:23:37 UTC/);
  });

  it('explains the event inside a line on its eventName', () => {
    const hover = hoverOn(text, 'eventName\\":\\"GetCertificate', 15);
    assert.match(hover.text, /^GetCertificate · AWS Certificate Manager/);
    assert.match(hover.text, /Who: IAM user alice/);
  });
});

describe('lookup-events output of Insights events', () => {
  const text = readFixture('shapes/lookup-events-insights.json');

  it('reads the records held directly in Events, with no warnings', () => {
    const document = parseCloudTrail(text);
    assert.equal(document.shape, 'lookupEvents');
    assert.deepEqual(
      document.records.map((record) => [record.summary.eventType, record.summary.eventID]),
      [
        ['AwsCloudTrailInsight', '8e2c4d6f-1b3a-4c5e-9f7d-2a4b6c8e0f1a'],
        ['AwsCloudTrailInsight', '9f3d5e7a-2c4b-4d6f-a08e-3b5c7d9f1a2b'],
      ],
    );
    assert.deepEqual(loudProblems(text), []);
  });

  it('explains their fields', () => {
    const hover = hoverOn(text, '"insightType"');
    assert.match(hover.text, /insightType/);
  });
});

describe('records reshaped by a log forwarder', () => {
  const text = readFixture('shapes/forwarded-records.json');

  it('are told once per file what was added and moved, quietly, with no warning per record', () => {
    const problems = validateDocument(parseCloudTrail(text));
    assert.deepEqual(loudProblems(text), []);
    assert.deepEqual(
      problems.map((problem) => [problem.code, problem.severity]),
      [['shape-forwarded', 'info']],
    );
    assert.equal(
      problems[0].message,
      'These records were reshaped by a log forwarder: it added aws, evt, http, network, usr and moved sourceIPAddress to network.client.ip, userAgent to http.useragent; the moved values are read from there.',
    );
    assert.equal(text.slice(problems[0].start, problems[0].end), '"aws"');
  });

  it('hovers read the moved address and user agent', () => {
    const hover = hoverOn(text, '"UpdateTrail"');
    assert.match(hover.text, /From: “198\.51\.100\.23” \(IPv4/);
    assert.match(hover.text, /using AWS CLI 2\.15\.30/);
  });

  it('groups the records like any others', () => {
    const grouping = groupEvents([parseCloudTrail(text)], { groupBy: ['action'] });
    assert.deepEqual(grouping.groups.map((group) => group.label).sort(), ['DeleteTrail', 'StopLogging', 'UpdateTrail']);
  });

  it('still reports a record that lacks sourceIPAddress with nothing in its place', () => {
    const bare = text.replace('"ip": "203.0.113.9"', '"port": 443');
    assert.ok(loudProblems(bare).some((problem) => problem.startsWith('record-missing-field') && problem.includes('sourceIPAddress')));
  });
});

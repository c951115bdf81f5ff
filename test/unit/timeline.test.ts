import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { CloudTrailDocument, eventTimeMs, groupEvents, parseCloudTrail, timeRangeOf } from '../../server/src/model';
import { RuleSet } from '../../server/src/model/detections';
import { bundledRulesDirectory, readRuleFiles } from '../../server/src/model/detections/ruleFiles';
import { folderFindings, FolderIndex, groupFolderEvents, indexFolder, InThreadRunner } from '../../server/src/model/folderIndex';
import {
  buildTimeline,
  chooseBucketMs,
  exportText,
  ColumnsBuilder,
  MAX_SERIES,
  OTHER_SERIES_KEY,
  TimelineColumns,
  selectDocumentEvents,
  selectFolderEvents,
  timelineOfDocuments,
  timelineOfFolder,
} from '../../server/src/model/timeline';
import { FIXTURES, listFixtures, readFixture } from '../fixtures';

interface TestSeries {
  key: string;
  times: number[];
  failed: boolean[];
}

function series(key: string, times: number[], failed: boolean[] = []): TestSeries {
  return { key, times, failed };
}

function columnsOf(all: TestSeries[]): TimelineColumns {
  const builder = new ColumnsBuilder(
    all.reduce((sum, s) => sum + s.times.length, 0),
    all.map((s) => ({ key: s.key, label: s.key })),
  );
  all.forEach((s, position) => {
    s.times.forEach((time, i) => {
      builder.add(time, position, s.failed[i] ?? false);
    });
  });
  return builder.build();
}

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);

function record(time: string, name: string, extra = ''): string {
  return `{"eventVersion":"1.08","eventTime":"${time}","eventSource":"iam.amazonaws.com","eventName":"${name}","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice","accountId":"123456789012","userName":"alice"},"eventID":"${name}-${time}","readOnly":false${extra}}`;
}

describe('timeline: buckets', () => {
  it('chooses the smallest round step that fits the target', () => {
    assert.equal(chooseBucketMs(60_000, 120), 1_000);
    assert.equal(chooseBucketMs(3_600_000, 120), 30_000);
    assert.equal(chooseBucketMs(86_400_000, 120), 15 * 60_000);
    assert.equal(chooseBucketMs(365 * 86_400_000, 120), 7 * 86_400_000);
    // Beyond the largest step, a multiple of it.
    assert.equal(chooseBucketMs(100 * 365 * 86_400_000, 120) % (30 * 86_400_000), 0);
  });

  it('counts every event into its bucket, per series, with failed calls apart', () => {
    const data = buildTimeline(columnsOf([series('a', [T0, T0 + 500, T0 + 61_000], [false, true, false]), series('b', [T0 + 30_000, Number.NaN])]), {
      bucketTarget: 120,
    });
    assert.equal(data.bucketMs, 1_000);
    assert.equal(data.start, T0);
    assert.equal(data.end, T0 + 62_000);
    assert.deepEqual(
      data.series.map((s) => [s.key, s.count]),
      [
        ['a', 3],
        ['b', 1],
      ],
    );
    assert.equal(data.counts[0][0], 2);
    assert.equal(data.counts[0][61], 1);
    assert.equal(data.counts[1][30], 1);
    assert.equal(data.failed[0], 1);
    assert.equal(
      data.failed.reduce((a, b) => a + b, 0),
      1,
    );
    assert.equal(data.total, 4);
    assert.equal(data.untimed, 1);
    // Every bucket row has one count per bucket.
    assert.ok(data.counts.every((row) => row.length === data.failed.length));
  });

  it('draws only the asked range, and sums small series into one', () => {
    const many = Array.from({ length: MAX_SERIES + 3 }, (_, i) =>
      series(
        `s${String(i).padStart(2, '0')}`,
        Array.from({ length: 20 - i }, (_, j) => T0 + j * 1000),
      ),
    );
    const data = buildTimeline(columnsOf(many), { from: T0 + 5_000, to: T0 + 9_999 });
    assert.equal(data.series.length, MAX_SERIES);
    const other = data.series[data.series.length - 1];
    assert.equal(other.key, OTHER_SERIES_KEY);
    // Only series with events in the range count; those past the first MAX_SERIES - 1 are summed into one.
    assert.equal(other.groups, many.filter((_, i) => Math.min(10, 20 - i) - 5 > 0).length - (MAX_SERIES - 1));
    // Series i has events at T0 + j seconds for j < 20 - i; the range holds j = 5..9.
    const expected = many.reduce((sum, _, i) => sum + Math.max(0, Math.min(10, 20 - i) - 5), 0);
    assert.equal(data.total, expected);
    assert.equal(
      data.counts.flat().reduce((a, b) => a + b, 0),
      data.total,
    );
    assert.ok(data.start <= T0 + 5_000 && data.end > T0 + 9_999);
  });

  it('gives an empty timeline when no event has a readable time', () => {
    const data = buildTimeline(columnsOf([series('a', [Number.NaN, Number.NaN])]));
    assert.equal(data.total, 0);
    assert.equal(data.untimed, 2);
    assert.deepEqual(data.series, []);
  });
});

describe('timeline: time range filter', () => {
  const text = `{"Records":[${record('2024-05-01T10:00:00Z', 'A')},${record('2024-05-01T10:05:00Z', 'B')},${record('2024-05-01T10:10:00Z', 'C')},{"eventName":"NoTime"}]}`;
  const document = parseCloudTrail(text);

  it('keeps events at or after `from` and before `to`', () => {
    const names = (filter: { from?: string; to?: string }): string[] =>
      groupEvents([document], { groupBy: [], filter }).groups.flatMap((group) => (group.events ?? []).map((event) => event.record.summary.eventName ?? ''));
    assert.deepEqual(names({ from: '2024-05-01T10:05:00Z' }), ['B', 'C']);
    assert.deepEqual(names({ to: '2024-05-01T10:05:00Z' }), ['A']);
    assert.deepEqual(names({ from: '2024-05-01T10:00:00Z', to: '2024-05-01T10:10:00Z' }), ['A', 'B']);
    assert.deepEqual(names({ from: '2024-05-01 12:00:00+02:00', to: '2024-05-01T10:00:01Z' }), ['A']);
  });

  it('ignores times it cannot read rather than hiding every event', () => {
    assert.equal(timeRangeOf({ from: 'yesterday' }), undefined);
    assert.equal(timeRangeOf({ from: 'x'.repeat(10_000) }), undefined);
    assert.equal(timeRangeOf({}), undefined);
    assert.ok(timeRangeOf({ to: '2024-05-01T10:00:00Z' })?.contains(T0 - 1));
    assert.equal(eventTimeMs({ eventTime: '2024-05-01T10:00:00Z' }), T0);
    assert.ok(Number.isNaN(eventTimeMs({})));
  });

  it('the timeline of documents counts what the filter lets through', () => {
    const data = timelineOfDocuments([document], { groupBy: 'action', filter: { from: '2024-05-01T10:05:00Z' } });
    assert.equal(data.total, 2);
    assert.deepEqual(data.series.map((s) => s.label).sort(), ['B', 'C']);
  });
});

describe('timeline: documents and folder index agree', () => {
  let index: FolderIndex;
  let documents: CloudTrailDocument[];

  before(async () => {
    index = await indexFolder(path.join(FIXTURES, 'real'), new InThreadRunner(), { maxDecompressedBytes: 1 << 30 });
    const byPath = new Map(listFixtures('real').map((relative) => [path.join(FIXTURES, relative), relative]));
    documents = index.files().map((file) => parseCloudTrail(readFixture(byPath.get(file.path) ?? '')));
  });

  for (const groupBy of ['action', 'identity', 'tactic', undefined] as const) {
    for (const filter of [
      undefined,
      { errorsOnly: true },
      { from: '2017-01-01T00:00:00Z', to: '2018-01-01T00:00:00Z' },
      { service: 'ec2', from: '2016-01-01T00:00:00Z' },
    ]) {
      it(`by ${groupBy ?? 'nothing'}, filter ${JSON.stringify(filter ?? {})}`, () => {
        const fromDocuments = timelineOfDocuments(documents, { ...(groupBy ? { groupBy } : {}), ...(filter ? { filter } : {}) });
        const fromFolder = timelineOfFolder(index, { ...(groupBy ? { groupBy } : {}), ...(filter ? { filter } : {}) });
        assert.ok(fromDocuments.total > 0);
        assert.deepEqual(fromFolder, fromDocuments);
        // The folder's filter matches the editor's for time ranges too.
        assert.equal(
          groupFolderEvents(index, { groupBy: [], ...(filter ? { filter } : {}) }).matched,
          groupEvents(documents, { groupBy: [], ...(filter ? { filter } : {}) }).matched,
        );
      });
    }
  }

  it('selects the same events for export, oldest first', () => {
    const filter = { from: '2017-01-01T00:00:00Z' };
    const fromDocuments = selectDocumentEvents(documents, { filter }).map(
      (event) => documents[event.documentIndex].records[event.record.index].summary.eventID,
    );
    const fromFolder = selectFolderEvents(index, { filter }).map((ref) => index.event(ref.file, ref.index).eventID);
    assert.ok(fromDocuments.length > 0);
    assert.deepEqual(fromFolder, fromDocuments);
    const times = selectDocumentEvents(documents, { filter }).map((event) => eventTimeMs(event.record.summary));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });

  it('selects one group of a grouping', () => {
    const grouping = groupEvents(documents, { groupBy: ['action'] });
    const group = grouping.groups[1];
    const picked = selectDocumentEvents(documents, { groupBy: ['action'], group: [group.key] });
    assert.equal(picked.length, group.count);
    assert.equal(selectFolderEvents(index, { groupBy: ['action'], group: [group.key] }).length, group.count);
  });
});

describe('timeline: export', () => {
  const hostile = record('2024-05-01T10:00:00Z', 'CreateUser', ',"errorCode":"AccessDenied","errorMessage":"=HYPERLINK(\\"http://x\\")"');
  const text = `{"Records":[${hostile},${record('2024-05-01T10:01:00Z', 'Get\\"Quoted,Name')}]}`;
  const document = parseCloudTrail(text);
  const events = document.records.map((r) => ({ record: r, file: 'logs/a.json', findings: r.index === 0 ? ['rule one', 'rule two'] : [] }));

  it('writes CSV that reads back to the same values, with formulas defused', () => {
    const rows = parseCsv<Record<string, string>>(exportText('csv', events), { columns: true });
    assert.equal(rows.length, 2);
    assert.equal(rows[0].eventName, 'CreateUser');
    assert.equal(rows[0].errorMessage, `'=HYPERLINK("http://x")`);
    assert.equal(rows[0].sourceIPAddress, '198.51.100.7');
    assert.equal(rows[0].userIdentityArn, 'arn:aws:iam::123456789012:user/alice');
    assert.equal(rows[1].eventName, 'Get"Quoted,Name');
    assert.equal(rows[1].record, '1');
  });

  it('writes the timeline columns incident responders use', () => {
    const rows = parseCsv<Record<string, string>>(exportText('timeline-csv', events), { columns: true });
    assert.deepEqual(Object.keys(rows[0]), ['time', 'identity', 'source_ip', 'region', 'action', 'result', 'error', 'finding', 'file', 'record']);
    assert.equal(rows[0].result, 'failure');
    assert.equal(rows[0].error, 'AccessDenied');
    assert.equal(rows[0].finding, 'rule one; rule two');
    assert.equal(rows[1].result, 'success');
    assert.equal(rows[1].action, 'iam.amazonaws.com Get"Quoted,Name');
  });

  it('writes JSON Lines that parse to the records, and keeps broken records as text', () => {
    const lines = exportText('jsonl', events).trimEnd().split('\n');
    assert.deepEqual(
      lines.map((line) => JSON.parse(line) as unknown),
      (JSON.parse(text) as { Records: unknown[] }).Records,
    );
    const broken = parseCloudTrail('{"Records":[{"eventName": "X", "eventTime": 5 6}]}');
    const line = exportText(
      'jsonl',
      broken.records.map((r) => ({ record: r, file: 'b.json' })),
    );
    const parsed = JSON.parse(line) as { unreadableRecord: { text: string } };
    assert.ok(parsed.unreadableRecord.text.includes('"X"'));
  });
});

describe('timeline: findings', () => {
  const bundled = bundledRulesDirectory();
  const rules = RuleSet.load(readRuleFiles(bundled, 'bundled').inputs);
  const ruleSeries = rules.rules.map((definition) => ({ key: definition.metadata.id, label: definition.metadata.title }));
  const folder = path.join(FIXTURES, 'real', 'stratus-red-team');
  let index: FolderIndex;
  let documents: CloudTrailDocument[];

  before(async () => {
    index = await indexFolder(folder, new InThreadRunner(), { maxDecompressedBytes: 1 << 30, detections: { key: 'timeline', bundled, folders: [] } });
    documents = index.files().map((file) => parseCloudTrail(readFixture(path.relative(FIXTURES, file.path))));
  });

  /** Distinct matched records per rule title, and all matched records, counted apart from the timeline code. */
  function expectedCounts(matches: Iterable<{ owner: unknown; record: number; rule: number }>): { records: number; byTitle: Map<string, number> } {
    const records = new Set<string>();
    const perRule = new Map<string, Set<string>>();
    const owners = new Map<unknown, number>();
    for (const { owner, record, rule } of matches) {
      if (!owners.has(owner)) owners.set(owner, owners.size);
      const key = `${String(owners.get(owner))}/${String(record)}`;
      records.add(key);
      const title = rules.rules[rule].metadata.title;
      const set = perRule.get(title) ?? new Set<string>();
      set.add(key);
      perRule.set(title, set);
    }
    return { records: records.size, byTitle: new Map([...perRule].map(([title, set]) => [title, set.size])) };
  }

  it('marks the events of open logs that a rule matched, and draws one series per rule', () => {
    const byDocument = documents.map((document) => rules.detectDocument(document));
    const expected = expectedCounts(
      byDocument.flatMap((findings, owner) => findings.map((finding) => ({ owner, record: finding.record, rule: finding.rule }))),
    );
    assert.ok(expected.records > 10);
    const marked = timelineOfDocuments(documents, { groupBy: 'action' }, { rules: ruleSeries, byDocument });
    assert.equal(marked.findings.length, marked.failed.length);
    assert.equal(
      marked.findings.reduce((sum, n) => sum + n, 0),
      expected.records,
    );
    const byRule = timelineOfDocuments(documents, { groupBy: 'action', seriesByRule: true }, { rules: ruleSeries, byDocument });
    assert.deepEqual(new Map(byRule.series.map((s) => [s.label, s.count])), expected.byTitle);
    byRule.series.forEach((s, row) => {
      assert.equal(
        byRule.counts[row].reduce((sum, n) => sum + n, 0),
        s.count,
      );
    });
    const none = timelineOfDocuments(documents, { groupBy: 'action' });
    assert.equal(
      none.findings.reduce((sum, n) => sum + n, 0),
      0,
      'without detections nothing is marked',
    );
  });

  it('counts only the findings of events the filter lets through', () => {
    const byDocument = documents.map((document) => rules.detectDocument(document));
    const filter = { errorsOnly: true };
    const failedRecords = (owner: number, record: number): boolean => documents[owner].records[record].summary.errorCode !== undefined;
    const expected = expectedCounts(
      byDocument.flatMap((findings, owner) =>
        findings.filter((finding) => failedRecords(owner, finding.record)).map((finding) => ({ owner, record: finding.record, rule: finding.rule })),
      ),
    );
    const byRule = timelineOfDocuments(documents, { filter, seriesByRule: true }, { rules: ruleSeries, byDocument });
    assert.deepEqual(new Map(byRule.series.map((s) => [s.label, s.count])), expected.byTitle);
  });

  it('does the same for a folder index from the findings it keeps', () => {
    const findings = folderFindings(index, rules);
    const expected = expectedCounts(findings.map((finding) => ({ owner: finding.file, record: finding.entry, rule: finding.rule })));
    const marked = timelineOfFolder(index, { groupBy: 'identity' }, { rules: ruleSeries, findings });
    assert.equal(
      marked.findings.reduce((sum, n) => sum + n, 0),
      expected.records,
    );
    const byRule = timelineOfFolder(index, { seriesByRule: true }, { rules: ruleSeries, findings });
    assert.deepEqual(new Map(byRule.series.map((s) => [s.label, s.count])), expected.byTitle);
  });
});

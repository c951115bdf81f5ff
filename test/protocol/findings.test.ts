import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import {
  DocumentSummary,
  ExportEventsRequest,
  FilterSqlRequest,
  FindingsParams,
  FindingsRequest,
  FindingsResult,
  IndexFolderRequest,
  ModelChangedNotification,
  RuleSqlRequest,
  TimelineRequest,
} from '../../server/src/protocol';
import { readFixture } from '../fixtures';
import { parseQuery } from '../unit/sqlEvaluator';
import { fileUri, LspSession } from './lspSession';

const DELETE_TRAIL = 'real/stratus-red-team/aws.defense-evasion.cloudtrail-delete.json';
const STOP_TRAIL = 'real/stratus-red-team/aws.defense-evasion.cloudtrail-stop.json';
/** SigmaHQ's "AWS CloudTrail Important Change" rule (level medium, author vitaliy0x1). */
const IMPORTANT_CHANGE = '4db60cc0-36fb-42b7-9b58-a5b53019fb74';

describe('Findings and SQL from the real server', () => {
  let session: LspSession;
  const deleteUri = fileUri('delete-trail.json');
  const stopUri = fileUri('stop-trail.json');

  before(async () => {
    session = await LspSession.start();
    await session.open(deleteUri, readFixture(DELETE_TRAIL));
    await session.open(stopUri, readFixture(STOP_TRAIL));
  });
  after(() => session.stop());

  const findings = (params: FindingsParams): Promise<FindingsResult | null> => session.connection.sendRequest(FindingsRequest.type, params);

  it('groups the findings of a log by rule, with the rule\u2019s level, author and a way to its record', async () => {
    const result = await findings({ textDocument: { uri: deleteUri }, groupBy: 'rule' });
    assert.ok(result);
    assert.equal(result.enabled, true);
    const rule = result.rules.find((candidate) => candidate.id === IMPORTANT_CHANGE);
    assert.ok(rule, JSON.stringify(result.rules.map((r) => r.id)));
    assert.equal(rule.level, 'medium');
    assert.equal(rule.author, 'vitaliy0x1');
    assert.equal(rule.origin, 'bundled');
    assert.equal(rule.hasSql, true);
    const group = result.groups.find((candidate) => candidate.rule === rule.index);
    assert.ok(group);
    assert.equal(group.kind, 'rule');
    assert.equal(group.label, 'AWS CloudTrail Important Change');
    assert.equal(group.count, group.findings.length);
    const event = group.findings[0].event;
    assert.equal(event.eventName, 'DeleteTrail');
    assert.ok(event.range.end.line > event.range.start.line);
    assert.equal(
      result.total,
      result.groups.reduce((sum, candidate) => sum + candidate.count, 0),
    );
  });

  it('groups by ATT&CK tactic and by identity, over several logs', async () => {
    const scope = [{ uri: deleteUri }, { uri: stopUri }];
    const byTactic = await findings({ textDocument: { uri: deleteUri }, scope, groupBy: 'tactic' });
    assert.ok(byTactic);
    // The CloudTrail rules of SigmaHQ tag these as attack.defense-impairment.
    const evasion = byTactic.groups.find((group) => group.key === 'defense-impairment');
    assert.ok(evasion, JSON.stringify(byTactic.groups.map((group) => group.key)));
    assert.equal(evasion.label, 'Defense Impairment');
    assert.deepEqual(new Set(evasion.findings.map((finding) => finding.event.uri)), new Set([deleteUri, stopUri]));
    const byIdentity = await findings({ textDocument: { uri: deleteUri }, scope, groupBy: 'identity' });
    assert.ok(byIdentity);
    assert.equal(
      byIdentity.total,
      byIdentity.groups.reduce((sum, group) => sum + group.count, 0),
    );
    assert.equal(byIdentity.total, byTactic.total);
    assert.ok(byIdentity.groups.every((group) => group.kind === 'identity' && group.label.length > 0));
  });

  it('hovers the matched record with the rule\u2019s title, level, description and author', async () => {
    const text = readFixture(DELETE_TRAIL);
    const lines = text.split('\n');
    const line = lines.findIndex((candidate) => candidate.includes('"DeleteTrail"'));
    const hover = await session.hover(deleteUri, { line, character: lines[line].indexOf('DeleteTrail') });
    assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
    const markdown = hover.contents.value;
    assert.match(markdown, /Matches \d+ Sigma rules?/);
    assert.match(markdown, /\*\*Rule:\*\* AWS CloudTrail Important Change · level medium/);
    assert.match(markdown, /\*\*Author:\*\* vitaliy0x1/);
    assert.match(markdown, /Detection Rule License 1\.1/);
    // The attack catalogue speaks of DeleteTrail too, credited.
    assert.match(markdown, /TrailDiscover by Adan Alvarez/);
  });

  it('lists the findings of a folder index (compressed logs too), as its workers found them', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'findings-folder-'));
    try {
      fs.writeFileSync(path.join(folder, 'delete.json.gz'), zlib.gzipSync(readFixture(DELETE_TRAIL)));
      fs.writeFileSync(path.join(folder, 'stop.json'), readFixture(STOP_TRAIL));
      const uri = pathToFileURL(folder).href;
      const summary = await session.connection.sendRequest(IndexFolderRequest.type, { uri });
      assert.equal(summary.indexedFiles, 2);
      const result = await findings({ textDocument: { uri }, folder: uri, groupBy: 'rule' });
      assert.ok(result);
      const open = await findings({ textDocument: { uri: deleteUri }, scope: [{ uri: deleteUri }, { uri: stopUri }], groupBy: 'rule' });
      assert.ok(open);
      assert.equal(result.total, open.total, 'the same findings as the two logs open in the editor');
      const files = new Set(result.groups.flatMap((group) => group.findings.map((finding) => finding.event.uri)));
      assert.deepEqual(files, new Set([pathToFileURL(path.join(folder, 'delete.json.gz')).href, pathToFileURL(path.join(folder, 'stop.json')).href]));
      const important = result.groups.find((group) => result.rules.find((rule) => rule.index === group.rule)?.id === IMPORTANT_CHANGE);
      assert.ok(important);
      const event = important.findings.find((finding) => finding.event.uri?.endsWith('delete.json.gz'))?.event;
      assert.ok(event);
      const lines = readFixture(DELETE_TRAIL).split('\n');
      assert.match(lines.slice(event.range.start.line, event.range.end.line + 1).join('\n'), /"eventName": "DeleteTrail"/);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('writes a rule and the Events filter as SQL for Athena and CloudTrail Lake', async () => {
    for (const dialect of ['athena', 'lake'] as const) {
      const rule = await session.connection.sendRequest(RuleSqlRequest.type, { ruleId: IMPORTANT_CHANGE, dialect });
      assert.ok('sql' in rule, JSON.stringify(rule));
      assert.match(rule.sql, /^-- Sigma rule 4db60cc0-36fb-42b7-9b58-a5b53019fb74: AWS CloudTrail Important Change \(level medium\)$/m);
      parseQuery(rule.sql);
      const filter = await session.connection.sendRequest(FilterSqlRequest.type, { filter: { service: 'cloudtrail', errorsOnly: true }, dialect });
      assert.ok('sql' in filter);
      parseQuery(filter.sql);
    }
    const unknown = await session.connection.sendRequest(RuleSqlRequest.type, { ruleId: 'no-such-rule', dialect: 'athena' });
    assert.deepEqual(unknown, { error: 'No loaded rule has the id no-such-rule.' });
  });
});

describe('Findings on the timeline, in exports, in the status summary and under a time filter', () => {
  /** A Stratus detonation with a finding of level high, which VS Code lists as a warning. */
  const FLOW_LOGS = 'real/stratus-red-team/aws.defense-evasion.vpc-remove-flow-logs.json';
  const PASSWORD_DATA = 'real/stratus-red-team/aws.credential-access.ec2-get-password-data.json';
  let session: LspSession;
  const summaries: DocumentSummary[] = [];

  before(async () => {
    session = await LspSession.start();
    session.connection.onNotification(ModelChangedNotification.method, (summary: DocumentSummary) => {
      summaries.push(summary);
    });
  });
  after(() => session.stop());

  it('counts errors and warnings in the log\u2019s summary as the published diagnostics have them, findings included', async () => {
    const uri = fileUri('flow-logs.json');
    const published = await session.open(uri, readFixture(FLOW_LOGS));
    const summary = summaries.filter((candidate) => candidate.uri === uri).at(-1);
    assert.ok(summary);
    const warnings = published.diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Warning);
    assert.ok(
      warnings.some((diagnostic) => diagnostic.source === 'cloudtrail detections'),
      'a finding of level high is a warning',
    );
    assert.equal(summary.warnings, warnings.length);
    assert.equal(summary.errors, published.diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error).length);
  });

  it('marks the events with findings on the timeline and draws one series per rule', async () => {
    const uri = fileUri('password-data.json');
    await session.open(uri, readFixture(PASSWORD_DATA));
    const expected = (JSON.parse(readFixture('findings/stratus-red-team.json')) as Record<string, { record: number; title: string }[]>)[
      path.basename(PASSWORD_DATA)
    ];
    const timeline = await session.connection.sendRequest(TimelineRequest.type, { textDocument: { uri }, groupBy: ['action'] });
    assert.ok(timeline);
    assert.equal(
      timeline.findings.reduce((a, b) => a + b, 0),
      new Set(expected.map((finding) => finding.record)).size,
    );
    const byRule = await session.connection.sendRequest(TimelineRequest.type, { textDocument: { uri }, groupBy: ['action'], seriesByRule: true });
    assert.ok(byRule);
    const perTitle = new Map<string, Set<number>>();
    for (const finding of expected) perTitle.set(finding.title, (perTitle.get(finding.title) ?? new Set()).add(finding.record));
    assert.deepEqual(
      new Map(byRule.series.map((series) => [series.label, series.count])),
      new Map([...perTitle].map(([title, records]) => [title, records.size])),
    );

    const exported = await session.connection.sendRequest(ExportEventsRequest.type, { textDocument: { uri }, groupBy: [], format: 'timeline-csv' });
    assert.ok(exported);
    const rows = parseCsv<Record<string, string>>(exported.text, { columns: true });
    for (const row of rows) {
      const titles = [...new Set(expected.filter((finding) => String(finding.record) === row.record).map((finding) => finding.title))].sort();
      assert.deepEqual(row.finding === '' ? [] : row.finding.split('; ').sort(), titles, `record ${row.record}`);
    }
  });

  it('lists only the findings on events inside the brushed time range', async () => {
    const uri = fileUri('password-data.json');
    const all = await session.connection.sendRequest(FindingsRequest.type, { textDocument: { uri }, groupBy: 'rule' });
    assert.ok(all && all.total > 1);
    const records = JSON.parse(readFixture(PASSWORD_DATA)) as { eventTime: string }[];
    const times = records.map((record) => Date.parse(record.eventTime)).sort((a, b) => a - b);
    const from = new Date(times[0]).toISOString();
    const to = new Date(times[0] + 1000).toISOString();
    const inside = records.filter((record) => Date.parse(record.eventTime) < times[0] + 1000).length;
    const narrowed = await session.connection.sendRequest(FindingsRequest.type, { textDocument: { uri }, groupBy: 'rule', from, to });
    assert.ok(narrowed);
    assert.ok(narrowed.total < all.total, `${String(narrowed.total)} of ${String(all.total)} (${String(inside)} records in range)`);
    for (const group of narrowed.groups) {
      for (const finding of group.findings) {
        const time = Date.parse(records[finding.event.index].eventTime);
        assert.ok(time >= times[0] && time < times[0] + 1000);
      }
    }
  });
});

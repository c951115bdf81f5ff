import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { ErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { EventTreeRequest, ExportEventsRequest, IndexFolderRequest, TimelineRequest } from '../../server/src/protocol';
import { FIXTURES, readFixture } from '../fixtures';
import { fileUri, LspSession } from './lspSession';

const STRATUS = 'real/stratus-red-team/aws.credential-access.ssm-retrieve-securestring-parameters.json';

describe('protocol: timeline and export', () => {
  let session: LspSession;
  const uri = fileUri('timeline-stratus.json');
  let text: string;
  let scratch: string;

  before(async () => {
    session = await LspSession.start();
    text = readFixture(STRATUS);
    await session.open(uri, text);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudtrail-timeline-protocol-'));
    fs.cpSync(path.join(FIXTURES, 'real/trailscraper'), path.join(scratch, 'trailscraper'), { recursive: true });
  });

  after(async () => {
    await session.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('counts the events of a log over time, grouped by action, as the event tree counts them', async () => {
    const timeline = await session.connection.sendRequest(TimelineRequest.type, { textDocument: { uri }, groupBy: ['action'] });
    const tree = await session.connection.sendRequest(EventTreeRequest.type, { textDocument: { uri }, groupBy: ['action'], depth: 1 });
    assert.ok(timeline && tree);
    const records = JSON.parse(text) as unknown[];
    assert.equal(timeline.total, records.length);
    assert.equal(timeline.total + timeline.untimed, tree.total);
    const byLabel = new Map(tree.groups.map((group) => [group.label, group.count]));
    for (const series of timeline.series) assert.equal(series.count, byLabel.get(series.label), series.label);
    assert.equal(
      timeline.counts.flat().reduce((a, b) => a + b, 0),
      timeline.total,
    );
    assert.equal(
      timeline.failed.reduce((a, b) => a + b, 0),
      tree.groups.reduce((sum, group) => sum + group.errorCount, 0),
    );
  });

  it('brushing a range filters the event tree to it', async () => {
    const timeline = await session.connection.sendRequest(TimelineRequest.type, { textDocument: { uri } });
    assert.ok(timeline);
    const firstBusy = timeline.counts[0].findIndex((count) => count > 0);
    const from = new Date(timeline.start + firstBusy * timeline.bucketMs).toISOString();
    const to = new Date(timeline.start + (firstBusy + 1) * timeline.bucketMs).toISOString();
    const tree = await session.connection.sendRequest(EventTreeRequest.type, { textDocument: { uri }, groupBy: [], filter: { from, to } });
    assert.equal(tree?.matched, timeline.counts[0][firstBusy]);
    const narrowed = await session.connection.sendRequest(TimelineRequest.type, { textDocument: { uri }, filter: { from, to } });
    assert.equal(narrowed?.total, timeline.counts[0][firstBusy]);
  });

  it('exports the filtered events of a log as CSV that reads back', async () => {
    const result = await session.connection.sendRequest(ExportEventsRequest.type, {
      textDocument: { uri },
      format: 'timeline-csv',
      filter: { errorsOnly: true },
    });
    assert.ok(result);
    const rows = parseCsv<Record<string, string>>(result.text, { columns: true });
    assert.equal(rows.length, result.events);
    assert.ok(rows.every((row) => row.result === 'failure' && row.error !== '' && row.file === uri));
  });

  it('times and exports a folder index the same way', async () => {
    const folder = pathToFileURL(scratch).href;
    const summary = await session.connection.sendRequest(IndexFolderRequest.type, { uri: folder });
    assert.ok(summary.events > 0);
    const timeline = await session.connection.sendRequest(TimelineRequest.type, { folder, groupBy: ['identity'] });
    assert.equal((timeline?.total ?? 0) + (timeline?.untimed ?? 0), summary.events);
    const exported = await session.connection.sendRequest(ExportEventsRequest.type, { folder, format: 'jsonl' });
    assert.ok(exported);
    assert.deepEqual(exported.problems, []);
    const lines = exported.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { eventID?: string });
    assert.equal(lines.length, summary.events);
    // The same events as the folder's tree lists, oldest first (the folder holds a log twice: plain and gzipped).
    const tree = await session.connection.sendRequest(EventTreeRequest.type, { textDocument: { uri: folder }, folder, groupBy: [], limit: 10_000 });
    const listed = (tree?.groups[0].events ?? []).map((event) => event.eventID);
    assert.deepEqual(
      lines.map((line) => line.eventID),
      listed,
    );
  });

  it('refuses parameters it cannot read, with InvalidParams', async () => {
    for (const params of [{ textDocument: { uri }, from: 'soon' }, { textDocument: 5 }, { folder: 7 }, { textDocument: { uri }, group: [1] }]) {
      await assert.rejects(
        session.connection.sendRequest(TimelineRequest.type, params as never),
        (error: unknown) => error instanceof ResponseError && error.code === ErrorCodes.InvalidParams,
        JSON.stringify(params),
      );
    }
    await assert.rejects(
      session.connection.sendRequest(ExportEventsRequest.type, { textDocument: { uri }, format: 'xlsx' } as never),
      (error: unknown) => error instanceof ResponseError && error.code === ErrorCodes.InvalidParams,
    );
    assert.equal(await session.connection.sendRequest(TimelineRequest.type, { textDocument: { uri: fileUri('not-open.json') } }), null);
  });
});

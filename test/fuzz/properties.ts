/**
 * What must hold for every log, however broken or hostile: the model never throws, every range
 * it reports lies inside the text, it reads valid JSON as JSON.parse does, an incremental update
 * gives the model a full parse gives, and the server answers every request.
 */
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { CloudTrailDocument, parseCloudTrail, Problem, updateCloudTrail, validateDocument } from '../../server/src/model';
import { hoverContent } from '../../server/src/model/explain/hoverContent';
import { EventAtRequest, EventTreeRequest } from '../../server/src/protocol';
import { LspSession } from '../protocol/lspSession';
import { assertSourcesAgree, snapshot } from '../unit/modelSnapshot';
import { hostileLog, hostileText, Mutation } from './mutations';

const ENV = { now: Date.UTC(2026, 0, 1), timeZone: 'UTC' };

function assertInside(text: string, start: number, end: number, what: string): void {
  assert.ok(
    Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length,
    `${what} [${start}, ${end}) is not inside 0..${text.length}`,
  );
}

function assertProblemsInside(text: string, problems: readonly Problem[]): void {
  for (const problem of problems) {
    assertInside(text, problem.start, problem.end, `problem ${problem.code}`);
    for (const related of problem.related ?? []) assertInside(text, related.start, related.end, `related range of ${problem.code}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** For a delivered log that JSON.parse reads, what the model must find in each record. */
function assertAgreesWithJsonParse(document: CloudTrailDocument, parsed: unknown): void {
  if (!isPlainObject(parsed) || !Object.prototype.hasOwnProperty.call(parsed, 'Records')) {
    return;
  }
  const records = parsed.Records;
  assert.equal(document.shape, 'records');
  if (!Array.isArray(records)) {
    assert.equal(document.records.length, 0, 'a Records that is not an array holds no records');
    return;
  }
  // Records written as strings or EventBridge envelopes are read from inside: compared elsewhere.
  if (!records.every((record) => isPlainObject(record) && !('detail' in record))) {
    return;
  }
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  const expected = (records as Record<string, unknown>[]).map((record) => ({
    eventName: text(record.eventName),
    eventSource: text(record.eventSource),
    eventTime: text(record.eventTime),
    identityType: isPlainObject(record.userIdentity) ? text(record.userIdentity.type) : null,
  }));
  const found = document.records.map((record) => ({
    eventName: record.summary.eventName ?? null,
    eventSource: record.summary.eventSource ?? null,
    eventTime: record.summary.eventTime ?? null,
    identityType: record.summary.identity.type ?? null,
  }));
  assert.deepEqual(found, expected, 'the model reads the records otherwise than JSON.parse');
}

/** Every model-level invariant for one text; `edit` is one more change, for the incremental check. */
export function checkModel(text: string, edit: { at: number; remove: number; insert: string }): void {
  const document = parseCloudTrail(text);
  assertProblemsInside(text, document.problems);
  for (const record of document.records) assertInside(text, record.start, record.end, `record ${record.index}`);
  assertProblemsInside(text, validateDocument(document, { maxProblems: 1000 }));

  let parsed: unknown;
  let valid = true;
  try {
    parsed = JSON.parse(text);
  } catch {
    valid = false;
  }
  if (valid) assertAgreesWithJsonParse(document, parsed);

  for (const fraction of [0.1, 0.37, 0.5, 0.77, 0.95]) {
    const offset = Math.floor(fraction * text.length);
    const hover = hoverContent(document, offset, ENV);
    if (hover) assertInside(text, hover.start, hover.end, `hover at ${offset}`);
  }

  const start = Math.min(text.length, Math.floor(edit.at * (text.length + 1)));
  const change = { start, end: Math.min(text.length, start + edit.remove), text: edit.insert };
  const newText = text.slice(0, change.start) + change.text + text.slice(change.end);
  const update = updateCloudTrail(document, change, newText);
  assert.deepEqual(
    snapshot(update.document),
    snapshot(parseCloudTrail(newText)),
    `the incremental update differs from a full parse after ${JSON.stringify(change)}`,
  );
  assertSourcesAgree(update.document, newText, 'incremental update');
}

export const editArbitrary = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  remove: fc.integer({ min: 0, max: 4 }),
  insert: fc.constantFrom('', 'x', '"', '{', '}', '[', ']', ',', ':', '\\', '\n', '"k":1,', '\u200b', 'null'),
});

/** The model-level property over hostile logs. */
export const modelProperty = fc.property(hostileLog, editArbitrary, (log, edit) => {
  checkModel(hostileText(log), edit);
});

/** How long one request may take before the server counts as frozen (a hang, not a slow answer). */
const ANSWER_WITHIN_MS = 30_000;

/** The promise's value, or a failure when it takes so long that the server must be frozen. */
async function settled<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what}: no answer within ${String(ANSWER_WITHIN_MS)} ms`));
    }, ANSWER_WITHIN_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function answered<T>(what: string, request: Promise<T>): Promise<T | ResponseError<unknown>> {
  try {
    return await settled(what, request);
  } catch (error) {
    if (error instanceof ResponseError) {
      // Refusing garbage is an answer; failing inside is not.
      assert.notEqual(error.code, ErrorCodes.InternalError, `${what}: ${error.message}`);
      return error;
    }
    throw error;
  }
}

interface WireRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

function assertRangeInside(document: TextDocument, range: WireRange | undefined, what: string): void {
  if (!range) return;
  for (const position of [range.start, range.end]) {
    assert.ok(position.line >= 0 && position.line < document.lineCount, `${what}: line ${position.line} of ${document.lineCount}`);
    const lineEnd = document.offsetAt({ line: position.line + 1, character: 0 });
    const lineStart = document.offsetAt({ line: position.line, character: 0 });
    assert.ok(position.character >= 0 && position.character <= lineEnd - lineStart, `${what}: character ${position.character} past its line`);
  }
}

let documentCounter = 0;

/** Opens a hostile log in a running server, asks it everything, edits it, and closes it. */
export async function checkServer(
  session: LspSession,
  log: { seed: number; mutations: readonly Mutation[] },
  edit: { at: number; remove: number; insert: string },
): Promise<void> {
  const text = hostileText(log);
  const uri = `file:///fuzz/log-${String(++documentCounter)}.json`;
  const document = TextDocument.create(uri, 'cloudtrail', 1, text);
  const diagnostics = await settled('diagnostics after open', session.open(uri, text));
  for (const diagnostic of diagnostics.diagnostics) assertRangeInside(document, diagnostic.range, 'diagnostic');
  const positions = [0.05, 0.5, 0.9].map((fraction) => document.positionAt(Math.floor(fraction * text.length)));
  for (const position of positions) {
    const hover = await answered('hover', session.hover(uri, position));
    if (hover && !(hover instanceof ResponseError)) assertRangeInside(document, hover.range, 'hover');
    const event = await answered(
      'eventAt',
      session.connection.sendRequest(EventAtRequest.type, { textDocument: { uri }, position, groupBy: ['identity', 'action'] }),
    );
    if (event && !(event instanceof ResponseError)) assertRangeInside(document, event.range, 'eventAt');
  }
  await answered('eventTree', session.connection.sendRequest(EventTreeRequest.type, { textDocument: { uri }, groupBy: ['action'], limit: 50 }));
  const symbols = await answered('documentSymbol', session.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }));
  if (Array.isArray(symbols)) for (const symbol of symbols as { range: WireRange }[]) assertRangeInside(document, symbol.range, 'symbol');
  await answered('foldingRange', session.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } }));
  const start = Math.min(text.length, Math.floor(edit.at * (text.length + 1)));
  const end = Math.min(text.length, start + edit.remove);
  const range = { start: document.positionAt(start), end: document.positionAt(end) };
  const edited = TextDocument.update(document, [{ range, text: edit.insert }], 2);
  const after = await settled('diagnostics after an edit', session.change(uri, [{ range, text: edit.insert }]));
  for (const diagnostic of after.diagnostics) assertRangeInside(edited, diagnostic.range, 'diagnostic after the edit');
  await answered('hover after the edit', session.hover(uri, edited.positionAt(Math.floor(edited.getText().length / 2))));
  await session.close(uri);
}

export const serverProperty = (session: LspSession) =>
  fc.asyncProperty(hostileLog, editArbitrary, async (log, edit) => {
    await checkServer(session, log, edit);
  });

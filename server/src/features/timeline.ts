/**
 * Answers `cloudtrail/timeline` and `cloudtrail/exportEvents` for open documents and folder
 * indexes, from the same models the Events view reads. The model does the work
 * (model/timeline); this file only picks the inputs and shapes the wire answers.
 */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import { CloudTrailDocument, parseCloudTrail, recordAt } from '../model';
import { Finding, RuleSet } from '../model/detections';
import { FolderIndex } from '../model/folderIndex';
import { folderFindings } from '../model/folderIndex/folderFindings';
import {
  EXPORT_FORMATS,
  ExportEvent,
  exportText,
  findingTitles,
  selectDocumentEvents,
  selectFolderEvents,
  timelineOfDocuments,
  timelineOfFolder,
  RuleSeries,
  TimelineRequestOptions,
} from '../model/timeline';
import { EventSelectionParams, ExportEventsParams, ExportEventsResult, TimelineParams, TimelineResult } from '../protocol';
import { EventTreeInput, EventTreeInputs, normalizeFilter, normalizeGroupBy } from './eventTree';

/** Where the selection's events live. */
export interface TimelineEnvironment {
  documentsOf: EventTreeInputs;
  folderIndexOf(uri: string): FolderIndex | undefined;
  /** Reads a file of a folder index again, as a model (undefined with a reason when it cannot). */
  readIndexedFile(path: string): Promise<CloudTrailDocument | string>;
  /** The Sigma rules and their findings in an open document; undefined when detections are off. */
  detections(): TimelineDetections | undefined;
}

export interface TimelineDetections {
  rules: RuleSet;
  findingsOf(input: EventTreeInput): readonly Finding[];
}

function ruleSeries(rules: RuleSet): RuleSeries[] {
  return rules.rules.map((definition) => ({ key: definition.metadata.id, label: definition.metadata.title }));
}

const gunzip = promisify(zlib.gunzip);

function inputsOf(params: EventSelectionParams, documentsOf: EventTreeInputs): EventTreeInput[] {
  const uris = params.scope && params.scope.length > 0 ? params.scope.map((document) => document.uri) : params.textDocument ? [params.textDocument.uri] : [];
  return [...new Set(uris)].map(documentsOf).filter((input): input is EventTreeInput => input !== undefined);
}

function invalid(message: string): ResponseError {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

function checkSelection(params: unknown): asserts params is EventSelectionParams {
  if (typeof params !== 'object' || params === null) throw invalid('Expected an object naming a document, a scope or a folder.');
  const { folder, textDocument, scope, group } = params as Record<string, unknown>;
  if (folder !== undefined && typeof folder !== 'string') throw invalid('`folder` must be a URI string.');
  if (
    textDocument !== undefined &&
    (typeof textDocument !== 'object' || textDocument === null || typeof (textDocument as { uri?: unknown }).uri !== 'string')
  ) {
    throw invalid('`textDocument` must be { uri: string }.');
  }
  if (
    scope !== undefined &&
    (!Array.isArray(scope) || scope.some((item) => typeof item !== 'object' || item === null || typeof (item as { uri?: unknown }).uri !== 'string'))
  ) {
    throw invalid('`scope` must be a list of { uri: string }.');
  }
  if (group !== undefined && (!Array.isArray(group) || group.some((key) => typeof key !== 'string'))) throw invalid('`group` must be a list of strings.');
}

function readTime(text: unknown, name: string): number | undefined {
  if (text === undefined) return undefined;
  const time = typeof text === 'string' && text.length <= 64 ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(time)) throw invalid(`\`${name}\` must be an ISO 8601 time.`);
  return time;
}

function describeSource(params: EventSelectionParams, documents: number): string {
  if (params.folder !== undefined) return 'folder index';
  return documents === 1 ? 'active log' : `${documents} open logs`;
}

export function computeTimeline(params: TimelineParams, env: TimelineEnvironment): TimelineResult | null {
  checkSelection(params);
  const groupBy = normalizeGroupBy(params.groupBy ?? []).at(0);
  const options: TimelineRequestOptions = {
    filter: normalizeFilter(params.filter),
    ...(groupBy ? { groupBy } : {}),
    ...(typeof params.bucketTarget === 'number' && params.bucketTarget >= 1 ? { bucketTarget: params.bucketTarget } : {}),
  };
  const from = readTime(params.from, 'from');
  const to = readTime(params.to, 'to');
  if (from !== undefined) options.from = from;
  if (to !== undefined) options.to = to;
  const detections = env.detections();
  if (params.seriesByRule === true) options.seriesByRule = true;
  if (params.folder !== undefined) {
    const index = env.folderIndexOf(params.folder);
    if (!index) return null;
    const found = detections && { rules: ruleSeries(detections.rules), findings: folderFindings(index, detections.rules) };
    return { ...timelineOfFolder(index, options, found), source: describeSource(params, 0) };
  }
  const inputs = inputsOf(params, env.documentsOf);
  if (inputs.length === 0) return null;
  const found = detections && { rules: ruleSeries(detections.rules), byDocument: inputs.map((input) => detections.findingsOf(input)) };
  return {
    ...timelineOfDocuments(
      inputs.map((input) => input.model),
      options,
      found,
    ),
    source: describeSource(params, inputs.length),
  };
}

export async function exportEvents(params: ExportEventsParams, env: TimelineEnvironment): Promise<ExportEventsResult | null> {
  checkSelection(params);
  if (!EXPORT_FORMATS.includes(params.format)) throw invalid(`\`format\` must be one of ${EXPORT_FORMATS.join(', ')}.`);
  const selection = {
    groupBy: normalizeGroupBy(params.groupBy ?? []),
    filter: normalizeFilter(params.filter),
    ...(params.group ? { group: params.group } : {}),
  };
  if (params.folder !== undefined) {
    const index = env.folderIndexOf(params.folder);
    if (!index) return null;
    const picked = selectFolderEvents(index, selection);
    const detections = env.detections();
    const titlesByFile = new Map<string, Map<number, string[]>>();
    if (detections) {
      const byFile = new Map<string, { record: number; rule: number }[]>();
      for (const finding of folderFindings(index, detections.rules)) {
        const list = byFile.get(finding.file.path) ?? [];
        list.push({ record: finding.entry, rule: finding.rule });
        byFile.set(finding.file.path, list);
      }
      for (const [path, findings] of byFile) titlesByFile.set(path, findingTitles(detections.rules, findings));
    }
    const documents = new Map<string, CloudTrailDocument | string>();
    for (const ref of picked) {
      if (!documents.has(ref.file.path)) documents.set(ref.file.path, await env.readIndexedFile(ref.file.path));
    }
    const events: ExportEvent[] = [];
    const problems = new Set<string>();
    for (const ref of picked) {
      const document = documents.get(ref.file.path);
      // The index keeps where each record starts in the decompressed text; the record there is the event.
      const record = typeof document === 'object' ? recordAt(document, ref.file.entries.start[ref.index]) : undefined;
      const findings = titlesByFile.get(ref.file.path)?.get(ref.index);
      if (record) events.push({ record, file: ref.file.path, ...(findings ? { findings } : {}) });
      else problems.add(`${ref.file.path}: ${typeof document === 'string' ? document : 'the file changed since it was indexed'}`);
    }
    return { text: exportText(params.format, events), events: events.length, problems: [...problems] };
  }
  const inputs = inputsOf(params, env.documentsOf);
  if (inputs.length === 0) return null;
  const picked = selectDocumentEvents(
    inputs.map((input) => input.model),
    selection,
  );
  const detections = env.detections();
  const titles = inputs.map((input) => (detections ? findingTitles(detections.rules, detections.findingsOf(input)) : new Map<number, string[]>()));
  const events = picked.map((event): ExportEvent => {
    const findings = titles[event.documentIndex].get(event.record.index);
    return { record: event.record, file: inputs[event.documentIndex].document.uri, ...(findings ? { findings } : {}) };
  });
  return { text: exportText(params.format, events), events: events.length, problems: [] };
}

/** Reads a log file of a folder index again, decompressing it with the index's size cap. */
export async function readLogDocument(path: string, maxDecompressedBytes: number): Promise<CloudTrailDocument | string> {
  try {
    let bytes: Uint8Array = await readFile(path);
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      bytes = await gunzip(bytes, { maxOutputLength: maxDecompressedBytes });
    }
    return parseCloudTrail(new TextDecoder('utf-8').decode(bytes));
  } catch (error) {
    return `cannot be read again (${error instanceof Error ? error.message : String(error)})`;
  }
}

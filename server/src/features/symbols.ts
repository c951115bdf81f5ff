import { DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CloudTrailDocument, CloudTrailRecord, NO_NODE } from '../model';
import { showTime } from '../model/explain/time';
import { visibleText } from '../model/text/visibleText';

/** The title of an event in the outline: "DeleteTrail · 2024-11-24 10:12:58 UTC · alice", the time as the tree and hovers write it. */
export function eventTitle(record: CloudTrailRecord): string {
  const { eventTime, eventName, identity } = record.summary;
  const time = showTime(eventTime)?.full ?? eventTime ?? '(no time)';
  return visibleText(`${eventName ?? '(no eventName)'} · ${time} · ${identity.label}`);
}

/** One symbol per event, up to `limit`; says whether the limit cut the list. */
export function documentSymbols(model: CloudTrailDocument, document: TextDocument, limit: number): { symbols: DocumentSymbol[]; truncated: boolean } {
  const symbols: DocumentSymbol[] = [];
  for (const record of model.records) {
    if (symbols.length >= limit) {
      return { symbols, truncated: true };
    }
    const range = { start: document.positionAt(record.start), end: document.positionAt(record.end) };
    const selection = selectionOffsets(record);
    const detail = visibleText([record.summary.eventSource, record.summary.awsRegion, record.summary.errorCode].filter(Boolean).join(' · '));
    symbols.push({
      name: eventTitle(record),
      detail,
      kind: record.summary.errorCode ? SymbolKind.Event : SymbolKind.Event,
      range,
      selectionRange: { start: document.positionAt(selection.start), end: document.positionAt(selection.end) },
    });
  }
  return { symbols, truncated: false };
}

/** The eventName value of a record in document offsets, or the record's first character. */
function selectionOffsets(record: CloudTrailRecord): { start: number; end: number } {
  const { view, toDocument } = record.source;
  const eventName = record.node === NO_NODE ? NO_NODE : view.property(record.node, 'eventName');
  if (eventName !== NO_NODE) {
    return { start: toDocument(view.table.start[eventName]), end: toDocument(view.table.end[eventName]) };
  }
  return { start: record.start, end: record.start + 1 };
}

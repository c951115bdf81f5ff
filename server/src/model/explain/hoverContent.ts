/**
 * What a hover at a document offset shows. Finds the record by binary search and the node by a
 * walk down that record only, so a hover costs the same in a 20 MB file as in a small one.
 *
 * Offsets in and out are DOCUMENT offsets; inside an event embedded in a string (lookup-events
 * output) they are mapped through the record's source.
 */
import { CloudTrailDocument, recordAt } from '../cloudTrailDocument';
import { JsonView, NO_NODE, NodeKind } from '../json/nodeTable';
import { eventSummary, RecordContext } from './eventSummary';
import { wholeScalar } from './boundedRead';
import { describeField, fieldHover, pathLabel, valueLines } from './fieldHover';
import { HoverBuilder, Markdown, md, quoted } from './markdown';
import { parameterHover } from './parameterHover';
import { documentField, envelopeField, FieldInfo, lookupEventField } from './recordFields';
import { genericValueLines, HoverEnvironment, serviceLines, timeLines } from './valueReadings';

export type { HoverEnvironment } from './valueReadings';

export interface HoverContent {
  markdown: string;
  /** The hovered token, in document offsets (end exclusive). */
  start: number;
  end: number;
}

/** The hover at `offset`, or undefined where there is nothing to explain. */
export function hoverContent(document: CloudTrailDocument, offset: number, env: HoverEnvironment): HoverContent | undefined {
  const record = recordAt(document, offset);
  if (!record) {
    return documentLevelHover(document, offset);
  }
  if (record.node === NO_NODE) {
    return undefined;
  }
  const docView = document.view;
  const table = docView.table;
  const context: RecordContext = { record, view: record.source.view, env };

  if (record.source.embedded) {
    const stringNode = record.wrapper?.kind === 'lookupEvents' ? docView.property(record.wrapper.node, 'CloudTrailEvent') : (record.wrapper?.node ?? NO_NODE);
    if (stringNode !== NO_NODE && offset > table.start[stringNode] && offset < table.end[stringNode] - 1) {
      return recordHover(context, record.source.fromDocument(offset));
    }
    if (record.wrapper?.kind === 'lookupEvents') {
      return wrapperHover(context, docView, record.wrapper.node, offset, lookupEventField);
    }
    // The quotes of a record written as a string.
    return offset === record.start ? summaryAt(context, offset, offset + 1) : undefined;
  }

  // The event's own nodes: in the document's tree, or in the record's copy after an edit.
  const { view, toDocument, fromDocument } = record.source;
  const eventStart = toDocument(view.table.start[record.node]);
  const eventEnd = toDocument(view.table.end[record.node]);
  if (record.wrapper && (offset < eventStart || offset >= eventEnd)) {
    return wrapperHover(context, docView, record.wrapper.node, offset, record.wrapper.kind === 'lookupEvents' ? lookupEventField : envelopeField);
  }
  return recordHover(context, fromDocument(offset));
}

/** The event summary, for a token spanning the given document offsets. */
function summaryAt(context: RecordContext, start: number, end: number): HoverContent {
  return { markdown: eventSummary(context).toString(), start, end };
}

/** A hover inside the event object itself; `inner` is in the record's source coordinates. */
function recordHover(context: RecordContext, inner: number): HoverContent | undefined {
  const { view, record } = context;
  const at = view.nodeAt(record.node, inner);
  if (!at) {
    return undefined;
  }
  const table = view.table;
  const toDocument = record.source.toDocument;
  if (at.node === record.node) {
    // The opening brace stands for the whole event; whitespace between fields explains nothing.
    if (inner === table.start[record.node]) {
      const start = toDocument(inner);
      return summaryAt(context, start, start + 1);
    }
    return undefined;
  }
  const start = at.onKey ? table.keyStart[at.node] : table.start[at.node];
  const end = at.onKey ? table.keyEnd[at.node] : table.end[at.node];
  const top = at.path[0];
  let hover: HoverBuilder;
  if (top === 'requestParameters' || top === 'responseElements') {
    hover = parameterHover(context, at.path, at.node);
  } else {
    hover = fieldHover(context, at.path, at.node);
  }
  return { markdown: hover.toString(), start: toDocument(start), end: toDocument(end) };
}

/**
 * A hover on the part of an entry around the event: the lookup-events item (EventTime,
 * Username, ...) or the EventBridge envelope (detail-type, source, ...).
 */
function wrapperHover(
  context: RecordContext,
  view: JsonView,
  wrapper: number,
  offset: number,
  catalogue: (name: string) => FieldInfo | undefined,
): HoverContent | undefined {
  const at = view.nodeAt(wrapper, offset);
  if (!at) {
    return undefined;
  }
  const table = view.table;
  if (at.node === wrapper) {
    return offset === table.start[wrapper] ? summaryAt(context, offset, offset + 1) : undefined;
  }
  const names = at.path.filter((part): part is string => typeof part === 'string');
  const name = names[names.length - 1] ?? '';
  const field = catalogue(name);
  const out = new HoverBuilder();
  out.heading(md`${pathLabel(at.path)}`);
  if (field) {
    describeField(
      out,
      field,
      undefined,
      context.record.wrapper?.kind === 'eventBridge' ? 'of the EventBridge event around the record' : 'of a lookup-events item',
    );
  } else {
    out.paragraph(md`Not a field this project knows in ${context.record.wrapper?.kind === 'eventBridge' ? 'an EventBridge event' : 'lookup-events output'}.`);
  }
  const bullets: Markdown[] = [];
  if (view.kind(at.node) !== NodeKind.Invalid) {
    bullets.push(...valueLines(view, at.node));
  }
  const value = wholeScalar(view, at.node);
  if ((name === 'EventTime' || name === 'time') && (typeof value === 'number' || typeof value === 'string')) {
    bullets.push(...timeLines(value, context.env));
  } else if (name === 'EventSource' && typeof value === 'string') {
    bullets.push(...serviceLines(value));
  } else if (name === 'EventName' && typeof value === 'string') {
    const same = value === context.record.summary.eventName;
    bullets.push(
      same ? md`Matches the record\u2019s eventName.` : md`**Odd:** the record inside says eventName ${quoted(context.record.summary.eventName ?? '')}`,
    );
  } else if (name !== 'CloudTrailEvent' && name !== 'detail') {
    bullets.push(...genericValueLines(view, at.node, name, context.env));
  }
  out.bullets(bullets);
  const start = at.onKey ? table.keyStart[at.node] : table.start[at.node];
  const end = at.onKey ? table.keyEnd[at.node] : table.end[at.node];
  return { markdown: out.toString(), start, end };
}

/** Hovers outside every record: the keys `Records`, `Events` and `NextToken` of the file's top object. */
function documentLevelHover(document: CloudTrailDocument, offset: number): HoverContent | undefined {
  if (document.roots.length !== 1) {
    return undefined;
  }
  const view = document.view;
  const root = document.roots[0];
  if (view.kind(root) !== NodeKind.Object) {
    return undefined;
  }
  const table = view.table;
  for (const child of view.children(root)) {
    if (table.keyStart[child] >= 0 && offset >= table.keyStart[child] && offset < table.keyEnd[child]) {
      const name = view.key(child) ?? '';
      const field = documentField(name);
      if (!field) {
        return undefined;
      }
      const out = new HoverBuilder();
      out.heading(md`${name}`);
      describeField(out, field, undefined, undefined);
      if (name === 'Records' || name === 'Events') {
        const count = document.records.length;
        out.paragraph(md`This file holds ${String(count)} record${count === 1 ? '' : 's'}.`);
      }
      return { markdown: out.toString(), start: table.keyStart[child], end: table.keyEnd[child] };
    }
  }
  return undefined;
}

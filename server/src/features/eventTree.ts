import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CloudTrailDocument,
  EventGroupNode,
  findGroup,
  GroupDimension,
  GroupedEvent,
  Grouping,
  groupEvents,
  locateEvent,
  pageEvents,
  Problem,
  recordAt,
  recordsWithProblems,
  timeRangeOf,
} from '../model';
import { accessLevelFilterValue } from '../model/iam';
import { EventAtParams, EventFilter, EventGroup, EventRef, EventTreeParams, EventTreeResult } from '../protocol';
import { toEventRef, visibleEventRef } from './eventRefs';

/** What the event tree needs of one open document. */
export interface EventTreeInput {
  readonly document: TextDocument;
  readonly model: CloudTrailDocument;
  /** The document's problems, for marking records that have some. */
  readonly problems: readonly Problem[];
}

export type EventTreeInputs = (uri: string) => EventTreeInput | undefined;

/** Events listed in one group when the request names no `limit`. */
export const DEFAULT_EVENT_LIMIT = 500;

/** Groupings kept for the next requests (expanding groups, the next page, the cursor). */
const CACHED_GROUPINGS = 4;

interface CachedGrouping {
  key: string;
  uris: readonly string[];
  models: readonly CloudTrailDocument[];
  grouping: Grouping;
}

/**
 * Answers `cloudtrail/eventTree` and `cloudtrail/eventAt`. A tree is asked for piece by piece
 * (the top groups, then each expanded group, then further pages), so the grouping of the last
 * few (documents, grouping, filter) combinations is kept and reused while the models are unchanged.
 */
export class EventTreeService {
  private recent: CachedGrouping[] = [];
  private readonly problemMarks = new WeakMap<readonly Problem[], Uint8Array>();

  eventTree(params: EventTreeParams, inputsOf: EventTreeInputs): EventTreeResult | null {
    const inputs = scopeInputs(params.textDocument.uri, params.scope, inputsOf);
    if (inputs.length === 0) {
      return null;
    }
    const grouping = this.grouping(inputs, params.groupBy, params.filter);
    return answer(inputs, grouping, params, (input) => this.marksOf(input));
  }

  eventAt(params: EventAtParams, inputsOf: EventTreeInputs): EventRef | null {
    const input = inputsOf(params.textDocument.uri);
    if (!input) {
      return null;
    }
    const record = recordAt(input.model, input.document.offsetAt(params.position));
    if (!record) {
      return null;
    }
    const ref = toEventRef(record, input.document, this.marksOf(input)[record.index] === 1);
    if (params.groupBy) {
      const inputs = scopeInputs(params.textDocument.uri, params.scope, inputsOf);
      const documentIndex = inputs.findIndex((candidate) => candidate.document.uri === input.document.uri);
      if (documentIndex >= 0) {
        if (inputs.length > 1) ref.uri = input.document.uri;
        const location = locateEvent(this.grouping(inputs, params.groupBy, params.filter), documentIndex, record.index);
        if (location) {
          ref.groupPath = location.path;
          ref.positionInGroup = location.position;
        }
      }
    }
    return visibleEventRef(ref);
  }

  /** Drops the groupings that hold a closed document's model. */
  forget(uri: string): void {
    this.recent = this.recent.filter((entry) => !entry.uris.includes(uri));
  }

  private grouping(inputs: readonly EventTreeInput[], requestedGroupBy: readonly GroupDimension[], filter: EventFilter | undefined): Grouping {
    const groupBy = normalizeGroupBy(requestedGroupBy);
    const uris = inputs.map((input) => input.document.uri);
    const key = JSON.stringify([uris, groupBy, normalizeFilter(filter)]);
    const models = inputs.map((input) => input.model);
    const hit = this.recent.findIndex((entry) => entry.key === key && entry.models.every((model, i) => model === models[i]));
    if (hit >= 0) {
      const [entry] = this.recent.splice(hit, 1);
      this.recent.unshift(entry);
      return entry.grouping;
    }
    const grouping = groupEvents(models, { groupBy, filter: normalizeFilter(filter) });
    this.recent.unshift({ key, uris, models, grouping });
    this.recent.length = Math.min(this.recent.length, CACHED_GROUPINGS);
    return grouping;
  }

  private marksOf(input: EventTreeInput): Uint8Array {
    let marks = this.problemMarks.get(input.problems);
    if (marks?.length !== input.model.records.length) {
      marks = recordsWithProblems(input.model, input.problems);
      this.problemMarks.set(input.problems, marks);
    }
    return marks;
  }
}

/** Groups and answers in one go, with nothing reused: what a first request costs. */
export function computeEventTree(inputs: readonly EventTreeInput[], params: EventTreeParams): EventTreeResult {
  const grouping = groupEvents(
    inputs.map((input) => input.model),
    { groupBy: normalizeGroupBy(params.groupBy), filter: normalizeFilter(params.filter) },
  );
  return answer(inputs, grouping, params, (input) => recordsWithProblems(input.model, input.problems));
}

/** The open documents a tree request covers: `scope` when given, else `uri` alone; documents no longer open are left out. */
export function scopeInputs(uri: string, scope: EventTreeParams['scope'], inputsOf: EventTreeInputs): EventTreeInput[] {
  const uris = scope && scope.length > 0 ? [...new Set(scope.map((document) => document.uri))] : [uri];
  return uris.map(inputsOf).filter((input): input is EventTreeInput => input !== undefined);
}

/** A group's wire form without its children: key, label, counts and what it is. */
export function groupHeader(group: EventGroupNode): EventGroup {
  const wire: EventGroup = { key: group.key, label: group.label, kind: group.kind, count: group.count, errorCount: group.errorCount };
  if (group.description !== undefined) wire.description = group.description;
  if (group.identityType !== undefined) wire.identityType = group.identityType;
  if (group.eventSource !== undefined) wire.eventSource = group.eventSource;
  if (group.readOnly !== undefined) wire.readOnly = group.readOnly;
  if (group.credit !== undefined) wire.credit = group.credit;
  if (group.accessLevel !== undefined) wire.accessLevel = group.accessLevel;
  return wire;
}

/** The known dimensions of a request's groupBy, each once, in order. */
export function normalizeGroupBy(groupBy: readonly GroupDimension[] | undefined): GroupDimension[] {
  const dimensions = Array.isArray(groupBy)
    ? groupBy.filter((d): d is GroupDimension => d === 'action' || d === 'identity' || d === 'accessLevel' || d === 'accessKey' || d === 'tactic')
    : [];
  return [...new Set(dimensions)];
}

/** A request's filter with blank text dropped and only real flags kept (requests come from outside). */
export function normalizeFilter(filter: EventFilter | undefined): EventFilter {
  const normalized: EventFilter = {};
  if (!filter) return normalized;
  const text = typeof filter.text === 'string' ? filter.text.trim() : '';
  const service = typeof filter.service === 'string' ? filter.service.trim() : '';
  if (text) normalized.text = text;
  if (service) normalized.service = service;
  const accessLevel = accessLevelFilterValue(filter.accessLevel);
  if (accessLevel !== undefined) normalized.accessLevel = accessLevel;
  if (filter.errorsOnly === true) normalized.errorsOnly = true;
  if (filter.writesOnly === true) normalized.writesOnly = true;
  // A time that cannot be read would filter nothing out silently: keep only those that can.
  if (typeof filter.from === 'string' && timeRangeOf({ from: filter.from })) normalized.from = filter.from;
  if (typeof filter.to === 'string' && timeRangeOf({ to: filter.to })) normalized.to = filter.to;
  return normalized;
}

/** The events a leaf group lists on the wire: from `offset`, at most `limit`, and how many are left. */
export type PageOfEvents = (group: EventGroupNode, offset: number, limit: number) => { events: EventRef[]; more: number };

/**
 * Turns (the requested part of) a grouping into the wire form: one group (`params.group`) or the
 * top groups, `params.depth` levels deep, leaf groups listing a page of their events.
 */
export function wireTree(
  groups: readonly EventGroupNode[],
  counts: { total: number; matched: number },
  params: EventTreeParams,
  pageOf: PageOfEvents,
): EventTreeResult {
  const depth = typeof params.depth === 'number' && params.depth >= 1 ? Math.floor(params.depth) : Number.POSITIVE_INFINITY;
  const offset = typeof params.offset === 'number' && params.offset > 0 ? Math.floor(params.offset) : 0;
  const limit = typeof params.limit === 'number' && params.limit >= 0 ? Math.floor(params.limit) : DEFAULT_EVENT_LIMIT;
  const convert = (group: EventGroupNode, levels: number): EventGroup => {
    const wire = groupHeader(group);
    if (levels > 0) {
      if (group.groups) {
        wire.groups = group.groups.map((child) => convert(child, levels - 1));
      } else {
        const page = pageOf(group, offset, limit);
        wire.events = page.events;
        if (page.more > 0) wire.moreEvents = page.more;
      }
    }
    return wire;
  };
  let answered: EventGroup[];
  if (params.group) {
    const found = findGroup(groups, params.group);
    answered = found ? [convert(found, depth)] : [];
  } else {
    answered = groups.map((group) => convert(group, depth - 1));
  }
  return { groups: answered, total: counts.total, matched: counts.matched };
}

/** The wire form of a grouping of open documents. */
function answer(
  inputs: readonly EventTreeInput[],
  grouping: Grouping,
  params: EventTreeParams,
  marksOf: (input: EventTreeInput) => Uint8Array,
): EventTreeResult {
  const marks = new Map<number, Uint8Array>();
  const toRef = (event: GroupedEvent): EventRef => {
    const input = inputs[event.documentIndex];
    let documentMarks = marks.get(event.documentIndex);
    if (!documentMarks) {
      documentMarks = marksOf(input);
      marks.set(event.documentIndex, documentMarks);
    }
    const ref = toEventRef(event.record, input.document, documentMarks[event.record.index] === 1);
    if (inputs.length > 1) ref.uri = input.document.uri;
    return ref;
  };
  return wireTree(grouping.groups, grouping, params, (group, offset, limit) => {
    const page = pageEvents(group, offset, limit);
    return { events: page.events.map(toRef), more: page.more };
  });
}

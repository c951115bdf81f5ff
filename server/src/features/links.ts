import {
  CallHierarchyIncomingCall,
  CallHierarchyItem,
  CallHierarchyOutgoingCall,
  DocumentHighlight,
  DocumentHighlightKind,
  Location,
  Position,
  SymbolKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CloudTrailDocument, NO_IDENTITY } from '../model';
import { FolderIndex } from '../model/folderIndex';
import {
  definitionsOf,
  DocumentLinks,
  identityLabel,
  identityName,
  ISSUING_EVENTS,
  LinkKind,
  linkHoverMarkdown,
  LinkRole,
  LinkScope,
  linkedValueAt,
  RecordDetails,
  relatedEvents,
  walkTrail,
  withRole,
} from '../model/links';
import { diskRecordReader, FolderLinks } from '../model/links/folderLinks';
import { visibleText } from '../model/text/visibleText';
import { EventRef, RelatedEvent, RelatedEventsParams } from '../protocol';
import { EventFields, eventRef } from './eventRefs';

/**
 * Keys, sessions, identities and resources as links: references, highlights, definitions, the
 * trail in the hover, "Who is behind this?" as a call hierarchy, and related events. Every
 * answer comes from the link model (`model/links`) over the open document's model and the open
 * folder indexes.
 */

export interface LinkEnvironment {
  /** The model of an open document and the document itself, or undefined when it is not open. */
  document(uri: string): { document: TextDocument; model: CloudTrailDocument } | undefined;
  folderIndexes(): readonly FolderIndex[];
}

/** What a call hierarchy item stands for: the identity acting in a record, or the session a record issued. */
interface ItemData {
  uri: string;
  index: number;
  as: 'caller' | 'issued';
  value?: string;
}

export class LinkService {
  private readonly folderStores = new WeakMap<FolderIndex, FolderLinks>();
  private readonly reader = diskRecordReader();

  constructor(private readonly environment: LinkEnvironment) {}

  /** The open document (if any) first, then every open folder index. */
  scope(uri?: string): LinkScope {
    const stores = [];
    const open = uri !== undefined ? this.environment.document(uri) : undefined;
    if (open) stores.push(this.documentStore(open.document, open.model));
    for (const index of this.environment.folderIndexes()) {
      let store = this.folderStores.get(index);
      if (!store) {
        store = new FolderLinks(index, this.reader);
        this.folderStores.set(index, store);
      }
      stores.push(store);
    }
    return new LinkScope(stores);
  }

  private documentStore(document: TextDocument, model: CloudTrailDocument): DocumentLinks {
    return new DocumentLinks(model, document.uri, (offset) => document.positionAt(offset));
  }

  private valueAt(uri: string, position: Position) {
    const open = this.environment.document(uri);
    if (!open) return undefined;
    const value = linkedValueAt(open.model, open.document.offsetAt(position));
    return value ? { ...value, open } : undefined;
  }

  /**
   * Every record holding the value under the cursor, in time order, one location per record. The
   * location is the record's eventName value: a reference's preview is the line of its range, and
   * that line shows the action whether the log is one line or pretty-printed (the value's own line
   * would show only `"accessKeyId": "..."` in a pretty-printed log).
   */
  references(uri: string, position: Position): Location[] {
    const value = this.valueAt(uri, position);
    if (!value) return [];
    return this.scope(uri)
      .hits(value.kind, value.value)
      .map((hit) => ({ uri: hit.uri, range: hit.anchor }));
  }

  /** The value under the cursor wherever it appears in this document: written where it is issued or made, read elsewhere. */
  highlights(uri: string, position: Position): DocumentHighlight[] {
    const value = this.valueAt(uri, position);
    if (!value) return [];
    const store = this.documentStore(value.open.document, value.open.model);
    return store.occurrences(value.kind, value.value).map(({ record, node, role }) => ({
      range: store.nodeRange(record, node),
      kind: role === LinkRole.issued || role === LinkRole.created ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
    }));
  }

  /** Where the value under the cursor was issued (a key, a session), made (a resource) or logged by the other account (a shared event). */
  definition(uri: string, position: Position): Location[] {
    const value = this.valueAt(uri, position);
    if (!value) return [];
    const scope = this.scope(uri);
    return definitionsOf(scope, value.kind, value.value, {
      uri,
      index: value.record.index,
      ...(value.record.summary.eventTime !== undefined ? { eventTime: value.record.summary.eventTime } : {}),
    })
      .filter((target) => !(target.uri === uri && target.index === value.record.index && value.role !== LinkRole.request))
      .map((target) => ({ uri: target.uri, range: target.range }));
  }

  /** The trail's part of the hover on a linked value, as Markdown (log text escaped), or undefined. */
  hover(uri: string, position: Position): string | undefined {
    const value = this.valueAt(uri, position);
    if (!value) return undefined;
    const scope = this.scope(uri);
    const details = scope.detailsAt({ uri, index: value.record.index });
    return details ? linkHoverMarkdown(scope, value, details, uri) : undefined;
  }

  prepareCallHierarchy(uri: string, position: Position): CallHierarchyItem[] | null {
    const value = this.valueAt(uri, position);
    if (!value) return null;
    const identityKinds: LinkKind[] = [LinkKind.arn, LinkKind.principalId, LinkKind.accessKey];
    if (!identityKinds.includes(value.kind) || (value.role !== LinkRole.caller && value.role !== LinkRole.issued && value.role !== LinkRole.callerRole))
      return null;
    const scope = this.scope(uri);
    const details = scope.detailsAt({ uri, index: value.record.index });
    if (!details) return null;
    if (value.role === LinkRole.issued) {
      const issuedRange = details.values.find((v) => v.value === value.value && v.role === LinkRole.issued)?.range ?? details.anchor;
      const session = details.values.find((v) => v.role === LinkRole.issued && v.kind === LinkKind.arn)?.value ?? value.value;
      return [
        this.item(
          { uri, index: details.index, as: 'issued', value: session },
          session,
          `${details.eventName ?? '?'} ${details.eventTime ?? ''}`,
          details,
          issuedRange,
        ),
      ];
    }
    return [this.callerItem(details)];
  }

  /** Who made this identity's session: one hop back along the trail. */
  incomingCalls(item: CallHierarchyItem): CallHierarchyIncomingCall[] {
    const target = this.itemRecord(item);
    if (!target) return [];
    const { data, scope, details } = target;
    if (data.as === 'issued') {
      return [{ from: this.callerItem(details), fromRanges: [details.anchor] }];
    }
    const trail = walkTrail(scope, details);
    if (trail.steps.length < 2) return [];
    const next = trail.steps[1];
    const issuedBy = trail.steps[0].issuedBy;
    if (!issuedBy) return [];
    return [{ from: this.callerItem(next.seenIn), fromRanges: next.seenIn.uri === issuedBy.uri ? [issuedBy.anchor] : [] }];
  }

  /** The sessions and keys this identity handed out (the AssumeRole... calls it made), in time order. */
  outgoingCalls(item: CallHierarchyItem): CallHierarchyOutgoingCall[] {
    const target = this.itemRecord(item);
    if (!target) return [];
    const { data, scope, details } = target;
    if (data.as === 'issued') {
      // The session's own first action, where it acts as the caller.
      const first = data.value === undefined ? undefined : withRole(scope.hits(LinkKind.arn, data.value), LinkRole.caller)[0];
      const acting = first ? scope.details(first) : undefined;
      return acting ? [{ to: this.callerItem(acting), fromRanges: [] }] : [];
    }
    const identity = details.identity;
    const key =
      identity.arn !== undefined
        ? { kind: LinkKind.arn, value: identity.arn }
        : identity.accessKeyId !== undefined
          ? { kind: LinkKind.accessKey, value: identity.accessKeyId }
          : undefined;
    if (!key) return [];
    const issuing: readonly string[] = ISSUING_EVENTS;
    const calls: CallHierarchyOutgoingCall[] = [];
    for (const hit of withRole(scope.hits(key.kind, key.value), LinkRole.caller)) {
      if (hit.errorCode !== undefined || !issuing.includes(hit.eventName ?? '')) continue;
      const made = scope.details(hit);
      const issued = made?.values.filter((v) => v.role === LinkRole.issued) ?? [];
      const session = issued.find((v) => v.kind === LinkKind.arn) ?? issued.find((v) => v.kind === LinkKind.accessKey);
      if (!made || !session) continue;
      calls.push({
        to: this.item(
          { uri: made.uri, index: made.index, as: 'issued', value: session.value },
          session.value,
          `${made.eventName ?? '?'} ${made.eventTime ?? ''}`,
          made,
          session.range,
        ),
        fromRanges: made.uri === data.uri ? [made.anchor] : [],
      });
    }
    return calls;
  }

  /** Events related to one event by its key, session, resources or request, in time order. */
  relatedEvents(params: RelatedEventsParams): RelatedEvent[] {
    const scope = this.scope(params.uri);
    const details = scope.detailsAt(params);
    if (!details) return [];
    return relatedEvents(scope, details, params.limit ?? 500).map(({ hit, through }) => {
      // Hits of a folder index read their fields on demand: they are copied one by one, not spread.
      const fields: EventFields = { identity: hit.identity ?? { key: NO_IDENTITY, label: NO_IDENTITY } };
      if (hit.eventTime !== undefined) fields.eventTime = hit.eventTime;
      if (hit.eventName !== undefined) fields.eventName = hit.eventName;
      if (hit.eventSource !== undefined) fields.eventSource = hit.eventSource;
      if (hit.eventID !== undefined) fields.eventID = hit.eventID;
      if (hit.errorCode !== undefined) fields.errorCode = hit.errorCode;
      const ref: EventRef = { ...eventRef(hit.index, fields, hit.anchor), uri: hit.uri };
      return { event: ref, through: visibleText(through) };
    });
  }

  /** The record a call hierarchy item stands for, read again from the scope of its document. */
  private itemRecord(item: CallHierarchyItem): { data: ItemData; scope: LinkScope; details: RecordDetails } | undefined {
    const data = item.data as ItemData | undefined;
    if (!data) return undefined;
    const scope = this.scope(data.uri);
    const details = scope.detailsAt(data);
    return details ? { data, scope, details } : undefined;
  }

  private callerItem(details: RecordDetails): CallHierarchyItem {
    const identity = details.identity;
    const value = details.values.find((v) => v.role === LinkRole.caller && (v.kind === LinkKind.arn || v.kind === LinkKind.principalId));
    return this.item(
      { uri: details.uri, index: details.index, as: 'caller' },
      identityName(identity),
      `${identityLabel(identity)} \u00b7 ${details.eventName ?? '?'} ${details.eventTime ?? ''}`,
      details,
      value?.range ?? details.anchor,
    );
  }

  private item(data: ItemData, name: string, detail: string, details: RecordDetails, selectionRange: CallHierarchyItem['selectionRange']): CallHierarchyItem {
    return {
      name: visibleText(name, 200),
      detail: visibleText(detail, 200),
      kind: data.as === 'issued' ? SymbolKind.Key : SymbolKind.Object,
      uri: details.uri,
      range: details.range,
      selectionRange,
      data,
    };
  }
}

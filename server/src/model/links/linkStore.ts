/**
 * Where the trail looks for records: an open log (`DocumentLinks`), a folder index
 * (`FolderLinks`), or several of them at once (`LinkScope`). A store answers two questions: which
 * records hold a value, and what one of those records says in full.
 */
import { LinkKind, LinkRole } from './linkFacts';
import { RecordDetails, TextRange } from './recordDetails';

/** One record holding a value, with what lists and sorting need. */
export interface LinkHit {
  readonly store: LinkStore;
  /** The document or file holding the record. */
  readonly uri: string;
  /** Position of the record in its file, from 0. */
  readonly index: number;
  readonly kind: LinkKind;
  /** Every role the value plays in the record (one hit per record). */
  readonly roles: readonly LinkRole[];
  /** eventTime in milliseconds since 1970, NaN when it is missing or not an ISO time: what hits are sorted by. */
  readonly time: number;
  readonly eventTime?: string;
  readonly eventName?: string;
  readonly eventSource?: string;
  readonly eventID?: string;
  readonly errorCode?: string;
  /** Who made the call: the identity's grouping key and readable label. */
  readonly identity?: { readonly key: string; readonly label: string; readonly type?: string };
  /** Where a reference to the record points: its eventName value (or its start). */
  readonly anchor: TextRange;
}

export interface LinkStore {
  /** The records holding `value` as a `kind`, in file order. */
  hits(kind: LinkKind, value: string): LinkHit[];
  /** The records of one action (`eventSource` and `eventName`), in file order. */
  eventsNamed(eventSource: string, eventName: string): LinkHit[];
  /** What one of this store's records says; undefined when it can no longer be read. */
  details(hit: Pick<LinkHit, 'uri' | 'index'>): RecordDetails | undefined;
  /** How many records the store holds and the time they span, for saying where a trail leaves it. */
  coverage(): StoreCoverage;
}

export interface StoreCoverage {
  /** "this log", "the folder index of /logs (12 files)". */
  name: string;
  records: number;
  earliest?: string;
  latest?: string;
  /** Accounts whose events (recipientAccountId, else the caller's account) the store holds, when known. */
  accounts?: readonly string[];
}

/** Time order (as numbers; times that are not ISO compare as text), then file, then position. */
export function compareHits(a: LinkHit, b: LinkHit): number {
  if (a.time === a.time && b.time === b.time) {
    if (a.time !== b.time) return a.time - b.time;
  } else {
    const timeA = a.eventTime ?? '';
    const timeB = b.eventTime ?? '';
    if (timeA !== timeB) return timeA < timeB ? -1 : 1;
  }
  if (a.uri !== b.uri) return a.uri < b.uri ? -1 : 1;
  return a.index - b.index;
}

/**
 * Several stores read as one: the open log first, then the folder index. A record both hold (the
 * open log is a file of the folder) is listed once, from the first store that has it.
 */
export class LinkScope {
  constructor(readonly stores: readonly LinkStore[]) {}

  /** Every record holding the value, in time order. */
  hits(kind: LinkKind, value: string): LinkHit[] {
    return this.merge((store) => store.hits(kind, value));
  }

  eventsNamed(eventSource: string, eventName: string): LinkHit[] {
    return this.merge((store) => store.eventsNamed(eventSource, eventName));
  }

  details(hit: LinkHit): RecordDetails | undefined {
    return hit.store.details(hit);
  }

  /** The details of the record at a place, from whichever store holds it. */
  detailsAt(place: { uri: string; index: number }): RecordDetails | undefined {
    for (const store of this.stores) {
      const details = store.details(place);
      if (details) return details;
    }
    return undefined;
  }

  coverage(): StoreCoverage[] {
    return this.stores.map((store) => store.coverage());
  }

  private merge(read: (store: LinkStore) => LinkHit[]): LinkHit[] {
    if (this.stores.length === 1) {
      return read(this.stores[0]).sort(compareHits);
    }
    const seen = new Set<string>();
    const all: LinkHit[] = [];
    for (const store of this.stores) {
      for (const hit of read(store)) {
        const key = `${hit.index}\u0000${hit.uri}`;
        if (!seen.has(key)) {
          seen.add(key);
          all.push(hit);
        }
      }
    }
    return all.sort(compareHits);
  }
}

/** Hits where the value plays one of these roles. */
export function withRole(hits: readonly LinkHit[], ...roles: LinkRole[]): LinkHit[] {
  return hits.filter((hit) => hit.roles.some((role) => roles.includes(role)));
}

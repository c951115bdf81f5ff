/**
 * The values of a record that tie it to other records: who called (ARN, principal id, access
 * key, address, user agent), what the call made (keys and sessions issued, resources created),
 * what it touched (resource ARNs) and which request it belongs to (requestID, sharedEventID).
 *
 * One walk over a few known places of the record, never a search of whole values: every value is
 * read only when it is at most MAX_LINK_VALUE characters long, and a request or response body is
 * looked at for at most MAX_BODY_ROWS rows.
 */
import { JsonView, KeyNames, NO_NODE, NodeFlags, NodeKind } from '../json/nodeTable';
import { WALKED_IDENTITY_KEYS, WALKED_RECORD_KEYS, WalkedIdentityKey, WalkedRecordKey } from '../recordWalker';

export const LinkKind = {
  arn: 1,
  principalId: 2,
  accessKey: 3,
  requestId: 4,
  sharedEventId: 5,
  ip: 6,
  userAgent: 7,
} as const;
export type LinkKind = (typeof LinkKind)[keyof typeof LinkKind];

/** What the value is to the record that holds it. */
export const LinkRole = {
  /** Who made the call: userIdentity.arn/principalId/accessKeyId/onBehalfOf, sourceIPAddress, userAgent. */
  caller: 1,
  /** The role behind the caller's session: sessionContext.sessionIssuer. */
  callerRole: 2,
  /** Credentials the call handed out: a key, a session ARN, an assumed-role id. */
  issued: 3,
  /** A resource the call named: resources[].ARN, ARNs in requestParameters. */
  target: 4,
  /** A resource the call's response names: what a Create*, RequestCertificate... made. */
  created: 5,
  /** requestID and sharedEventID. */
  request: 6,
} as const;
export type LinkRole = (typeof LinkRole)[keyof typeof LinkRole];

export const LINK_KIND_NAMES: Readonly<Record<LinkKind, string>> = {
  1: 'ARN',
  2: 'principal id',
  3: 'access key',
  4: 'request id',
  5: 'shared event id',
  6: 'IP address',
  7: 'user agent',
};

/** Longer values are not linked: no real key, ARN, address or agent comes near it. */
export const MAX_LINK_VALUE = 1024;
/** Rows of a requestParameters or responseElements body looked at for ARNs. */
export const MAX_BODY_ROWS = 4096;

/**
 * Receives what the walk of a record finds. An object with methods rather than callbacks: an
 * index that keeps its sink for a whole file as methods of its class has one function for every
 * file, which the engine optimizes once, where a callback made for each file is a new function
 * that is optimized again for each.
 */
export interface FactSink {
  /** One linked value of the record: its kind, its role and its string node. */
  fact(kind: LinkKind, role: LinkRole, node: number): void;
  /** The record's eventName node (where references to the record point); the last one if written twice. */
  eventName?(node: number): void;
}

const TOP_KEYS = ['userIdentity', ...WALKED_RECORD_KEYS] as const;
const ISSUED_CONTAINERS = ['credentials', 'accessKey', 'assumedRoleUser', 'federatedUser'] as const;
const ISSUED_KEYS = ['accessKeyId', 'arn', 'assumedRoleId', 'federatedUserId'] as const;
// Every property of every record is looked up in these when a log's link index is built.
const TOP_KEY_NAMES = new KeyNames(TOP_KEYS);
const IDENTITY_KEY_NAMES = new KeyNames(WALKED_IDENTITY_KEYS);
const ISSUED_CONTAINER_NAMES = new KeyNames(ISSUED_CONTAINERS);
const ISSUED_KEY_NAMES = new KeyNames(ISSUED_KEYS);

/** Whether a string node holds a value short enough to link (and not empty). */
export function isLinkable(view: JsonView, node: number): boolean {
  if (node === NO_NODE || view.table.kind[node] !== NodeKind.String) {
    return false;
  }
  const width = view.table.end[node] - view.table.start[node];
  return width > 2 && width <= MAX_LINK_VALUE + 2;
}

/** Tells `sink` every linked value of the event object `event`, and its eventName node, found in the same walk. */
export function collectRecordFacts(view: JsonView, event: number, sink: FactSink): void {
  if (event === NO_NODE || view.kind(event) !== NodeKind.Object) {
    return;
  }
  const next = view.table.next;
  const stop = next[event];
  for (let child = event + 1; child < stop; child = next[child]) {
    const key = view.keyIndexIn(child, TOP_KEY_NAMES);
    if (key < 0) continue;
    const name = TOP_KEYS[key];
    if (name === 'userIdentity') identityFacts(view, child, sink);
    else recordPropertyFacts(view, name, child, sink);
  }
}

/**
 * What one property of a record links. The same for every reader: a link index's own walk
 * (`collectRecordFacts`) and a summary's walk that tells a RecordWalker (`FileLinksBuilder`).
 */
export function recordPropertyFacts(view: JsonView, name: WalkedRecordKey, child: number, sink: FactSink): void {
  switch (name) {
    case 'sourceIPAddress':
      if (isLinkable(view, child)) sink.fact(LinkKind.ip, LinkRole.caller, child);
      break;
    case 'userAgent':
      if (isLinkable(view, child)) sink.fact(LinkKind.userAgent, LinkRole.caller, child);
      break;
    case 'requestID':
      if (isLinkable(view, child)) sink.fact(LinkKind.requestId, LinkRole.request, child);
      break;
    case 'sharedEventID':
      if (isLinkable(view, child)) sink.fact(LinkKind.sharedEventId, LinkRole.request, child);
      break;
    case 'resources':
      if (view.isContainer(child)) {
        const next = view.table.next;
        for (let resource = child + 1; resource < next[child]; resource = next[resource]) {
          const arn = view.property(resource, 'ARN');
          if (isLinkable(view, arn)) sink.fact(LinkKind.arn, LinkRole.target, arn);
        }
      }
      break;
    case 'requestParameters':
      arnsIn(view, child, LinkRole.target, sink, undefined);
      break;
    case 'responseElements':
      responseFacts(view, child, sink);
      break;
    case 'eventName':
      sink.eventName?.(child);
      break;
  }
}

// The loops below walk children through `next` rather than `view.children()`: they run for every
// record of a log when its link index is built, and a generator costs more than the work.

function identityFacts(view: JsonView, identity: number, sink: FactSink): void {
  if (view.table.kind[identity] !== NodeKind.Object) return;
  const next = view.table.next;
  for (let child = identity + 1; child < next[identity]; child = next[child]) {
    const key = view.keyIndexIn(child, IDENTITY_KEY_NAMES);
    if (key >= 0) identityPropertyFacts(view, WALKED_IDENTITY_KEYS[key], child, sink);
  }
}

/** What one property of a record's userIdentity links (see `recordPropertyFacts`). */
export function identityPropertyFacts(view: JsonView, name: WalkedIdentityKey, child: number, sink: FactSink): void {
  switch (name) {
    case 'arn':
      if (isLinkable(view, child)) sink.fact(LinkKind.arn, LinkRole.caller, child);
      break;
    case 'principalId':
      if (isLinkable(view, child)) sink.fact(LinkKind.principalId, LinkRole.caller, child);
      break;
    case 'accessKeyId':
      if (isLinkable(view, child)) sink.fact(LinkKind.accessKey, LinkRole.caller, child);
      break;
    case 'sessionContext': {
      const issuer = view.property(child, 'sessionIssuer');
      const arn = view.property(issuer, 'arn');
      if (isLinkable(view, arn)) sink.fact(LinkKind.arn, LinkRole.callerRole, arn);
      break;
    }
    case 'onBehalfOf': {
      const userId = view.property(child, 'userId');
      if (isLinkable(view, userId)) sink.fact(LinkKind.principalId, LinkRole.caller, userId);
      break;
    }
  }
}

/** Credentials handed out, then every other ARN of the response as something it made. */
function responseFacts(view: JsonView, response: number, sink: FactSink): void {
  const issued: number[] = [];
  if (view.table.kind[response] !== NodeKind.Object) return;
  const next = view.table.next;
  for (let child = response + 1; child < next[response]; child = next[child]) {
    if (view.table.kind[child] !== NodeKind.Object || view.keyIndexIn(child, ISSUED_CONTAINER_NAMES) < 0) continue;
    for (let field = child + 1; field < next[child]; field = next[field]) {
      const key = view.keyIndexIn(field, ISSUED_KEY_NAMES);
      if (key < 0 || !isLinkable(view, field)) continue;
      const name = ISSUED_KEYS[key];
      const kind = name === 'accessKeyId' ? LinkKind.accessKey : name === 'arn' ? LinkKind.arn : LinkKind.principalId;
      sink.fact(kind, LinkRole.issued, field);
      issued.push(field);
    }
  }
  arnsIn(view, response, LinkRole.created, sink, issued);
}

/** Strings that are ARNs anywhere below `body`, within MAX_BODY_ROWS rows. */
function arnsIn(view: JsonView, body: number, role: LinkRole, sink: FactSink, skip: readonly number[] | undefined): void {
  if (!view.isContainer(body)) {
    return;
  }
  const { kind, start } = view.table;
  const text = view.text;
  const stop = Math.min(view.table.next[body], body + 1 + MAX_BODY_ROWS);
  for (let row = body + 1; row < stop; row++) {
    const at = start[row] + 1;
    // Most strings of a body are not ARNs: one character tells most of them apart.
    if (kind[row] !== NodeKind.String || text.charCodeAt(at) !== 0x61 || !isLinkable(view, row)) continue;
    if (text.startsWith('arn:', at) && !skip?.includes(row)) {
      sink.fact(LinkKind.arn, role, row);
    }
  }
}

/**
 * Two 32-bit hashes of a string node's value (as decoded), read in place when it has no
 * escapes. Equal values always hash alike; two different values agree on both with a chance of
 * about one in 2^60.
 */
export function nodeHashes(view: JsonView, node: number, out: Int32Array, at: number): void {
  const flags = view.table.flags[node];
  if (flags & (NodeFlags.HasEscapes | NodeFlags.MissingOpenQuote | NodeFlags.Unterminated)) {
    hashInto(view.string(node) ?? '', 0, -1, out, at);
    return;
  }
  hashInto(view.text, view.table.start[node] + 1, view.table.end[node] - 1, out, at);
}

/**
 * One 32-bit hash of a string node's value (as decoded), for indexes that check the value itself
 * on a match. A long value is hashed by its length and its first and last HASH_EDGE characters:
 * equal values still hash alike, and building an index then costs the same for long agents and
 * ARNs as for short keys.
 */
export function nodeHash(view: JsonView, node: number): number {
  const flags = view.table.flags[node];
  if (flags & (NodeFlags.HasEscapes | NodeFlags.MissingOpenQuote | NodeFlags.Unterminated)) {
    return valueHash(view.string(node) ?? '');
  }
  return edgeHash(view.text, view.table.start[node] + 1, view.table.end[node] - 1);
}

/** The hash of a value, as `nodeHash` computes it for a node holding it. */
export function valueHash(value: string): number {
  return edgeHash(value, 0, value.length);
}

const HASH_EDGE = 20;

function edgeHash(text: string, from: number, to: number): number {
  let hash = Math.imul(0x811c9dc5 ^ (to - from), 0x01000193);
  if (to - from <= 2 * HASH_EDGE) {
    for (let i = from; i < to; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    return hash;
  }
  for (let i = from; i < from + HASH_EDGE; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  for (let i = to - HASH_EDGE; i < to; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

/** The hashes of a value, as `nodeHashes` computes them for a node holding it. */
export function valueHashes(value: string): [number, number] {
  const out = new Int32Array(2);
  hashInto(value, 0, -1, out, 0);
  return [out[0], out[1]];
}

function hashInto(text: string, from: number, to: number, out: Int32Array, at: number): void {
  const end = to < 0 ? text.length : to;
  let a = 0x811c9dc5 | 0;
  let b = 0x3c6ef372 | 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  out[at] = a;
  out[at + 1] = b ^ (end - from);
}

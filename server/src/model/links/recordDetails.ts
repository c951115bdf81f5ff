/**
 * Everything the trail needs of one record, read when asked (a handful of records per question,
 * never every record): who called and how, what it asked for and what it handed out, and where
 * each linked value sits.
 */
import { JsonView, NO_NODE } from '../json/nodeTable';
import { collectRecordFacts, LinkKind, LinkRole } from './linkFacts';

export interface TextPosition {
  line: number;
  character: number;
}
export interface TextRange {
  start: TextPosition;
  end: TextPosition;
}

/** Turns offsets in the record's view into positions of the document that shows it. */
export type RangeOf = (start: number, end: number) => TextRange;

export interface IdentityDetails {
  type?: string;
  arn?: string;
  principalId?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  identityProvider?: string;
  issuerArn?: string;
  issuerType?: string;
  /** sessionContext.attributes.mfaAuthenticated. */
  mfa?: boolean;
  sourceIdentity?: string;
  webIdProvider?: string;
  onBehalfOfUserId?: string;
  identityStoreArn?: string;
}

export interface LinkedValue {
  kind: LinkKind;
  role: LinkRole;
  value: string;
  range: TextRange;
}

export interface RecordDetails {
  /** The document (or file) holding the record, as the store names it. */
  uri: string;
  /** Position of the record in its file, from 0. */
  index: number;
  eventTime?: string;
  eventName?: string;
  eventSource?: string;
  eventID?: string;
  errorCode?: string;
  awsRegion?: string;
  recipientAccountId?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  identity: IdentityDetails;
  /** The request values the trail reads (roleArn, roleSessionName, roleName, accountId...), strings only. */
  request: Readonly<Partial<Record<string, string>>>;
  /** additionalEventData values that say how someone signed in (MFAUsed...). */
  additional: Readonly<Partial<Record<string, string>>>;
  values: LinkedValue[];
  /** The record's whole range, and its eventName value (where a reference to it points). */
  range: TextRange;
  anchor: TextRange;
}

const REQUEST_KEYS = [
  'roleArn',
  'roleSessionName',
  'principalArn',
  'sourceIdentity',
  'roleName',
  'accountId',
  'name',
  'serialNumber',
  'providerId',
  'durationSeconds',
];
const ADDITIONAL_KEYS = ['MFAUsed', 'MobileVersion', 'LoginTo', 'CredentialType', 'MFAType'];

function text(view: JsonView, node: number, name: string): string | undefined {
  const value = view.scalar(view.property(node, name));
  if (typeof value === 'string') return value === '' ? undefined : value.slice(0, 1024);
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function pick(view: JsonView, node: number, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (node !== NO_NODE) copyTexts(out, view, node, keys);
  return out;
}

/** Copies the string properties `keys` of `node` that are present into `target`. */
function copyTexts<T extends object>(target: T, view: JsonView, node: number, keys: readonly (keyof T & string)[]): void {
  for (const key of keys) {
    const value = text(view, node, key);
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
}

const IDENTITY_TEXTS = ['type', 'arn', 'principalId', 'accountId', 'accessKeyId', 'userName', 'invokedBy', 'identityProvider'] as const;
const RECORD_TEXTS = [
  'eventTime',
  'eventName',
  'eventSource',
  'eventID',
  'errorCode',
  'awsRegion',
  'recipientAccountId',
  'sourceIPAddress',
  'userAgent',
] as const;

export function readIdentity(view: JsonView, identity: number): IdentityDetails {
  if (identity === NO_NODE) return {};
  const details: IdentityDetails = {};
  const set = <K extends keyof IdentityDetails>(key: K, value: IdentityDetails[K] | undefined): void => {
    if (value !== undefined) details[key] = value;
  };
  copyTexts(details, view, identity, IDENTITY_TEXTS);
  const context = view.property(identity, 'sessionContext');
  const issuer = view.property(context, 'sessionIssuer');
  set('issuerArn', text(view, issuer, 'arn'));
  set('issuerType', text(view, issuer, 'type'));
  const mfa = text(view, view.property(context, 'attributes'), 'mfaAuthenticated');
  if (mfa !== undefined) details.mfa = mfa === 'true';
  set('sourceIdentity', text(view, context, 'sourceIdentity'));
  set('webIdProvider', text(view, view.property(context, 'webIdFederationData'), 'federatedProvider'));
  const onBehalfOf = view.property(identity, 'onBehalfOf');
  set('onBehalfOfUserId', text(view, onBehalfOf, 'userId'));
  set('identityStoreArn', text(view, onBehalfOf, 'identityStoreArn'));
  return details;
}

/** Reads one record's details; `event` is the event object in `view`. */
export function readRecordDetails(
  view: JsonView,
  event: number,
  where: { uri: string; index: number; entryStart: number; entryEnd: number },
  rangeOf: RangeOf,
): RecordDetails {
  const table = view.table;
  const eventName = view.property(event, 'eventName');
  const anchorNode = eventName !== NO_NODE ? eventName : event;
  const details: RecordDetails = {
    uri: where.uri,
    index: where.index,
    identity: readIdentity(view, view.property(event, 'userIdentity')),
    request: pick(view, view.property(event, 'requestParameters'), REQUEST_KEYS),
    additional: pick(view, view.property(event, 'additionalEventData'), ADDITIONAL_KEYS),
    values: [],
    range: rangeOf(where.entryStart, where.entryEnd),
    anchor: rangeOf(table.start[anchorNode], anchorNode === event ? table.start[event] + 1 : table.end[anchorNode]),
  };
  copyTexts(details, view, event, RECORD_TEXTS);
  collectRecordFacts(view, event, {
    fact(kind, role, node) {
      details.values.push({ kind, role, value: view.string(node) ?? '', range: rangeOf(table.start[node], table.end[node]) });
    },
  });
  return details;
}

/** The linked value of a record with this kind and role, if any. */
export function valueOf(details: RecordDetails, kind: LinkKind, role: LinkRole): LinkedValue | undefined {
  return details.values.find((value) => value.kind === kind && value.role === role);
}

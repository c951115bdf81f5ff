/**
 * A reader that needs more of a record than its summary can be told what the summary's walk over
 * the record's properties passes, instead of walking them again: the folder index reads the
 * linked values of each log it parses whole this way (see `folderIndex/logTextIndexer.ts`).
 *
 * Each property named here is told where the walk meets it, in the order the record writes
 * them, and each time it is written (a name written twice is told twice): what a walk of the
 * reader's own would have seen.
 */
export interface RecordWalker {
  /** A property of the record. */
  recordProperty(name: WalkedRecordKey, node: number): void;
  /** A property of the record's userIdentity object (of each one, when it is written twice). */
  identityProperty(name: WalkedIdentityKey, node: number): void;
}

export const WALKED_RECORD_KEYS = [
  'sourceIPAddress',
  'userAgent',
  'requestID',
  'sharedEventID',
  'resources',
  'requestParameters',
  'responseElements',
  'eventName',
] as const;
export type WalkedRecordKey = (typeof WALKED_RECORD_KEYS)[number];

export const WALKED_IDENTITY_KEYS = ['arn', 'principalId', 'accessKeyId', 'sessionContext', 'onBehalfOf'] as const;
export type WalkedIdentityKey = (typeof WALKED_IDENTITY_KEYS)[number];

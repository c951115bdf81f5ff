import { Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CloudTrailRecord, RecordSummary } from '../model';
import { visibleText } from '../model/text/visibleText';
import { EventRef } from '../protocol';

/** What an event reference is made from: a record's summary, or a folder index entry. */
export type EventFields = Omit<RecordSummary, 'identity' | 'eventVersion' | 'eventType'> & {
  identity: { key: string; label: string; type?: string };
};

/** The wire form of an event: its summary fields (those present) and its range. */
export function eventRef(index: number, fields: EventFields, range: Range): EventRef {
  const ref: EventRef = { index, identity: fields.identity.key, identityLabel: fields.identity.label, range };
  if (fields.eventID !== undefined) ref.eventID = fields.eventID;
  if (fields.eventTime !== undefined) ref.eventTime = fields.eventTime;
  if (fields.eventSource !== undefined) ref.eventSource = fields.eventSource;
  if (fields.eventName !== undefined) ref.eventName = fields.eventName;
  if (fields.identity.type !== undefined) ref.identityType = fields.identity.type;
  if (fields.awsRegion !== undefined) ref.awsRegion = fields.awsRegion;
  if (fields.errorCode !== undefined) ref.errorCode = fields.errorCode;
  if (fields.readOnly !== undefined) ref.readOnly = fields.readOnly;
  return ref;
}

/** The wire form of a record: its summary and its range in the document. */
export function toEventRef(record: CloudTrailRecord, document: TextDocument, hasProblems?: boolean): EventRef {
  const ref = eventRef(record.index, record.summary, { start: document.positionAt(record.start), end: document.positionAt(record.end) });
  if (hasProblems) ref.hasProblems = true;
  return ref;
}

/**
 * An event reference as a person may be shown it: every text from the log with its hidden and
 * direction-changing characters written as `<U+XXXX>`. Group keys (`groupPath`) stay as they are,
 * since they name the tree's groups.
 */
export function visibleEventRef(ref: EventRef): EventRef {
  const shown: EventRef = { ...ref, identity: visibleText(ref.identity) };
  for (const field of ['eventID', 'eventTime', 'eventSource', 'eventName', 'identityLabel', 'identityType', 'awsRegion', 'errorCode'] as const) {
    const value = ref[field];
    if (value !== undefined) shown[field] = visibleText(value);
  }
  return shown;
}

import { TextDocument } from 'vscode-languageserver-textdocument';
import { CloudTrailRecord } from '../model';
import { EventRef } from '../protocol';

/** The wire form of a record: its summary and its range in the document. */
export function toEventRef(record: CloudTrailRecord, document: TextDocument, hasProblems?: boolean): EventRef {
  const { summary } = record;
  const ref: EventRef = {
    index: record.index,
    identity: summary.identity.key,
    identityLabel: summary.identity.label,
    range: { start: document.positionAt(record.start), end: document.positionAt(record.end) },
  };
  if (summary.eventID !== undefined) ref.eventID = summary.eventID;
  if (summary.eventTime !== undefined) ref.eventTime = summary.eventTime;
  if (summary.eventSource !== undefined) ref.eventSource = summary.eventSource;
  if (summary.eventName !== undefined) ref.eventName = summary.eventName;
  if (summary.identity.type !== undefined) ref.identityType = summary.identity.type;
  if (summary.awsRegion !== undefined) ref.awsRegion = summary.awsRegion;
  if (summary.errorCode !== undefined) ref.errorCode = summary.errorCode;
  if (summary.readOnly !== undefined) ref.readOnly = summary.readOnly;
  if (hasProblems) ref.hasProblems = true;
  return ref;
}

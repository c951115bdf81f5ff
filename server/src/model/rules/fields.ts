/**
 * The top-level fields of a CloudTrail record: since which eventVersion CloudTrail writes each
 * one, and which JSON types it may hold. The rules look fields up by slot number, so one record's
 * fields are found in a single pass over its properties.
 */
import { NodeKind } from '../json/nodeTable';
import { KeyTable } from './keyTable';

/** Bit masks of JSON types, by NodeKind. */
export const JsonTypes = {
  string: 1 << NodeKind.String,
  number: 1 << NodeKind.Number,
  boolean: 1 << NodeKind.Boolean,
  null: 1 << NodeKind.Null,
  object: 1 << NodeKind.Object,
  array: 1 << NodeKind.Array,
  /** Not checked: CloudTrail writes these in more than one way. */
  any: 0,
} as const;

export interface FieldSpec {
  readonly name: string;
  /** The first eventVersion that has the field, as a versionNumber (1.07 -> 1007). */
  readonly since: number;
  /** The JSON types the field may hold (a mask of JsonTypes); 0 when not checked. */
  readonly types: number;
  /** How the allowed types read in a message. */
  readonly typeName?: string;
}

const S = JsonTypes.string;

export const FIELDS: readonly FieldSpec[] = [
  { name: 'eventVersion', since: 1000, types: S, typeName: 'a string' },
  { name: 'userIdentity', since: 1000, types: JsonTypes.object, typeName: 'an object' },
  { name: 'eventTime', since: 1000, types: S, typeName: 'a string' },
  { name: 'eventSource', since: 1000, types: S, typeName: 'a string' },
  { name: 'eventName', since: 1000, types: S, typeName: 'a string' },
  { name: 'awsRegion', since: 1000, types: S, typeName: 'a string' },
  { name: 'sourceIPAddress', since: 1000, types: S, typeName: 'a string' },
  { name: 'userAgent', since: 1000, types: S, typeName: 'a string' },
  { name: 'errorCode', since: 1000, types: S, typeName: 'a string' },
  { name: 'errorMessage', since: 1000, types: S, typeName: 'a string' },
  // Some services write a string here ("...not logged in the request"), so these are not checked.
  { name: 'requestParameters', since: 1000, types: JsonTypes.any },
  { name: 'responseElements', since: 1000, types: JsonTypes.any },
  { name: 'additionalEventData', since: 1000, types: JsonTypes.any },
  { name: 'requestID', since: 1001, types: S, typeName: 'a string' },
  { name: 'eventID', since: 1001, types: S, typeName: 'a string' },
  { name: 'readOnly', since: 1001, types: JsonTypes.boolean, typeName: 'a boolean (true or false, without quotes)' },
  { name: 'resources', since: 1001, types: JsonTypes.array, typeName: 'an array' },
  { name: 'apiVersion', since: 1001, types: S, typeName: 'a string' },
  { name: 'eventType', since: 1002, types: S, typeName: 'a string' },
  { name: 'recipientAccountId', since: 1002, types: S, typeName: 'a string' },
  { name: 'sharedEventID', since: 1003, types: S, typeName: 'a string' },
  { name: 'vpcEndpointId', since: 1004, types: S, typeName: 'a string' },
  { name: 'serviceEventDetails', since: 1005, types: JsonTypes.any },
  { name: 'managementEvent', since: 1006, types: JsonTypes.boolean, typeName: 'a boolean (true or false, without quotes)' },
  { name: 'eventCategory', since: 1007, types: S, typeName: 'a string' },
  { name: 'insightDetails', since: 1007, types: JsonTypes.object, typeName: 'an object' },
  { name: 'addendum', since: 1008, types: JsonTypes.object, typeName: 'an object' },
  { name: 'sessionCredentialFromConsole', since: 1008, types: JsonTypes.any },
  { name: 'edgeDeviceDetails', since: 1008, types: JsonTypes.any },
  { name: 'tlsDetails', since: 1008, types: JsonTypes.object, typeName: 'an object' },
  { name: 'vpcEndpointAccountId', since: 1009, types: S, typeName: 'a string' },
  { name: 'eventContext', since: 1011, types: JsonTypes.any },
];

/** Slot numbers of the fields the rules read by name. */
export const Field = {
  eventVersion: 0,
  userIdentity: 1,
  eventTime: 2,
  eventSource: 3,
  eventName: 4,
  awsRegion: 5,
  sourceIPAddress: 6,
  userAgent: 7,
  errorCode: 8,
  errorMessage: 9,
  requestParameters: 10,
  responseElements: 11,
  additionalEventData: 12,
  requestID: 13,
  eventID: 14,
  readOnly: 15,
  resources: 16,
  apiVersion: 17,
  eventType: 18,
  recipientAccountId: 19,
  sharedEventID: 20,
  vpcEndpointId: 21,
  serviceEventDetails: 22,
  managementEvent: 23,
  eventCategory: 24,
  insightDetails: 25,
  addendum: 26,
  sessionCredentialFromConsole: 27,
  edgeDeviceDetails: 28,
  tlsDetails: 29,
  vpcEndpointAccountId: 30,
  eventContext: 31,
} as const;

export const FIELD_COUNT = FIELDS.length;

const SLOT_BY_NAME: ReadonlyMap<string, number> = new Map(FIELDS.map((field, slot) => [field.name, slot]));
const NAME_BY_LOWER_CASE: ReadonlyMap<string, string> = new Map(FIELDS.map((field) => [field.name.toLowerCase(), field.name]));

/** Finds the slot of a property's name without cutting the name out of the text. */
export const FIELD_KEYS = new KeyTable(FIELDS.map((field) => field.name));

/** The slot of a top-level field name, or -1 when CloudTrail has no such field. */
export function fieldSlot(name: string): number {
  return SLOT_BY_NAME.get(name) ?? -1;
}

/** The field a name means when only its letter case is wrong (`eventname` -> `eventName`). */
export function fieldByLowerCase(name: string): string | undefined {
  return NAME_BY_LOWER_CASE.get(name.toLowerCase());
}

// The rules keep which fields a record has as the bits of one 32-bit number.
if (FIELDS.length > 32) {
  throw new Error(`${FIELDS.length} fields do not fit the 32 bits of RecordContext.present`);
}

// Keep the slot table and the field list in step.
for (const [name, slot] of Object.entries(Field)) {
  if (FIELDS[slot]?.name !== name) {
    throw new Error(`Field slot ${slot} is ${FIELDS[slot]?.name}, not ${name}`);
  }
}

/**
 * The formats of single values: eventVersion, eventTime, the GUIDs, account IDs, awsRegion,
 * eventSource, eventType, eventCategory and sourceIPAddress.
 */
import { NO_NODE, NodeKind } from '../json/nodeTable';
import { RuleCode } from './catalogue';
import { keyIs, KnownGood, RecordContext, quote } from './context';
import {
  ANONYMOUS_ACCOUNTS,
  EVENT_CATEGORIES,
  EVENT_TYPES,
  isAccountId,
  isKnownRegion,
  isRegionShaped,
  KNOWN_EVENT_VERSIONS,
  NEWEST_EVENT_VERSION,
  versionNumber,
} from './awsNames';
import { Field } from './fields';
import { isAccountIdAt } from './rawText';

const goodRegions = new KnownGood();
const goodSources = new KnownGood();
const goodSourceAddresses = new KnownGood();

export function checkFormats(context: RecordContext): void {
  checkEventVersion(context);
  checkEventTime(context);
  checkGuid(context, Field.eventID);
  checkGuid(context, Field.sharedEventID);
  checkAccountIds(context);
  checkRegion(context);
  checkEventSource(context);
  checkEnumeration(context, Field.eventType, EVENT_TYPES, RuleCode.eventType);
  checkEnumeration(context, Field.eventCategory, EVENT_CATEGORIES, RuleCode.eventCategory);
  checkSourceIp(context);
}

function checkEventVersion(context: RecordContext): void {
  const node = context.fields[Field.eventVersion];
  const version = context.string(Field.eventVersion);
  if (version === undefined || KNOWN_VERSIONS.has(version)) {
    return;
  }
  const number = versionNumber(version);
  if (number > versionNumber(NEWEST_EVENT_VERSION) && number < 2000 && TWO_DIGIT_MINOR.test(version)) {
    context.reportValue(
      RuleCode.eventVersion,
      `eventVersion ${version} is newer than the versions this extension knows (up to ${NEWEST_EVENT_VERSION}); fields added since may not be recognised.`,
      node,
      { severity: 'info' },
    );
    return;
  }
  context.reportValue(
    RuleCode.eventVersion,
    `${quote(version)} is not a CloudTrail record version: CloudTrail writes "1.0" and then "1.01" to "${NEWEST_EVENT_VERSION}", always as major.minor with two minor digits.`,
    node,
  );
}

const KNOWN_VERSIONS: ReadonlySet<string> = new Set(KNOWN_EVENT_VERSIONS);
const TWO_DIGIT_MINOR = /^1\.\d\d$/;
const UTC_OFFSET = /^[+-]00:?00$/;
const EVENT_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/;
/** The form CloudTrail writes, YYYY-MM-DDTHH:MM:SSZ, checked character by character (no allocation). */
function isPlainUtcTime(time: string): boolean {
  return isPlainUtcTimeAt(time, 0, time.length);
}

/** `isPlainUtcTime` of the text in `[from, to)`. */
function isPlainUtcTimeAt(text: string, from: number, to: number): boolean {
  if (to - from !== 20 || text.charCodeAt(from + 19) !== 90 /* Z */) {
    return false;
  }
  if (
    text.charCodeAt(from + 4) !== 45 ||
    text.charCodeAt(from + 7) !== 45 ||
    text.charCodeAt(from + 10) !== 84 ||
    text.charCodeAt(from + 13) !== 58 ||
    text.charCodeAt(from + 16) !== 58
  ) {
    return false;
  }
  const month = twoDigitsAt(text, from + 5);
  const day = twoDigitsAt(text, from + 8);
  if (!(
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    twoDigitsAt(text, from + 11) <= 23 &&
    twoDigitsAt(text, from + 14) <= 59 &&
    twoDigitsAt(text, from + 17) <= 59
  )) {
    return false;
  }
  const year = twoDigitsAt(text, from) * 100 + twoDigitsAt(text, from + 2);
  if (Number.isNaN(year)) {
    return false;
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]);
}

/** The number written with two digits at `at`; NaN when they are not digits. */
function twoDigitsAt(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : NaN;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function checkEventTime(context: RecordContext): void {
  const node = context.fields[Field.eventTime];
  const plain = context.plainStart(node);
  if (plain >= 0 && isPlainUtcTimeAt(context.text, plain, context.plainEnd(node, plain))) {
    return;
  }
  const time = context.string(Field.eventTime);
  if (time === undefined || isPlainUtcTime(time)) {
    return;
  }
  const match = EVENT_TIME.exec(time);
  if (!match) {
    context.reportValue(
      RuleCode.eventTime,
      `eventTime ${quote(time)} is not an ISO 8601 UTC time; CloudTrail writes YYYY-MM-DDTHH:MM:SSZ, for example 2024-05-01T13:45:07Z.`,
      node,
    );
    return;
  }
  const [, year, month, day, hour, minute, second] = match;
  const zone = match.at(8); // absent when the time has no zone at all
  const monthNumber = Number(month);
  const dayNumber = Number(day);
  const leap = Number(year) % 4 === 0 && (Number(year) % 100 !== 0 || Number(year) % 400 === 0);
  const validDate =
    monthNumber >= 1 && monthNumber <= 12 && dayNumber >= 1 && dayNumber <= DAYS_IN_MONTH[monthNumber - 1] && !(monthNumber === 2 && dayNumber === 29 && !leap);
  if (!validDate || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    context.reportValue(RuleCode.eventTime, `eventTime ${quote(time)} is not a real date and time.`, node);
    return;
  }
  if (zone !== 'Z') {
    const utc = zone === undefined || UTC_OFFSET.test(zone);
    const fixed = time.slice(0, time.length - (zone?.length ?? 0)) + 'Z';
    context.reportValue(
      RuleCode.eventTime,
      zone === undefined
        ? `eventTime ${quote(time)} has no time zone; CloudTrail times are UTC and end in Z.`
        : `eventTime ${quote(time)} has the offset ${zone}; CloudTrail times are UTC and end in Z.`,
      node,
      utc ? { fix: context.replaceValue(node, `Write it as ${fixed}`, `"${fixed}"`) } : undefined,
    );
  }
}

/** AWS documentation writes EXAMPLE into IDs it made up; such a record is an example, not a broken log. */
const DOCUMENTATION_PLACEHOLDER = 'EXAMPLE';

/** A GUID: 32 hexadecimal digits grouped 8-4-4-4-12 (or an ID with the documentation's placeholder). */
export function isGuid(text: string): boolean {
  return isGuidAt(text, 0, text.length) || text.includes(DOCUMENTATION_PLACEHOLDER);
}

/** The text in `[from, to)` is 32 hexadecimal digits grouped 8-4-4-4-12. */
export function isGuidAt(text: string, from: number, to: number): boolean {
  return (
    to - from === 36 &&
    text.charCodeAt(from + 8) === 45 &&
    text.charCodeAt(from + 13) === 45 &&
    text.charCodeAt(from + 18) === 45 &&
    text.charCodeAt(from + 23) === 45 &&
    isHexAt(text, from, from + 8) &&
    isHexAt(text, from + 9, from + 13) &&
    isHexAt(text, from + 14, from + 18) &&
    isHexAt(text, from + 19, from + 23) &&
    isHexAt(text, from + 24, to)
  );
}

/** Which character codes below 128 are hexadecimal digits. */
const HEX_DIGIT = new Uint8Array(128);
for (const c of '0123456789abcdefABCDEF') HEX_DIGIT[c.charCodeAt(0)] = 1;

function isHexAt(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || HEX_DIGIT[c] === 0) {
      return false;
    }
  }
  return true;
}

function checkGuid(context: RecordContext, slot: number): void {
  const node = context.fields[slot];
  const plain = context.plainStart(node);
  if (plain >= 0 && isGuidAt(context.text, plain, context.plainEnd(node, plain))) {
    return;
  }
  const value = context.string(slot);
  if (value !== undefined && !isGuid(value)) {
    const name = slot === Field.eventID ? 'eventID' : 'sharedEventID';
    context.reportValue(RuleCode.eventId, `${name} ${quote(value)} is not a GUID: CloudTrail writes 32 hexadecimal digits grouped 8-4-4-4-12.`, node);
  }
}

function checkAccountIds(context: RecordContext): void {
  checkAccountIdField(context, Field.recipientAccountId, 'recipientAccountId');
  checkAccountIdField(context, Field.vpcEndpointAccountId, 'vpcEndpointAccountId');
  const identity = context.fields[Field.userIdentity];
  if (identity !== NO_NODE) {
    checkAccountIdsBelow(context, identity, true);
  }
  const resources = context.fields[Field.resources];
  if (resources !== NO_NODE && context.view.kind(resources) === NodeKind.Array) {
    checkAccountIdsBelow(context, resources, false);
  }
}

function checkAccountIdField(context: RecordContext, slot: number, name: string): void {
  const node = context.fields[slot];
  const plain = context.plainStart(node);
  if (plain >= 0 && isAccountIdAt(context.text, plain, context.plainEnd(node, plain))) {
    return;
  }
  const value = context.string(slot);
  if (value !== undefined && !isAccountId(value)) {
    context.reportValue(RuleCode.accountId, `${name} ${quote(value)} is not an account ID of 12 digits.`, node);
  }
}

/** Every `accountId` property below `root`, read row by row (no recursion, so depth is harmless). */
function checkAccountIdsBelow(context: RecordContext, root: number, inIdentity: boolean): void {
  const view = context.view;
  const table = context.table;
  const stop = table.next[root];
  const { keyStart, keyEnd } = table;
  for (let node = root + 1; node < stop; node++) {
    // Most rows have no name, or one of another length than "accountId" (quoted or not).
    const nameLength = keyEnd[node] - keyStart[node];
    if ((nameLength !== 11 && nameLength !== 9) || !keyIs(view, node, 'accountId')) {
      continue;
    }
    const kind = table.kind[node];
    if (kind === NodeKind.String) {
      const plain = context.plainStart(node);
      if (plain >= 0 && isAccountIdAt(context.text, plain, context.plainEnd(node, plain))) {
        continue;
      }
      const value = view.string(node) ?? '';
      if (isAccountId(value) || value === '' || (inIdentity && ANONYMOUS_ACCOUNTS.has(value))) {
        continue;
      }
      context.reportValue(RuleCode.accountId, `accountId ${quote(value)} is not an account ID of 12 digits.`, node);
    } else if (kind === NodeKind.Number) {
      const raw = view.source(node);
      context.reportValue(
        RuleCode.accountId,
        `accountId must be a string of 12 digits, not a number: as a number, leading zeros are lost.`,
        node,
        isAccountId(raw) ? { fix: context.replaceValue(node, `Quote ${raw}`, `"${raw}"`) } : undefined,
      );
    }
  }
}

function checkRegion(context: RecordContext): void {
  const node = context.fields[Field.awsRegion];
  const region = context.awsRegion;
  if (region === undefined || goodRegions.has(region)) {
    return;
  }
  if (!isRegionShaped(region)) {
    const lower = region.toLowerCase().replace(/_/g, '-');
    context.reportValue(
      RuleCode.regionFormat,
      `awsRegion ${quote(region)} is not a region code; CloudTrail writes codes such as us-east-1 or eu-central-2.`,
      node,
      lower !== region && isRegionShaped(lower) ? { fix: context.replaceValue(node, `Write ${lower}`, `"${lower}"`) } : undefined,
    );
  } else if (!isKnownRegion(region)) {
    context.reportValue(RuleCode.regionUnknown, `awsRegion ${quote(region)} is not a region this extension knows.`, node);
  } else {
    goodRegions.add(region);
  }
}

const SERVICE_HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.amazonaws\.com(?:\.cn)?$/;
/** EventBridge names sources `aws.acm`; CloudTrail names the same service `acm.amazonaws.com`. */
const EVENTBRIDGE_SOURCE = /^aws\.([a-z0-9-]+)$/;
/** Event notifications (S3, SQS, SNS, DynamoDB streams) also come as {"Records": [...]}, with eventSource "aws:s3". */
const NOTIFICATION_SOURCE = /^aws:[a-z0-9-]+$/;

function checkEventSource(context: RecordContext): void {
  const node = context.fields[Field.eventSource];
  const source = context.eventSource;
  if (source === undefined || goodSources.has(source)) {
    return;
  }
  if (SERVICE_HOST.test(source)) {
    goodSources.add(source);
    return;
  }
  if (NOTIFICATION_SOURCE.test(source)) {
    context.reportValue(
      RuleCode.eventSource,
      `eventSource ${quote(source)} is how S3, SQS, SNS and DynamoDB name themselves in event notifications: this is such a notification, not a CloudTrail record.`,
      node,
    );
    return;
  }
  const eventBridge = EVENTBRIDGE_SOURCE.exec(source);
  const host = eventBridge ? `${eventBridge[1]}.amazonaws.com` : SERVICE_HOST.test(source.toLowerCase()) ? source.toLowerCase() : undefined;
  context.reportValue(
    RuleCode.eventSource,
    eventBridge
      ? `eventSource ${quote(source)} is how EventBridge names the service; CloudTrail records name it by host, ${host}.`
      : `eventSource ${quote(source)} is not the host name of an AWS service, such as acm.amazonaws.com.`,
    node,
    host ? { fix: context.replaceValue(node, `Write ${host}`, `"${host}"`) } : undefined,
  );
}

function checkEnumeration(context: RecordContext, slot: number, allowed: ReadonlySet<string>, code: RuleCode): void {
  const node = context.fields[slot];
  const value = context.string(slot);
  if (value === undefined || allowed.has(value)) {
    return;
  }
  const name = slot === Field.eventType ? 'eventType' : 'eventCategory';
  const sameLetters = [...allowed].find((candidate) => candidate.toLowerCase() === value.toLowerCase());
  context.reportValue(
    code,
    `${name} ${quote(value)} is not one CloudTrail writes; it is one of ${[...allowed].join(', ')}.`,
    node,
    sameLetters ? { fix: context.replaceValue(node, `Write ${sameLetters}`, `"${sameLetters}"`) } : undefined,
  );
}

const DIGITS_AND_DOTS = /^[\d.]+$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

function checkSourceIp(context: RecordContext): void {
  const node = context.fields[Field.sourceIPAddress];
  const plain = context.plainStart(node);
  if (plain >= 0) {
    const end = context.plainEnd(node, plain);
    if (isIPv4At(context.text, plain, end) || goodSourceAddresses.hasRange(context.text, plain, end)) {
      return;
    }
  }
  const value = context.string(Field.sourceIPAddress);
  if (value === undefined || goodSourceAddresses.has(value)) {
    return;
  }
  const verdict = readSourceAddress(value);
  if (verdict !== undefined) {
    context.reportValue(RuleCode.sourceIp, `sourceIPAddress ${quote(value)} ${verdict}`, node);
  } else {
    goodSourceAddresses.add(value);
  }
}

/** Why a sourceIPAddress value is not valid, or undefined when it is. */
export function readSourceAddress(value: string): string | undefined {
  if (value.toLowerCase() === 'aws internal') {
    return undefined;
  }
  if (DIGITS_AND_DOTS.test(value)) {
    return isIPv4(value) ? undefined : 'is not an IPv4 address: it needs four numbers from 0 to 255 separated by dots.';
  }
  if (value.includes(':')) {
    return isIPv6(value) ? undefined : 'is not a valid IPv6 address.';
  }
  if (HOST_NAME.test(value)) {
    return undefined;
  }
  return 'is neither an IP address, the host name of an AWS service, nor AWS Internal.';
}

export function isIPv4(text: string): boolean {
  return isIPv4At(text, 0, text.length);
}

/** `isIPv4` of the text in `[from, to)`. */
function isIPv4At(text: string, from: number, to: number): boolean {
  let parts = 0;
  let digits = 0;
  let value = 0;
  for (let i = from; i <= to; i++) {
    const c = i < to ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255 || ++parts > 4) return false;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      value = value * 10 + (c - 48);
      digits++;
    } else {
      return false;
    }
  }
  return parts === 4;
}

export function isIPv6(text: string): boolean {
  if (text.length > 45) {
    return false;
  }
  let address = text;
  let groupsNeeded = 8;
  // An IPv4 address may stand for the last two groups (::ffff:192.0.2.1).
  const lastColon = address.lastIndexOf(':');
  if (address.includes('.', lastColon)) {
    if (!isIPv4(address.slice(lastColon + 1))) {
      return false;
    }
    address = address.slice(0, lastColon + 1) + '0';
    groupsNeeded = 7;
  }
  const halves = address.split('::');
  if (halves.length > 2) {
    return false;
  }
  const groups = (half: string): string[] | undefined => {
    if (half === '') return [];
    const parts = half.split(':');
    return parts.every((part) => HEX_GROUP.test(part)) ? parts : undefined;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) {
    return false;
  }
  const count = head.length + tail.length;
  return halves.length === 2 ? count < groupsNeeded : count === groupsNeeded;
}

/**
 * Which top-level fields a record has: the ones its eventVersion and eventType require, fields
 * CloudTrail does not write at all, fields newer than the record's version, and the JSON type of
 * each known field.
 */
import { isForwarderProperty, movedTo } from '../forwarded';
import { NO_NODE, NodeFlags, NodeKind } from '../json/nodeTable';
import { RuleCode } from './catalogue';
import { RecordContext, quote } from './context';
import { Field, FIELDS, fieldByLowerCase } from './fields';

/** Fields every record has, with the first version that has them (1000 = 1.0). */
const API_CALL_FIELDS: readonly [slot: number, since: number][] = [
  [Field.eventVersion, 1000],
  [Field.userIdentity, 1000],
  [Field.eventTime, 1000],
  [Field.eventSource, 1000],
  [Field.eventName, 1000],
  [Field.awsRegion, 1000],
  [Field.sourceIPAddress, 1000],
  [Field.eventID, 1001],
  [Field.eventType, 1002],
  [Field.eventCategory, 1007],
];

/** Service events (AwsServiceEvent) are not calls from an address, and may come without one. */
const SERVICE_EVENT_FIELDS = API_CALL_FIELDS.filter(([slot]) => slot !== Field.sourceIPAddress);

/** Insights records describe unusual activity, not one call: no caller, source or event name. */
const INSIGHT_FIELDS: readonly [slot: number, since: number][] = [
  [Field.eventVersion, 1000],
  [Field.eventTime, 1000],
  [Field.awsRegion, 1000],
  [Field.eventID, 1001],
  [Field.eventType, 1002],
  [Field.insightDetails, 1007],
  [Field.eventCategory, 1007],
];

export function checkRequiredFields(context: RecordContext): void {
  // A record cut short by a syntax error lost its end: what is missing was reported already.
  if (context.table.flags[context.node] & NodeFlags.Unterminated) {
    return;
  }
  const required = context.isInsight ? INSIGHT_FIELDS : context.isServiceEvent ? SERVICE_EVENT_FIELDS : API_CALL_FIELDS;
  // Without a readable version, only what every version has can be asked for.
  const version = Number.isNaN(context.version) ? 1000 : context.version;
  let missing: string[] | undefined;
  for (const [slot, since] of required) {
    const name = FIELDS[slot].name;
    if (since <= version && context.fields[slot] === NO_NODE && !hasCaseVariant(context, name) && movedTo(context.view, context.node, name) === undefined) {
      (missing ??= []).push(name);
    }
  }
  if (!missing) {
    return;
  }
  const which = context.isInsight ? 'every Insights record' : context.isServiceEvent ? 'every service event' : 'every record';
  const versionText = Number.isNaN(context.version) ? '' : ` of eventVersion ${context.string(Field.eventVersion)}`;
  const message =
    missing.length === 1
      ? `This record has no ${missing[0]}, which ${which}${versionText} carries.`
      : `This record lacks ${listNames(missing)}, which ${which}${versionText} carries.`;
  const start = context.table.start[context.node];
  context.report(RuleCode.missingField, message, start, start + 1);
}

/** Top-level fields that CloudTrail does not write (hints); names in the wrong case are keyCase's. */
export function checkUnknownFields(context: RecordContext): void {
  const view = context.view;
  for (const node of context.unknownFields) {
    const name = view.key(node);
    if (
      name === undefined ||
      context.table.keyEnd[node] === context.table.keyStart[node] ||
      fieldByLowerCase(name) !== undefined ||
      isForwarderProperty(view, node)
    ) {
      continue;
    }
    context.reportKey(RuleCode.unknownField, `${quote(name)} is not a field of CloudTrail records.`, node);
  }
}

/** Fields that CloudTrail only writes from a later eventVersion than the record's. */
export function checkFieldVersions(context: RecordContext): void {
  if (Number.isNaN(context.version)) {
    return;
  }
  for (let slots = context.present & newerThan(context.version); slots !== 0; slots &= slots - 1) {
    const slot = 31 - Math.clz32(slots & -slots);
    const field = FIELDS[slot];
    context.reportKey(
      RuleCode.fieldNewerThanVersion,
      `${field.name} first appears in eventVersion ${formatVersion(field.since)}, but this record says it is ${context.string(Field.eventVersion)}.`,
      context.fields[slot],
    );
  }
}

/** The fields (as bits by slot) that CloudTrail first wrote after `version`, by version. */
const newerFields = new Map<number, number>();

function newerThan(version: number): number {
  let slots = newerFields.get(version);
  if (slots === undefined) {
    let newer = 0;
    FIELDS.forEach((field, slot) => {
      if (field.since > version) newer |= 1 << slot;
    });
    slots = newer;
    // A log has a handful of versions; a hostile one with many only empties this memo.
    if (newerFields.size > 256) newerFields.clear();
    newerFields.set(version, slots);
  }
  return slots;
}

/** The fields (as bits by slot) whose JSON type is checked. */
const TYPED_FIELDS = FIELDS.reduce((slots, field, slot) => (field.types !== 0 ? slots | (1 << slot) : slots), 0);

/** The JSON type of every known field; booleans written as strings get a quick fix. */
export function checkFieldTypes(context: RecordContext): void {
  const table = context.table;
  for (let slots = context.present & TYPED_FIELDS; slots !== 0; slots &= slots - 1) {
    const slot = 31 - Math.clz32(slots & -slots);
    const node = context.fields[slot];
    const field = FIELDS[slot];
    const kind = table.kind[node];
    // Tokens that are not JSON were reported by the scanner; saying more about them is noise.
    if (kind === NodeKind.Invalid || field.types & (1 << kind)) {
      continue;
    }
    const value = context.view.scalar(node);
    let fix;
    if (field.types === 1 << NodeKind.Boolean && (value === 'true' || value === 'false')) {
      fix = context.replaceValue(node, `Write ${value} without quotes`, value);
    } else if (field.types === 1 << NodeKind.String && (kind === NodeKind.Number || kind === NodeKind.Boolean)) {
      const raw = context.view.source(node);
      fix = context.replaceValue(node, `Quote ${raw}`, `"${raw}"`);
    }
    context.reportValue(RuleCode.fieldType, `${field.name} must be ${field.typeName}, not ${describeKind(kind)}.`, node, fix ? { fix } : undefined);
  }
}

function hasCaseVariant(context: RecordContext, name: string): boolean {
  for (const node of context.unknownFields) {
    if (context.view.key(node)?.toLowerCase() === name.toLowerCase()) {
      return true;
    }
  }
  return false;
}

export function describeKind(kind: number): string {
  switch (kind) {
    case NodeKind.Object:
      return 'an object';
    case NodeKind.Array:
      return 'an array';
    case NodeKind.String:
      return 'a string';
    case NodeKind.Number:
      return 'a number';
    case NodeKind.Boolean:
      return 'a boolean';
    case NodeKind.Null:
      return 'null';
    default:
      return 'an invalid value';
  }
}

/** "a", "a and b", "a, b and c". */
export function listNames(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function formatVersion(version: number): string {
  const minor = version % 1000;
  return `${Math.floor(version / 1000)}.${minor === 0 ? '0' : String(minor).padStart(2, '0')}`;
}

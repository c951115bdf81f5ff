/**
 * SQL over an organisation's CloudTrail history: a predicate on CloudTrail records, written for
 * Amazon Athena over the CloudTrail table AWS documents (`cloudtrail_logs`, JSON columns as
 * strings, `userIdentity` and `tlsDetails` as structs, `resources` as an array of structs) or for
 * a CloudTrail Lake event data store (the same names, the whole event in `eventjson`). Both run
 * Trino SQL.
 *
 * A predicate says what a record must hold, in CloudTrail's own field names; the dialect decides
 * how each field is read. Every comparison is made on the value as text (numbers and booleans as
 * their JSON text, objects and arrays as their compact JSON text), and a missing field makes a
 * comparison false, never unknown, so that NOT means what it says.
 */

/** A CloudTrail field: ["userIdentity", "arn"], ["requestParameters", "bucketName"], ["resources", "ARN"]. */
export type FieldPath = readonly string[];

/** A piece of a text pattern: literal text, `*` (any run of characters) or `?` (one character). */
export type PatternPart = string | { wildcard: '*' | '?' };

/** The whole value must read as the pattern; case-insensitive unless `cased`. */
export interface TextPattern {
  readonly parts: readonly PatternPart[];
  readonly cased: boolean;
}

export type SqlPredicate =
  | { readonly kind: 'and' | 'or'; readonly items: readonly SqlPredicate[] }
  | { readonly kind: 'not'; readonly item: SqlPredicate }
  | { readonly kind: 'constant'; readonly value: boolean }
  /** The field's value reads as the pattern. */
  | { readonly kind: 'text'; readonly field: FieldPath; readonly pattern: TextPattern }
  /** The field's value matches a regular expression somewhere. */
  | {
      readonly kind: 'regex';
      readonly field: FieldPath;
      readonly source: string;
      readonly ignoreCase: boolean;
      readonly multiline: boolean;
      readonly dotAll: boolean;
    }
  /** The field is there with a value other than null (or, with `present: false`, it is not). */
  | { readonly kind: 'present'; readonly field: FieldPath; readonly present: boolean }
  /** The field's value read as a number compares so. */
  | { readonly kind: 'number'; readonly field: FieldPath; readonly operator: '<' | '<=' | '>' | '>='; readonly value: number }
  /** The two fields hold the same text. */
  | { readonly kind: 'sameValue'; readonly field: FieldPath; readonly other: FieldPath; readonly cased: boolean }
  /** Some value of the record contains the pattern (the pattern's `*` are added by the caller). */
  | { readonly kind: 'anyValue'; readonly pattern: TextPattern }
  /** eventTime at or after `from` and before `to` (milliseconds since 1970; either may be left open). */
  | { readonly kind: 'time'; readonly from?: number; readonly to?: number };

export type SqlDialect = 'athena' | 'lake';

export interface SqlQueryOptions {
  dialect: SqlDialect;
  /** Athena: the table (default `cloudtrail_logs`); Lake: the event data store ID. */
  table?: string;
  /** Comment lines put above the query: what it looks for and where it comes from. */
  comments?: readonly string[];
}

/** A predicate that cannot be written as SQL for the dialect, with the reason. */
export class SqlNotExpressible extends Error {}

/** What a rendering had to say about the query (fields the table lacks), for its comments. */
type Notes = Set<string>;

export const DEFAULT_ATHENA_TABLE = 'cloudtrail_logs';
/** Stands for the event data store ID until one is set: Lake then says it does not know the table. */
export const LAKE_TABLE_PLACEHOLDER = 'event_data_store_id';

// ---------------------------------------------------------------------------------------------
// How each dialect reads a field

/** Top-level string fields, the same column in both dialects (lower-case). */
const TEXT_COLUMNS = [
  'eventVersion',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'errorMessage',
  'requestID',
  'eventID',
  'eventType',
  'apiVersion',
  'recipientAccountId',
  'sharedEventID',
  'vpcEndpointId',
  'vpcEndpointAccountId',
  'eventCategory',
  'sessionCredentialFromConsole',
];

/** Fields Athena's table keeps as the JSON text of the value. */
const ATHENA_JSON_COLUMNS = ['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails', 'edgeDeviceDetails'];

/** Athena's struct columns and the CloudTrail names of their fields (a nested object is a nested struct). */
interface StructShape {
  readonly [name: string]: StructShape | 'text' | 'map';
}
const ATHENA_STRUCTS: Readonly<Record<string, StructShape>> = {
  userIdentity: {
    type: 'text',
    principalId: 'text',
    arn: 'text',
    accountId: 'text',
    invokedBy: 'text',
    accessKeyId: 'text',
    userName: 'text',
    onBehalfOf: { userId: 'text', identityStoreArn: 'text' },
    sessionContext: {
      attributes: { mfaAuthenticated: 'text', creationDate: 'text' },
      sessionIssuer: { type: 'text', principalId: 'text', arn: 'text', accountId: 'text', userName: 'text' },
      ec2RoleDelivery: 'text',
      webIdFederationData: { federatedProvider: 'text', attributes: 'map' },
    },
  },
  addendum: { reason: 'text', updatedFields: 'text', originalRequestId: 'text', originalEventId: 'text' },
  tlsDetails: { tlsVersion: 'text', cipherSuite: 'text', clientProvidedHostHeader: 'text' },
};
/** The fields of each element of `resources`. */
const RESOURCE_FIELDS: ReadonlyMap<string, string> = new Map([
  ['arn', 'arn'],
  ['accountid', 'accountid'],
  ['type', 'type'],
]);

function lowerName(name: string): string {
  return name.toLowerCase();
}

function findName(names: readonly string[], wanted: string): string | undefined {
  const lower = wanted.toLowerCase();
  return names.find((name) => name.toLowerCase() === lower);
}

/** A JSON path in the bracket form json_extract takes: $["a"]["b"]. */
function jsonPath(parts: readonly string[]): string {
  return `$${parts.map((part) => `[${JSON.stringify(part)}]`).join('')}`;
}

/** The text of a value inside a JSON text: a scalar as itself, an object or array as compact JSON. */
function jsonValueText(json: string, parts: readonly string[]): string {
  const path = sqlString(jsonPath(parts));
  return `COALESCE(json_extract_scalar(${json}, ${path}), json_format(json_extract(${json}, ${path})))`;
}

/**
 * How a field is read: `text` is an SQL expression of its value as text (NULL when missing);
 * `each` is set when the field lies in the elements of an array, which the predicate is then
 * applied to one at a time (`any_match`).
 */
interface FieldAccess {
  text: (row: string) => string;
  each?: { array: string; variable: string };
}

/**
 * How a field is read; a field Athena's table has no column for is missing from every row (NULL),
 * as it is from the records that lack it, and the query says so.
 */
function fieldAccess(field: FieldPath, dialect: SqlDialect, notes: Notes): FieldAccess {
  try {
    return tableFieldAccess(field, dialect);
  } catch (error) {
    if (!(error instanceof SqlNotExpressible) || dialect !== 'athena' || field.length === 0 || field[0] === 'resources') throw error;
    notes.add(`${field.join('.')}: not a column of this table, so missing in every row.`);
    return { text: () => 'CAST(NULL AS VARCHAR)' };
  }
}

function tableFieldAccess(field: FieldPath, dialect: SqlDialect): FieldAccess {
  if (field.length === 0) {
    throw new SqlNotExpressible('An empty field name.');
  }
  const [top, ...rest] = field;
  const column = findName(TEXT_COLUMNS, top);
  if (column && rest.length === 0) {
    return { text: () => lowerName(column) };
  }
  if (top === 'eventTime' && rest.length === 0) {
    // Lake keeps eventTime as a timestamp; the event's own text is in eventjson.
    return { text: () => (dialect === 'athena' ? 'eventtime' : jsonValueText('eventjson', ['eventTime'])) };
  }
  if (top === 'readOnly' && rest.length === 0) {
    return { text: () => (dialect === 'athena' ? 'readonly' : 'CAST(readonly AS VARCHAR)') };
  }
  if (top === 'resources') {
    if (rest.length === 0) {
      return { text: () => (dialect === 'athena' ? 'json_format(CAST(resources AS JSON))' : jsonValueText('eventjson', ['resources'])) };
    }
    const element = RESOURCE_FIELDS.get(rest[0].toLowerCase());
    if (rest.length !== 1 || element === undefined) {
      throw new SqlNotExpressible(`The tables have no field ${field.join('.')} (resources hold ARN, accountId and type).`);
    }
    return { text: (row) => `${row}.${element}`, each: { array: 'resources', variable: 'r' } };
  }
  if (dialect === 'lake') {
    return { text: () => jsonValueText('eventjson', field) };
  }
  const jsonColumn = findName(ATHENA_JSON_COLUMNS, top);
  if (jsonColumn) {
    return { text: () => (rest.length === 0 ? lowerName(jsonColumn) : jsonValueText(lowerName(jsonColumn), rest)) };
  }
  const structName = findName(Object.keys(ATHENA_STRUCTS), top);
  if (structName) {
    let shape: StructShape | 'text' | 'map' = ATHENA_STRUCTS[structName];
    let expression = lowerName(structName);
    for (const [i, part] of rest.entries()) {
      if (shape === 'map' && i === rest.length - 1) {
        const mapExpression = expression;
        return { text: () => `element_at(${mapExpression}, ${sqlString(part)})` };
      }
      const name: string | undefined = typeof shape === 'string' ? undefined : findName(Object.keys(shape), part);
      if (name === undefined || typeof shape === 'string') {
        throw new SqlNotExpressible(`Athena's CloudTrail table has no field ${field.join('.')}.`);
      }
      expression += `.${lowerName(name)}`;
      shape = shape[name];
    }
    const finished = expression;
    return { text: () => (shape === 'text' ? finished : `json_format(CAST(${finished} AS JSON))`) };
  }
  throw new SqlNotExpressible(`Athena's CloudTrail table has no column for ${field.join('.')}.`);
}

/** Every value of a record as one text, for searches of the whole record. */
function recordText(dialect: SqlDialect): string {
  if (dialect === 'lake') {
    return 'eventjson';
  }
  // Plain columns are written in quotes, as JSON writes strings, so that a search for "value" in quotes finds whole values.
  const parts = [
    ...['eventVersion', 'eventTime', ...TEXT_COLUMNS.slice(1), 'readOnly'].map((name) => `concat('"', ${lowerName(name)}, '"')`),
    ...ATHENA_JSON_COLUMNS.map(lowerName),
    ...Object.keys(ATHENA_STRUCTS).map((name) => `json_format(CAST(${lowerName(name)} AS JSON))`),
    'json_format(CAST(resources AS JSON))',
  ];
  return `concat_ws(' ', ${parts.join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** An SQL string literal: quotes doubled, nothing else changed. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const LIKE_ESCAPE = '!';

/** A LIKE pattern for a text pattern, `!` escaping the pattern characters of literal text. */
function likePattern(pattern: TextPattern): string {
  let like = '';
  for (const part of pattern.parts) {
    if (typeof part === 'string') {
      const text = pattern.cased ? part : part.toLowerCase();
      like += text.replace(/[!%_]/g, (c) => LIKE_ESCAPE + c);
    } else {
      like += part.wildcard === '*' ? '%' : '_';
    }
  }
  return like;
}

function hasWildcard(pattern: TextPattern): boolean {
  return pattern.parts.some((part) => typeof part !== 'string');
}

function literalText(pattern: TextPattern): string {
  return pattern.parts.map((part) => (typeof part === 'string' ? part : '')).join('');
}

/** `expression` compared with the pattern: `=` for plain text, LIKE with wildcards. */
function textComparison(expression: string, pattern: TextPattern): string {
  const subject = pattern.cased ? expression : `lower(${expression})`;
  if (!hasWildcard(pattern)) {
    const text = literalText(pattern);
    return `${subject} = ${sqlString(pattern.cased ? text : text.toLowerCase())}`;
  }
  const like = likePattern(pattern);
  return `${subject} LIKE ${sqlString(like)}${like.includes(LIKE_ESCAPE) ? ` ESCAPE '${LIKE_ESCAPE}'` : ''}`;
}

/** A comparison on one field, false rather than unknown when the field is missing. */
function onField(field: FieldPath, dialect: SqlDialect, notes: Notes, condition: (value: string) => string): string {
  const access = fieldAccess(field, dialect, notes);
  if (access.each) {
    const { array, variable } = access.each;
    return `COALESCE(any_match(${array}, ${variable} -> COALESCE(${condition(access.text(variable))}, FALSE)), FALSE)`;
  }
  return `COALESCE(${condition(access.text(''))}, FALSE)`;
}

function regexFlags(predicate: { ignoreCase: boolean; multiline: boolean; dotAll: boolean }): string {
  const flags = `${predicate.ignoreCase ? 'i' : ''}${predicate.multiline ? 'm' : ''}${predicate.dotAll ? 's' : ''}`;
  return flags ? `(?${flags})` : '';
}

/** The SQL condition for a predicate. */
export function renderPredicate(predicate: SqlPredicate, dialect: SqlDialect, notes: Notes = new Set(), depth = 0): string {
  const indent = '  '.repeat(depth + 1);
  switch (predicate.kind) {
    case 'constant':
      return predicate.value ? 'TRUE' : 'FALSE';
    case 'and':
    case 'or': {
      if (predicate.items.length === 0) return predicate.kind === 'and' ? 'TRUE' : 'FALSE';
      if (predicate.items.length === 1) return renderPredicate(predicate.items[0], dialect, notes, depth);
      const joiner = `\n${indent}${predicate.kind.toUpperCase()} `;
      return `(${predicate.items.map((item) => renderPredicate(item, dialect, notes, depth + 1)).join(joiner)})`;
    }
    case 'not':
      return `NOT ${wrap(renderPredicate(predicate.item, dialect, notes, depth))}`;
    case 'text':
      return onField(predicate.field, dialect, notes, (value) => textComparison(value, predicate.pattern));
    case 'regex':
      return onField(predicate.field, dialect, notes, (value) => `regexp_like(${value}, ${sqlString(regexFlags(predicate) + predicate.source)})`);
    case 'present': {
      const access = fieldAccess(predicate.field, dialect, notes);
      if (access.each) {
        const { array, variable } = access.each;
        const any = `COALESCE(any_match(${array}, ${variable} -> ${access.text(variable)} IS NOT NULL), FALSE)`;
        return predicate.present ? any : `NOT ${any}`;
      }
      return `${access.text('')} IS ${predicate.present ? 'NOT ' : ''}NULL`;
    }
    case 'number':
      return onField(predicate.field, dialect, notes, (value) => `TRY_CAST(${value} AS DOUBLE) ${predicate.operator} ${String(predicate.value)}`);
    case 'sameValue': {
      const other = fieldAccess(predicate.other, dialect, notes);
      if (other.each) {
        throw new SqlNotExpressible(`A comparison with ${predicate.other.join('.')}, which lies in an array, cannot be written as SQL here.`);
      }
      const otherText = predicate.cased ? other.text('') : `lower(${other.text('')})`;
      return onField(predicate.field, dialect, notes, (value) => `${predicate.cased ? value : `lower(${value})`} = ${otherText}`);
    }
    case 'anyValue':
      return `COALESCE(${textComparison(recordText(dialect), predicate.pattern)}, FALSE)`;
    case 'time':
      return timeCondition(predicate, dialect);
  }
}

/**
 * A time range on eventTime. Athena reads the text (an unreadable one matches nothing) and also
 * bounds the partition projection's "timestamp" (yyyy/MM/dd), so that only those days are read.
 */
function timeCondition(range: { from?: number; to?: number }, dialect: SqlDialect): string {
  const eventTime = dialect === 'athena' ? 'TRY(from_iso8601_timestamp(eventtime))' : 'eventtime';
  const parts: string[] = [];
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
  if (range.from !== undefined && Number.isFinite(range.from)) {
    parts.push(`COALESCE(${eventTime} >= from_iso8601_timestamp(${sqlString(new Date(range.from).toISOString())}), FALSE)`);
    if (dialect === 'athena') parts.push(`"timestamp" >= ${sqlString(day(range.from))}`);
  }
  if (range.to !== undefined && Number.isFinite(range.to)) {
    parts.push(`COALESCE(${eventTime} < from_iso8601_timestamp(${sqlString(new Date(range.to).toISOString())}), FALSE)`);
    if (dialect === 'athena') parts.push(`"timestamp" <= ${sqlString(day(range.to))}`);
  }
  return parts.length === 0 ? 'TRUE' : `(${parts.join(' AND ')})`;
}

function wrap(condition: string): string {
  return condition.startsWith('(') || !/\s/.test(condition) ? condition : `(${condition})`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DATA_STORE_ID = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** The FROM target: an Athena table (`db.table`, each part quoted when it needs to be) or a Lake event data store ID. */
function tableName(options: SqlQueryOptions): string {
  const table = options.table?.trim() ?? '';
  if (options.dialect === 'lake') {
    if (table === '') return LAKE_TABLE_PLACEHOLDER;
    if (!DATA_STORE_ID.test(table)) throw new SqlNotExpressible(`${JSON.stringify(table)} is not an event data store ID.`);
    return table;
  }
  const parts = (table === '' ? DEFAULT_ATHENA_TABLE : table).split('.');
  if (parts.length > 3 || parts.some((part) => part === '')) throw new SqlNotExpressible(`${JSON.stringify(table)} is not a table name.`);
  return parts.map((part) => (IDENTIFIER.test(part) ? part : `"${part.replace(/"/g, '""')}"`)).join('.');
}

/** A comment line: one line whatever the text holds, so nothing in it can end the comment. */
function commentLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return `-- ${text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')}`;
}

/** The columns listed for each match: when, what, who, from where, and the outcome. */
const SELECTED_COLUMNS = 'eventtime, eventsource, eventname, awsregion, sourceipaddress, useridentity.arn AS useridentity_arn, errorcode, eventid';

/** A whole query: the comments, the matching events' main columns, oldest first. */
export function renderQuery(predicate: SqlPredicate, options: SqlQueryOptions): string {
  const lines = (options.comments ?? []).map(commentLine);
  if (options.dialect === 'athena') {
    lines.push(commentLine('Athena, over the CloudTrail table of the AWS documentation (partition projection on "timestamp", yyyy/MM/dd):'));
    lines.push(commentLine(`add  AND "timestamp" BETWEEN '2026/01/01' AND '2026/01/31'  to read only those days.`));
  } else {
    lines.push(commentLine("CloudTrail Lake: FROM names the event data store ID; add  AND eventtime > timestamp '2026-01-01 00:00:00'  to read less."));
  }
  const notes: Notes = new Set();
  const where = renderPredicate(predicate, options.dialect, notes);
  for (const note of notes) lines.push(commentLine(note));
  lines.push(`SELECT ${SELECTED_COLUMNS}`);
  lines.push(`FROM ${tableName(options)}`);
  lines.push(`WHERE ${where}`);
  lines.push('ORDER BY eventtime');
  return `${lines.join('\n')}\n`;
}

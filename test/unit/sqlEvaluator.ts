/**
 * Runs generated SQL on CloudTrail records without a database: the query is parsed with a Trino
 * grammar (node-sql-parser's trino dialect), each record is turned into the row Athena's
 * CloudTrail table (or a CloudTrail Lake event data store) would hold for it, and the WHERE
 * clause is evaluated on that row with Trino's semantics for the functions the generator uses
 * (NULL propagation, LIKE with ESCAPE, json_extract paths, any_match over arrays of structs).
 * An expression it does not know fails the test instead of being guessed.
 */
import * as assert from 'node:assert/strict';
import { Parser } from 'node-sql-parser';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON value inside SQL (what json_extract and CAST(... AS JSON) return). */
class JsonValue {
  constructor(readonly value: Json) {}
}

type Row = Record<string, unknown>;
type SqlValue = null | string | number | boolean | JsonValue | Row | unknown[];

interface AstNode {
  type: string;
  [key: string]: unknown;
}

const parser = new Parser();

export interface ParsedQuery {
  where: AstNode;
  from: string;
  columns: string[];
  orderBy: string[];
}

/** Parses a whole generated query with the Trino grammar; fails the test when it does not parse. */
export function parseQuery(sql: string): ParsedQuery {
  let ast: unknown;
  try {
    ast = parser.astify(sql, { database: 'trino' });
  } catch (error) {
    assert.fail(`the SQL does not parse as Trino: ${error instanceof Error ? error.message : String(error)}\n${sql}`);
  }
  const statement = (Array.isArray(ast) ? ast : [ast]) as AstNode[];
  assert.equal(statement.length, 1, 'one statement');
  const select = statement[0];
  assert.equal(select.type, 'select');
  const from = select.from as { table: string; db: string | null }[];
  assert.equal(from.length, 1);
  const columns = (select.columns as { expr: AstNode; as: string | null }[]).map((column) => column.as ?? columnName(column.expr));
  const orderBy = ((select.orderby as { expr: AstNode }[] | null) ?? []).map((order) => columnName(order.expr));
  return { where: select.where as AstNode, from: from[0].db ? `${from[0].db}.${from[0].table}` : from[0].table, columns, orderBy };
}

function columnName(node: AstNode): string {
  assert.equal(node.type, 'column_ref');
  const column = node.column as { expr: { value: string } };
  return typeof node.table === 'string' ? `${node.table}.${column.expr.value}` : column.expr.value;
}

/** Whether the WHERE clause holds for the row (NULL counts as not holding, as in SQL). */
export function whereHolds(query: ParsedQuery, row: Row): boolean {
  return evaluate(query.where, row, new Map()) === true;
}

function functionName(node: AstNode): string {
  const name = node.name as { name: { value: string }[] };
  return name.name
    .map((part) => part.value)
    .join('.')
    .toLowerCase();
}

function args(node: AstNode): AstNode[] {
  const list = node.args as { value: AstNode[] } | undefined;
  return list?.value ?? [];
}

function text(value: SqlValue): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  assert.fail(`not a text value: ${JSON.stringify(value)}`);
}

/** Trino's LIKE: % and _ wildcards, the escape character making the next one literal, the whole value. */
function like(value: string, pattern: string, escape: string | undefined): boolean {
  let regex = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape !== undefined && c === escape) {
      i++;
      assert.ok(i < pattern.length, 'a LIKE pattern ends with its escape character');
      regex += pattern[i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '%') regex += '[\\s\\S]*';
    else if (c === '_') regex += '[\\s\\S]';
    else regex += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${regex}$`, 'u').test(value);
}

/** The bracket JSON paths the generator writes: $["a"]["b"]. */
function jsonPathParts(path: string): string[] {
  assert.ok(path.startsWith('$'), `JSON path ${path}`);
  const parts: string[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
    assert.ok(match, `unsupported JSON path ${path}`);
    parts.push(JSON.parse(match[1]) as string);
    rest = rest.slice(match[0].length);
  }
  return parts;
}

function extractJson(document: string | JsonValue, path: string): JsonValue | null {
  let value: Json;
  if (document instanceof JsonValue) value = document.value;
  else {
    try {
      value = JSON.parse(document) as Json;
    } catch {
      return null;
    }
  }
  for (const part of jsonPathParts(path)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, part)) return null;
    value = value[part];
  }
  return new JsonValue(value);
}

function compare(operator: string, left: SqlValue, right: SqlValue): boolean | null {
  if (left === null || right === null) return null;
  if (typeof left === 'number' || typeof right === 'number') {
    assert.ok(typeof left === 'number' && typeof right === 'number', 'numbers compare with numbers');
  } else if (typeof left === 'boolean' || typeof right === 'boolean') {
    assert.ok(typeof left === typeof right, 'booleans compare with booleans');
  } else {
    assert.ok(typeof left === 'string' && typeof right === 'string', `compared: ${JSON.stringify(left)} ${operator} ${JSON.stringify(right)}`);
  }
  const l = left as string | number | boolean;
  const r = right as string | number | boolean;
  switch (operator) {
    case '=':
      return l === r;
    case '<>':
    case '!=':
      return l !== r;
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
  }
  assert.fail(`operator ${operator}`);
}

function evaluate(node: AstNode, row: Row, scope: Map<string, SqlValue>): SqlValue {
  switch (node.type) {
    case 'single_quote_string':
      return (node.value as string).replace(/''/g, "'");
    case 'number':
      return node.value as number;
    case 'bool':
      return node.value as boolean;
    case 'null':
      return null;
    case 'column_ref':
      return columnValue(node, row, scope);
    case 'double_quote_string':
      // A quoted identifier: the partition column "timestamp".
      assert.ok(Object.prototype.hasOwnProperty.call(row, node.value as string), `no column ${String(node.value)} in the table`);
      return row[node.value as string] as SqlValue;
    case 'unary_expr': {
      assert.equal(node.operator, 'NOT');
      const value = evaluate(node.expr as AstNode, row, scope);
      return value === null ? null : !(value as boolean);
    }
    case 'binary_expr':
      return binary(node, row, scope);
    case 'cast':
      return cast(node, row, scope);
    case 'function':
      return call(node, row, scope);
  }
  assert.fail(`unknown SQL expression ${node.type}: ${JSON.stringify(node).slice(0, 200)}`);
}

function columnValue(node: AstNode, row: Row, scope: Map<string, SqlValue>): SqlValue {
  const column = node.column as { expr: AstNode };
  const path: string[] = [];
  const flatten = (part: unknown): void => {
    if (typeof part === 'string') path.push(part);
    else if ((part as AstNode).type === 'default') path.push((part as { value: string }).value);
    else {
      const dotted = part as AstNode;
      assert.equal(dotted.operator, '.');
      flatten(dotted.left);
      flatten(dotted.right);
    }
  };
  if (node.table) path.push(node.table as string);
  flatten(column.expr);
  let value: unknown;
  if (scope.has(path[0])) value = scope.get(path[0]);
  else {
    assert.ok(Object.prototype.hasOwnProperty.call(row, path[0]), `no column ${path[0]} in the table`);
    value = row[path[0]];
  }
  for (const field of path.slice(1)) {
    if (value === null) return null;
    assert.ok(typeof value === 'object' && !Array.isArray(value) && !(value instanceof JsonValue), `${path.join('.')} is not a struct`);
    assert.ok(Object.prototype.hasOwnProperty.call(value, field), `the struct has no field ${field} (${path.join('.')})`);
    value = (value as Row)[field];
  }
  return value as SqlValue;
}

function binary(node: AstNode, row: Row, scope: Map<string, SqlValue>): SqlValue {
  const operator = node.operator as string;
  const left = (): SqlValue => evaluate(node.left as AstNode, row, scope);
  const right = (): SqlValue => evaluate(node.right as AstNode, row, scope);
  switch (operator) {
    case 'AND': {
      const l = left();
      if (l === false) return false;
      const r = right();
      if (r === false) return false;
      return l === null || r === null ? null : true;
    }
    case 'OR': {
      const l = left();
      if (l === true) return true;
      const r = right();
      if (r === true) return true;
      return l === null || r === null ? null : false;
    }
    case 'IS':
    case 'IS NOT': {
      assert.equal((node.right as AstNode).type, 'null');
      const isNull = left() === null;
      return operator === 'IS' ? isNull : !isNull;
    }
    case 'LIKE':
    case 'NOT LIKE': {
      const value = text(left());
      const patternNode = node.right as AstNode & { escape?: { value: AstNode } };
      const pattern = text(evaluate(patternNode, row, scope));
      const escape = patternNode.escape ? (text(evaluate(patternNode.escape.value, row, scope)) ?? undefined) : undefined;
      if (value === null || pattern === null) return null;
      const result = like(value, pattern, escape);
      return operator === 'LIKE' ? result : !result;
    }
    case 'IN': {
      const value = left();
      const list = (node.right as { value: AstNode[] }).value.map((item) => evaluate(item, row, scope));
      if (value === null) return null;
      return list.some((item) => compare('=', value, item) === true);
    }
    default:
      return compare(operator, left(), right());
  }
}

function cast(node: AstNode, row: Row, scope: Map<string, SqlValue>): SqlValue {
  const value = evaluate(node.expr as AstNode, row, scope);
  const target = (node.target as { dataType: string }[])[0].dataType.toUpperCase();
  const tolerant = node.keyword === 'try_cast';
  if (value === null) return null;
  switch (target) {
    case 'DOUBLE': {
      const source = text(value);
      const number = source === null || source.trim() === '' ? Number.NaN : Number(source);
      if (Number.isNaN(number)) {
        assert.ok(tolerant, `CAST(${String(source)} AS DOUBLE) fails`);
        return null;
      }
      return number;
    }
    case 'VARCHAR':
      return text(value);
    case 'JSON':
      return new JsonValue(toJson(value));
  }
  assert.fail(`CAST to ${target}`);
}

/** A row, array or scalar as JSON, as CAST(... AS JSON) makes it. */
function toJson(value: unknown): Json {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof JsonValue) return value.value;
  if (Array.isArray(value)) return value.map(toJson);
  return Object.fromEntries(Object.entries(value as Row).map(([key, inner]) => [key, toJson(inner)]));
}

function call(node: AstNode, row: Row, scope: Map<string, SqlValue>): SqlValue {
  const name = functionName(node);
  const list = args(node);
  const value = (i: number): SqlValue => evaluate(list[i], row, scope);
  switch (name) {
    case 'not': {
      // The parser reads NOT (condition) as a call.
      assert.equal(list.length, 1);
      const v = value(0);
      return v === null ? null : !(v as boolean);
    }
    case 'try':
      try {
        return value(0);
      } catch {
        return null;
      }
    case 'from_iso8601_timestamp': {
      const t = text(value(0));
      if (t === null) return null;
      const ms = Date.parse(t);
      if (!/^\d{4}-\d\d-\d\dT/.test(t) || Number.isNaN(ms)) throw new Error(`from_iso8601_timestamp: ${t} is not a time`);
      return ms;
    }
    case 'lower': {
      const t = text(value(0));
      return t === null ? null : t.toLowerCase();
    }
    case 'coalesce':
      for (const item of list) {
        const v = evaluate(item, row, scope);
        if (v !== null) return v;
      }
      return null;
    case 'concat': {
      const parts = list.map((item) => text(evaluate(item, row, scope)));
      return parts.some((part) => part === null) ? null : parts.join('');
    }
    case 'concat_ws': {
      const separator = text(value(0));
      const parts = list.slice(1).map((item) => text(evaluate(item, row, scope)));
      return separator === null ? null : parts.filter((part): part is string => part !== null).join(separator);
    }
    case 'strpos': {
      const haystack = text(value(0));
      const needle = text(value(1));
      return haystack === null || needle === null ? null : haystack.indexOf(needle) + 1;
    }
    case 'regexp_like': {
      const subject = text(value(0));
      const pattern = text(value(1));
      if (subject === null || pattern === null) return null;
      const inline = /^\(\?([ims]+)\)/.exec(pattern);
      return new RegExp(inline ? pattern.slice(inline[0].length) : pattern, inline ? inline[1] : '').test(subject);
    }
    case 'json_extract': {
      const document = value(0);
      const path = text(value(1));
      if (document === null || path === null) return null;
      assert.ok(typeof document === 'string' || document instanceof JsonValue, 'json_extract reads JSON text');
      return extractJson(document, path);
    }
    case 'json_extract_scalar': {
      const document = value(0);
      const path = text(value(1));
      if (document === null || path === null) return null;
      assert.ok(typeof document === 'string' || document instanceof JsonValue, 'json_extract_scalar reads JSON text');
      const found = extractJson(document, path);
      if (found?.value === null || found === null || typeof found.value === 'object') return null;
      return String(found.value);
    }
    case 'json_format': {
      const json = value(0);
      if (json === null) return null;
      assert.ok(json instanceof JsonValue, 'json_format takes JSON');
      return JSON.stringify(json.value);
    }
    case 'element_at': {
      const map = value(0);
      const key = text(value(1));
      if (map === null || key === null) return null;
      const found = (map as Row)[key];
      return found === undefined ? null : (found as SqlValue);
    }
    case 'any_match': {
      const array = value(0);
      if (array === null) return null;
      assert.ok(Array.isArray(array), 'any_match takes an array');
      const lambda = list[1] as AstNode & { args: { value: { value: string }[] }; expr: AstNode };
      assert.equal(lambda.type, 'lambda');
      const variable = lambda.args.value[0].value;
      let unknown = false;
      for (const element of array) {
        const inner = new Map(scope);
        inner.set(variable, element as SqlValue);
        const result = evaluate(lambda.expr, row, inner);
        if (result === true) return true;
        if (result === null) unknown = true;
      }
      return unknown ? null : false;
    }
  }
  assert.fail(`unknown SQL function ${name}`);
}

// ---------------------------------------------------------------------------------------------
// Rows: the table definition of the AWS documentation written out again here, on purpose, so that
// a mistake in the generator's own list of columns cannot hide in both.

export type JsonObject = Record<string, Json>;

const TEXT_COLUMNS = [
  'eventVersion',
  'eventTime',
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
  'readOnly',
  'recipientAccountId',
  'sharedEventID',
  'vpcEndpointId',
  'vpcEndpointAccountId',
  'eventCategory',
  'sessionCredentialFromConsole',
];
const JSON_COLUMNS = ['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails', 'edgeDeviceDetails'];

/** A JSON value in a string column, as Athena's JSON SerDe reads it: strings as they are, the rest as compact JSON. */
function stringColumn(value: Json | undefined): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A struct column of the documented table: its fields by lower-case name, those the record lacks NULL. */
function struct(value: Json | undefined, shape: Record<string, unknown>): Row | null {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const byLowerName = new Map(Object.entries(value).map(([key, inner]) => [key.toLowerCase(), inner]));
  const row: Row = {};
  for (const [name, inner] of Object.entries(shape)) {
    const field = byLowerName.get(name);
    if (inner === 'text') row[name] = stringColumn(field);
    else if (inner === 'map')
      row[name] =
        field && typeof field === 'object' && !Array.isArray(field) ? Object.fromEntries(Object.entries(field).map(([k, v]) => [k, stringColumn(v)])) : null;
    else row[name] = struct(field, inner as Record<string, unknown>);
  }
  return row;
}

const USER_IDENTITY = {
  type: 'text',
  principalid: 'text',
  arn: 'text',
  accountid: 'text',
  invokedby: 'text',
  accesskeyid: 'text',
  username: 'text',
  onbehalfof: { userid: 'text', identitystorearn: 'text' },
  sessioncontext: {
    attributes: { mfaauthenticated: 'text', creationdate: 'text' },
    sessionissuer: { type: 'text', principalid: 'text', arn: 'text', accountid: 'text', username: 'text' },
    ec2roledelivery: 'text',
    webidfederationdata: { federatedprovider: 'text', attributes: 'map' },
  },
};

function resources(value: Json | undefined, lake: boolean): Row[] | null {
  if (!Array.isArray(value)) return null;
  return value.map((item) => {
    const element = struct(item, { arn: 'text', accountid: 'text', type: 'text' }) ?? { arn: null, accountid: null, type: null };
    if (lake) element.arnprefix = null;
    return element;
  });
}

/** The row of Athena's CloudTrail table (the DDL of the AWS documentation) for a record. */
export function athenaRow(record: JsonObject): Row {
  const row: Row = {};
  for (const name of TEXT_COLUMNS) row[name.toLowerCase()] = stringColumn(record[name]);
  for (const name of JSON_COLUMNS) row[name.toLowerCase()] = stringColumn(record[name]);
  row.useridentity = struct(record.userIdentity, USER_IDENTITY);
  row.addendum = struct(record.addendum, { reason: 'text', updatedfields: 'text', originalrequestid: 'text', originaleventid: 'text' });
  row.tlsdetails = struct(record.tlsDetails, { tlsversion: 'text', ciphersuite: 'text', clientprovidedhostheader: 'text' });
  row.resources = resources(record.resources, false);
  // The partition projection's column: the day of the file the record was delivered in.
  const time = typeof record.eventTime === 'string' ? record.eventTime : '';
  row.timestamp = /^\d{4}-\d\d-\d\d/.test(time) ? time.slice(0, 10).replace(/-/g, '/') : null;
  return row;
}

/** The row of a CloudTrail Lake event data store for a record: the schema's columns and the event's JSON. */
export function lakeRow(record: JsonObject): Row {
  const row = athenaRow(record);
  row.readonly = typeof record.readOnly === 'boolean' ? record.readOnly : null;
  row.resources = resources(record.resources, true);
  // Lake keeps these as maps; the generated SQL reads eventjson instead, and a query that used them would fail here.
  for (const name of JSON_COLUMNS) Reflect.deleteProperty(row, name.toLowerCase());
  row.eventjson = JSON.stringify(record);
  // Lake keeps eventTime as a timestamp.
  delete row.timestamp;
  row.eventtime = typeof record.eventTime === 'string' && !Number.isNaN(Date.parse(record.eventTime)) ? Date.parse(record.eventTime) : null;
  return row;
}

/** The records of a fixture, read with JSON.parse: a bare array, a Records file or a single event. */
export function rawRecords(text: string): JsonObject[] {
  const value = JSON.parse(text) as JsonObject[] | { Records?: JsonObject[] };
  if (Array.isArray(value)) return value;
  return value.Records ?? [value];
}

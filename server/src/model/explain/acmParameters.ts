/**
 * The parameters of an ACM event: which member of the operation's request or response a key of
 * `requestParameters`/`responseElements` is, its type and constraints from the API model, and
 * whether the logged value satisfies them. Java ByteBuffer dumps (how ImportCertificate logs its
 * blobs) are read as "N bytes".
 */
import { acmOperation, acmShape, findMember, logName, Member, Shape, structureMembers } from '../acm/acmApiModel';
import { JsonView, NO_NODE, NodeKind } from '../json/nodeTable';
import { EXPLAIN_READ_LIMIT } from './boundedRead';
import { acmMemberMeaning } from './acmParameterMeanings';
import { parseTimestamp } from './time';

export type Section = 'requestParameters' | 'responseElements';

/** What CloudTrail writes in place of a secret. */
export const HIDDEN_VALUE = 'HIDDEN_DUE_TO_SECURITY_REASONS';

export interface ResolvedParameter {
  operation: string;
  section: Section;
  /** The member named by the last property name of the path (undefined at the section itself). */
  member?: Member;
  /** The structure that holds `member`. */
  parentShape?: string;
  /** The shape of the hovered value (an item's shape inside a list). */
  shapeName: string;
  shape: Shape;
  /** The hovered value is an item of a list member. */
  listItem: boolean;
  /** Inside a ByteBuffer dump of a blob: the dump's field (`limit`, `hb`, ...). */
  byteBufferField?: string;
  /** With byteBufferField: the path (below the section) of the dump itself. */
  byteBufferPath?: (string | number)[];
  meaning?: string;
  /** The first property name of the path that the model does not know, and the structure it was looked up in. */
  unknown?: { name: string; parentShape: string };
}

/**
 * Follows `path` (property names and array indexes below `requestParameters` or
 * `responseElements`) through the operation's input or output shape.
 */
export function resolveAcmParameter(operationName: string, section: Section, path: readonly (string | number)[]): ResolvedParameter | undefined {
  const operation = acmOperation(operationName);
  const root = section === 'requestParameters' ? operation?.input?.shape : operation?.output?.shape;
  if (!operation || !root) {
    return undefined;
  }
  const rootShape = acmShape(root);
  if (!rootShape) {
    return undefined;
  }
  const resolved: ResolvedParameter = { operation: operationName, section, shapeName: root, shape: rootShape, listItem: false };
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth];
    const shape = resolved.shape;
    if (shape.type === 'structure') {
      if (typeof segment !== 'string') {
        return resolved;
      }
      const member = findMember(resolved.shapeName, segment);
      if (!member) {
        resolved.unknown = { name: segment, parentShape: resolved.shapeName };
        return resolved;
      }
      resolved.parentShape = resolved.shapeName;
      resolved.member = member;
      resolved.shapeName = member.shapeName;
      resolved.shape = member.shape;
      resolved.listItem = false;
      resolved.meaning = acmMemberMeaning(resolved.parentShape, member.name);
    } else if (shape.type === 'list' && shape.member) {
      const item = acmShape(shape.member.shape);
      if (!item) {
        return resolved;
      }
      resolved.shapeName = shape.member.shape;
      resolved.shape = item;
      resolved.listItem = true;
    } else if (shape.type === 'map') {
      const value = (shape as { value?: { shape: string } }).value;
      const valueShape = value ? acmShape(value.shape) : undefined;
      if (!value || !valueShape) {
        return resolved;
      }
      resolved.shapeName = value.shape;
      resolved.shape = valueShape;
    } else if (shape.type === 'blob') {
      resolved.byteBufferField = String(segment);
      resolved.byteBufferPath = path.slice(0, depth);
      return resolved;
    } else {
      return resolved;
    }
  }
  return resolved;
}

/** "string, 20 to 2048 characters, matching `arn:...`" and the like, as separate facts. */
export interface ShapeFacts {
  /** "string", "integer", "list of Tag", "bytes (blob)", ... */
  type: string;
  constraints: string[];
  pattern?: string;
  enumValues?: readonly string[];
  sensitive: boolean;
  deprecated: boolean;
}

function range(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${min} ${unit}` : `${min} to ${max} ${unit}`;
  if (min !== undefined) return `at least ${min} ${unit}`;
  if (max !== undefined) return `at most ${max} ${unit}`;
  return undefined;
}

export function describeShape(shapeName: string, shape: Shape): ShapeFacts {
  const constraints: string[] = [];
  let type: string = shape.type;
  switch (shape.type) {
    case 'string': {
      const length = range(shape.min, shape.max, 'characters');
      if (length) constraints.push(length);
      break;
    }
    case 'blob': {
      type = 'bytes';
      const length = range(shape.min, shape.max, 'bytes');
      if (length) constraints.push(length);
      break;
    }
    case 'integer':
    case 'long': {
      const values = range(shape.min, shape.max, '');
      if (values) constraints.push(`from ${values.trim()}`.replace('from at', 'at').replace('from exactly', 'exactly'));
      break;
    }
    case 'list': {
      type = `list of ${shape.member?.shape ?? 'items'}`;
      const count = range(shape.min, shape.max, 'items');
      if (count) constraints.push(count);
      break;
    }
    case 'structure':
      type = `structure ${shapeName}`;
      if ((shape as { union?: boolean }).union) constraints.push('exactly one member set');
      break;
    case 'timestamp':
      type = 'timestamp';
      break;
    default:
      break;
  }
  if (shape.type !== 'structure' && shape.type !== 'list' && shapeName !== shape.type && !/^(String|Integer|Long|Boolean|Timestamp|TStamp)$/i.test(shapeName)) {
    type += ` (${shapeName})`;
  }
  return {
    type,
    constraints,
    pattern: shape.pattern,
    enumValues: shape.enum,
    sensitive: shape.sensitive === true,
    deprecated: shape.deprecated === true,
  };
}

/** A Java ByteBuffer as CloudTrail dumps it: `{"hb":[...],"offset":0,...,"limit":N,"capacity":N}`. */
export function isByteBufferDump(view: JsonView, node: number): boolean {
  return (
    view.kind(node) === NodeKind.Object &&
    view.property(node, 'hb') !== NO_NODE &&
    (view.property(node, 'limit') !== NO_NODE || view.property(node, 'capacity') !== NO_NODE)
  );
}

/** The byte length of a ByteBuffer dump: `limit` (minus `position`), else `capacity`. */
export function byteBufferLength(view: JsonView, node: number): number | undefined {
  const limit = view.scalar(view.property(node, 'limit'));
  const position = view.scalar(view.property(node, 'position'));
  if (typeof limit === 'number' && Number.isFinite(limit)) {
    return limit - (typeof position === 'number' && Number.isFinite(position) ? position : 0);
  }
  const capacity = view.scalar(view.property(node, 'capacity'));
  return typeof capacity === 'number' && Number.isFinite(capacity) ? capacity : undefined;
}

/** The fields of a ByteBuffer dump, in this project's words. */
export const BYTE_BUFFER_FIELDS: Readonly<Record<string, string>> = {
  hb: 'the bytes themselves (CloudTrail\u2019s examples show placeholders)',
  offset: 'where the data starts in the backing array',
  isReadOnly: 'whether the buffer could be written',
  bigEndian: 'the byte order of the buffer',
  nativeByteOrder: 'whether that order is the machine\u2019s own',
  mark: 'a saved position (-1: none)',
  position: 'where reading would start',
  limit: 'where the data ends: the length in bytes',
  capacity: 'the size of the buffer in bytes',
  address: 'a memory address (0 for heap buffers)',
};

export interface ValueCheck {
  /** true: satisfies every constraint checked; false: breaks one; undefined: cannot be checked. */
  ok?: boolean;
  /** What the value is, read against the shape ("certificate, 2503 bytes"). */
  reading?: string;
  /** Constraints broken, or why nothing could be checked. */
  notes: string[];
}

/** Patterns are anchored and compiled once; values longer than this are not matched (the cost grows with length). */
const MAX_PATTERN_INPUT = 4096;
const compiled = new Map<string, RegExp | null>();

function patternOf(pattern: string): RegExp | null {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      regex = null;
    }
    compiled.set(pattern, regex);
  }
  return regex;
}

/** Code points in `value`: a surrogate pair counts once. */
function codePointCount(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** `cut` says `value` is only the start of the logged string (see readString). */
function checkString(value: string, shape: Shape, notes: string[], cut = false): boolean {
  let ok = true;
  const length = codePointCount(value);
  const counted = cut ? `more than ${String(length)}` : String(length);
  if (shape.min !== undefined && length < shape.min) {
    notes.push(`it has ${counted} characters, fewer than the ${String(shape.min)} required`);
    ok = false;
  }
  if (shape.max !== undefined && length > shape.max) {
    notes.push(`it has ${counted} characters, more than the ${String(shape.max)} allowed`);
    ok = false;
  }
  if (shape.enum && !shape.enum.includes(value)) {
    notes.push('it is not one of the allowed values');
    ok = false;
  }
  if (shape.pattern && ok) {
    const regex = patternOf(shape.pattern);
    if (regex && !cut && value.length <= MAX_PATTERN_INPUT) {
      if (!regex.test(value)) {
        notes.push('it does not match the pattern');
        ok = false;
      }
    }
  }
  return ok;
}

function checkNumber(value: number, shape: Shape, notes: string[]): boolean {
  let ok = true;
  if (!Number.isInteger(value)) {
    notes.push('it is not a whole number');
    ok = false;
  }
  if (shape.min !== undefined && value < shape.min) {
    notes.push(`it is below the minimum ${shape.min}`);
    ok = false;
  }
  if (shape.max !== undefined && value > shape.max) {
    notes.push(`it is above the maximum ${shape.max}`);
    ok = false;
  }
  return ok;
}

const KIND_NAMES: Record<number, string> = {
  [NodeKind.Object]: 'an object',
  [NodeKind.Array]: 'an array',
  [NodeKind.String]: 'a string',
  [NodeKind.Number]: 'a number',
  [NodeKind.Boolean]: 'a boolean',
  [NodeKind.Null]: 'null',
  [NodeKind.Invalid]: 'not valid JSON',
};

/** Checks the logged value `node` against `shape` (the name is the member's log name, for readings). */
export function checkValue(view: JsonView, node: number, shapeName: string, shape: Shape, name: string): ValueCheck {
  const notes: string[] = [];
  const kind = view.kind(node);
  if (kind === NodeKind.Null) {
    return { reading: 'null: no value logged', notes };
  }
  // A string is read only as far as its checks need: past the longest allowed length.
  const prefix = kind === NodeKind.String ? view.stringPrefix(node, Math.max(EXPLAIN_READ_LIMIT, 2 * (shape.max ?? 0) + 2)) : undefined;
  const cut = prefix?.cut ?? false;
  const scalar = prefix ? prefix.text : view.scalar(node);
  if (scalar === HIDDEN_VALUE) {
    return { reading: 'hidden by CloudTrail: the value is secret and was not logged', notes: ['a hidden value cannot be checked'] };
  }
  switch (shape.type) {
    case 'string':
      if (typeof scalar !== 'string') {
        return { ok: false, notes: [`it is ${KIND_NAMES[kind]}, not a string`] };
      }
      return { ok: checkString(scalar, shape, notes, cut), notes };
    case 'blob': {
      if (isByteBufferDump(view, node)) {
        const bytes = byteBufferLength(view, node);
        if (bytes === undefined) {
          return { reading: `${name}, a byte buffer of unknown length`, notes: ['the dump has no readable limit'] };
        }
        let ok = true;
        if (shape.min !== undefined && bytes < shape.min) {
          notes.push(`${bytes} bytes is fewer than the ${shape.min} required`);
          ok = false;
        }
        if (shape.max !== undefined && bytes > shape.max) {
          notes.push(`${bytes} bytes is more than the ${shape.max} allowed`);
          ok = false;
        }
        return { ok, reading: `${name}, ${bytes} bytes`, notes };
      }
      if (typeof scalar === 'string') {
        // A blob logged as text: its length is a fair reading of its size.
        const ok = checkString(scalar, { ...shape, type: 'string', pattern: undefined }, notes, cut);
        return {
          ok,
          reading: `${name}, ${cut ? 'more than ' : ''}${String(scalar.length)} characters of text`,
          notes: notes.map((note) => note.replace('characters', 'characters (bytes)')),
        };
      }
      return { ok: false, notes: [`it is ${KIND_NAMES[kind]}, not bytes`] };
    }
    case 'integer':
    case 'long':
      if (typeof scalar !== 'number') {
        return { ok: false, notes: [`it is ${KIND_NAMES[kind]}, not a number`] };
      }
      return { ok: checkNumber(scalar, shape, notes), notes };
    case 'boolean':
      return typeof scalar === 'boolean' ? { ok: true, notes } : { ok: false, notes: [`it is ${KIND_NAMES[kind]}, not true or false`] };
    case 'timestamp':
      if ((typeof scalar === 'string' || typeof scalar === 'number') && parseTimestamp(scalar)) {
        return { ok: true, notes };
      }
      return { ok: false, notes: ['it is not a readable time'] };
    case 'list': {
      if (kind !== NodeKind.Array) {
        return { ok: false, notes: [`it is ${KIND_NAMES[kind]}, not a list`] };
      }
      const count = view.childCount(node);
      let ok = true;
      if (shape.min !== undefined && count < shape.min) {
        notes.push(`it has ${count} items, fewer than the ${shape.min} required`);
        ok = false;
      }
      if (shape.max !== undefined && count > shape.max) {
        notes.push(`it has ${count} items, more than the ${shape.max} allowed`);
        ok = false;
      }
      const itemShapeName = shape.member?.shape;
      const itemShape = itemShapeName ? acmShape(itemShapeName) : undefined;
      if (itemShapeName && itemShape && itemShape.type !== 'structure' && itemShape.type !== 'list') {
        let index = 0;
        for (const item of view.children(node)) {
          const itemCheck = checkValue(view, item, itemShapeName, itemShape, `${name}[${index}]`);
          if (itemCheck.ok === false) {
            notes.push(`item ${index}: ${itemCheck.notes.join('; ')}`);
            ok = false;
          }
          if (++index >= 100) break;
        }
      }
      return { ok, reading: `${count} item${count === 1 ? '' : 's'}`, notes };
    }
    case 'structure': {
      if (kind !== NodeKind.Object) {
        return { ok: false, notes: [`it is ${KIND_NAMES[kind]}, not an object`] };
      }
      let ok = true;
      // One lookup table per check: a logged object can have thousands of keys.
      const known = new Set(structureMembers(shapeName).flatMap((member) => [member.name, member.logName]));
      const missing = (shape.required ?? []).filter(
        (member) => known.has(member) && view.property(node, logName(member)) === NO_NODE && view.property(node, member) === NO_NODE,
      );
      if (missing.length > 0) {
        notes.push(`required ${missing.length === 1 ? 'member' : 'members'} missing: ${missing.map(logName).join(', ')}`);
        ok = false;
      }
      const unknown: string[] = [];
      for (const child of view.children(node)) {
        const key = view.key(child);
        if (key !== undefined && !known.has(key)) {
          unknown.push(key);
        }
      }
      if (unknown.length > 0) {
        notes.push(`not in the model: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', ...' : ''}`);
      }
      return { ok, notes };
    }
    default:
      return { notes };
  }
}

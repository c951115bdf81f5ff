import { RE2JS } from 're2js';
import { parseIpv4, parseIpv6 } from '../explain/ipAddress';
import { NodeKind } from '../json/nodeTable';
import { EventFields, FieldValue, lowerText } from './eventFields';
import { compileGlob, Glob, literalTokens, matchGlob, PatternToken, tokenizeSigmaString } from './glob';
import { FieldCondition, RuleProblem, SigmaModifier, SigmaScalar, TextSpan } from './types';

/**
 * Compiles one `field|modifiers: values` into a test over a record's fields, following the Sigma
 * specification's modifiers. Everything a rule can get wrong (a modifier without meaning here, a
 * bad regular expression, a CIDR that is not one) is reported at its key or value and the rule is
 * not compiled.
 */

export type FieldTest = (fields: EventFields) => boolean;

/** A test of one value found in the record. */
type ValueTest = (value: FieldValue) => boolean;

const ENCODINGS: ReadonlySet<SigmaModifier> = new Set(['base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'windash']);
const COMPARISONS: ReadonlySet<SigmaModifier> = new Set(['lt', 'lte', 'gt', 'gte']);
const REGEX_FLAGS: ReadonlySet<SigmaModifier> = new Set(['i', 'm', 's']);

export interface CompileContext {
  problems: RuleProblem[];
  /** Span of each value of the condition, when the values were written one by one. */
  valueSpans: readonly TextSpan[];
}

/** Splits a field path written with dots into its property names. */
export function fieldSegments(field: string): string[] {
  return field.split('.');
}

export function compileFieldCondition(condition: FieldCondition, context: CompileContext): FieldTest | undefined {
  const modifiers = condition.modifiers;
  const has = (modifier: SigmaModifier): boolean => modifiers.includes(modifier);
  const fail = (message: string, span: TextSpan = condition.span, code = 'sigma-invalid-value'): undefined => {
    context.problems.push({ code, severity: 'error', message, span });
    return undefined;
  };
  const valueSpan = (index: number): TextSpan => context.valueSpans[index] ?? condition.span;
  const path = condition.field;
  const segments = fieldSegments(path);
  const all = has('all');

  if (all && condition.values.length < 2) {
    // The specification forbids `all` on a single value; it means nothing more than the value itself.
    context.problems.push({
      code: 'sigma-all-single-value',
      severity: 'warning',
      message: 'The all modifier joins several values with and; with one value it changes nothing.',
      span: condition.span,
    });
  }
  if (modifiers.some((m) => REGEX_FLAGS.has(m)) && !has('re')) {
    fail('The i, m and s modifiers only apply to re.', condition.span, 'sigma-unknown-modifier');
    return;
  }

  if (has('exists')) {
    const wanted = condition.values[0];
    if (condition.values.length !== 1 || typeof wanted !== 'boolean') {
      fail('exists takes one value, true or false.', valueSpan(0));
      return;
    }
    return (fields) => fields.exists(path, segments) === wanted;
  }

  if (has('fieldref')) {
    const references: string[] = [];
    for (let i = 0; i < condition.values.length; i++) {
      const reference = condition.values[i];
      if (typeof reference !== 'string' || reference.length === 0) {
        fail('fieldref takes the name of another field.', valueSpan(i));
        return;
      }
      references.push(reference);
    }
    const tests = references.map((reference) => fieldReferenceTest(path, segments, reference, modifiers));
    return combine(tests, all);
  }

  const valueTests: ValueTest[] = [];
  for (let i = 0; i < condition.values.length; i++) {
    const test = compileValue(condition.values[i], modifiers, (message) => {
      fail(message, valueSpan(i), message.includes('regular expression') ? 'sigma-bad-regex' : 'sigma-invalid-value');
    });
    if (!test) {
      return undefined;
    }
    valueTests.push(test);
  }
  const nullValue = condition.values.map((value) => value === null);
  const perValue: FieldTest[] = valueTests.map((test, index) =>
    nullValue[index]
      ? (fields) => {
          const found = fields.values(path, segments);
          return found.length === 0 || found.some((value) => value.kind === NodeKind.Null);
        }
      : (fields) => {
          const found = fields.values(path, segments);
          // eslint-disable-next-line @typescript-eslint/prefer-for-of -- runs per record: an indexed loop makes no iterator, even before the function is optimized
          for (let i = 0; i < found.length; i++) {
            if (test(found[i])) return true;
          }
          return false;
        },
  );
  return combine(perValue, all);
}

function combine(tests: FieldTest[], all: boolean): FieldTest {
  return all ? allOf(tests) : anyOf(tests);
}

/** Passes when every test does (none: always). Plain loops: a test runs once per record, and makes nothing. */
export function allOf(tests: readonly FieldTest[]): FieldTest {
  if (tests.length === 1) return tests[0];
  return (fields) => {
    // eslint-disable-next-line @typescript-eslint/prefer-for-of -- runs per record: an indexed loop makes no iterator, even before the function is optimized
    for (let i = 0; i < tests.length; i++) {
      if (!tests[i](fields)) return false;
    }
    return true;
  };
}

/** Passes when any test does (none: never). */
export function anyOf(tests: readonly FieldTest[]): FieldTest {
  if (tests.length === 1) return tests[0];
  return (fields) => {
    // eslint-disable-next-line @typescript-eslint/prefer-for-of -- runs per record: an indexed loop makes no iterator, even before the function is optimized
    for (let i = 0; i < tests.length; i++) {
      if (tests[i](fields)) return true;
    }
    return false;
  };
}

/** A value of a keyword list: found in any value of the record. */
export function compileKeyword(value: SigmaScalar, onError: (message: string) => undefined): FieldTest | undefined {
  const test = compileValue(value, ['contains'], onError);
  if (!test) {
    return undefined;
  }
  return (fields) => fields.scalars().some(test);
}

/** The test of one rule value under the modifiers; undefined (after onError) when the value cannot be used. */
function compileValue(value: SigmaScalar, modifiers: readonly SigmaModifier[], onError: (message: string) => undefined): ValueTest | undefined {
  const has = (modifier: SigmaModifier): boolean => modifiers.includes(modifier);
  if (value === null) {
    return () => false; // handled by the caller: null means missing or null
  }
  if (has('re')) {
    if (typeof value !== 'string') {
      onError('re takes a regular expression written as a string.');
      return;
    }
    return compileRegex(value, has('i'), has('m'), has('s'), onError);
  }
  if (has('cidr')) {
    if (typeof value !== 'string') {
      onError('cidr takes a network written as text, such as 10.0.0.0/8.');
      return;
    }
    const network = parseCidr(value);
    if (!network) {
      onError(`${JSON.stringify(value)} is not a network in CIDR notation (such as 10.0.0.0/8 or 2001:db8::/32).`);
      return;
    }
    return (found) => found.kind === NodeKind.String && inNetwork(network, found.text);
  }
  const comparison = modifiers.find((m) => COMPARISONS.has(m));
  if (comparison) {
    const bound = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (Number.isNaN(bound)) {
      onError(`${comparison} compares numbers; ${JSON.stringify(value)} is not one.`);
      return;
    }
    return (found) => {
      if (found.kind !== NodeKind.Number && found.kind !== NodeKind.String) return false;
      const text = found.text.trim();
      const number = text === '' ? NaN : Number(text);
      if (Number.isNaN(number)) return false;
      switch (comparison) {
        case 'lt':
          return number < bound;
        case 'lte':
          return number <= bound;
        case 'gt':
          return number > bound;
        default:
          return number >= bound;
      }
    };
  }
  // Numbers and booleans are compared by their JSON text.
  const text = typeof value === 'string' ? value : String(value);
  const variants = encodeVariants(text, modifiers);
  const caseSensitive = has('cased') || modifiers.some((m) => m === 'base64' || m === 'base64offset');
  const globs: Glob[] = variants.map((tokens) => compileGlob(withPlacement(tokens, modifiers), caseSensitive));
  if (globs.length === 1 && globs[0].literal) {
    // A whole value: most values differ in length, which needs no lower-casing to see.
    const literal = globs[0].pieces[0].text;
    return (found) => !found.truncated && found.text.length === literal.length && (caseSensitive ? found.text === literal : equalsInLowerCase(found, literal));
  }
  return (found) => {
    const subject = caseSensitive ? found.text : lowerText(found);
    for (const glob of globs) {
      if (matchGlob(glob, subject, found.truncated)) return true;
    }
    return false;
  };
}

/**
 * Whether the value in lower case is `lowered`, without making the lower-case copy while its
 * characters are ASCII (the copy is made, once, for any other text).
 */
function equalsInLowerCase(found: FieldValue, lowered: string): boolean {
  const text = found.text;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    // Lower-casing other characters can change the length; before one, positions still agree.
    if (code >= 0x80) return lowerText(found) === lowered;
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    if (code !== lowered.charCodeAt(i)) return false;
  }
  return true;
}

/** contains, startswith and endswith put stars around the pattern. */
export function withPlacement(tokens: PatternToken[], modifiers: readonly SigmaModifier[]): PatternToken[] {
  const any: PatternToken = { kind: 'any' };
  const before = modifiers.includes('contains') || modifiers.includes('endswith');
  const after = modifiers.includes('contains') || modifiers.includes('startswith');
  return [...(before ? [any] : []), ...tokens, ...(after ? [any] : [])];
}

/**
 * The patterns a value stands for once its encoding modifiers are applied, in the order written.
 * An encoded value is literal: its stars and question marks are characters.
 */
export function encodeVariants(text: string, modifiers: readonly SigmaModifier[]): PatternToken[][] {
  if (!modifiers.some((m) => ENCODINGS.has(m))) {
    return [tokenizeSigmaString(text)];
  }
  let values: (string | Uint8Array)[] = [text];
  for (const modifier of modifiers) {
    switch (modifier) {
      case 'windash':
        values = values.flatMap((v): (string | Uint8Array)[] => (typeof v === 'string' ? windashVariants(v) : [v]));
        break;
      case 'wide':
      case 'utf16le':
        values = values.map((v) => utf16(v, 'le', false));
        break;
      case 'utf16be':
        values = values.map((v) => utf16(v, 'be', false));
        break;
      case 'utf16':
        values = values.map((v) => utf16(v, 'le', true));
        break;
      case 'base64':
        values = values.map((v) => Buffer.from(bytesOf(v)).toString('base64'));
        break;
      case 'base64offset':
        values = values.flatMap((v) => base64OffsetVariants(bytesOf(v)));
        break;
      default:
        break;
    }
  }
  return values.map((v) => literalTokens(typeof v === 'string' ? v : Buffer.from(v).toString('latin1')));
}

function bytesOf(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

function utf16(value: string | Uint8Array, order: 'le' | 'be', byteOrderMark: boolean): Uint8Array {
  const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
  const bytes = Buffer.from(text, 'utf16le');
  if (order === 'be') bytes.swap16();
  return byteOrderMark ? Buffer.concat([Buffer.from([0xff, 0xfe]), bytes]) : bytes;
}

/**
 * The three texts that a value's bytes become when base64-encoded at an offset of 0, 1 or 2 bytes
 * into a longer string, without the characters that depend on the neighbouring bytes.
 */
function base64OffsetVariants(bytes: Uint8Array): string[] {
  const startOffsets = [0, 2, 3];
  const endOffsets = [0, -3, -2];
  const variants: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift, 0x20), bytes]);
    const encoded = padded.toString('base64');
    const end = endOffsets[(bytes.length + shift) % 3];
    variants.push(encoded.slice(startOffsets[shift], end === 0 ? encoded.length : encoded.length + end));
  }
  return variants;
}

/** Command-line flags written with `-` or `/`: every combination, for up to 8 flags. */
function windashVariants(text: string): string[] {
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if ((text[i] === '-' || text[i] === '/') && (i === 0 || text[i - 1] === ' ')) positions.push(i);
  }
  if (positions.length === 0 || positions.length > 8) {
    return [text];
  }
  const variants: string[] = [];
  for (let mask = 0; mask < 1 << positions.length; mask++) {
    const chars = text.split('');
    positions.forEach((position, bit) => {
      chars[position] = mask & (1 << bit) ? '/' : '-';
    });
    variants.push(chars.join(''));
  }
  return variants;
}

/** The longest run of characters that every match must contain, read from a simple pattern; '' when there is none to rely on. */
export function requiredLiteral(pattern: string): string {
  if (/[|\\[(){}]/.test(pattern)) {
    return '';
  }
  let best = '';
  let run = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const next = pattern[i + 1];
    if (/[\w:/@=, -]/.test(c)) {
      if (next === '?' || next === '*' || next === '+') {
        // A quantified character may be absent or repeated: the run ends before it.
        if (run.length > best.length) best = run;
        run = '';
        i++;
        continue;
      }
      run += c;
    } else {
      if (run.length > best.length) best = run;
      run = '';
    }
  }
  return run.length > best.length ? run : best;
}

function compileRegex(
  pattern: string,
  ignoreCase: boolean,
  multiLine: boolean,
  dotAll: boolean,
  onError: (message: string) => undefined,
): ValueTest | undefined {
  let regex: RE2JS;
  try {
    // RE2 decides a match in time linear in the value: no rule can stall the server with backtracking.
    regex = RE2JS.compile(pattern, (ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (multiLine ? RE2JS.MULTILINE : 0) | (dotAll ? RE2JS.DOTALL : 0));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    onError(`This regular expression cannot be used: ${reason}.`);
    return;
  }
  const literal = requiredLiteral(pattern);
  // Without case, RE2 also takes the long s (U+017F) for an s, which lowering the value keeps as
  // it is: a literal with an s cannot be looked for in the lowered value.
  const needle = !ignoreCase ? literal : /s/i.test(literal) ? '' : literal.toLowerCase();
  return (found) => {
    if (needle.length > 0 && !(ignoreCase ? lowerText(found) : found.text).includes(needle)) {
      return false;
    }
    return regex.matcher(found.text).find();
  };
}

export interface Network {
  version: 4 | 6;
  /** The address as 16-bit groups (IPv4: two). */
  groups: number[];
  bits: number;
}

export function parseCidr(text: string): Network | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const bitsText = slash < 0 ? undefined : text.slice(slash + 1);
  const groups = addressGroups(address);
  if (!groups) return undefined;
  const version = groups.length === 2 ? 4 : 6;
  const maxBits = version === 4 ? 32 : 128;
  const bits = bitsText === undefined ? maxBits : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (Number.isNaN(bits) || bits > maxBits) return undefined;
  return { version, groups, bits };
}

function addressGroups(text: string): number[] | undefined {
  if (text.includes(':')) {
    return parseIpv6(text);
  }
  const v4 = parseIpv4(text);
  return v4 && v4.value >= 0 ? [v4.value >>> 16, v4.value & 0xffff] : undefined;
}

function inNetwork(network: Network, text: string): boolean {
  if (text.length > 45) return false;
  const groups = addressGroups(text);
  if (groups?.length !== network.groups.length) return false;
  let bits = network.bits;
  for (let i = 0; i < groups.length && bits > 0; i++, bits -= 16) {
    const take = Math.min(16, bits);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if ((groups[i] & mask) !== (network.groups[i] & mask)) return false;
  }
  return true;
}

/** fieldref: the field equals (or contains, starts or ends with) the value of another field of the same record. */
function fieldReferenceTest(path: string, segments: readonly string[], reference: string, modifiers: readonly SigmaModifier[]): FieldTest {
  const referenceSegments = fieldSegments(reference);
  const caseSensitive = modifiers.includes('cased');
  return (fields) => {
    const wanted = fields.values(reference, referenceSegments);
    const found = fields.values(path, segments);
    for (const other of wanted) {
      if (other.kind === NodeKind.Null) continue;
      const glob = compileGlob(withPlacement(literalTokens(other.text), modifiers), caseSensitive);
      for (const value of found) {
        if (matchGlob(glob, caseSensitive ? value.text : lowerText(value), value.truncated)) return true;
      }
    }
    return false;
  };
}

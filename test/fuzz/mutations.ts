/**
 * Hostile versions of real logs, for property-based tests: a fixture, then a few mutations of the
 * kinds a broken pipeline or an attacker produces (cuts, flipped characters, stray punctuation,
 * deep nesting, huge values, names written twice, invisible characters).
 */
import * as fc from 'fast-check';
import { listFixtures, readFixture } from '../fixtures';

/** The fixtures the mutations start from: every real log and AWS example small enough to mutate quickly. */
export const SEED_TEXTS: readonly string[] = ['real', 'aws-docs-acm', 'shapes']
  .flatMap((folder) => listFixtures(folder))
  .map((file) => readFixture(file))
  .filter((text) => text.length > 0 && text.length < 200_000);

const PUNCTUATION = ['{', '}', '[', ']', ':', ',', '"', '\\', '\n', ' ', 'null', '-', '1e999', '\\u', '\\ud800'];
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u202e', '\u2066', '\u0000', '\u001b', '\ud800', '\udc00', '\u2028'];

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; code: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'nest'; at: number; depth: number; bracket: '[' | '{' }
  | { kind: 'longValue'; at: number; length: number; unit: string }
  | { kind: 'duplicateKey'; occurrence: number; value: string }
  | { kind: 'invisible'; at: number; character: string };

/** A position as a fraction of the text's length, so that it fits every text. */
const place = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  place.map((at): Mutation => ({ kind: 'truncate', at })),
  fc.record({ at: place, code: fc.integer({ min: 0, max: 0xffff }) }).map((m): Mutation => ({ kind: 'flip', ...m })),
  fc.record({ at: place, text: fc.constantFrom(...PUNCTUATION) }).map((m): Mutation => ({ kind: 'insert', ...m })),
  fc
    .record({ at: place, depth: fc.integer({ min: 1, max: 3000 }), bracket: fc.constantFrom<'[' | '{'>('[', '{') })
    .map((m): Mutation => ({ kind: 'nest', ...m })),
  fc
    .record({ at: place, length: fc.integer({ min: 1, max: 200_000 }), unit: fc.constantFrom('a', 'aws-cli/2 ', '\\"', '\\u0041', 'arn:', '/', '1.') })
    .map((m): Mutation => ({ kind: 'longValue', ...m })),
  fc
    .record({ occurrence: fc.integer({ min: 0, max: 40 }), value: fc.constantFrom('"x"', '[]', '{}', 'null', '1', '"adm\u200bin"', '[{"eventName":"Dup"}]') })
    .map((m): Mutation => ({ kind: 'duplicateKey', ...m })),
  fc.record({ at: place, character: fc.constantFrom(...INVISIBLE) }).map((m): Mutation => ({ kind: 'invisible', ...m })),
);

/** A fixture and the mutations applied to it in order. */
export const hostileLog = fc.record({
  seed: fc.integer({ min: 0, max: SEED_TEXTS.length - 1 }),
  mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
});

/** The offset a fraction stands for in `text`. */
function offsetOf(text: string, at: number): number {
  return Math.min(text.length, Math.floor(at * (text.length + 1)));
}

/** The `occurrence`-th `"name":` of the text (counted modulo how many there are). */
function keyAt(text: string, occurrence: number): number {
  const keys = [...text.matchAll(/"[A-Za-z]+"\s*:/g)];
  return keys.length === 0 ? -1 : keys[occurrence % keys.length].index;
}

export function applyMutation(text: string, change: Mutation): string {
  switch (change.kind) {
    case 'truncate':
      return text.slice(0, offsetOf(text, change.at));
    case 'flip': {
      const at = Math.min(offsetOf(text, change.at), Math.max(0, text.length - 1));
      return text.slice(0, at) + String.fromCharCode(change.code) + text.slice(at + 1);
    }
    case 'insert':
      return text.slice(0, offsetOf(text, change.at)) + change.text + text.slice(offsetOf(text, change.at));
    case 'nest': {
      const at = offsetOf(text, change.at);
      return text.slice(0, at) + change.bracket.repeat(change.depth) + text.slice(at);
    }
    case 'longValue': {
      // Inside the nearest string after the place, when there is one: a huge user agent, ARN, escape run.
      const at = text.indexOf('"', offsetOf(text, change.at));
      const long = change.unit.repeat(Math.ceil(change.length / change.unit.length));
      return at < 0 ? `${text}"${long}"` : text.slice(0, at + 1) + long + text.slice(at + 1);
    }
    case 'duplicateKey': {
      const at = keyAt(text, change.occurrence);
      if (at < 0) return text;
      const colon = text.indexOf(':', at);
      return `${text.slice(0, at)}${text.slice(at, colon + 1)}${change.value},${text.slice(at)}`;
    }
    case 'invisible':
      return text.slice(0, offsetOf(text, change.at)) + change.character + text.slice(offsetOf(text, change.at));
  }
}

export function hostileText(log: { seed: number; mutations: readonly Mutation[] }): string {
  return log.mutations.reduce(applyMutation, SEED_TEXTS[log.seed]);
}

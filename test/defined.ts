import * as assert from 'node:assert/strict';

/** The value, after failing the test when it is missing: what a test writes instead of `value!`. */
export function defined<T>(value: T | null | undefined, what = 'the value'): T {
  assert.ok(value !== undefined && value !== null, `${what} is missing`);
  return value;
}

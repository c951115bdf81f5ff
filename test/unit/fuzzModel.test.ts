/**
 * A bounded, seeded slice of the fuzz suite (test/fuzz): hostile versions of the real logs read by
 * the model. `npm run fuzz` runs the same property for as long as it is asked.
 */
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { modelProperty } from '../fuzz/properties';

describe('fuzz: the model on hostile logs (seeded slice)', () => {
  it('never throws, keeps every range inside the text, agrees with JSON.parse and updates incrementally as it parses', () => {
    fc.assert(modelProperty, { seed: 17, numRuns: 150, endOnFailure: false });
  });
});

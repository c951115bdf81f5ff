/**
 * A bounded, seeded slice of the fuzz suite (test/fuzz) over LSP: the built server answers every
 * request on hostile logs, with ranges inside the document. `npm run fuzz` runs it for longer.
 */
import { after, before, describe, it } from 'node:test';
import * as fc from 'fast-check';
import { serverProperty } from '../fuzz/properties';
import { LspSession } from './lspSession';

describe('fuzz: the server on hostile logs (seeded slice)', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start();
  });
  after(() => session.stop());

  it('answers every request, with every range inside the document', async () => {
    await fc.assert(serverProperty(session), { seed: 17, numRuns: 25 });
  });
});

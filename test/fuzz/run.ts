/**
 * `npm run fuzz -- --minutes=N`: runs the fuzz properties with fresh seeds until the time is up.
 * A failure is shrunk by fast-check to a minimal log and written to `.fuzz/` (the text, the
 * mutations that made it, the seed to replay), and its path is printed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { LspSession, ROOT } from '../protocol/lspSession';
import { modelProperty, serverProperty } from './properties';
import { hostileText } from './mutations';

const minutes = Number(/^--minutes=(.+)$/.exec(process.argv.find((argument) => argument.startsWith('--minutes=')) ?? '')?.[1] ?? '1');
const outFolder = path.join(ROOT, '.fuzz');

interface Failure {
  property: string;
  seed: number;
  path: string;
  error: string;
  counterexample: unknown;
  text?: string;
}

function save(failure: Failure): string {
  fs.mkdirSync(outFolder, { recursive: true });
  const file = path.join(outFolder, `${failure.property}-${String(failure.seed)}.json`);
  fs.writeFileSync(file, `${JSON.stringify(failure, null, 2)}\n`);
  return file;
}

function textOf(counterexample: unknown): string | undefined {
  const log = (counterexample as unknown[] | undefined)?.[0];
  try {
    return hostileText(log as Parameters<typeof hostileText>[0]);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const deadline = Date.now() + minutes * 60_000;
  let session = await LspSession.start();
  const counts = { model: 0, server: 0, failures: 0 };
  while (Date.now() < deadline) {
    for (const [name, run] of [
      ['model', () => fc.check(modelProperty, { seed: Date.now() | 0, numRuns: 200 })],
      ['server', () => fc.check(serverProperty(session), { seed: Date.now() | 0, numRuns: 20 })],
    ] as const) {
      const details = await run();
      counts[name] += details.numRuns;
      if (details.failed) {
        counts.failures++;
        const file = save({
          property: name,
          seed: details.seed,
          path: details.counterexamplePath ?? '',
          error: details.errorInstance instanceof Error ? (details.errorInstance.stack ?? details.errorInstance.message) : String(details.errorInstance),
          counterexample: details.counterexample,
          text: textOf(details.counterexample),
        });
        console.log(`fuzz: ${name} failed (seed ${String(details.seed)}); minimal reproducer written to ${file}`);
        if (name === 'server') {
          await session.stop();
          session = await LspSession.start();
        }
      }
      if (Date.now() >= deadline) break;
    }
  }
  await session.stop();
  console.log(
    `fuzz: ${String(minutes)} minutes, ${String(counts.model)} model runs and ${String(counts.server)} server runs, ${String(counts.failures)} failures${counts.failures > 0 ? `, reproducers in ${outFolder}` : ''}`,
  );
  process.exitCode = counts.failures > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/** The test/fixtures folder, from out/test/... or test/... */
export const FIXTURES = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../test/fixtures' : 'fixtures');

/** Reads a fixture as text, decompressing .gz files. */
export function readFixture(relative: string): string {
  const file = path.join(FIXTURES, relative);
  const bytes = fs.readFileSync(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
}

/** Fixture paths (relative to FIXTURES) below a folder, sorted. */
export function listFixtures(folder: string): string[] {
  const walk = (relative: string): string[] =>
    fs
      .readdirSync(path.join(FIXTURES, relative), { withFileTypes: true })
      .flatMap((entry) => (entry.isDirectory() ? walk(path.join(relative, entry.name)) : [path.join(relative, entry.name)]));
  return walk(folder)
    .filter((f) => !f.endsWith('.md'))
    .sort();
}

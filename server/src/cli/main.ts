import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CliFileSystem, EntryKind, runCli } from './run';

/** The package version; this file runs bundled as dist/cli.js, next to the package's folder root. */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function kindOf(stats: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
  if (stats.isSymbolicLink()) return 'link';
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  return 'other';
}

const nodeFileSystem: CliFileSystem = {
  async stat(target) {
    try {
      return kindOf(await fs.stat(target));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  async readDirectory(folder) {
    const entries = await fs.readdir(folder, { withFileTypes: true });
    return entries.map((entry) => ({ name: entry.name, kind: kindOf(entry) }));
  },
  readFile: (file) => fs.readFile(file),
};

// Output piped into `head` closes early; that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

runCli({
  argv: process.argv.slice(2),
  fs: nodeFileSystem,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  version: packageVersion(),
  // Bundled next to this file by scripts/build.mjs.
  bundledRules: path.join(__dirname, 'sigma'),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cloudtrail-explorer: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);

import { promises as fs } from 'node:fs';
import { CliFileSystem, EntryKind } from './run';

/** The disk, for what a subcommand reads besides logs (rule folders, policy files). */
function kindOf(stats: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
  if (stats.isSymbolicLink()) return 'link';
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  return 'other';
}

export const nodeFileSystem: CliFileSystem = {
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

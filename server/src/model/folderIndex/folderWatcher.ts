import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Watches a folder tree for changed, added and removed files with one `fs.watch` per folder
 * (inotify on Linux), for clients that cannot watch files for the server. Node's own recursive
 * watch is not used: on Linux it polls every file with `fs.watchFile`, which for thousands of
 * logs costs memory and a steady stream of `stat` calls.
 */

/** Folders that never hold logs (as for listing). */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.svn', '.hg']);

/** A tree deeper or wider than this is watched in part, not at all beyond. */
const MAX_FOLDERS = 20_000;

export interface FolderWatcher {
  dispose(): void;
}

/**
 * Calls `onChange` with the path of every file or folder that changes at or below `root`; a new
 * folder is watched too. `onError` hears about folders that could not be watched.
 */
export function watchFolderTree(root: string, onChange: (changed: string) => void, onError: (message: string) => void): FolderWatcher {
  const watchers = new Map<string, fs.FSWatcher>();
  let disposed = false;
  let warned = false;

  const watchFolder = (folder: string): void => {
    if (disposed || watchers.has(folder)) {
      return;
    }
    if (watchers.size >= MAX_FOLDERS) {
      if (!warned) onError(`More than ${MAX_FOLDERS} folders below ${root}: the ones beyond are not watched for new logs.`);
      warned = true;
      return;
    }
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(folder, { persistent: false }, (_event, name) => {
        if (!name) {
          onChange(folder); // the platform did not say what changed: look at the whole folder
          return;
        }
        const changed = path.join(folder, name);
        onChange(changed);
        fs.stat(changed, (error, stat) => {
          if (!error && stat.isDirectory() && !SKIPPED_FOLDERS.has(path.basename(changed))) addTree(changed);
        });
      });
    } catch (error) {
      onError(`Cannot watch ${folder} for new logs: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    watcher.on('error', () => {
      // The folder went away (its removal is reported to its parent's watcher).
      watcher.close();
      watchers.delete(folder);
    });
    watchers.set(folder, watcher);
  };

  const addTree = (top: string): void => {
    const pending = [top];
    while (pending.length > 0 && !disposed) {
      const folder = pending.pop();
      if (folder === undefined) break;
      watchFolder(folder);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(folder, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) pending.push(path.join(folder, entry.name));
      }
    }
  };

  addTree(root);
  return {
    dispose: () => {
      disposed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

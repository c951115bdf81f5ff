/**
 * Finding and reading log files on disk, with the limits both the language server's folder index
 * and the command line keep: folder links are not followed (a link back up the tree would never
 * end), links to files are (a loop or a dangling link is reported by name), named pipes, sockets
 * and devices are never opened (reading a pipe can wait forever), unreadable folders and files
 * are reported by name, and compressed content stops at a decompressed-size limit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, pipeline } from 'node:stream';
import * as zlib from 'node:zlib';

/** Names of log files: `.json`, `.json.gz` and other `.gz`, and one-event-per-line files. */
export function isLogFileName(name: string): boolean {
  return /\.(json|jsonl|ndjson|gz)$/i.test(name);
}

/** Folders that never hold logs: version control, packages and the editor's own settings. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.svn', '.hg', '.vscode']);

export interface LogFileProblem {
  /** The path as found (below a root as given). */
  path: string;
  message: string;
}

export interface LogFileListing {
  /** The log files, each once, sorted by path. */
  files: string[];
  /** Entries below the roots that are not log files (other names, links to folders, special files). */
  skipped: number;
  /** Roots that do not exist. */
  missing: string[];
  /** Folders, links and special files that could not be read, by name. */
  problems: LogFileProblem[];
}

/** What kind of thing a stat describes, in words, for special files. */
function specialKind(stats: fs.Stats): string | undefined {
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why a link cannot be followed, for a person. */
function brokenLink(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ELOOP') return 'it is a symbolic link that leads back to itself (a loop), so it was not read';
  if (code === 'ENOENT') return 'it is a symbolic link to nothing, so it was not read';
  return `it could not be followed: ${errorMessage(error)}`;
}

/**
 * The log files named by `roots` (relative to `cwd`): a folder contributes every log file below
 * it, a file named directly is taken whatever its name. Paths come back as the roots are written.
 */
export async function findLogFiles(roots: readonly string[], options: { cwd?: string; signal?: AbortSignal } = {}): Promise<LogFileListing> {
  const cwd = options.cwd ?? process.cwd();
  const listing: LogFileListing = { files: [], skipped: 0, missing: [], problems: [] };
  const seen = new Set<string>();
  const add = (file: string): void => {
    const key = path.resolve(cwd, file);
    if (!seen.has(key)) {
      seen.add(key);
      listing.files.push(file);
    }
  };
  const found: string[] = [];
  for (const root of roots) {
    let stats: fs.Stats;
    try {
      stats = await fs.promises.stat(path.resolve(cwd, root));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ENOENT') {
        listing.missing.push(root);
      } else {
        listing.problems.push({
          path: root,
          message: `${path.basename(root)}: ${code === 'ELOOP' ? brokenLink(error) : `it could not be read: ${errorMessage(error)}`}.`,
        });
      }
      continue;
    }
    if (stats.isDirectory()) {
      found.length = 0;
      await walk(root, cwd, listing, found, options.signal);
      found.sort();
      found.forEach(add);
    } else if (stats.isFile()) {
      add(root);
    } else {
      listing.problems.push({
        path: root,
        message: `${path.basename(root)} is ${specialKind(stats) ?? 'not a regular file'}, not a log file: it was not read.`,
      });
    }
  }
  return listing;
}

async function walk(root: string, cwd: string, listing: LogFileListing, found: string[], signal: AbortSignal | undefined): Promise<void> {
  const pending = [root];
  while (pending.length > 0) {
    if (signal?.aborted) {
      throw signal.reason;
    }
    const folder = pending.pop() ?? root;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(path.resolve(cwd, folder), { withFileTypes: true });
    } catch (error) {
      listing.problems.push({ path: folder, message: `The folder ${path.basename(folder)} could not be read: ${errorMessage(error)}.` });
      continue;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(full);
        continue;
      }
      if (!isLogFileName(entry.name)) {
        listing.skipped++;
        continue;
      }
      if (entry.isFile()) {
        found.push(full);
        continue;
      }
      if (entry.isSymbolicLink()) {
        try {
          const target = await fs.promises.stat(path.resolve(cwd, full));
          if (target.isFile()) {
            found.push(full);
          } else {
            // A link to a folder is not followed; to a pipe or device, not opened.
            listing.skipped++;
          }
        } catch (error) {
          listing.problems.push({ path: full, message: `${entry.name}: ${brokenLink(error)}.` });
        }
        continue;
      }
      listing.problems.push({ path: full, message: `${entry.name} is a special file (a pipe, socket or device), not a log file: it was not read.` });
    }
  }
}

export type LogContent =
  /** The whole (decompressed) content. */
  | { status: 'read'; bytes: Buffer; compressed: boolean }
  /** More content than `maxContentBytes`: read no further, to be streamed instead. */
  | { status: 'overContentLimit'; compressed: boolean }
  | { status: 'tooLarge' | 'damaged' | 'unreadable'; message: string; compressed: boolean };

const READ_CHUNK = 256 * 1024;
const INFLATE_CHUNK = 128 * 1024;

/**
 * Reads one log file whole, decompressing gzip content (told by its first bytes): stops at
 * `maxDecompressedBytes` of decompressed content (a gzip bomb) and at `maxContentBytes` of
 * content of any kind, so memory never holds more than that, whatever the file says.
 */
export async function readLogContent(file: string, limits: { maxDecompressedBytes: number; maxContentBytes: number }): Promise<LogContent> {
  const name = path.basename(file);
  let handle: fs.promises.FileHandle;
  try {
    const stats = await fs.promises.stat(file);
    if (!stats.isFile()) {
      return { status: 'unreadable', message: `${name} is ${specialKind(stats) ?? 'not a regular file'}, not a log file: it was not read.`, compressed: false };
    }
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    return { status: 'unreadable', message: `${name} could not be read: ${errorMessage(error)}.`, compressed: false };
  }
  let compressed = false;
  let source: Readable | undefined;
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    compressed = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    const input = handle.createReadStream({ start: 0, highWaterMark: READ_CHUNK, autoClose: false });
    source = compressed ? pipeline(input, zlib.createGunzip({ chunkSize: INFLATE_CHUNK }), () => undefined) : input;
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of source as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (compressed && total > limits.maxDecompressedBytes) {
        return { status: 'tooLarge', message: decompressedTooLarge(name, limits.maxDecompressedBytes), compressed };
      }
      if (total > limits.maxContentBytes) {
        return { status: 'overContentLimit', compressed };
      }
      chunks.push(chunk);
    }
    return { status: 'read', bytes: Buffer.concat(chunks, total), compressed };
  } catch (error) {
    return { status: 'damaged', message: describeDamage(name, error, compressed), compressed };
  } finally {
    source?.destroy();
    await handle.close().catch(() => undefined);
  }
}

/** What a file whose content passes the decompressed-size limit is told. */
export function decompressedTooLarge(name: string, maxDecompressedBytes: number): string {
  return `${name} was not read: decompressed, it is larger than ${formatMegabytes(maxDecompressedBytes)} (the limit on decompressed logs), so reading stopped there.`;
}

export function describeDamage(name: string, error: unknown, compressed: boolean): string {
  const code = (error as { code?: unknown }).code;
  const message = errorMessage(error);
  if (compressed && (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message))) {
    return `${name} is damaged: its compressed data ends too early (the file is probably cut short).`;
  }
  if (compressed && typeof code === 'string' && code.startsWith('Z_')) {
    return `${name} is damaged: its compressed data is corrupt (${message}).`;
  }
  return `${name} could not be read to the end: ${message}.`;
}

export function formatMegabytes(bytes: number): string {
  if (bytes < 1024 * 1024) {
    return `${String(Math.round(bytes / 1024))} KB`;
  }
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? String(mb) : mb.toFixed(1)} MB`;
}

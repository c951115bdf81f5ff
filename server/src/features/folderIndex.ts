import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CancellationToken,
  Connection,
  DidChangeWatchedFilesNotification,
  Disposable,
  FileEvent,
  LSPErrorCodes,
  ResponseError,
  WorkDoneProgressReporter,
} from 'vscode-languageserver';
import { EventSelection, folderUsage, Usage } from '../model/iam/policy';
import { RuleSource } from '../model/detections/ruleFiles';
import {
  FolderGrouping,
  FolderIndex,
  FolderProgress,
  cachedFolderGrouping,
  IndexedFile,
  indexFiles,
  indexFolder,
  IndexRunner,
  InThreadRunner,
  isLogFileName,
  listLogFiles,
  watchFolderTree,
  WorkerPool,
} from '../model/folderIndex';
import { EventRef, EventTreeParams, EventTreeResult, FolderIndexChangedNotification, FolderIndexSummary, IndexFolderParams } from '../protocol';
import { RuntimeEnvironment } from '../runtime';
import { eventRef } from './eventRefs';
import { normalizeFilter, normalizeGroupBy, wireTree } from './eventTree';

/**
 * `cloudtrail/indexFolder` and the event tree of folder indexes: reads a folder of logs from disk
 * (on worker threads), keeps the index while the client needs it, and keeps it up to date as
 * files change, watched through the client (`workspace/didChangeWatchedFiles`) when it can, else
 * with a recursive `fs.watch`.
 */

export const DEFAULT_MAX_DECOMPRESSED_MB = 1024;

/** Changes to a folder's files are gathered this long before the index is updated. */
const CHANGE_DELAY_MS = 400;
/** Progress is sent at most this often. */
const PROGRESS_INTERVAL_MS = 150;

interface FolderState {
  uri: string;
  root: string;
  index?: FolderIndex;
  building?: AbortController;
  maxDecompressedBytes: number;
  watcher?: Disposable;
  pending: Set<string>;
  flushTimer?: Disposable;
  updating?: Promise<void>;
}

export interface FolderIndexHost {
  readonly runtime: RuntimeEnvironment;
  readonly runner: IndexRunner;
  /**
   * Asks the client to watch files (dynamic registration of workspace/didChangeWatchedFiles with a
   * relative pattern); undefined when the client cannot, and the server then watches the disk.
   */
  watchThroughClient(baseUri: string, pattern: string): Promise<Disposable> | undefined;
  /** Tells the client that an index changed. */
  notifyChanged(summary: FolderIndexSummary): void;
  /** The Sigma rules the index runs over the events, when detections are on. */
  ruleSource?(): RuleSource | undefined;
  /** An index was built or changed (its findings may have), or closed (undefined). */
  indexChanged?(root: string, index: FolderIndex | undefined): void;
  log(message: string): void;
}

/** The host of a language server connection. */
export function connectionHost(
  connection: Connection,
  runtime: RuntimeEnvironment,
  runner: IndexRunner,
  clientWatchesFiles: () => boolean,
  log: (message: string) => void,
): FolderIndexHost {
  return {
    runtime,
    runner,
    watchThroughClient: (baseUri, pattern) =>
      clientWatchesFiles()
        ? connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: { baseUri, pattern } }] })
        : undefined,
    notifyChanged: (summary) => void connection.sendNotification(FolderIndexChangedNotification.type, summary),
    log,
  };
}

export class FolderIndexService {
  private readonly folders = new Map<string, FolderState>();

  constructor(private readonly host: FolderIndexHost) {}

  async indexFolder(params: IndexFolderParams, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<FolderIndexSummary | ResponseError> {
    const root = toPath(params.uri);
    if (root === undefined) {
      return new ResponseError(LSPErrorCodes.RequestFailed, `Only folders on disk (file: URIs) can be indexed, not ${params.uri}.`);
    }
    let state = this.folders.get(root);
    if (state?.index && !state.building && !params.refresh) {
      return this.summaryOf(state, state.index);
    }
    if (!state) {
      state = { uri: params.uri, root, maxDecompressedBytes: 0, pending: new Set() };
      this.folders.set(root, state);
    }
    state.maxDecompressedBytes = Math.max(1, params.maxDecompressedMB ?? DEFAULT_MAX_DECOMPRESSED_MB) * 1024 * 1024;
    state.building?.abort(new Error('A newer request indexes this folder.'));
    const controller = new AbortController();
    state.building = controller;
    const cancel = token.onCancellationRequested(() => {
      controller.abort(new Error('Indexing was cancelled.'));
    });
    progress.begin('Indexing CloudTrail logs', 0, 'Looking for log files…', true);
    let lastReport = 0;
    const onProgress = (done: FolderProgress): void => {
      const now = Date.now();
      if (now - lastReport < PROGRESS_INTERVAL_MS && done.filesDone < done.filesTotal) {
        return;
      }
      lastReport = now;
      const percentage = done.filesTotal === 0 ? 100 : Math.floor((done.filesDone / done.filesTotal) * 100);
      progress.report(percentage, `${done.filesDone} of ${done.filesTotal} files, ${done.events.toLocaleString('en-US')} events`);
    };
    try {
      const rules = this.host.ruleSource?.();
      const index = await indexFolder(root, this.host.runner, {
        maxDecompressedBytes: state.maxDecompressedBytes,
        signal: controller.signal,
        onProgress,
        ...(rules ? { detections: rules } : {}),
      });
      if (state.building !== controller) {
        return new ResponseError(LSPErrorCodes.RequestCancelled, 'A newer request indexes this folder.');
      }
      state.building = undefined;
      state.index = index;
      await this.watch(state);
      this.host.indexChanged?.(root, index);
      return this.summaryOf(state, index);
    } catch (error) {
      if (state.building === controller) {
        state.building = undefined;
        if (!state.index) {
          this.folders.delete(root);
        }
      }
      if (controller.signal.aborted) {
        return new ResponseError(LSPErrorCodes.RequestCancelled, abortMessage(controller.signal.reason));
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return new ResponseError(LSPErrorCodes.RequestFailed, `${root} does not exist.`);
      }
      throw error;
    } finally {
      cancel.dispose();
      progress.done();
    }
  }

  close(uri: string): void {
    const root = toPath(uri);
    const state = root === undefined ? undefined : this.folders.get(root);
    if (!state) {
      return;
    }
    state.building?.abort(new Error('The folder index was closed.'));
    state.watcher?.dispose();
    state.flushTimer?.dispose();
    this.folders.delete(state.root);
    this.host.indexChanged?.(state.root, undefined);
  }

  dispose(): void {
    for (const state of [...this.folders.values()]) {
      this.close(state.uri);
    }
    void this.host.runner.dispose();
  }

  /** The folder indexes built so far, for the features that look across a folder (the trail). */
  openIndexes(): FolderIndex[] {
    return [...this.folders.values()].flatMap((state) => (state.index ? [state.index] : []));
  }

  /** The event tree of a folder index, or null when `params.folder` names none. */
  eventTree(params: EventTreeParams): EventTreeResult | null {
    const root = params.folder === undefined ? undefined : toPath(params.folder);
    const state = root === undefined ? undefined : this.folders.get(root);
    if (!state?.index) {
      return null;
    }
    const groupBy = normalizeGroupBy(params.groupBy);
    const filter = normalizeFilter(params.filter);
    const grouping = cachedFolderGrouping(state.index, { groupBy, filter });
    return answer(state.index, grouping, params);
  }

  /**
   * The calls of a group of a folder index's tree, for a policy, their records read back from
   * disk when they are few enough; undefined when `folder` names no index or the group is not there.
   */
  policyUsage(folder: string, selection: EventSelection): Usage | undefined {
    const index = this.indexOf(folder);
    if (!index) return undefined;
    const read = (file: IndexedFile): string | undefined => readLogText(file.path, this.maxDecompressedBytes(file.path));
    return folderUsage(index, { ...selection, groupBy: normalizeGroupBy(selection.groupBy), filter: normalizeFilter(selection.filter) }, read);
  }

  /** The index of a folder URI (as in `EventTreeParams.folder`), once it is built. */
  indexOf(uri: string): FolderIndex | undefined {
    const root = toPath(uri);
    return root === undefined ? undefined : this.folders.get(root)?.index;
  }

  /** The decompressed-size cap of the index holding `path` (the default when none does). */
  maxDecompressedBytes(path: string): number {
    for (const state of this.folders.values()) {
      if (state.index?.file(path)) return state.maxDecompressedBytes;
    }
    return DEFAULT_MAX_DECOMPRESSED_MB * 1024 * 1024;
  }

  /** Changes reported by the client's file watcher. */
  onWatchedFilesChanged(changes: readonly FileEvent[]): void {
    for (const change of changes) {
      const changed = toPath(change.uri);
      if (changed !== undefined) {
        this.queueChange(changed);
      }
    }
  }

  private summaryOf(state: FolderState, index: FolderIndex): FolderIndexSummary {
    const summary = index.summary();
    return {
      uri: state.uri,
      files: summary.files,
      indexedFiles: summary.indexedFiles,
      events: summary.events,
      contentBytes: summary.textBytes,
      notCloudTrail: summary.notCloudTrail,
      problems: summary.problems.map((problem) => ({
        uri: toUri(problem.path),
        status: problem.status as 'damaged' | 'tooLarge' | 'unreadable',
        message: problem.message,
      })),
      largeFiles: summary.largeFiles.map(toUri),
      indexBytes: summary.indexBytes,
    };
  }

  // --- keeping the index up to date ------------------------------------------------------------

  private async watch(state: FolderState): Promise<void> {
    if (state.watcher) {
      return;
    }
    const isFolder = fs.statSync(state.root, { throwIfNoEntry: false })?.isDirectory() ?? false;
    const base = isFolder ? state.root : path.dirname(state.root);
    const pattern = isFolder ? '**/*' : path.basename(state.root);
    const throughClient = this.host.watchThroughClient(toUri(base), pattern);
    if (throughClient) {
      try {
        state.watcher = await throughClient;
        return;
      } catch (error) {
        this.host.log(`Watching ${base} through the client failed, watching it directly: ${String(error)}`);
      }
    }
    if (isFolder) {
      state.watcher = watchFolderTree(
        base,
        (changed) => {
          this.queueChange(changed);
        },
        (message) => {
          this.host.log(message);
        },
      );
      return;
    }
    try {
      const watcher = fs.watch(base, { persistent: false }, (_event, name) => {
        if (!name || path.join(base, name) === state.root) this.queueChange(state.root);
      });
      watcher.on('error', (error) => {
        this.host.log(`Watching ${base} stopped: ${error.message}`);
      });
      state.watcher = {
        dispose: () => {
          watcher.close();
        },
      };
    } catch (error) {
      this.host.log(`Cannot watch ${state.root} for changes: ${String(error)}`);
    }
  }

  private queueChange(changed: string): void {
    for (const state of this.folders.values()) {
      if (!state.index || !isAtOrBelow(changed, state.root)) {
        continue;
      }
      state.pending.add(changed);
      state.flushTimer?.dispose();
      state.flushTimer = this.host.runtime.timer.setTimeout(() => {
        state.flushTimer = undefined;
        void this.flush(state);
      }, CHANGE_DELAY_MS);
    }
  }

  /** Reads the changed files again, drops the deleted ones, and tells the client. */
  private async flush(state: FolderState): Promise<void> {
    if (state.updating) {
      await state.updating; // one update at a time; the changes that came meanwhile follow
    }
    const index = state.index;
    if (!index || state.pending.size === 0 || this.folders.get(state.root) !== state) {
      return;
    }
    const changed = [...state.pending];
    state.pending.clear();
    const update = (async () => {
      const toRead = new Set<string>();
      let removed = 0;
      for (const target of changed) {
        const stat = await fs.promises.stat(target).catch(() => undefined);
        if (!stat) {
          removed += index.removeBelow(target);
        } else if (stat.isDirectory()) {
          for (const file of await listLogFiles(target)) toRead.add(file);
        } else if (stat.isFile() && (isLogFileName(target) || target === state.root)) {
          toRead.add(target);
        }
      }
      if (toRead.size > 0) {
        const rules = this.host.ruleSource?.();
        await indexFiles(index, [...toRead].sort(), this.host.runner, {
          maxDecompressedBytes: state.maxDecompressedBytes,
          ...(rules ? { detections: rules } : {}),
        });
      }
      if (toRead.size > 0 || removed > 0) {
        this.host.indexChanged?.(state.root, index);
        this.host.notifyChanged(this.summaryOf(state, state.index ?? index));
      }
    })();
    state.updating = update;
    try {
      await update;
    } catch (error) {
      this.host.log(`Updating the index of ${state.root} failed: ${String(error)}`);
    } finally {
      if (state.updating === update) state.updating = undefined;
    }
  }
}

// --- the tree's wire form -------------------------------------------------------------------------

function answer(index: FolderIndex, grouping: FolderGrouping, params: EventTreeParams): EventTreeResult {
  const uris = new Map<number, string>();
  return wireTree(grouping.groups, grouping, params, (group, offset, limit) => {
    const events = grouping.eventsOf(group);
    const start = Math.min(offset, events.length);
    const end = Math.min(events.length, start + limit);
    const refs = events.slice(start, end).map(({ file, index: position }) => {
      let uri = uris.get(file.id);
      if (uri === undefined) {
        uri = toUri(file.path);
        uris.set(file.id, uri);
      }
      return toFolderEventRef(index, file, position, uri);
    });
    return { events: refs, more: events.length - end };
  });
}

function toFolderEventRef(index: FolderIndex, file: Parameters<FolderIndex['event']>[0], position: number, uri: string): EventRef {
  const event = index.event(file, position);
  return { ...eventRef(position, event, event.range), uri };
}

/** A log file's text as the index read it (decompressed, UTF-8); undefined when it cannot be read or is over `maxBytes`. */
function readLogText(file: string, maxBytes: number): string | undefined {
  try {
    const bytes = fs.readFileSync(file);
    const content = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? zlib.gunzipSync(bytes, { maxOutputLength: maxBytes }) : bytes;
    return content.toString('utf8');
  } catch {
    return undefined;
  }
}

// --- paths and URIs ------------------------------------------------------------------------------

export function toPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) {
    return undefined;
  }
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function toUri(file: string): string {
  return pathToFileURL(file).href;
}

export function isAtOrBelow(candidate: string, root: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** Worker threads when the worker script is there (the built server), else the server's own thread. */
export function createIndexRunner(workerScript: string | undefined): IndexRunner {
  if (workerScript && fs.existsSync(workerScript)) {
    return new WorkerPool(workerScript, Math.max(1, Math.min(4, os.availableParallelism())));
  }
  return new InThreadRunner();
}

/** The message of the Error a request was aborted with (see `controller.abort` above). */
function abortMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : 'Indexing was cancelled.';
}

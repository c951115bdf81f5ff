import * as fs from 'node:fs';
import * as path from 'node:path';
import { RecordSummary } from '../cloudTrailDocument';
import { FileDetections } from '../detections/fileDetections';
import { IdentitySummary } from '../identity';
import { TupleIds } from '../tupleIds';
import { FileLinks, fileLinksBytes } from '../links/fileLinks';
import { ABSENT, EntryFlags, FileEntries, formatEventTime, IdentityTable, readUuid, StringTable, TEXT_FIELD_COUNT, TextField } from './fileEntries';
import { emptyFileResult, FileIndexResult, FileShape, FileStatus } from './fileIndexer';
import { IndexJobOptions, IndexRunner } from './indexRunner';
import { findLogFiles } from './logFiles';

/**
 * The index of a folder of logs: every event of every CloudTrail file below the folder, as the
 * compact entries the file indexer made, with their strings and identities interned across the
 * whole folder. Files can be added, read again or removed one by one as they change on disk.
 */

/** VS Code hands no document longer than this to extensions: such files get no editor features. */
export const EDITOR_SYNC_LIMIT_CHARS = 50 * 1024 * 1024;

export interface IndexedFile {
  readonly id: number;
  readonly path: string;
  readonly status: FileStatus;
  readonly message?: string;
  readonly compressed: boolean;
  readonly fileBytes: number;
  readonly textBytes: number;
  readonly characters: number;
  readonly shape?: FileShape;
  readonly skippedEntries: number;
  /** String ids in the folder's table (access keys in `accessKeys`); identity ids in the folder's identity table. */
  readonly entries: FileEntries;
  /** The file's own table of access keys, which `entries.accessKeyId` points into. */
  readonly accessKeys: readonly string[];
  /** The event profile of each entry (see `EventProfile`). */
  readonly profiles: Uint32Array;
  /** The linked values of the entries (see `links/fileLinks.ts`). */
  readonly links: FileLinks;
  /** What the Sigma rules found in the file, when the index ran them. */
  readonly detections?: FileDetections;
}

/**
 * What grouping and filtering by kind need of an event, shared by all events that agree on it:
 * a folder of a million events has a few thousand profiles.
 */
export interface EventProfile {
  readonly id: number;
  readonly eventSource?: string;
  readonly eventName?: string;
  readonly errorCode?: string;
  readonly readOnly?: boolean;
  readonly identity: IdentitySummary;
}

/** One event of the index, read back from its entry. */
export interface IndexedEvent extends RecordSummary {
  readonly file: IndexedFile;
  /** Position of the entry in its file, from 0. */
  readonly index: number;
  /** Offset and length of the record in the decompressed document. */
  readonly start: number;
  readonly length: number;
  readonly range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface FolderSummary {
  /** Files looked at (everything with a log's extension below the folder). */
  files: number;
  /** Files whose events are in the index (damaged ones included). */
  indexedFiles: number;
  events: number;
  /** Bytes of (decompressed) content read. */
  textBytes: number;
  /** Files skipped as not CloudTrail. */
  notCloudTrail: number;
  /** Files with a problem, each with its message: damaged, too large, unreadable. */
  problems: { path: string; status: FileStatus; message: string }[];
  /** Indexed files too long for VS Code to hand to extensions. */
  largeFiles: string[];
  /** About how much memory the index takes. */
  indexBytes: number;
}

export class FolderIndex {
  readonly strings = new StringTable();
  private readonly identities = new IdentityTable();
  private readonly profileTable: EventProfile[] = [];
  /** Profile ids by their fields: eventSource, eventName, errorCode and identity ids, and the readOnly state. */
  private readonly profileIds = new TupleIds(5);
  private readonly byPath = new Map<string, IndexedFile>();
  private nextFileId = 1;
  private inPathOrder: IndexedFile[] | undefined;
  private eventTotal = 0;
  /** Bumped on every change, so that cached groupings know they are stale. */
  version = 0;

  /** @param root the folder (or single file) the index is of */
  constructor(readonly root: string) {}

  get eventCount(): number {
    return this.eventTotal;
  }

  get fileCount(): number {
    return this.byPath.size;
  }

  get profiles(): readonly EventProfile[] {
    return this.profileTable;
  }

  file(filePath: string): IndexedFile | undefined {
    return this.byPath.get(filePath);
  }

  /** The files in path order (the order of equal times in the tree), whatever order they were read in. */
  files(): readonly IndexedFile[] {
    this.inPathOrder ??= [...this.byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return this.inPathOrder;
  }

  /** Adds a file's result (taking over its arrays), replacing what the index held for that path. */
  add(result: FileIndexResult): IndexedFile {
    const previous = this.byPath.get(result.path);
    if (previous) {
      this.eventTotal -= previous.entries.count;
    }
    const entries = result.entries;
    const stringIds = result.strings.map((value, id) => (id === ABSENT ? ABSENT : this.strings.id(value)));
    const identityIds = result.identities.map((identity) => this.identities.id(identity));
    const text = entries.strings;
    const profiles = new Uint32Array(entries.count);
    for (let i = 0; i < entries.count; i++) {
      const t = i * TEXT_FIELD_COUNT;
      for (let field = 0; field < TEXT_FIELD_COUNT; field++) {
        text[t + field] = field === TextField.identity ? identityIds[text[t + field]] : stringIds[text[t + field]];
      }
      profiles[i] = this.profileOf(text, t, entries.flags[i]);
    }
    const file: IndexedFile = {
      id: previous?.id ?? this.nextFileId++,
      path: result.path,
      status: result.status,
      ...(result.message !== undefined ? { message: result.message } : {}),
      compressed: result.compressed,
      fileBytes: result.fileBytes,
      textBytes: result.textBytes,
      characters: result.characters,
      ...(result.shape !== undefined ? { shape: result.shape } : {}),
      skippedEntries: result.skippedEntries,
      entries,
      accessKeys: result.accessKeys,
      profiles,
      links: result.links,
      ...(result.detections ? { detections: result.detections } : {}),
    };
    this.byPath.set(result.path, file);
    this.eventTotal += entries.count;
    this.inPathOrder = undefined;
    this.version++;
    return file;
  }

  remove(filePath: string): boolean {
    const file = this.byPath.get(filePath);
    if (!file) {
      return false;
    }
    this.byPath.delete(filePath);
    this.eventTotal -= file.entries.count;
    this.inPathOrder = undefined;
    this.version++;
    return true;
  }

  /** Removes every file at or below `folder` (a deleted folder). */
  removeBelow(folder: string): number {
    const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
    let removed = 0;
    for (const filePath of [...this.byPath.keys()]) {
      if (filePath === folder || filePath.startsWith(prefix)) {
        this.remove(filePath);
        removed++;
      }
    }
    return removed;
  }

  string(id: number): string | undefined {
    return this.strings.get(id);
  }

  identity(id: number): IdentitySummary {
    return this.identities.values[id];
  }

  /** The userIdentity.accessKeyId of an entry. */
  accessKeyIdOf(file: IndexedFile, index: number): string | undefined {
    const id = file.entries.accessKeyId[index];
    return id === ABSENT ? undefined : file.accessKeys[id];
  }

  /** The identity of an entry, with its access key (the identity table keeps none, see IdentityTable). */
  identityOf(file: IndexedFile, index: number): IdentitySummary {
    const identity = this.identities.values[file.entries.strings[index * TEXT_FIELD_COUNT + TextField.identity]];
    const accessKeyId = this.accessKeyIdOf(file, index);
    return accessKeyId === undefined ? identity : { ...identity, accessKeyId };
  }

  /** Reads an entry back as an event. */
  event(file: IndexedFile, index: number): IndexedEvent {
    const entries = file.entries;
    const t = index * TEXT_FIELD_COUNT;
    const text = entries.strings;
    const flags = entries.flags[index];
    const p = index * 4;
    const time = entries.time[index];
    const event: IndexedEvent = {
      file,
      index,
      start: entries.start[index],
      length: entries.length[index],
      range: {
        start: { line: entries.positions[p], character: entries.positions[p + 1] },
        end: { line: entries.positions[p + 2], character: entries.positions[p + 3] },
      },
      identity: this.identityOf(file, index),
    };
    const set = <K extends keyof RecordSummary>(key: K, value: RecordSummary[K] | undefined): void => {
      if (value !== undefined) (event as RecordSummary)[key] = value;
    };
    set('eventName', this.strings.get(text[t + TextField.eventName]));
    set('eventSource', this.strings.get(text[t + TextField.eventSource]));
    set('awsRegion', this.strings.get(text[t + TextField.awsRegion]));
    set('errorCode', this.strings.get(text[t + TextField.errorCode]));
    set('eventType', this.strings.get(text[t + TextField.eventType]));
    set('eventVersion', this.strings.get(text[t + TextField.eventVersion]));
    const timeText = text[t + TextField.eventTimeText];
    set('eventTime', timeText !== ABSENT ? this.strings.get(timeText) : Number.isNaN(time) ? undefined : formatEventTime(time));
    set('eventID', flags & EntryFlags.eventIdBytes ? readUuid(entries.eventId, index * 16) : this.strings.get(text[t + TextField.eventIdText]));
    if (flags & EntryFlags.readOnlyKnown) {
      set('readOnly', (flags & EntryFlags.readOnly) !== 0);
    }
    return event;
  }

  summary(): FolderSummary {
    const summary: FolderSummary = {
      files: 0,
      indexedFiles: 0,
      events: this.eventTotal,
      textBytes: 0,
      notCloudTrail: 0,
      problems: [],
      largeFiles: [],
      indexBytes: this.byteSize(),
    };
    for (const file of this.files()) {
      summary.files++;
      summary.textBytes += file.textBytes;
      if (file.status === 'indexed' || file.status === 'damaged') {
        summary.indexedFiles++;
        if (file.characters > EDITOR_SYNC_LIMIT_CHARS) {
          summary.largeFiles.push(file.path);
        }
      }
      if (file.status === 'notCloudTrail') {
        summary.notCloudTrail++;
      } else if (file.status !== 'indexed') {
        summary.problems.push({ path: file.path, status: file.status, message: file.message ?? file.status });
      }
    }
    return summary;
  }

  /** About how much memory the index takes: its columns, and an estimate for its strings, identities and profiles. */
  byteSize(): number {
    let bytes = 0;
    for (const file of this.byPath.values()) {
      const entries = file.entries;
      bytes += 200 + file.path.length * 2 + file.profiles.byteLength;
      bytes += entries.start.byteLength + entries.length.byteLength + entries.positions.byteLength + entries.strings.byteLength;
      bytes += entries.time.byteLength + entries.eventId.byteLength + entries.flags.byteLength + entries.accessKeyId.byteLength + entries.timeOrder.byteLength;
      bytes += fileLinksBytes(file.links);
      for (const key of file.accessKeys) bytes += 48 + key.length;
    }
    for (const value of this.strings.values) bytes += 48 + value.length;
    bytes += this.identities.values.length * 256 + this.profileTable.length * 128;
    return bytes;
  }

  private profileOf(text: Uint32Array, t: number, flags: number): number {
    const readOnly = flags & EntryFlags.readOnlyKnown ? (flags & EntryFlags.readOnly ? 2 : 1) : 0;
    const source = text[t + TextField.eventSource];
    const name = text[t + TextField.eventName];
    const error = text[t + TextField.errorCode];
    const identity = text[t + TextField.identity];
    const key = this.profileIds.key;
    key[0] = source;
    key[1] = name;
    key[2] = error;
    key[3] = identity;
    key[4] = readOnly;
    const id = this.profileIds.idOf();
    if (id < this.profileTable.length) return id;
    const profile: { -readonly [K in keyof EventProfile]: EventProfile[K] } = { id, identity: this.identities.values[identity] };
    if (source !== ABSENT) profile.eventSource = this.strings.values[source];
    if (name !== ABSENT) profile.eventName = this.strings.values[name];
    if (error !== ABSENT) profile.errorCode = this.strings.values[error];
    if (readOnly !== 0) profile.readOnly = readOnly === 2;
    this.profileTable.push(profile);
    return id;
  }
}

// ---------------------------------------------------------------------------------------------
// Finding and reading the files of a folder

/** The log files at or below `root` (a folder or one file), sorted by path, found with the limits of findLogFiles. */
export async function listLogFiles(root: string, signal?: AbortSignal): Promise<string[]> {
  // A root that is not there is an error of the request, not a file to report.
  await fs.promises.stat(root);
  return (await findLogFiles([root], { signal })).files;
}

export interface FolderProgress {
  filesDone: number;
  filesTotal: number;
  events: number;
  /** Bytes of (decompressed) content read so far, files in progress included. */
  textBytes: number;
}

export interface IndexFolderOptions extends IndexJobOptions {
  signal?: AbortSignal;
  onProgress?: (progress: FolderProgress) => void;
  /** Adds to this index instead of a new one (files already in it are read again). */
  into?: FolderIndex;
}

/**
 * Indexes every log file at or below `root` with `runner`, a few files at a time. Cancelling
 * through `signal` stops the files being read and rejects with the signal's reason.
 */
export async function indexFolder(root: string, runner: IndexRunner, options: IndexFolderOptions): Promise<FolderIndex> {
  const files = await listLogFiles(root, options.signal);
  const index = options.into ?? new FolderIndex(root);
  await indexFiles(index, files, runner, options);
  return index;
}

/** Indexes (or indexes again) the given files into `index`. */
export async function indexFiles(index: FolderIndex, files: readonly string[], runner: IndexRunner, options: IndexFolderOptions): Promise<void> {
  const { signal, onProgress } = options;
  const jobOptions: IndexJobOptions = {
    maxDecompressedBytes: options.maxDecompressedBytes,
    ...(options.maxRecordChars !== undefined ? { maxRecordChars: options.maxRecordChars } : {}),
    ...(options.progressBytes !== undefined ? { progressBytes: options.progressBytes } : {}),
    ...(options.detections !== undefined ? { detections: options.detections } : {}),
  };
  const progress: FolderProgress = { filesDone: 0, filesTotal: files.length, events: 0, textBytes: 0 };
  const inFlight = new Map<string, { textBytes: number; events: number }>();
  const report = (): void => {
    if (!onProgress) return;
    let textBytes = progress.textBytes;
    let events = progress.events;
    for (const partial of inFlight.values()) {
      textBytes += partial.textBytes;
      events += partial.events;
    }
    onProgress({ ...progress, textBytes, events });
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      if (signal?.aborted) {
        throw signal.reason;
      }
      const file = files[next++];
      inFlight.set(file, { textBytes: 0, events: 0 });
      let result: FileIndexResult;
      try {
        result = await runner.index(
          file,
          jobOptions,
          (textBytes, events) => {
            inFlight.set(file, { textBytes, events });
            report();
          },
          signal,
        );
      } catch (error) {
        if (signal?.aborted) {
          throw signal.reason;
        }
        result = failedResult(file, error);
      } finally {
        inFlight.delete(file);
      }
      index.add(result);
      progress.filesDone++;
      progress.events += result.entries.count;
      progress.textBytes += result.textBytes;
      report();
    }
  };
  // Three files per runner slot: a worker runs two at once, and the next is already asked for.
  const lanes = Math.max(1, Math.min(files.length, runner.parallelism * 3));
  const settled = await Promise.allSettled(Array.from({ length: lanes }, worker));
  const failure = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) {
    throw failure.reason;
  }
}

function failedResult(file: string, error: unknown): FileIndexResult {
  return {
    ...emptyFileResult(file, 0),
    status: 'unreadable',
    message: `${path.basename(file)} could not be indexed: ${error instanceof Error ? error.message : String(error)}`,
  };
}

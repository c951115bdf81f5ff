import * as v8 from 'node:v8';
import { ResourceLimits, Worker } from 'node:worker_threads';
import { detectionBuffers } from '../detections/fileDetections';
import { fileLinkBuffers } from '../links/fileLinks';
import { entryBuffers, IdentityTable } from './fileEntries';
import { RuleSource } from '../detections/ruleFiles';
import { IdentitySummary } from '../identity';
import { FileIndexResult, indexLogFile } from './fileIndexer';

/**
 * Runs file indexing jobs: on worker threads, so that the language server keeps answering while
 * a folder is read and both cores do the work, or in the calling thread when no worker script is
 * at hand (tests of the model, a single small file).
 */

/** What a job needs besides the file: plain data, so that it can be posted to a worker. */
export interface IndexJobOptions {
  maxDecompressedBytes: number;
  maxRecordChars?: number;
  progressBytes?: number;
  /** Sigma rules to run over the events, compiled by each worker once per key. */
  detections?: RuleSource;
}

/**
 * The options to post to a worker that was last sent the rules of `sentKey`: the rule files the
 * server read go to a worker once per key (it keeps the set it compiled from them); after that,
 * the key alone says which set to use. Also returns the key the worker has been sent.
 */
export function withRulesOnce(options: IndexJobOptions, sentKey: string | undefined): { options: IndexJobOptions; sentKey: string | undefined } {
  const rules = options.detections;
  if (!rules?.parsed) return { options, sentKey };
  if (rules.key !== sentKey) return { options, sentKey: rules.key };
  const { parsed: _parsed, ...keyOnly } = rules;
  return { options: { ...options, detections: keyOnly }, sentKey };
}

export type JobProgress = (textBytes: number, events: number) => void;

export interface IndexRunner {
  /** How many files are indexed at the same time. */
  readonly parallelism: number;
  index(file: string, options: IndexJobOptions, onProgress?: JobProgress, signal?: AbortSignal): Promise<FileIndexResult>;
  dispose(): Promise<void>;
}

export class InThreadRunner implements IndexRunner {
  readonly parallelism = 1;
  private readonly sent = new SentIdentities();
  private readonly received: IdentitySummary[] = [];

  /**
   * A result crosses as it would from a worker (copied, its buffers moved): what an index keeps of
   * it then holds strings of its own instead of slices of the whole text of its log.
   */
  async index(file: string, options: IndexJobOptions, onProgress?: JobProgress, signal?: AbortSignal): Promise<FileIndexResult> {
    const result = await indexLogFile(file, { ...options, onProgress, signal });
    return receivedResult(structuredClone(postedResult(result, this.sent), { transfer: resultBuffers(result) }), this.received);
  }

  async dispose(): Promise<void> {
    // Nothing to stop.
  }
}

// Messages between the pool and its workers.
export type ToWorker = { type: 'index'; job: number; file: string; options: IndexJobOptions } | { type: 'cancel'; job: number };
export type FromWorker =
  | { type: 'progress'; job: number; textBytes: number; events: number }
  | { type: 'done'; job: number; result: PostedResult }
  | { type: 'failed'; job: number; message: string; cancelled: boolean };

interface Job {
  id: number;
  file: string;
  options: IndexJobOptions;
  onProgress?: JobProgress;
  signal?: AbortSignal;
  resolve(result: FileIndexResult): void;
  reject(error: unknown): void;
}

interface PoolWorker {
  worker: Worker;
  /** The jobs the worker is running, by id. */
  jobs: Map<number, Job>;
  idleTimer?: NodeJS.Timeout;
  /** The key of the last rule files sent to the worker (see withRulesOnce). */
  rulesKey?: string;
  /** The identities the worker has sent, by number (see SentIdentities). */
  identities: IdentitySummary[];
}

/** Workers left without work for this long are stopped (and started again when needed). */
const IDLE_MS = 30_000;

/**
 * Jobs a worker runs at once: while one file is read from disk (on the thread pool), the worker
 * inflates and parses another, instead of waiting.
 */
const JOBS_PER_WORKER = 2;

/**
 * Where a worker's heap starts. V8 starts a heap small and raises its limit only after full
 * collections; a worker makes a file's text and tables (a megabyte and more) for every file, so
 * from a small start it ran a full collection every file or two, which cost more than the Sigma
 * rules themselves. From this size it runs one every ten files or so.
 */
const INITIAL_WORKER_HEAP_MB = 96;

/**
 * Heap sizes are V8 flags, shared by the process and read when a heap is made: set before the
 * first worker starts, the flag sizes the workers' heaps (the main one exists already).
 */
let workerHeapSized = false;
function sizeWorkerHeaps(): void {
  if (workerHeapSized) return;
  workerHeapSized = true;
  v8.setFlagsFromString(`--initial-heap-size=${String(INITIAL_WORKER_HEAP_MB)}`);
}

export class WorkerPool implements IndexRunner {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Job[] = [];
  private nextJob = 1;
  private disposed = false;

  /**
   * @param script the worker entry point (the built `indexWorker.js`)
   * @param parallelism workers at most; one per core is right, as each keeps one busy
   * @param resourceLimits each worker's heap: its young generation is what makes parsing fast,
   *   the old one only holds one small file (or one record) and its entries at a time
   */
  constructor(
    private readonly script: string,
    readonly parallelism: number,
    private readonly resourceLimits: ResourceLimits = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 },
  ) {}

  index(file: string, options: IndexJobOptions, onProgress?: JobProgress, signal?: AbortSignal): Promise<FileIndexResult> {
    if (this.disposed) {
      return Promise.reject(new Error('The index workers were stopped.'));
    }
    return new Promise<FileIndexResult>((resolve, reject) => {
      if (signal?.aborted) {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's reason unchanged, as Node's abortable functions do
        reject(signal.reason);
        return;
      }
      // The listener goes when the job ends: one signal serves a whole folder, and a listener left
      // behind would keep its job's result (and so every file's) alive until the folder is done.
      const onAbort = (): void => {
        this.cancel(job);
      };
      const settle = (): void => signal?.removeEventListener('abort', onAbort);
      const job: Job = {
        id: this.nextJob++,
        file,
        options,
        onProgress,
        signal,
        resolve: (result) => {
          settle();
          resolve(result);
        },
        reject: (error) => {
          settle();
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what the worker or the signal gave, unchanged
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const job of this.queue.splice(0)) {
      job.reject(new Error('The index workers were stopped.'));
    }
    await Promise.all(this.workers.splice(0).map((entry) => this.stop(entry)));
  }

  private cancel(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.reject(job.signal?.reason ?? new Error('cancelled'));
      return;
    }
    const entry = this.workers.find((candidate) => candidate.jobs.has(job.id));
    entry?.worker.postMessage({ type: 'cancel', job: job.id } satisfies ToWorker);
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      // The least busy worker; a new one while there is room for one and every worker is busy.
      let entry: PoolWorker | undefined;
      for (const candidate of this.workers) {
        if (candidate.jobs.size < JOBS_PER_WORKER && (!entry || candidate.jobs.size < entry.jobs.size)) entry = candidate;
      }
      if ((!entry || entry.jobs.size > 0) && this.workers.length < this.parallelism) {
        entry = this.spawn();
      }
      if (!entry) {
        return;
      }
      const job = this.queue.shift();
      if (!job) return;
      if (entry.idleTimer) {
        clearTimeout(entry.idleTimer);
        entry.idleTimer = undefined;
      }
      entry.jobs.set(job.id, job);
      const { options, sentKey } = withRulesOnce(job.options, entry.rulesKey);
      entry.rulesKey = sentKey;
      entry.worker.postMessage({ type: 'index', job: job.id, file: job.file, options } satisfies ToWorker);
    }
  }

  private spawn(): PoolWorker {
    sizeWorkerHeaps();
    const worker = new Worker(this.script, { resourceLimits: this.resourceLimits });
    const entry: PoolWorker = { worker, jobs: new Map(), identities: [] };
    worker.unref();
    worker.on('message', (message: FromWorker) => {
      this.onMessage(entry, message);
    });
    const fail = (error: Error): void => {
      const jobs = [...entry.jobs.values()];
      entry.jobs.clear();
      this.remove(entry);
      for (const job of jobs) job.reject(new Error(`Indexing stopped unexpectedly: ${error.message}`));
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.workers.includes(entry)) {
        fail(new Error(`the worker exited with code ${code}`));
      }
    });
    this.workers.push(entry);
    return entry;
  }

  private onMessage(entry: PoolWorker, message: FromWorker): void {
    // Read even when its job is gone: the identities it sends first are named by later results.
    const result = message.type === 'done' ? receivedResult(message.result, entry.identities) : undefined;
    const job = entry.jobs.get(message.job);
    if (!job) {
      return;
    }
    if (message.type === 'progress') {
      job.onProgress?.(message.textBytes, message.events);
      return;
    }
    entry.jobs.delete(message.job);
    if (result) {
      job.resolve(result);
    } else if (message.type === 'failed') {
      job.reject(message.cancelled ? (job.signal?.reason ?? new Error('cancelled')) : new Error(message.message));
    }
    if (this.queue.length > 0) {
      this.dispatch();
    } else if (entry.jobs.size === 0) {
      entry.idleTimer = setTimeout(() => {
        this.remove(entry);
        void this.stop(entry);
      }, IDLE_MS);
      entry.idleTimer.unref();
    }
  }

  private remove(entry: PoolWorker): void {
    const at = this.workers.indexOf(entry);
    if (at >= 0) {
      this.workers.splice(at, 1);
    }
  }

  private async stop(entry: PoolWorker): Promise<void> {
    if (entry.idleTimer) {
      clearTimeout(entry.idleTimer);
    }
    for (const job of entry.jobs.values()) job.reject(new Error('The index workers were stopped.'));
    entry.jobs.clear();
    await entry.worker.terminate();
  }
}

/**
 * A finished job's result as it crosses to the main thread: its string tables, and the
 * identities its worker had not sent before, as one JSON text (copying a few thousand small
 * strings and objects one by one costs the main thread more than parsing them from one string,
 * and the main thread is what every file waits on); the file's identities as numbers. A worker
 * meets the same few hundred principals in file after file: each crosses once, instead of with
 * every file that names it.
 */
export interface PostedResult extends Omit<FileIndexResult, 'strings' | 'accessKeys' | 'identities'> {
  /** JSON of [strings, accessKeys, the identities this result sends first]. */
  stringsAndIdentities: string;
  /** Per identity of the file, its number among those its worker has sent (see SentIdentities). */
  identityNumbers: Uint32Array;
}

/**
 * The identities one worker has sent, numbered in the order they were sent. The worker keeps one
 * to number a file's identities; the pool keeps the identities it received from that worker,
 * in the same order (a worker's messages arrive in the order they were posted).
 *
 * An identity is kept as read back from its JSON, with strings of its own: the strings of the
 * object read from a log are slices of the whole text of the file they were read from, which
 * would then stay in the worker's memory for as long as the worker lives, a file for each file
 * that met a new principal.
 */
export class SentIdentities {
  private readonly table = new IdentityTable((identity) => JSON.parse(JSON.stringify(identity)) as IdentitySummary);

  /** The numbers of `identities`, and those of them not sent before, to send now in the order of their numbers. */
  number(identities: readonly IdentitySummary[]): { numbers: Uint32Array; fresh: IdentitySummary[] } {
    const known = this.table.values.length;
    const numbers = Uint32Array.from(identities, (identity) => this.table.id(identity));
    return { numbers, fresh: this.table.values.slice(known) };
  }
}

/** What a worker posts for `result`: to be posted at once, as it counts the new identities as sent. */
export function postedResult(result: FileIndexResult, sent: SentIdentities): PostedResult {
  const { strings, accessKeys, identities, ...rest } = result;
  const { numbers, fresh } = sent.number(identities);
  return { ...rest, stringsAndIdentities: JSON.stringify([strings, accessKeys, fresh]), identityNumbers: numbers };
}

/** The result a worker posted, read against `received`: the identities from that worker so far, to which this one's new ones are added. */
export function receivedResult(posted: PostedResult, received: IdentitySummary[]): FileIndexResult {
  const { stringsAndIdentities, identityNumbers, ...rest } = posted;
  const [strings, accessKeys, fresh] = JSON.parse(stringsAndIdentities) as [string[], string[], IdentitySummary[]];
  for (const identity of fresh) received.push(identity);
  const identities = Array.from(identityNumbers, (number) => received[number]);
  return { ...rest, strings, accessKeys, identities };
}

/** The transfer list of a finished job's result. */
export function resultBuffers(result: FileIndexResult): ArrayBuffer[] {
  const buffers = [...entryBuffers(result.entries), ...fileLinkBuffers(result.links)];
  if (result.detections) buffers.push(...detectionBuffers(result.detections));
  return buffers.filter((buffer) => buffer.byteLength > 0);
}

import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { finished } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import * as zlib from 'node:zlib';
import { FileDetections, FileDetector } from '../detections/fileDetections';
import { RuleSource, ruleSetOf } from '../detections/ruleFiles';
import { IdentitySummary } from '../identity';
import { emptyFileLinks, FileLinks } from '../links/fileLinks';
import { emptyEntries, FileEntries } from './fileEntries';
import { describeDamage, formatMegabytes } from './logFiles';
import { LogShape, LogTextIndexer, LogVerdict } from './logTextIndexer';

/**
 * Indexes one log file from disk: reads it as a stream, decompresses it when it is gzip (told
 * by its first bytes, not its name), decodes it chunk by chunk and hands the text to a
 * LogTextIndexer. Memory stays at a few chunks plus one record (or one small file), whatever
 * the file's size; a decompressed-size limit stops gzip bombs.
 */

export interface FileIndexOptions {
  /** Compressed files are stopped once their content passes this many bytes. */
  maxDecompressedBytes: number;
  /** Longer records are skipped. */
  maxRecordChars?: number;
  /** Files up to this many characters are parsed whole by the document model. */
  wholeDocumentChars?: number;
  /** Called about every `progressBytes` of content read. */
  onProgress?: (textBytes: number, events: number) => void;
  progressBytes?: number;
  signal?: AbortSignal;
  /** Sigma rules to run over the events as they are read. */
  detections?: RuleSource;
}

export type FileStatus =
  /** Read to the end; its events are in the index. */
  | 'indexed'
  /** Not a CloudTrail log (other JSON, a digest file, not JSON at all): skipped. */
  | 'notCloudTrail'
  /** Its content is larger than the limit: stopped, nothing kept. */
  | 'tooLarge'
  /** Corrupt or cut short: the complete events read before the damage are kept. */
  | 'damaged'
  /** It could not be read at all. */
  | 'unreadable';

export type FileShape = LogShape;

export interface FileIndexResult {
  path: string;
  status: FileStatus;
  /** What happened to a file that was not simply indexed, for the user. */
  message?: string;
  compressed: boolean;
  /** Size on disk. */
  fileBytes: number;
  /** Bytes of (decompressed) content read. */
  textBytes: number;
  /** Length of the document an editor shows for the file, in UTF-16 units. */
  characters: number;
  /** How the events are laid out, for CloudTrail files. */
  shape?: FileShape;
  entries: FileEntries;
  /** String table of `entries` (id 0 = absent). */
  strings: string[];
  /** Table of `entries.accessKeyId` (id 0 = absent). */
  accessKeys: string[];
  identities: IdentitySummary[];
  /** The linked values of the entries (keys, sessions, resources...), for the trail. */
  links: FileLinks;
  /** Entries that were not events: non-objects, lookup items without an event, records too long to keep or cut off. */
  skippedEntries: number;
  /** What the Sigma rules found, when asked to run them. */
  detections?: FileDetections;
}

/** Positions are stored in 32 bits: longer documents are refused. */
const MAX_CHARACTERS = 0xffff_ffff;
const READ_CHUNK = 256 * 1024;
const INFLATE_CHUNK = 128 * 1024;

const REASONS: Record<Extract<LogVerdict, { cloudTrail: false }>['reason'], string> = {
  notJson: 'it is not JSON',
  noEvents: 'it holds JSON but no CloudTrail events',
  digest: 'it is a CloudTrail digest file (log file integrity validation), which lists log files rather than events',
  empty: 'it is empty',
};

class StopReading extends Error {}

export async function indexLogFile(file: string, options: FileIndexOptions): Promise<FileIndexResult> {
  const name = path.basename(file);
  let size: number;
  let whole: Buffer | undefined;
  try {
    size = (await fs.promises.stat(file)).size;
    // A small file is read at once: one read and (for gzip) one inflate cost much less than
    // streams do. Damaged files and larger content are streamed.
    if (size <= WHOLE_FILE_BYTES) whole = await fs.promises.readFile(file);
  } catch (error) {
    const result = emptyFileResult(file, 0);
    result.status = 'unreadable';
    result.message = `${name} could not be read: ${describeError(error)}.`;
    return result;
  }
  if (whole) {
    const result = indexInMemory(file, whole, options);
    if (result) return result;
  }
  return indexStreaming(file, size, options);
}

/** The result for a file before anything of it was read: no events, status indexed. */
export function emptyFileResult(file: string, fileBytes: number): FileIndexResult {
  return {
    path: file,
    status: 'indexed',
    compressed: false,
    fileBytes,
    textBytes: 0,
    characters: 0,
    entries: emptyEntries(),
    strings: [''],
    accessKeys: [''],
    identities: [],
    links: emptyFileLinks(),
    skippedEntries: 0,
  };
}

function textIndexer(options: FileIndexOptions): LogTextIndexer {
  return new LogTextIndexer({
    maxRecordChars: options.maxRecordChars,
    wholeDocumentChars: options.wholeDocumentChars,
    ...(options.detections ? { detector: new FileDetector(ruleSetOf(options.detections), options.detections.key) } : {}),
  });
}

/** Files up to this size on disk are read at once... */
const WHOLE_FILE_BYTES = 4 * 1024 * 1024;
/** ...and decompressed at once when their content stays below this size. */
const WHOLE_CONTENT_BYTES = 16 * 1024 * 1024;
/** The smallest output piece of a whole-file inflate, whatever size a file states. */
const MIN_INFLATE_CHUNK = 64 * 1024;
/** Deflate's best case: no stream inflates to more than about this many times its size. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * The output piece for inflating `bytes` whole: the size its gzip trailer states (that of its
 * last member, modulo 2^32) plus one, so that the content comes out in one piece rather than
 * being copied together from several. Only a hint: a file may lie or hold several members,
 * which then cost more pieces, never a wrong result; the piece stays within the limit and what
 * the compressed bytes can hold.
 */
export function inflateChunkSize(bytes: Uint8Array, limit: number): number {
  if (bytes.length < 18) return Math.min(limit + 1, MIN_INFLATE_CHUNK); // not even a gzip header and trailer
  const stated = (bytes[bytes.length - 4] | (bytes[bytes.length - 3] << 8) | (bytes[bytes.length - 2] << 16) | (bytes[bytes.length - 1] << 24)) >>> 0;
  return Math.min(limit + 1, Math.max(MIN_INFLATE_CHUNK, Math.min(stated + 1, bytes.length * MAX_DEFLATE_RATIO)));
}

/** Indexes a file read whole; undefined when it must be streamed instead (damaged, or larger content than read at once). */
function indexInMemory(file: string, bytes: Buffer, options: FileIndexOptions): FileIndexResult | undefined {
  const result = emptyFileResult(file, bytes.length);
  result.compressed = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  let content = bytes;
  if (result.compressed) {
    const limit = Math.min(options.maxDecompressedBytes, WHOLE_CONTENT_BYTES);
    try {
      // Inflated on this thread, not on the thread pool: the text is read next, here, while the
      // inflate has just left it in this core's cache, and no other thread competes for the cores
      // (a folder of 1,000 delivered logs through two index workers: 9% more MiB/s, less CPU).
      content = zlib.gunzipSync(bytes, { maxOutputLength: limit, chunkSize: inflateChunkSize(bytes, limit) });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' && limit === options.maxDecompressedBytes) {
        result.textBytes = limit;
        return tooLarge(result, path.basename(file), options.maxDecompressedBytes);
      }
      return undefined;
    }
  }
  if (options.signal?.aborted) {
    throw options.signal.reason ?? new Error('Indexing was cancelled.');
  }
  result.textBytes = content.length;
  const text = textIndexer(options);
  text.write(content.toString(isAscii(content) ? 'latin1' : 'utf8'));
  return conclude(result, text, undefined, options);
}

function tooLarge(result: FileIndexResult, name: string, maxDecompressedBytes: number): FileIndexResult {
  result.status = 'tooLarge';
  result.message = `${name} was not indexed: decompressed, it is larger than ${formatMegabytes(maxDecompressedBytes)} (the limit set by cloudtrail.folder.maxDecompressedMB), so reading stopped there.`;
  return result;
}

/** The verdict on a file once its text has been read (to its end or to the damage). */
function conclude(result: FileIndexResult, text: LogTextIndexer, damage: string | undefined, options: FileIndexOptions): FileIndexResult {
  const name = path.basename(result.path);
  const outcome = text.end(damage !== undefined);
  result.skippedEntries = outcome.skippedEntries;
  result.characters = text.characters;
  const keep = (status: FileStatus, message?: string): FileIndexResult => {
    result.status = status;
    if (message !== undefined) result.message = message;
    const built = text.builder.finish();
    const detections = text.detections();
    if (detections) result.detections = detections;
    result.entries = built.entries;
    result.strings = built.strings;
    result.accessKeys = built.accessKeys;
    result.identities = built.identities;
    result.links = text.links.finish(built.entries.count);
    return result;
  };
  if (!outcome.verdict.cloudTrail) {
    if (damage !== undefined && outcome.verdict.reason !== 'notJson') {
      return keep('damaged', `${damage} No complete CloudTrail event was read before that point.`);
    }
    result.status = 'notCloudTrail';
    result.message = `${name} was skipped: ${REASONS[outcome.verdict.reason]}.`;
    return result;
  }
  result.shape = outcome.verdict.shape;
  if (damage !== undefined) {
    return keep('damaged', `${damage} The ${text.events} complete events read before that point are listed.`);
  }
  if (outcome.truncatedRecord) {
    return keep('damaged', `${name} ends in the middle of a record (the file may be cut short); its ${text.events} complete events are listed.`);
  }
  options.onProgress?.(result.textBytes, text.events);
  return keep('indexed');
}

/** Reads a file as a stream: memory stays at a few chunks and one record, whatever its size. */
async function indexStreaming(file: string, size: number, options: FileIndexOptions): Promise<FileIndexResult> {
  const name = path.basename(file);
  const text = textIndexer(options);
  const result = emptyFileResult(file, size);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    result.status = 'unreadable';
    result.message = `${name} could not be opened: ${describeError(error)}.`;
    return result;
  }
  let input: fs.ReadStream | undefined;
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    result.compressed = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;

    // Logs are nearly always ASCII: such a chunk becomes a one-byte string directly, much faster
    // than UTF-8 decoding and cheaper to scan. The decoder takes every chunk from the first one
    // that is not ASCII until an ASCII chunk has completed any character it left unfinished.
    const decoder = new StringDecoder('utf8');
    let decoderIdle = true;
    const decode = (chunk: Buffer): string => {
      const ascii = isAscii(chunk);
      if (ascii && decoderIdle) return chunk.toString('latin1');
      decoderIdle = ascii;
      return decoder.write(chunk);
    };
    const progressBytes = options.progressBytes ?? 8 * 1024 * 1024;
    let nextProgress = progressBytes;

    input = handle.createReadStream({ start: 0, highWaterMark: READ_CHUNK, autoClose: false });
    const source: Readable = result.compressed ? pipeline(input, zlib.createGunzip({ chunkSize: INFLATE_CHUNK }), () => undefined) : input;
    let damage: string | undefined;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        if (options.signal?.aborted) {
          throw options.signal.reason ?? new Error('Indexing was cancelled.');
        }
        result.textBytes += chunk.length;
        if (result.compressed && result.textBytes > options.maxDecompressedBytes) {
          source.destroy();
          result.characters = text.characters;
          return tooLarge(result, name, options.maxDecompressedBytes);
        }
        const decoded = decode(chunk);
        if (text.characters + decoded.length >= MAX_CHARACTERS) {
          source.destroy();
          result.status = 'tooLarge';
          result.message = `${name} was not indexed: it holds more than ${MAX_CHARACTERS} characters.`;
          return result;
        }
        text.write(decoded);
        if (text.rejected) {
          throw new StopReading();
        }
        if (result.textBytes >= nextProgress) {
          nextProgress = result.textBytes + progressBytes;
          options.onProgress?.(result.textBytes, text.events);
        }
      }
      text.write(decoder.end());
    } catch (error) {
      if (!(error instanceof StopReading)) {
        if (options.signal?.aborted) {
          throw error;
        }
        damage = describeDamage(name, error, result.compressed);
      }
      source.destroy();
    }
    return conclude(result, text, damage, options);
  } finally {
    if (input && !input.closed) {
      input.destroy();
      await finished(input).catch(() => undefined);
    }
    await handle.close().catch(() => undefined);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { Range } from 'vscode-languageserver';
import { LineIndex } from '../model';
import { formatLog, FormattedLog } from '../model/format';
import { FormattedLogParams, MapFormattedRangesParams } from '../protocol';

/**
 * `cloudtrail/formattedLog` and `cloudtrail/mapFormattedRanges`: formats a log read from an open
 * document or from disk, and keeps the last few results (with their line indexes) so that
 * positions can be moved between the two texts while the formatted view is open.
 */

const CACHED_LOGS = 4;
const DEFAULT_MAX_DECOMPRESSED_MB = 1024;

const gunzip = promisify(zlib.gunzip) as (buffer: Uint8Array, options: zlib.ZlibOptions) => Promise<Buffer>;

/** Where the server finds a log's text: open documents first, then the disk. */
export interface LogTextSource {
  /** The text and version of an open document, if the server has it. */
  openDocument(uri: string): { text: string; version: number } | undefined;
  /** The file's bytes and a key that changes when the file does. */
  readFile(path: string): Promise<{ bytes: Uint8Array; key: string }>;
}

export const diskFiles: LogTextSource['readFile'] = async (path) => {
  const stat = await fs.promises.stat(path);
  return { bytes: await fs.promises.readFile(path), key: `${stat.mtimeMs}|${stat.size}` };
};

interface CachedFormat {
  uri: string;
  key: string;
  original: string;
  formatted: FormattedLog;
  originalLines?: LineIndex;
  formattedLines?: LineIndex;
}

export class FormattedLogService {
  private readonly cache: CachedFormat[] = [];

  constructor(private readonly source: LogTextSource) {}

  async formattedText(params: FormattedLogParams): Promise<string> {
    return (await this.get(params)).formatted.text;
  }

  async mapRanges(params: MapFormattedRangesParams): Promise<Range[]> {
    const entry = await this.get(params);
    entry.originalLines ??= new LineIndex(entry.original);
    entry.formattedLines ??= new LineIndex(entry.formatted.text);
    const toFormatted = params.to === 'formatted';
    const [fromLines, toLines] = toFormatted ? [entry.originalLines, entry.formattedLines] : [entry.formattedLines, entry.originalLines];
    const map = entry.formatted.map;
    return params.ranges.map((range) => {
      const start = fromLines.offsetAt(range.start.line, range.start.character);
      const end = fromLines.offsetAt(range.end.line, range.end.character);
      const moved = toFormatted ? map.rangeToFormatted(start, end) : map.rangeToOriginal(start, end);
      return { start: toLines.positionAt(moved.start), end: toLines.positionAt(moved.end) };
    });
  }

  private async get(params: FormattedLogParams): Promise<CachedFormat> {
    const { text, key } = await this.read(params);
    const found = this.cache.findIndex((entry) => entry.uri === params.uri);
    if (found >= 0) {
      const [entry] = this.cache.splice(found, 1);
      if (entry.key === key) {
        this.cache.unshift(entry);
        return entry;
      }
    }
    const entry: CachedFormat = { uri: params.uri, key, original: text, formatted: formatLog(text) };
    this.cache.unshift(entry);
    this.cache.length = Math.min(this.cache.length, CACHED_LOGS);
    return entry;
  }

  private async read(params: FormattedLogParams): Promise<{ text: string; key: string }> {
    const open = this.source.openDocument(params.uri);
    if (open) return { text: open.text, key: `version ${open.version}` };
    if (!params.uri.startsWith('file:')) {
      throw new Error(`${params.uri} is neither open nor a file on disk.`);
    }
    const { bytes, key } = await this.source.readFile(fileURLToPath(params.uri));
    const cached = this.cache.find((entry) => entry.uri === params.uri && entry.key === key);
    if (cached) return { text: cached.original, key };
    return { text: await decodeLog(bytes, params.maxDecompressedMB ?? DEFAULT_MAX_DECOMPRESSED_MB), key };
  }
}

/** The text of a log file's bytes, decompressed when they are gzip (told by their first bytes). */
async function decodeLog(bytes: Uint8Array, maxDecompressedMB: number): Promise<string> {
  let content = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      content = await gunzip(bytes, { maxOutputLength: Math.max(1, maxDecompressedMB) * 1024 * 1024 });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new Error(`This compressed log is larger than ${maxDecompressedMB} MB once decompressed (cloudtrail.folder.maxDecompressedMB).`, {
          cause: error,
        });
      }
      throw new Error(`This compressed log could not be decompressed (it is damaged or cut short): ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }
  return Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
}

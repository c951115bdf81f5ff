import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Range } from 'vscode-languageserver';
import { LineIndex } from '../model';
import { formatMegabytes, readLogContent } from '../model/folderIndex';
import { formatLog, FormattedLog } from '../model/format';
import { FormattedLogParams, MapFormattedRangesParams } from '../protocol';

/**
 * `cloudtrail/formattedLog` and `cloudtrail/mapFormattedRanges`: formats a log read from an open
 * document or from disk, and keeps the last few results (with their line indexes) so that
 * positions can be moved between the two texts while the formatted view is open.
 */

const CACHED_LOGS = 4;
const DEFAULT_MAX_DECOMPRESSED_MB = 1024;

/** Where the server finds a log's text: open documents first, then the disk. */
export interface LogTextSource {
  /** The text and version of an open document, if the server has it. */
  openDocument(uri: string): { text: string; version: number } | undefined;
  /** A key that changes when the file does. */
  fileKey(path: string): Promise<string>;
  /** The file's text, decompressed when it is gzip; throws with a message for a person when it cannot be read. */
  readText(path: string, maxDecompressedBytes: number): Promise<string>;
}

/** Log files on disk, read by the same reader and limits as the folder index. */
export const diskLogs: Pick<LogTextSource, 'fileKey' | 'readText'> = {
  fileKey: async (path) => {
    const stat = await fs.promises.stat(path);
    return `${String(stat.mtimeMs)}|${String(stat.size)}`;
  },
  readText: async (path, maxDecompressedBytes) => {
    const content = await readLogContent(path, { maxDecompressedBytes, maxContentBytes: maxDecompressedBytes });
    switch (content.status) {
      case 'read':
        return content.bytes.toString('utf8');
      case 'overContentLimit':
        throw new Error(`This log is larger than ${formatMegabytes(maxDecompressedBytes)} (cloudtrail.folder.maxDecompressedMB).`);
      default:
        throw new Error(content.message);
    }
  },
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
    const path = fileURLToPath(params.uri);
    const key = await this.source.fileKey(path);
    const cached = this.cache.find((entry) => entry.uri === params.uri && entry.key === key);
    if (cached) return { text: cached.original, key };
    const maxDecompressedMB = params.maxDecompressedMB ?? DEFAULT_MAX_DECOMPRESSED_MB;
    return { text: await this.source.readText(path, Math.max(1, maxDecompressedMB) * 1024 * 1024), key };
  }
}

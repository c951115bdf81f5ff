/**
 * Names of log files and of the decompressed views of compressed ones. Pure: no VS Code API,
 * tested in plain Node.
 */

/** The scheme of the read-only, decompressed view of a `.gz` log. */
export const COMPRESSED_LOG_SCHEME = 'cloudtrail-gz';

/** VS Code hands no document longer than this (in characters) to extensions. */
export const EDITOR_SYNC_LIMIT = 50 * 1024 * 1024;

/** A gzip file, by name. */
export function isCompressedName(path: string): boolean {
  return /\.gz$/i.test(path);
}

/**
 * The path of the decompressed view: `x.json.gz` becomes `x.json`, and any other `x.gz` becomes
 * `x.json` too (`x.log.gz`: `x.log.json`), so that the view opens as JSON (and is then recognised
 * as CloudTrail by its name or content).
 */
export function decompressedPath(path: string): string {
  const stripped = path.replace(/\.gz$/i, '');
  return /\.json$/i.test(stripped) ? stripped : `${stripped}.json`;
}

/** Files a folder index reads: `.json`, `.jsonl`, `.ndjson` and `.gz`. */
export function isLogName(path: string): boolean {
  return /\.(json|jsonl|ndjson|gz)$/i.test(path);
}

/** "212 MB". */
export function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? `${Math.round(mb)} MB` : `${mb.toFixed(1)} MB`;
}

/** The scheme of the read-only, formatted view of a log. */
export const FORMATTED_LOG_SCHEME = 'cloudtrail-formatted';

/**
 * The path of the formatted view: `x.json.gz`, `x.json` or `x.jsonl` becomes
 * `x.formatted.cloudtrail.json`, a name the CloudTrail Log language claims (`*.cloudtrail.json`).
 */
export function formattedPath(path: string): string {
  const stem = path.replace(/\.gz$/i, '').replace(/\.(json|jsonl|ndjson)$/i, '');
  return `${stem}.formatted.cloudtrail.json`;
}

import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { COMPRESSED_LOG_SCHEME, decompressedPath, EDITOR_SYNC_LIMIT, formatSize } from './logNames';

/**
 * Compressed logs in the editor: a read-only file system that shows a `.gz` file decompressed
 * (scheme `cloudtrail-gz`, the path ending in `.json`, the original URI in the query), and a
 * custom editor that turns opening a `.json.gz` into opening that view. Decompression is zlib's
 * asynchronous one, which runs on libuv's thread pool, not on the extension host's thread.
 */

const gunzip = promisify(zlib.gunzip) as (buffer: Uint8Array, options: zlib.ZlibOptions) => Promise<Buffer>;

/** The decompressed view of a compressed log. */
export function compressedLogView(original: vscode.Uri): vscode.Uri {
  return original.with({ scheme: COMPRESSED_LOG_SCHEME, path: decompressedPath(original.path), query: original.toString(), fragment: '' });
}

/** The compressed file behind a view. */
export function originalOfView(view: vscode.Uri): vscode.Uri {
  return vscode.Uri.parse(view.query, true);
}

/** The largest decompressed size allowed, from `cloudtrail.folder.maxDecompressedMB`. */
export function maxDecompressedMB(): number {
  return Math.max(1, vscode.workspace.getConfiguration('cloudtrail').get<number>('folder.maxDecompressedMB', 1024));
}

interface Decompressed {
  key: string;
  content: Uint8Array;
  mtime: number;
  ctime: number;
}

/** How long the last decompressed file is kept (stat and read come one after the other). */
const CACHE_MS = 20_000;

export class CompressedLogFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  private readonly large = new vscode.EventEmitter<{ original: vscode.Uri; size: number }>();
  readonly onDidChangeFile = this.changed.event;
  /** A view was read whose content is too long for VS Code to hand to extensions. */
  readonly onDidReadLargeLog = this.large.event;
  private cached: Decompressed | undefined;
  private cacheTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly reportedLarge = new Set<string>();

  watch(uri: vscode.Uri): vscode.Disposable {
    const original = originalOfView(uri);
    if (original.scheme !== 'file') {
      return new vscode.Disposable(() => undefined);
    }
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.joinPath(original, '..'), original.path.slice(original.path.lastIndexOf('/') + 1)),
    );
    const fire = (type: vscode.FileChangeType) => (): void => {
      this.cached = undefined;
      this.changed.fire([{ type, uri }]);
    };
    const subscriptions = [
      watcher,
      watcher.onDidChange(fire(vscode.FileChangeType.Changed)),
      watcher.onDidDelete(fire(vscode.FileChangeType.Deleted)),
      watcher.onDidCreate(fire(vscode.FileChangeType.Created)),
    ];
    return vscode.Disposable.from(...subscriptions);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { content, mtime, ctime } = await this.decompress(uri);
    return { type: vscode.FileType.File, ctime, mtime, size: content.byteLength, permissions: vscode.FilePermission.Readonly };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const decompressed = await this.decompress(uri);
    if (decompressed.content.byteLength > EDITOR_SYNC_LIMIT && !this.reportedLarge.has(decompressed.key)) {
      this.reportedLarge.add(decompressed.key);
      this.large.fire({ original: originalOfView(uri), size: decompressed.content.byteLength });
    }
    return decompressed.content;
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changed.dispose();
    this.large.dispose();
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
  }

  private async decompress(uri: vscode.Uri): Promise<Decompressed> {
    const original = originalOfView(uri);
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(original);
    } catch {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    const key = `${original.toString()}|${stat.mtime}|${stat.size}`;
    if (this.cached?.key === key) {
      return this.cached;
    }
    const bytes = await vscode.workspace.fs.readFile(original);
    let content: Uint8Array = bytes;
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      const limitMB = maxDecompressedMB();
      try {
        content = await gunzip(bytes, { maxOutputLength: limitMB * 1024 * 1024 });
      } catch (error) {
        const code = (error as { code?: string }).code;
        const message =
          code === 'ERR_BUFFER_TOO_LARGE'
            ? `This compressed log is larger than ${limitMB} MB once decompressed (cloudtrail.folder.maxDecompressedMB), so it was not opened.`
            : `This compressed log could not be decompressed (it is damaged or cut short): ${error instanceof Error ? error.message : String(error)}`;
        void vscode.window.showErrorMessage(message);
        throw vscode.FileSystemError.Unavailable(message);
      }
    }
    this.cached = { key, content, mtime: stat.mtime, ctime: stat.ctime };
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
    this.cacheTimer = setTimeout(() => (this.cached = undefined), CACHE_MS);
    return this.cached;
  }
}

/**
 * Opening a `.json.gz` (or `.gz`) from the Explorer lands here: the editor opens the decompressed
 * view in its place, and this editor closes.
 */
export class CompressedLogEditorProvider implements vscode.CustomReadonlyEditorProvider {
  static readonly viewTypes = ['cloudtrail.compressedLog', 'cloudtrail.compressedFile'];

  /** `open` shows a compressed file: its decompressed view, or its formatted view when that is preferred. */
  constructor(private readonly open: (original: vscode.Uri, options: vscode.TextDocumentShowOptions) => Promise<void> = openCompressedLog) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: false };
    panel.webview.html = '<!DOCTYPE html><html><body><p>Opening the decompressed log…</p></body></html>';
    try {
      await this.open(document.uri, { viewColumn: panel.viewColumn, preview: false });
    } finally {
      panel.dispose();
    }
  }
}

/** Opens the decompressed view of a compressed log, optionally with a selection. */
export async function openCompressedLog(original: vscode.Uri, options: vscode.TextDocumentShowOptions = {}): Promise<void> {
  await vscode.commands.executeCommand('vscode.open', compressedLogView(original), options);
}

export function describeLargeLog(size: number): string {
  return `This log is ${formatSize(size)}. VS Code gives extensions no access to files over 50 MB, so it has no hovers, diagnostics or outline; its events are listed in the CloudTrail Events view.`;
}

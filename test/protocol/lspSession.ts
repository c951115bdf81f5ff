import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  ClientCapabilities,
  createProtocolConnection,
  Diagnostic,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  TextDocumentContentChangeEvent,
  InitializeRequest,
  InitializedNotification,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  ShutdownRequest,
  ExitNotification,
  Hover,
  HoverRequest,
  Position,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

/** The repository root, from out/test/protocol or test/protocol. */
export const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
/** The source of Sigma findings, apart from the rules' own diagnostics. */
export const DETECTIONS_SOURCE = 'cloudtrail detections';

/**
 * A real CloudTrail language server process (the built dist/server.js over stdio) and a
 * connection to it, as any LSP client would have. No VS Code involved.
 */
export class LspSession {
  private readonly diagnosticsWaiters = new Map<string, ((params: PublishDiagnosticsParams) => void)[]>();
  readonly published = new Map<string, PublishDiagnosticsParams>();
  readonly stderr: string[] = [];
  private versions = new Map<string, number>();

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
    private readonly reader: StreamMessageReader,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.set(params.uri, params);
      const waiters = this.diagnosticsWaiters.get(params.uri) ?? [];
      this.diagnosticsWaiters.delete(params.uri);
      waiters.forEach((resolve) => {
        resolve(params);
      });
    });
  }

  static async start(
    capabilities: ClientCapabilities = {},
    initializationOptions?: unknown,
    workspaceFolders?: { uri: string; name: string }[],
    nodeOptions: readonly string[] = [],
  ): Promise<LspSession> {
    const child = spawn(process.execPath, [...nodeOptions, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const reader = new StreamMessageReader(child.stdout);
    const connection = createProtocolConnection(reader, new StreamMessageWriter(child.stdin));
    const session = new LspSession(child, connection, reader);
    child.stderr.on('data', (chunk: Buffer) => session.stderr.push(chunk.toString()));
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- still a required member of InitializeParams
      rootUri: null,
      capabilities,
      initializationOptions,
      ...(workspaceFolders ? { workspaceFolders } : {}),
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  /** Opens a document and resolves with the first diagnostics published for it. */
  async open(uri: string, text: string, languageId = 'cloudtrail'): Promise<PublishDiagnosticsParams> {
    const published = this.nextDiagnostics(uri);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return published;
  }

  /** Sends incremental changes and resolves with the diagnostics published for the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<PublishDiagnosticsParams> {
    const version = this.nextVersion(uri);
    const published = this.nextDiagnosticsFor(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return published;
  }

  /** The first diagnostics published for `uri` at `version` (earlier versions are skipped). */
  async nextDiagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    for (;;) {
      const published = await this.nextDiagnostics(uri);
      if (published.version === version) {
        return published;
      }
    }
  }

  nextDiagnostics(uri: string): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve) => {
      const waiters = this.diagnosticsWaiters.get(uri) ?? [];
      waiters.push(resolve);
      this.diagnosticsWaiters.set(uri, waiters);
    });
  }

  nextVersion(uri: string): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    return version;
  }

  /** Closes a document. */
  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Asks for the hover at a position of an open document. */
  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async stop(): Promise<void> {
    const child = this.process;
    const closed = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else
        child.once('close', () => {
          resolve();
        });
    });
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // The process may already be gone.
    }
    // Let the server leave by itself, so that no message it is writing is cut off half-read.
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (waited = setTimeout(resolve, 5_000)))]);
    clearTimeout(waited);
    child.kill();
    // A reader left holding part of a message re-arms a timer every 10 s for ever, and this
    // process would never exit: stop it from re-arming before letting the connection go.
    this.reader.partialMessageTimeout = 0;
    this.connection.dispose();
  }
}

export function fileUri(name: string): string {
  return `file:///workspace/${encodeURIComponent(name)}`;
}

export function summarize(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`);
}

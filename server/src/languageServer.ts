import {
  CodeActionKind,
  Connection,
  DidChangeConfigurationNotification,
  InitializeParams,
  InitializeResult,
  TextDocuments,
  ResponseError,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentModels } from './documentModels';
import { quickFixes } from './features/codeActions';
import { registerDiagnosticsPullSupport, registerDiagnosticsPushSupport, toDiagnostic } from './features/diagnostics';
import { EventTreeInput, EventTreeService } from './features/eventTree';
import { connectionHost, createIndexRunner, FolderIndexService } from './features/folderIndex';
import { foldingRanges } from './features/folding';
import { diskFiles, FormattedLogService } from './features/formattedLogs';
import { hoverAt } from './features/hover';
import { registerIdleTextJoin } from './features/idleTextJoin';
import { documentSymbols } from './features/symbols';
import { DocumentProblems } from './documentProblems';
import { Problem, RuleSetting } from './model';
import {
  CloseFolderIndexNotification,
  DocumentSummary,
  EventAtRequest,
  EventTreeRequest,
  ExportEventsRequest,
  FormattedLogRequest,
  IndexFolderRequest,
  MapFormattedRangesRequest,
  ModelChangedNotification,
  TimelineRequest,
} from './protocol';
import { computeTimeline, exportEvents, readLogDocument, TimelineEnvironment } from './features/timeline';
import { RuntimeEnvironment } from './runtime';
import { formatError, runSafe } from './runSafe';

/** What the client may set under `cloudtrail.*`. */
interface Settings {
  diagnostics?: { maxProblems?: number; rules?: Record<string, RuleSetting> };
}

const SYMBOL_LIMIT = 10_000;
const FOLDING_LIMIT = 5_000;

/**
 * Wires the CloudTrail features to a connection. Everything the server knows about a document
 * comes from one model per document version (DocumentModels).
 */
export function startServer(connection: Connection, runtime: RuntimeEnvironment): void {
  const models = new DocumentModels();
  const documents = new TextDocuments<TextDocument>(models.documentsConfiguration);
  const log = (message: string): void => {
    connection.console.error(message);
  };
  const eventTrees = new EventTreeService();
  let clientWatchesFiles = false;
  const folderIndexes = new FolderIndexService(
    connectionHost(connection, runtime, createIndexRunner(runtime.folderIndexWorker), () => clientWatchesFiles, log),
  );

  const formattedLogs = new FormattedLogService({
    openDocument: (uri) => {
      const document = documents.get(uri);
      return document ? { text: document.getText(), version: document.version } : undefined;
    },
    readFile: diskFiles,
  });

  let clientSupportsConfiguration = false;
  let diagnosticsSupport: { requestRefresh(): void; dispose(): void } | undefined;

  const documentProblems = new DocumentProblems(models, { maxProblems: 1000 });
  const problemsOf = (document: TextDocument): Problem[] => documentProblems.get(document);

  const validate = (document: TextDocument) => {
    const problems = problemsOf(document);
    notifyModelChanged(document, problems);
    return problems.map((problem) => toDiagnostic(problem, document));
  };

  const notifyModelChanged = (document: TextDocument, problems: Problem[]): void => {
    const model = models.get(document);
    const summary: DocumentSummary = {
      uri: document.uri,
      version: document.version,
      shape: model.shape,
      events: model.records.length,
      failedEvents: model.records.reduce((count, record) => count + (record.summary.errorCode ? 1 : 0), 0),
      errors: problems.filter((p) => p.severity === 'error').length,
      warnings: problems.filter((p) => p.severity === 'warning').length,
    };
    void connection.sendNotification(ModelChangedNotification.type, summary);
  };

  const updateSettings = async (): Promise<void> => {
    if (!clientSupportsConfiguration) {
      return;
    }
    try {
      const settings = ((await connection.workspace.getConfiguration('cloudtrail')) ?? {}) as Settings;
      documentProblems.setOptions({
        maxProblems: Math.max(1, settings.diagnostics?.maxProblems ?? 1000),
        rules: settings.diagnostics?.rules ?? {},
      });
      diagnosticsSupport?.requestRefresh();
    } catch (error) {
      log(formatError('Could not read the cloudtrail settings', error));
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    clientSupportsConfiguration = capabilities.workspace?.configuration === true;
    const watching = capabilities.workspace?.didChangeWatchedFiles;
    clientWatchesFiles = watching?.dynamicRegistration === true && watching.relativePatternSupport === true;
    const initSettings = (params.initializationOptions as { settings?: Settings } | undefined)?.settings;
    if (initSettings?.diagnostics) {
      documentProblems.setOptions({
        maxProblems: Math.max(1, initSettings.diagnostics.maxProblems ?? 1000),
        rules: initSettings.diagnostics.rules ?? {},
      });
    }
    const pullDiagnostics = capabilities.textDocument?.diagnostic !== undefined;
    diagnosticsSupport = pullDiagnostics
      ? registerDiagnosticsPullSupport(documents, connection, runtime, validate)
      : registerDiagnosticsPushSupport(documents, connection, runtime, validate);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        ...(pullDiagnostics ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: 'CloudTrail Explorer language server' },
    };
  });

  connection.onInitialized(() => {
    if (clientSupportsConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'cloudtrail' });
      void updateSettings();
    }
  });

  connection.onDidChangeConfiguration(() => void updateSettings());

  documents.onDidClose((event) => {
    const { uri } = event.document;
    models.delete(uri);
    documentProblems.delete(uri);
    eventTrees.forget(uri);
    void connection.sendNotification(ModelChangedNotification.type, { uri, version: null, shape: 'empty', events: 0, failedEvents: 0, errors: 0, warnings: 0 });
  });

  const eventTreeInput = (uri: string): EventTreeInput | undefined => {
    const document = documents.get(uri);
    return document ? { document, model: models.get(document), problems: problemsOf(document) } : undefined;
  };

  connection.onHover((params, token) =>
    runSafe(
      runtime,
      log,
      () => {
        const document = documents.get(params.textDocument.uri);
        return document ? hoverAt(models.get(document), document, params.position) : null;
      },
      null,
      `computing the hover of ${params.textDocument.uri}`,
      token,
    ),
  );

  connection.onDocumentSymbol((params, token) =>
    runSafe(
      runtime,
      log,
      () => {
        const document = documents.get(params.textDocument.uri);
        if (!document) {
          return [];
        }
        const { symbols, truncated } = documentSymbols(models.get(document), document, SYMBOL_LIMIT);
        if (truncated) {
          connection.window.showInformationMessage(`The outline shows the first ${SYMBOL_LIMIT} events of this log; use the CloudTrail view for all of them.`);
        }
        return symbols;
      },
      [],
      `computing the outline of ${params.textDocument.uri}`,
      token,
    ),
  );

  connection.onFoldingRanges((params, token) =>
    runSafe(
      runtime,
      log,
      () => {
        const document = documents.get(params.textDocument.uri);
        return document ? foldingRanges(models.get(document), document, FOLDING_LIMIT) : [];
      },
      [],
      `computing folding ranges of ${params.textDocument.uri}`,
      token,
    ),
  );

  connection.onCodeAction((params, token) =>
    runSafe(
      runtime,
      log,
      () => {
        const document = documents.get(params.textDocument.uri);
        return document ? quickFixes(document, params) : [];
      },
      [],
      `computing code actions of ${params.textDocument.uri}`,
      token,
    ),
  );

  connection.onRequest(EventTreeRequest.type, (params, token) =>
    runSafe(
      runtime,
      log,
      () => (params.folder !== undefined ? folderIndexes.eventTree(params) : eventTrees.eventTree(params, eventTreeInput)),
      null,
      `computing the event tree of ${params.folder ?? params.textDocument.uri}`,
      token,
    ),
  );

  connection.onRequest(EventAtRequest.type, (params, token) =>
    runSafe(runtime, log, () => eventTrees.eventAt(params, eventTreeInput), null, `finding the event at a position in ${params.textDocument.uri}`, token),
  );

  const timelineEnvironment: TimelineEnvironment = {
    documentsOf: eventTreeInput,
    folderIndexOf: (uri) => folderIndexes.indexOf(uri),
    readIndexedFile: (path) => readLogDocument(path, folderIndexes.maxDecompressedBytes(path)),
  };
  connection.onRequest(TimelineRequest.type, (params, token) =>
    runSafe(runtime, log, () => computeTimeline(params, timelineEnvironment), null, 'computing the timeline', token),
  );
  connection.onRequest(ExportEventsRequest.type, async (params) => {
    try {
      return await exportEvents(params, timelineEnvironment);
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      log(formatError('Error while exporting events', error));
      throw error;
    }
  });

  connection.onRequest(IndexFolderRequest.type, async (params, token) => {
    try {
      return await folderIndexes.indexFolder(params, token, connection.window.attachWorkDoneProgress(params.workDoneToken));
    } catch (error) {
      log(formatError(`Error while indexing ${params.uri}`, error));
      throw error;
    }
  });
  connection.onRequest(FormattedLogRequest.type, async (params) => {
    try {
      return { text: await formattedLogs.formattedText(params) };
    } catch (error) {
      log(formatError(`Could not format ${params.uri}`, error));
      throw error;
    }
  });
  connection.onRequest(MapFormattedRangesRequest.type, async (params) => {
    try {
      return await formattedLogs.mapRanges(params);
    } catch (error) {
      log(formatError(`Could not map positions of ${params.uri}`, error));
      throw error;
    }
  });
  connection.onNotification(CloseFolderIndexNotification.type, (params) => {
    folderIndexes.close(params.uri);
  });
  connection.onDidChangeWatchedFiles((params) => {
    folderIndexes.onWatchedFilesChanged(params.changes);
  });
  const idleTextJoin = registerIdleTextJoin(documents, runtime);
  connection.onShutdown(() => {
    folderIndexes.dispose();
    idleTextJoin.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

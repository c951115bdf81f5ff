import {
  CodeActionKind,
  Connection,
  Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  InitializeParams,
  InitializeResult,
  MarkupContent,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentModels } from './documentModels';
import { quickFixes } from './features/codeActions';
import { registerDiagnosticsPullSupport, registerDiagnosticsPushSupport, toDiagnostic } from './features/diagnostics';
import { EventTreeInput, EventTreeService } from './features/eventTree';
import { DetectionService, detectionSettings } from './features/detections';
import { connectionHost, createIndexRunner, FolderIndexService, toPath } from './features/folderIndex';
import { foldingRanges } from './features/folding';
import { filterSql, folderFindingsTree, findingsTree, rereadFolderFindingsTree, ruleSql } from './features/findings';
import { diskLogs, FormattedLogService } from './features/formattedLogs';
import { hoverAt, systemHoverEnvironment } from './features/hover';
import { comparePolicyFor, generatePolicyFor, PolicySources } from './features/policy';
import { iamCatalogue } from './model/iam/policy/iamCatalogue';
import { registerIdleTextJoin } from './features/idleTextJoin';
import { LinkService } from './features/links';
import { documentSymbols } from './features/symbols';
import { DocumentProblems } from './documentProblems';
import { Problem, RuleSetting } from './model';
import {
  CloseFolderIndexNotification,
  ComparePolicyRequest,
  DocumentSummary,
  EventAtRequest,
  EventTreeRequest,
  ExportEventsRequest,
  FilterSqlRequest,
  FindingsRequest,
  FormattedLogRequest,
  GeneratePolicyRequest,
  HeapAfterCollectionRequest,
  IndexFolderRequest,
  MapFormattedRangesRequest,
  isCloseFolderIndexParams,
  isCodeActionParams,
  isEventAtParams,
  isEventTreeParams,
  isFormattedLogParams,
  isIndexFolderParams,
  isMapFormattedRangesParams,
  isTextDocumentParams,
  isTextDocumentPositionParams,
  ModelChangedNotification,
  RelatedEventsRequest,
  RuleSqlRequest,
  TimelineRequest,
} from './protocol';
import { computeTimeline, exportEvents, readLogDocument, TimelineEnvironment } from './features/timeline';
import { RuntimeEnvironment } from './runtime';
import { formatError, RequestGate, runSafe } from './runSafe';

/** What the client may set under `cloudtrail.*`. */
interface Settings {
  diagnostics?: { maxProblems?: number; rules?: Record<string, RuleSetting> };
  detections?: unknown;
}

const SYMBOL_LIMIT = 10_000;
const FOLDING_LIMIT = 5_000;

/**
 * Wires the CloudTrail features to a connection. Everything the server knows about a document
 * comes from one model per document version (DocumentModels).
 */
export function startServer(connection: Connection, runtime: RuntimeEnvironment): void {
  const models = new DocumentModels();
  const gate = new RequestGate();
  const documents = new TextDocuments<TextDocument>(models.documentsConfiguration);
  const log = (message: string): void => {
    connection.console.error(message);
  };
  const eventTrees = new EventTreeService();
  let clientWatchesFiles = false;
  const folderIndexes = new FolderIndexService({
    ...connectionHost(connection, runtime, createIndexRunner(runtime.folderIndexWorker), () => clientWatchesFiles, log),
    ruleSource: () => detections.ruleSource(),
    // Published after the index is answered, so that the folder's findings never hold its request
    // up. The message writer writes the answer from an immediate it queues once the request
    // settles, just after this call; immediates run in order, so one queued from an immediate
    // queued now runs after the write, whichever phase of the event loop this call is made in.
    indexChanged: (root, index) => {
      runtime.timer.setImmediate(() => {
        runtime.timer.setImmediate(() => {
          // Outside any request: a failure here is logged, not left to end the server.
          try {
            detections.folderIndexChanged(root, index);
          } catch (error) {
            log(formatError(`Error while publishing the findings of ${root}`, error));
          }
        });
      });
    },
  });

  const formattedLogs = new FormattedLogService({
    openDocument: (uri) => {
      const document = documents.get(uri);
      return document ? { text: document.getText(), version: document.version } : undefined;
    },
    ...diskLogs,
  });

  const links = new LinkService({
    document: (uri) => {
      const document = documents.get(uri);
      return document ? { document, model: models.get(document) } : undefined;
    },
    folderIndexes: () => folderIndexes.openIndexes(),
  });

  let clientSupportsConfiguration = false;
  let diagnosticsSupport: { requestRefresh(): void; dispose(): void } | undefined;

  const documentProblems = new DocumentProblems(models, { maxProblems: 1000 });
  const problemsOf = (document: TextDocument): Problem[] => documentProblems.get(document);
  let workspaceFolders: string[] = [];
  let initialDetectionSettings: unknown;
  const detections = new DetectionService({
    watchThroughClient: (baseUri, pattern) =>
      clientWatchesFiles
        ? connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: { baseUri, pattern } }] })
        : undefined,
    setTimeout: (callback, ms) => runtime.timer.setTimeout(callback, ms),
    publishRuleFileDiagnostics: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
    rulesChanged: () => diagnosticsSupport?.requestRefresh(),
    log,
    bundledDirectory: runtime.sigmaRules,
    isOpen: (uri) => documents.get(uri) !== undefined,
  });

  const validate = (document: TextDocument) => {
    const problems = problemsOf(document);
    // Findings are diagnostics of their own source, after the problems, and never limit them.
    const own = problems.map((problem) => toDiagnostic(problem, document));
    const diagnostics = detections.enabled ? own.concat(detections.diagnostics(document, models.get(document))) : own;
    notifyModelChanged(document, diagnostics);
    return diagnostics;
  };

  /** Tells the client about a new model; errors and warnings are counted over every diagnostic published, as the Problems panel counts them. */
  const notifyModelChanged = (document: TextDocument, diagnostics: readonly Diagnostic[]): void => {
    const model = models.get(document);
    const summary: DocumentSummary = {
      uri: document.uri,
      version: document.version,
      shape: model.shape,
      events: model.records.length,
      failedEvents: model.records.reduce((count, record) => count + (record.summary.errorCode ? 1 : 0), 0),
      errors: diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error).length,
      warnings: diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Warning).length,
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
      detections.configure(detectionSettings(settings.detections), workspaceFolders);
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
    workspaceFolders = (params.workspaceFolders ?? []).map((folder) => toPath(folder.uri)).filter((folder): folder is string => folder !== undefined);
    initialDetectionSettings = initSettings?.detections;
    if (initSettings?.diagnostics) {
      documentProblems.setOptions({
        maxProblems: Math.max(1, initSettings.diagnostics.maxProblems ?? 1000),
        rules: initSettings.diagnostics.rules ?? {},
      });
    }
    const pullDiagnostics = capabilities.textDocument?.diagnostic !== undefined;
    diagnosticsSupport = pullDiagnostics
      ? registerDiagnosticsPullSupport(documents, connection, runtime, validate, gate)
      : registerDiagnosticsPushSupport(documents, connection, runtime, validate);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        referencesProvider: true,
        definitionProvider: true,
        documentHighlightProvider: true,
        callHierarchyProvider: true,
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
    } else {
      detections.configure(detectionSettings(initialDetectionSettings), workspaceFolders);
    }
  });

  connection.onDidChangeConfiguration(() => void updateSettings());

  documents.onDidClose((event) => {
    const { uri } = event.document;
    models.delete(uri);
    documentProblems.delete(uri);
    detections.delete(uri);
    eventTrees.forget(uri);
    void connection.sendNotification(ModelChangedNotification.type, { uri, version: null, shape: 'empty', events: 0, failedEvents: 0, errors: 0, warnings: 0 });
  });

  const eventTreeInput = (uri: string): EventTreeInput | undefined => {
    const document = documents.get(uri);
    return document ? { document, model: models.get(document), problems: problemsOf(document) } : undefined;
  };

  connection.onHover(
    (params, token) =>
      gate.refusal(params, isTextDocumentPositionParams) ??
      runSafe(
        runtime,
        log,
        () => {
          const document = documents.get(params.textDocument.uri);
          if (!document) return null;
          const model = models.get(document);
          const findings = detections.enabled ? detections.findings(document, model) : [];
          const rules = detections.rules;
          const hover = hoverAt(model, document, params.position, {
            ...systemHoverEnvironment(),
            rulesMatching: (record) => findings.filter((finding) => finding.record === record).map((finding) => rules.rules[finding.rule].metadata),
          });
          const trail = links.hover(params.textDocument.uri, params.position);
          if (!hover || trail === undefined) return hover;
          const contents = hover.contents as MarkupContent;
          return { ...hover, contents: { kind: contents.kind, value: `${contents.value}\n\n---\n\n${trail}` } };
        },
        null,
        `computing the hover of ${params.textDocument.uri}`,
        token,
      ),
  );

  connection.onReferences((params, token) =>
    runSafe(runtime, log, () => links.references(params.textDocument.uri, params.position), [], `finding references in ${params.textDocument.uri}`, token),
  );

  connection.onDefinition((params, token) =>
    runSafe(runtime, log, () => links.definition(params.textDocument.uri, params.position), [], `finding the definition in ${params.textDocument.uri}`, token),
  );

  connection.onDocumentHighlight((params, token) =>
    runSafe(runtime, log, () => links.highlights(params.textDocument.uri, params.position), [], `highlighting in ${params.textDocument.uri}`, token),
  );

  connection.languages.callHierarchy.onPrepare((params, token) =>
    runSafe(
      runtime,
      log,
      () => links.prepareCallHierarchy(params.textDocument.uri, params.position),
      null,
      `preparing the trail in ${params.textDocument.uri}`,
      token,
    ),
  );
  connection.languages.callHierarchy.onIncomingCalls((params, token) =>
    runSafe(runtime, log, () => links.incomingCalls(params.item), [], `walking the trail back from ${params.item.name}`, token),
  );
  connection.languages.callHierarchy.onOutgoingCalls((params, token) =>
    runSafe(runtime, log, () => links.outgoingCalls(params.item), [], `listing the sessions made by ${params.item.name}`, token),
  );

  connection.onRequest(RelatedEventsRequest.type, (params, token) =>
    runSafe(runtime, log, () => links.relatedEvents(params), [], `finding events related to ${params.uri}#${params.index}`, token),
  );

  connection.onDocumentSymbol(
    (params, token) =>
      gate.refusal(params, isTextDocumentParams) ??
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
            connection.window.showInformationMessage(
              `The outline shows the first ${SYMBOL_LIMIT} events of this log; use the CloudTrail view for all of them.`,
            );
          }
          return symbols;
        },
        [],
        `computing the outline of ${params.textDocument.uri}`,
        token,
      ),
  );

  connection.onFoldingRanges(
    (params, token) =>
      gate.refusal(params, isTextDocumentParams) ??
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

  connection.onCodeAction(
    (params, token) =>
      gate.refusal(params, isCodeActionParams) ??
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

  connection.onRequest(
    EventTreeRequest.type,
    (params, token) =>
      gate.refusal(params, isEventTreeParams) ??
      runSafe(
        runtime,
        log,
        () => (params.folder !== undefined ? folderIndexes.eventTree(params) : eventTrees.eventTree(params, eventTreeInput)),
        null,
        `computing the event tree of ${params.folder ?? params.textDocument.uri}`,
        token,
      ),
  );

  connection.onRequest(
    EventAtRequest.type,
    (params, token) =>
      gate.refusal(params, isEventAtParams) ??
      runSafe(runtime, log, () => eventTrees.eventAt(params, eventTreeInput), null, `finding the event at a position in ${params.textDocument.uri}`, token),
  );

  connection.onRequest(FindingsRequest.type, async (params, token) => {
    if (params.folder !== undefined) {
      const index = folderIndexes.indexOf(params.folder);
      if (!index) return null;
      try {
        // The index's workers checked the events as they read them; only when the rules changed
        // since (or were off then) are the logs read again.
        const rulesKey = detections.ruleSource()?.key;
        if (index.files().every((file) => file.profiles.length === 0 || file.detections?.rulesKey === rulesKey)) {
          return folderFindingsTree(params, index, detections);
        }
        const files = index.files().map((file) => file.path);
        return await rereadFolderFindingsTree(params, files, (path) => readLogDocument(path, folderIndexes.maxDecompressedBytes(path)), detections);
      } catch (error) {
        log(formatError(`Error while listing the findings of ${params.folder}`, error));
        throw error;
      }
    }
    return runSafe(
      runtime,
      log,
      () =>
        findingsTree(
          params,
          (uri) => {
            const document = documents.get(uri);
            return document ? { document, model: models.get(document) } : undefined;
          },
          detections,
        ),
      null,
      `listing the findings of ${params.textDocument.uri}`,
      token,
    );
  });

  connection.onRequest(RuleSqlRequest.type, (params, token) =>
    runSafe(runtime, log, () => ruleSql(params, detections.rules), { error: 'The SQL could not be written.' }, `writing rule ${params.ruleId} as SQL`, token),
  );

  connection.onRequest(FilterSqlRequest.type, (params, token) =>
    runSafe(runtime, log, () => filterSql(params), { error: 'The SQL could not be written.' }, 'writing the event filter as SQL', token),
  );

  const timelineEnvironment: TimelineEnvironment = {
    documentsOf: eventTreeInput,
    folderIndexOf: (uri) => folderIndexes.indexOf(uri),
    readIndexedFile: (path) => readLogDocument(path, folderIndexes.maxDecompressedBytes(path)),
    detections: () => (detections.enabled ? { rules: detections.rules, findingsOf: (input) => detections.findings(input.document, input.model) } : undefined),
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
  const policySources: PolicySources = {
    inputsOf: eventTreeInput,
    folderUsage: (folder, selection) => folderIndexes.policyUsage(folder, selection),
  };
  connection.onRequest(GeneratePolicyRequest.type, (params, token) =>
    runSafe(runtime, log, () => generatePolicyFor(params, policySources, iamCatalogue), null, 'generating an IAM policy from events', token),
  );
  connection.onRequest(ComparePolicyRequest.type, (params, token) =>
    runSafe(runtime, log, () => comparePolicyFor(params, policySources, iamCatalogue), null, 'comparing a policy with events', token),
  );

  connection.onRequest(IndexFolderRequest.type, async (params, token) => {
    const refusal = gate.refusal(params, isIndexFolderParams);
    if (refusal) {
      return refusal;
    }
    try {
      return await folderIndexes.indexFolder(params, token, connection.window.attachWorkDoneProgress(params.workDoneToken));
    } catch (error) {
      log(formatError(`Error while indexing ${params.uri}`, error));
      throw error;
    }
  });
  connection.onRequest(FormattedLogRequest.type, async (params) => {
    const refusal = gate.refusal(params, isFormattedLogParams);
    if (refusal) {
      return refusal;
    }
    try {
      return { text: await formattedLogs.formattedText(params) };
    } catch (error) {
      log(formatError(`Could not format ${params.uri}`, error));
      throw error;
    }
  });
  connection.onRequest(MapFormattedRangesRequest.type, async (params) => {
    const refusal = gate.refusal(params, isMapFormattedRangesParams);
    if (refusal) {
      return refusal;
    }
    try {
      return await formattedLogs.mapRanges(params);
    } catch (error) {
      log(formatError(`Could not map positions of ${params.uri}`, error));
      throw error;
    }
  });
  connection.onRequest(HeapAfterCollectionRequest.type, () => {
    const refusal = gate.refusal(null, () => true);
    if (refusal) {
      return refusal;
    }
    const collect = (globalThis as { gc?: () => void }).gc;
    if (collect === undefined) {
      return new ResponseError<void>(ErrorCodes.InvalidRequest, 'The server collects garbage on request only when started with --expose-gc.');
    }
    // Twice: objects with finalizers and weak references need a second pass.
    collect();
    collect();
    const usage = process.memoryUsage();
    return { heapUsed: usage.heapUsed, rss: usage.rss };
  });
  connection.onNotification(CloseFolderIndexNotification.type, (params) => {
    if (isCloseFolderIndexParams(params)) {
      folderIndexes.close(params.uri);
    }
  });
  connection.onDidChangeWatchedFiles((params) => {
    folderIndexes.onWatchedFilesChanged(params.changes);
    detections.onWatchedFilesChanged(params.changes);
  });
  const idleTextJoin = registerIdleTextJoin(documents, runtime);
  connection.onShutdown(() => {
    gate.shutdown();
    folderIndexes.dispose();
    detections.dispose();
    idleTextJoin.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

import {
  Connection,
  Diagnostic,
  DiagnosticRelatedInformation,
  DiagnosticSeverity,
  Disposable,
  DocumentDiagnosticReportKind,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Problem, Severity } from '../model';
import { RuntimeEnvironment } from '../runtime';
import { isTextDocumentParams } from '../protocol';
import { formatError, RequestGate, runSafe } from '../runSafe';

export const DIAGNOSTIC_SOURCE = 'cloudtrail';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(problem: Problem, document: TextDocument): Diagnostic {
  const diagnostic: Diagnostic = {
    range: { start: document.positionAt(problem.start), end: document.positionAt(problem.end) },
    severity: SEVERITIES[problem.severity],
    code: problem.code,
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
  };
  if (problem.related?.length) {
    diagnostic.relatedInformation = problem.related.map((related) =>
      DiagnosticRelatedInformation.create(
        { uri: document.uri, range: { start: document.positionAt(related.start), end: document.positionAt(related.end) } },
        related.message,
      ),
    );
  }
  if (problem.fix) {
    diagnostic.data = { fix: problem.fix };
  }
  return diagnostic;
}

export type Validate = (document: TextDocument) => Diagnostic[];

/** How long typing must pause before a changed document is checked again. */
const VALIDATION_DELAY_MS = 300;

/**
 * Pushes diagnostics (`textDocument/publishDiagnostics`) for clients that do not pull them:
 * at once when a document opens, debounced while it changes, never for a stale version.
 */
export function registerDiagnosticsPushSupport(
  documents: TextDocuments<TextDocument>,
  connection: Connection,
  runtime: RuntimeEnvironment,
  validate: Validate,
): { requestRefresh(): void; dispose(): void } {
  const pending = new Map<string, Disposable>();
  /** The version each pending or finished validation was for; TextDocuments reports an open as a change too. */
  const scheduledVersions = new Map<string, number>();
  const disposables: Disposable[] = [];

  const cancel = (uri: string): void => {
    pending.get(uri)?.dispose();
    pending.delete(uri);
  };

  const schedule = (document: TextDocument, delay: number): void => {
    cancel(document.uri);
    const version = document.version;
    scheduledVersions.set(document.uri, version);
    const run = (): void => {
      pending.delete(document.uri);
      const latest = documents.get(document.uri);
      if (latest?.version !== version) {
        return;
      }
      try {
        const diagnostics = validate(latest);
        void connection.sendDiagnostics({ uri: latest.uri, version, diagnostics });
      } catch (error) {
        connection.console.error(formatError(`Error while validating ${latest.uri}`, error));
      }
    };
    pending.set(document.uri, delay > 0 ? runtime.timer.setTimeout(run, delay) : runtime.timer.setImmediate(run));
  };

  disposables.push(
    documents.onDidOpen((event) => {
      schedule(event.document, 0);
    }),
    documents.onDidChangeContent((event) => {
      if (scheduledVersions.get(event.document.uri) !== event.document.version) {
        schedule(event.document, VALIDATION_DELAY_MS);
      }
    }),
    documents.onDidClose((event) => {
      cancel(event.document.uri);
      scheduledVersions.delete(event.document.uri);
      void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
    }),
  );

  return {
    requestRefresh: () => {
      for (const document of documents.all()) {
        schedule(document, 0);
      }
    },
    dispose: () => {
      disposables.forEach((d) => {
        d.dispose();
      });
      pending.forEach((d) => {
        d.dispose();
      });
      pending.clear();
    },
  };
}

/** Answers `textDocument/diagnostic` for clients that pull diagnostics. */
export function registerDiagnosticsPullSupport(
  documents: TextDocuments<TextDocument>,
  connection: Connection,
  runtime: RuntimeEnvironment,
  validate: Validate,
  gate: RequestGate,
): { requestRefresh(): void; dispose(): void } {
  const registration = connection.languages.diagnostics.on(
    (params, token) =>
      gate.refusal(params, isTextDocumentParams) ??
      runSafe(
        runtime,
        (message) => {
          connection.console.error(message);
        },
        () => {
          const document = documents.get(params.textDocument.uri);
          return {
            kind: DocumentDiagnosticReportKind.Full,
            items: document ? validate(document) : [],
          };
        },
        { kind: DocumentDiagnosticReportKind.Full, items: [] },
        `computing diagnostics for ${params.textDocument.uri}`,
        token,
      ),
  );
  return {
    requestRefresh: () => {
      void connection.languages.diagnostics.refresh();
    },
    dispose: () => {
      registration.dispose();
    },
  };
}

import { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CloudTrailDocument, EditedText, parseCloudTrail, updateCloudTrail } from './model';
import { PieceTextDocument } from './pieceTextDocument';

/** The text changed since the cached model, as one replacement: old `[start, oldEnd)` became new `[start, newEnd)`. */
interface PendingEdit {
  start: number;
  oldEnd: number;
  newEnd: number;
}

interface CachedModel {
  version: number;
  model: CloudTrailDocument;
  /** When this model came from the previous one by re-reading one record: which, from which version, and the length change. */
  incrementalFrom?: { version: number; changedRecord: number; delta: number; changeStart: number };
}

/**
 * One parsed model per document version: hovers, diagnostics, symbols and the event tree all
 * read the same model, and a version is never parsed twice. Edits are remembered as they arrive,
 * so that an edit inside one record re-reads only that record.
 */
export class DocumentModels {
  private readonly models = new Map<string, CachedModel>();
  private readonly pending = new Map<string, PendingEdit | 'full'>();

  /** How TextDocuments applies changes; records each change for incremental updates. */
  readonly documentsConfiguration = {
    create: (uri: string, languageId: string, version: number, content: string): TextDocument => PieceTextDocument.create(uri, languageId, version, content),
    update: (document: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument => {
      let updated = document;
      for (const change of changes) {
        this.noteChange(updated, change);
        updated = updated instanceof PieceTextDocument ? (updated.update([change], version), updated) : TextDocument.update(updated, [change], version);
      }
      return updated;
    },
  };

  get(document: TextDocument): CloudTrailDocument {
    return this.getWithChange(document).model;
  }

  /** The model of this version, and which record changed since the previous model, if only one did. */
  getWithChange(document: TextDocument): Readonly<CachedModel> {
    const cached = this.models.get(document.uri);
    if (cached?.version === document.version) {
      return cached;
    }
    const pending = this.pending.get(document.uri);
    this.pending.delete(document.uri);
    let next: CachedModel;
    if (cached && pending && pending !== 'full') {
      const text = editedText(document);
      const update = updateCloudTrail(cached.model, { start: pending.start, end: pending.oldEnd, text: text.slice(pending.start, pending.newEnd) }, text);
      next = { version: document.version, model: update.document };
      if (update.incremental && update.changedRecord !== undefined) {
        next.incrementalFrom = {
          version: cached.version,
          changedRecord: update.changedRecord,
          delta: update.delta,
          changeStart: update.changeStart,
        };
      }
    } else {
      next = { version: document.version, model: parseCloudTrail(document.getText()) };
    }
    this.models.set(document.uri, next);
    return next;
  }

  /** The model of a version if it was already parsed. */
  peek(document: TextDocument): CloudTrailDocument | undefined {
    const cached = this.models.get(document.uri);
    return cached?.version === document.version ? cached.model : undefined;
  }

  delete(uri: string): void {
    this.models.delete(uri);
    this.pending.delete(uri);
  }

  private noteChange(document: TextDocument, change: TextDocumentContentChangeEvent): void {
    if (!this.models.has(document.uri)) {
      return;
    }
    if (!('range' in change)) {
      this.pending.set(document.uri, 'full');
      return;
    }
    const start = document.offsetAt(change.range.start);
    const end = document.offsetAt(change.range.end);
    const inserted = change.text.length;
    const previous = this.pending.get(document.uri);
    if (previous === 'full') {
      return;
    }
    if (!previous) {
      this.pending.set(document.uri, { start, oldEnd: end, newEnd: start + inserted });
      return;
    }
    // Merge with the edits since the cached model into one replacement covering both.
    const coveredEnd = Math.max(previous.newEnd, end);
    this.pending.set(document.uri, {
      start: Math.min(previous.start, start),
      oldEnd: previous.oldEnd + (coveredEnd - previous.newEnd),
      newEnd: coveredEnd + inserted - (end - start),
    });
  }
}

/** The document's text for a model update: cut from its pieces, so the whole text need not be built. */
function editedText(document: TextDocument): EditedText {
  if (document instanceof PieceTextDocument) {
    return { whole: document.wholeText(), slice: (start, end) => document.slice(start, end) };
  }
  const text = document.getText();
  return { whole: text, slice: (start, end) => text.slice(start, end) };
}

import { TextDocument } from 'vscode-languageserver-textdocument';
import { CloudTrailDocument, parseCloudTrail } from './model';

/**
 * One parsed model per document version: hovers, diagnostics, symbols and the event tree all
 * read the same model, and a version is never parsed twice.
 */
export class DocumentModels {
  private readonly models = new Map<string, { version: number; model: CloudTrailDocument }>();

  get(document: TextDocument): CloudTrailDocument {
    const cached = this.models.get(document.uri);
    if (cached && cached.version === document.version) {
      return cached.model;
    }
    const model = parseCloudTrail(document.getText());
    this.models.set(document.uri, { version: document.version, model });
    return model;
  }

  /** The model of a version if it was already parsed. */
  peek(document: TextDocument): CloudTrailDocument | undefined {
    const cached = this.models.get(document.uri);
    return cached && cached.version === document.version ? cached.model : undefined;
  }

  delete(uri: string): void {
    this.models.delete(uri);
  }
}

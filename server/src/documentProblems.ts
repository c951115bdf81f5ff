import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentModels } from './documentModels';
import { Problem, validateDocumentIncrementally, ValidationOptions, ValidationState } from './model';

/**
 * The problems of each document version, computed once. When the model of a version came from
 * the previous one by re-reading a single record, only that record is checked again.
 */
export class DocumentProblems {
  private readonly cache = new Map<string, { version: number; problems: Problem[]; state: ValidationState }>();

  constructor(
    private readonly models: DocumentModels,
    private options: ValidationOptions,
  ) {}

  get(document: TextDocument): Problem[] {
    const cached = this.cache.get(document.uri);
    if (cached?.version === document.version) {
      return cached.problems;
    }
    const { model, incrementalFrom } = this.models.getWithChange(document);
    const previous = cached && cached.version === incrementalFrom?.version ? { state: cached.state, ...incrementalFrom } : undefined;
    const { problems, state } = validateDocumentIncrementally(model, this.options, previous);
    this.cache.set(document.uri, { version: document.version, problems, state });
    return problems;
  }

  /** New options: every document is checked in full next time. */
  setOptions(options: ValidationOptions): void {
    this.options = options;
    this.cache.clear();
  }

  delete(uri: string): void {
    this.cache.delete(uri);
  }
}

import { TextDocument } from 'vscode-languageserver-textdocument';
import { CloudTrailDocument, Problem } from '../model';
import { EventTreeParams, EventTreeResult } from '../protocol';

export function eventTree(_model: CloudTrailDocument, _document: TextDocument, _params: EventTreeParams, _problems: readonly Problem[]): EventTreeResult {
  return { groups: [], total: 0, matched: 0 };
}

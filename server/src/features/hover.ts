import { Hover, Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CloudTrailDocument } from '../model';

/** The hover at a position. */
export function hoverAt(_model: CloudTrailDocument, _document: TextDocument, _position: Position): Hover | null {
  return null;
}

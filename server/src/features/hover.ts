import { Hover, MarkupKind, Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CloudTrailDocument } from '../model';
import { HoverEnvironment, hoverContent } from '../model/explain/hoverContent';

let machineTimeZone: string | undefined;

/** The machine's clock and time zone: what "local time" and "3 days ago" are read against. */
export function systemHoverEnvironment(): HoverEnvironment {
  // Reading the zone builds a formatter, which costs more than a hover: read it once.
  machineTimeZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return { now: Date.now(), timeZone: machineTimeZone };
}

/**
 * The hover at a position: Markdown (every value from the log escaped, see model/explain/markdown)
 * and the range of the hovered token. The client must render it as untrusted Markdown.
 */
export function hoverAt(model: CloudTrailDocument, document: TextDocument, position: Position, env: HoverEnvironment = systemHoverEnvironment()): Hover | null {
  const offset = document.offsetAt(position);
  const content = hoverContent(model, offset, env);
  if (!content) {
    return null;
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: content.markdown },
    range: { start: document.positionAt(content.start), end: document.positionAt(content.end) },
  };
}

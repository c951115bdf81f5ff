import { lastAtOrBefore } from './sortedSearch';

/** Offsets to zero-based line and character positions (UTF-16 units, as LSP counts them). */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(text: string) {
    this.lineStarts = [0];
    for (const start of lineStartsAfterBreaks(text)) {
      this.lineStarts.push(start);
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): { line: number; character: number } {
    const line = lastAtOrBefore(this.lineStarts, offset);
    return { line, character: offset - this.lineStarts[line] };
  }

  offsetAt(line: number, character: number): number {
    const start = this.lineStarts[Math.min(Math.max(line, 0), this.lineStarts.length - 1)];
    return start + character;
  }
}

/**
 * Where each line after the first starts in `text` (plus `base`), in order: after every `\n`,
 * `\r\n` and lone `\r`.
 */
export function lineStartsAfterBreaks(text: string, base = 0): number[] {
  const starts: number[] = [];
  for (let pos = text.indexOf('\n'); pos >= 0; pos = text.indexOf('\n', pos + 1)) {
    starts.push(base + pos + 1);
  }
  // A lone CR also ends a line.
  if (text.includes('\r')) {
    for (let pos = text.indexOf('\r'); pos >= 0; pos = text.indexOf('\r', pos + 1)) {
      if (text.charCodeAt(pos + 1) !== 10) {
        starts.push(base + pos + 1);
      }
    }
    starts.sort((a, b) => a - b);
  }
  return starts;
}

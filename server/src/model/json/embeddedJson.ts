import { SIMPLE_ESCAPES } from './nodeTable';
import { lastAtOrBefore } from './sortedSearch';

/**
 * JSON held inside a JSON string (the `CloudTrailEvent` of `lookup-events` output, or a record
 * written as a string). The string is unescaped once, and a table maps every character of the
 * inner text back to the character of the outer document it came from, so a hover or an error
 * inside the embedded event lands on the right characters of the file.
 */
export interface DecodedString {
  text: string;
  /** `toOuter[i]` is the document offset of inner character `i`; one extra entry for the end. */
  toOuter: Int32Array;
}

/** Decodes the content of a string whose quotes are at `quoteStart` and `quoteEnd - 1`. */
export function decodeStringWithOffsets(document: string, quoteStart: number, quoteEnd: number): DecodedString {
  const contentStart = quoteStart + 1;
  const contentEnd = Math.max(contentStart, quoteEnd - 1);
  const toOuter = new Int32Array(contentEnd - contentStart + 1);
  const parts: string[] = [];
  let length = 0;
  let runStart = contentStart;
  let pos = contentStart;
  const flushRun = (upTo: number): void => {
    if (upTo > runStart) {
      parts.push(document.slice(runStart, upTo));
      for (let offset = runStart; offset < upTo; offset++) {
        toOuter[length++] = offset;
      }
    }
  };
  while (pos < contentEnd) {
    if (document.charCodeAt(pos) !== 92 /* \ */) {
      pos++;
      continue;
    }
    flushRun(pos);
    const escape = document.charAt(pos + 1);
    let decoded: string;
    let width = 2;
    if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(document.slice(pos + 2, pos + 6))) {
      decoded = String.fromCharCode(parseInt(document.slice(pos + 2, pos + 6), 16));
      width = 6;
    } else {
      decoded = SIMPLE_ESCAPES[escape] ?? escape;
    }
    parts.push(decoded);
    toOuter[length++] = pos;
    pos += width;
    runStart = pos;
  }
  flushRun(contentEnd);
  toOuter[length] = contentEnd;
  return { text: parts.join(''), toOuter: toOuter.subarray(0, length + 1) };
}

/** The inner offset whose character starts at or covers the document offset `outer`. */
export function toInnerOffset(toOuter: Int32Array, outer: number): number {
  return lastAtOrBefore(toOuter, outer);
}

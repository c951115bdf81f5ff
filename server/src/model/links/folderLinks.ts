/**
 * A folder index as a link store. Which records hold a value is answered from the link columns
 * kept with each file (no file is read); what a record says in full is read from its file, one
 * record at a time, when a trail or a definition needs it.
 */
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as zlib from 'node:zlib';
import { scanJson } from '../json/jsonScanner';
import { JsonView, NO_NODE } from '../json/nodeTable';
import { summarizeEntry } from '../folderIndex/recordSummaries';
import { FolderIndex, IndexedEvent, IndexedFile } from '../folderIndex/folderIndex';
import { formatEventTime, TEXT_FIELD_COUNT, TextField } from '../folderIndex/fileEntries';
import { findValue, positionInText } from './fileLinks';
import { LinkKind, LinkRole, valueHashes } from './linkFacts';
import { LinkHit, LinkStore, StoreCoverage } from './linkStore';
import { readRecordDetails, RecordDetails, TextRange } from './recordDetails';

/** Reads `length` characters from `start` of a file's (decompressed) text; undefined when it cannot. */
export type RecordTextReader = (file: IndexedFile, start: number, length: number) => string | undefined;

/** Decompressed texts kept for the next record asked of the same file. */
const CACHED_TEXTS = 4;
/** Files longer than this (decompressed) are not read back whole for one record. */
const MAX_READ_BACK_BYTES = 256 * 1024 * 1024;

/** Reads records back from disk, keeping the last few files' texts. */
export function diskRecordReader(): RecordTextReader {
  const cache: { path: string; bytes: number; text: string }[] = [];
  return (file, start, length) => {
    let entry = cache.find((c) => c.path === file.path && c.bytes === file.fileBytes);
    if (!entry) {
      try {
        if (file.textBytes > MAX_READ_BACK_BYTES) {
          return readSlice(file, start, length);
        }
        const raw = fs.readFileSync(file.path);
        const bytes = file.compressed ? zlib.gunzipSync(raw, { maxOutputLength: MAX_READ_BACK_BYTES }) : raw;
        let text = bytes.toString('utf8');
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        entry = { path: file.path, bytes: file.fileBytes, text };
      } catch {
        return undefined;
      }
      cache.unshift(entry);
      cache.length = Math.min(cache.length, CACHED_TEXTS);
    }
    return entry.text.slice(start, start + length);
  };
}

/** A record of a large plain file, read from its place (ASCII logs: one character per byte). */
function readSlice(file: IndexedFile, start: number, length: number): string | undefined {
  if (file.compressed || file.characters !== file.textBytes) return undefined;
  const handle = fs.openSync(file.path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    fs.readSync(handle, buffer, 0, length, start);
    return buffer.toString('latin1');
  } finally {
    fs.closeSync(handle);
  }
}

export class FolderLinks implements LinkStore {
  private byUri = new Map<string, IndexedFile>();
  private uriVersion = -1;

  constructor(
    readonly index: FolderIndex,
    private readonly readRecord: RecordTextReader,
    private readonly name = `the folder index of ${index.root}`,
  ) {}

  fileOf(uri: string): IndexedFile | undefined {
    if (this.uriVersion !== this.index.version) {
      this.byUri = new Map(this.index.files().map((file) => [this.uriOf(file), file]));
      this.uriVersion = this.index.version;
    }
    return this.byUri.get(uri);
  }

  hits(kind: LinkKind, value: string): LinkHit[] {
    const [a, b] = valueHashes(value);
    const out: LinkHit[] = [];
    for (const file of this.index.files()) {
      const { values, starts, postings } = file.links;
      const count = values.length / 2;
      for (let v = findValue(values, a); v >= 0 && v < count && values[v * 2] === a; v++) {
        if (values[v * 2 + 1] !== b) continue;
        let last: { entry: number; roles: LinkRole[] } | undefined;
        for (let p = starts[v]; p < starts[v + 1]; p++) {
          const posting = postings[p];
          if (((posting >> 4) & 15) !== kind) continue;
          const entry = posting >>> 8;
          const role = (posting & 15) as LinkRole;
          if (last?.entry === entry) {
            if (!last.roles.includes(role)) last.roles.push(role);
            continue;
          }
          last = { entry, roles: [role] };
          out.push(new FolderHit(this, file, entry, kind, last.roles));
        }
      }
    }
    return out;
  }

  eventsNamed(eventSource: string, eventName: string): LinkHit[] {
    const wanted = new Set(this.index.profiles.filter((p) => p.eventName === eventName && p.eventSource === eventSource).map((p) => p.id));
    const out: LinkHit[] = [];
    if (wanted.size === 0) return out;
    for (const file of this.index.files()) {
      const profiles = file.profiles;
      for (let i = 0; i < profiles.length; i++) {
        if (wanted.has(profiles[i])) out.push(new FolderHit(this, file, i, LinkKind.arn, []));
      }
    }
    return out;
  }

  details(hit: Pick<LinkHit, 'uri' | 'index'>): RecordDetails | undefined {
    const file = this.fileOf(hit.uri);
    if (!file || hit.index >= file.entries.count) return undefined;
    const entries = file.entries;
    const start = entries.start[hit.index];
    const length = entries.length[hit.index];
    const text = this.readRecord(file, start, length);
    if (text?.length !== length) return undefined;
    const scan = scanJson(text, { maxProblems: 1 });
    const view = new JsonView(text, scan.table);
    const root = scan.roots[0] ?? NO_NODE;
    const entry = summarizeEntry(view, root, file.shape === 'lookupEvents' ? 'events' : 'records');
    const event = entry.event;
    if (!event) return undefined;
    const p = hit.index * 4;
    const startLine = entries.positions[p];
    const startCharacter = entries.positions[p + 1];
    const place = (offset: number): { line: number; character: number } => positionInText(text, startLine, startCharacter, offset);
    const recordRange: TextRange = {
      start: { line: startLine, character: startCharacter },
      end: { line: entries.positions[p + 2], character: entries.positions[p + 3] },
    };
    // Values inside an event held in a string (lookup-events) cannot be placed exactly: they point at the record.
    const rangeOf = event.embedded ? (): TextRange => recordRange : (from: number, to: number): TextRange => ({ start: place(from), end: place(to) });
    const details = readRecordDetails(event.view, event.node, { uri: hit.uri, index: hit.index, entryStart: 0, entryEnd: length }, rangeOf);
    details.range = recordRange;
    return details;
  }

  coverage(): StoreCoverage {
    let earliest = Infinity;
    let latest = -Infinity;
    for (const file of this.index.files()) {
      const time = file.entries.time;
      for (let i = 0; i < file.entries.count; i++) {
        const t = time[i];
        if (t < earliest) earliest = t;
        if (t > latest) latest = t;
      }
    }
    return {
      name: `${this.name} (${this.index.fileCount} files)`,
      records: this.index.eventCount,
      ...(Number.isFinite(earliest) ? { earliest: formatEventTime(earliest), latest: formatEventTime(latest) } : {}),
    };
  }

  private readonly uris = new Map<IndexedFile, string>();

  /** The URI of an indexed file, made once per file. */
  uriOf(file: IndexedFile): string {
    let uri = this.uris.get(file);
    if (uri === undefined) {
      uri = pathToFileURL(file.path).href;
      this.uris.set(file, uri);
    }
    return uri;
  }
}

/**
 * A record of the folder holding a value. Only what sorting and locations need is read at once;
 * the rest of the entry is read back when asked, as a list of many thousands of references never
 * shows most of it.
 */
class FolderHit implements LinkHit {
  readonly uri: string;
  readonly time: number;
  readonly anchor: TextRange;
  private event: IndexedEvent | undefined;

  constructor(
    readonly store: FolderLinks,
    private readonly file: IndexedFile,
    readonly index: number,
    readonly kind: LinkKind,
    readonly roles: readonly LinkRole[],
  ) {
    this.uri = store.uriOf(file);
    this.time = file.entries.time[index];
    const anchors = file.links.anchors;
    const length = anchors[index * 3 + 2];
    if (length > 0) {
      const line = anchors[index * 3];
      const character = anchors[index * 3 + 1];
      this.anchor = { start: { line, character }, end: { line, character: character + length } };
    } else {
      const p = index * 4;
      const start = { line: file.entries.positions[p], character: file.entries.positions[p + 1] };
      this.anchor = { start, end: { line: start.line, character: start.character + 1 } };
    }
  }

  private read(): IndexedEvent {
    this.event ??= this.store.index.event(this.file, this.index);
    return this.event;
  }

  private text(field: number): string | undefined {
    return this.store.index.strings.get(this.file.entries.strings[this.index * TEXT_FIELD_COUNT + field]);
  }

  get eventTime(): string | undefined {
    return this.read().eventTime;
  }
  get eventName(): string | undefined {
    return this.text(TextField.eventName);
  }
  get eventSource(): string | undefined {
    return this.text(TextField.eventSource);
  }
  get errorCode(): string | undefined {
    return this.text(TextField.errorCode);
  }
  get eventID(): string | undefined {
    return this.read().eventID;
  }
  get identity(): LinkHit['identity'] {
    const identity = this.read().identity;
    return { key: identity.key, label: identity.label, ...(identity.type !== undefined ? { type: identity.type } : {}) };
  }
}

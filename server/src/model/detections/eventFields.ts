import { JsonView, NO_NODE, NodeFlags, NodeKind } from '../json/nodeTable';

/**
 * Reading a record's fields the way Sigma rules ask for them: dotted paths, any element of an
 * array on the way, objects and arrays as their compact JSON text, booleans and numbers as their
 * JSON text. Log text is attacker-controlled: a value is read up to MAX_VALUE_CHARS, so that no
 * rule ever works on more than that of one value.
 */

/** CloudTrail writes events of at most 256 KB: longer values are read as their first this many characters. */
export const MAX_VALUE_CHARS = 256 * 1024;

export interface FieldValue {
  kind: NodeKind;
  /** The value as text: a string's characters, a number's or boolean's JSON text, `null`, a container's compact JSON. */
  text: string;
  /** The text was cut at MAX_VALUE_CHARS. */
  truncated: boolean;
  /** `text` in lower case, once asked for. */
  lower?: string;
}

const NO_VALUES: readonly FieldValue[] = [];

export function lowerText(value: FieldValue): string {
  return (value.lower ??= value.text.toLowerCase());
}

/**
 * The value lists of fields a caller read already (event name and source, identity type and
 * ARN), shared by the records of one run that hold the same text: most records repeat them, and a
 * list made for each record was a large part of what the rules allocate. A run (a document, a
 * file) keeps its own, which goes with it; it is emptied when it grows large.
 */
export class KnownValues {
  private readonly lists = new Map<string, readonly FieldValue[]>();

  /** Forgets every list (their texts are a log's). */
  clear(): void {
    this.lists.clear();
  }

  of(text: string): readonly FieldValue[] {
    let list = this.lists.get(text);
    if (list === undefined) {
      if (this.lists.size >= KNOWN_VALUES_KEPT) this.lists.clear();
      list = [{ kind: NodeKind.String, text, truncated: false }];
      this.lists.set(text, list);
    }
    return list;
  }
}

const KNOWN_VALUES_KEPT = 512;

/** Fields of a record its reader already has as strings. */
export interface KnownFields {
  eventName?: string;
  eventSource?: string;
  identityType?: string;
  identityArn?: string;
  userAgent?: string;
  /** userIdentity.sessionContext.sessionIssuer.type */
  sessionIssuerType?: string;
  knownValues?: KnownValues;
}

/** Paths of a record kept in lists before a map (the bundled rules ask most records about six at most). */
const SLOTS = 8;

/** The fields of one event object, each path read at most once. */
export class EventFields {
  // Paths read of the current record and their values. One object serves every record of a run
  // (see `reset`), so these are made once: the first paths in two short lists searched in order
  // (most records are asked about a few), any further ones in a map.
  private readonly paths: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
  private readonly found: (readonly FieldValue[])[] = new Array<readonly FieldValue[]>(SLOTS).fill(NO_VALUES);
  private count = 0;
  private readonly more = new Map<string, readonly FieldValue[]>();

  constructor(
    public view: JsonView,
    public node: number,
    /** The fields of KnownFields, when the caller already read them as strings. */
    private known?: KnownFields,
  ) {}

  /**
   * Makes this the fields of another record, forgetting every path read of the last one: one
   * object serves all the records of a run, instead of one made (and collected) per record.
   */
  reset(view: JsonView, node: number, known?: KnownFields): this {
    this.view = view;
    this.node = node;
    this.known = known;
    // Nothing of the last record is kept, so that no document outlives its run through these.
    for (let i = 0; i < this.count; i++) {
      this.paths[i] = undefined;
      this.found[i] = NO_VALUES;
    }
    this.count = 0;
    if (this.more.size > 0) this.more.clear();
    return this;
  }

  /** A value the caller read already: only a string found is known for sure, anything else is looked up. */
  private knownValue(path: string): string | undefined {
    const known = this.known;
    if (!known) return undefined;
    const value =
      path === 'eventName'
        ? known.eventName
        : path === 'eventSource'
          ? known.eventSource
          : path === 'userIdentity.type'
            ? known.identityType
            : path === 'userIdentity.arn'
              ? known.identityArn
              : path === 'userAgent'
                ? known.userAgent
                : path === 'userIdentity.sessionContext.sessionIssuer.type'
                  ? known.sessionIssuerType
                  : undefined;
    return value !== undefined && value.length <= MAX_VALUE_CHARS ? value : undefined;
  }

  /** Every value found at the path; arrays on the path (and at its end) give one value per element, and the array itself as JSON. */
  values(path: string, segments: readonly string[]): readonly FieldValue[] {
    const seen = this.recalled(path);
    if (seen) {
      return seen;
    }
    const known = this.knownValue(path);
    const result =
      known === undefined ? this.read(segments) : (this.known?.knownValues?.of(known) ?? [{ kind: NodeKind.String, text: known, truncated: false }]);
    this.remember(path, result);
    return result;
  }

  private recalled(path: string): readonly FieldValue[] | undefined {
    for (let i = 0; i < this.count; i++) {
      if (this.paths[i] === path) return this.found[i];
    }
    return this.count < SLOTS ? undefined : this.more.get(path);
  }

  private remember(path: string, values: readonly FieldValue[]): void {
    if (this.count < SLOTS) {
      this.paths[this.count] = path;
      this.found[this.count++] = values;
    } else {
      this.more.set(path, values);
    }
  }

  /** The values at a path: most paths lead through objects to one value, read without a growing list. */
  private read(segments: readonly string[]): readonly FieldValue[] {
    const view = this.view;
    let node = this.node;
    for (let depth = 0; depth < segments.length; depth++) {
      const kind = view.kind(node);
      if (kind === NodeKind.Array) return this.collected(node, segments, depth);
      if (kind !== NodeKind.Object) return NO_VALUES;
      node = view.property(node, segments[depth]);
      if (node === NO_NODE) return NO_VALUES;
    }
    return view.kind(node) === NodeKind.Array ? this.collected(node, segments, segments.length) : [readValue(view, node)];
  }

  private collected(node: number, segments: readonly string[], depth: number): readonly FieldValue[] {
    const found: FieldValue[] = [];
    this.collect(node, segments, depth, found);
    return found.length === 0 ? NO_VALUES : found;
  }

  /** Whether the path leads to any value at all (null included). */
  exists(path: string, segments: readonly string[]): boolean {
    return this.values(path, segments).length > 0;
  }

  /** Every scalar of the record, for keyword searches. */
  scalars(): readonly FieldValue[] {
    // The empty path is no field's: it stands for every scalar.
    const seen = this.recalled('');
    if (seen) {
      return seen;
    }
    const { kind, next } = this.view.table;
    const found: FieldValue[] = [];
    const stop = this.node === NO_NODE ? this.node : next[this.node];
    for (let row = this.node + 1; row < stop; row++) {
      const k = kind[row] as NodeKind;
      if (k === NodeKind.String || k === NodeKind.Number || k === NodeKind.Boolean) {
        found.push(readValue(this.view, row));
      }
    }
    this.remember('', found);
    return found;
  }

  // Children are walked through `next` rather than `view.children()`: a generator per array per record adds up.
  private collect(node: number, segments: readonly string[], depth: number, out: FieldValue[]): void {
    const view = this.view;
    const kind = view.kind(node);
    if (depth === segments.length) {
      if (kind === NodeKind.Array) {
        const next = view.table.next;
        for (let element = node + 1; element < next[node]; element = next[element]) {
          out.push(readValue(view, element));
        }
      }
      out.push(readValue(view, node));
      return;
    }
    if (kind === NodeKind.Array) {
      const next = view.table.next;
      for (let element = node + 1; element < next[node]; element = next[element]) {
        this.collect(element, segments, depth, out);
      }
      return;
    }
    if (kind !== NodeKind.Object) {
      return;
    }
    const child = view.property(node, segments[depth]);
    if (child !== NO_NODE) {
      this.collect(child, segments, depth + 1, out);
    }
  }
}

/** One value of the record, as text bounded by MAX_VALUE_CHARS. */
export function readValue(view: JsonView, node: number): FieldValue {
  const kind = view.kind(node);
  const table = view.table;
  switch (kind) {
    case NodeKind.String: {
      const flags = table.flags[node];
      const start = table.start[node] + (flags & NodeFlags.MissingOpenQuote ? 0 : 1);
      const end = table.end[node] - (flags & NodeFlags.Unterminated ? 0 : 1);
      if (end - start > MAX_VALUE_CHARS * 2 && flags & NodeFlags.HasEscapes) {
        // Unescaping a huge string is linear but pointless: its first part is enough.
        const text = view.string(node) ?? '';
        return { kind, text: text.slice(0, MAX_VALUE_CHARS), truncated: true };
      }
      const text = view.string(node) ?? '';
      return text.length > MAX_VALUE_CHARS ? { kind, text: text.slice(0, MAX_VALUE_CHARS), truncated: true } : { kind, text, truncated: false };
    }
    case NodeKind.Number:
    case NodeKind.Boolean:
    case NodeKind.Null:
    case NodeKind.Invalid: {
      const text = view.text.slice(table.start[node], Math.min(table.end[node], table.start[node] + MAX_VALUE_CHARS));
      return { kind, text, truncated: table.end[node] - table.start[node] > MAX_VALUE_CHARS };
    }
    default: {
      const writer = new CompactWriter();
      writer.write(view, node);
      return { kind, text: writer.result(), truncated: writer.full };
    }
  }
}

/** Writes a container as compact JSON (no spaces, keys in their order), stopping at MAX_VALUE_CHARS. */
class CompactWriter {
  private readonly parts: string[] = [];
  private length = 0;
  full = false;

  write(view: JsonView, root: number): void {
    const table = view.table;
    // Pre-order rows: a container's subtree is [node, next[node]). Closing brackets are written
    // when the walk passes the end of their subtree, which needs a stack of open containers.
    const open: number[] = [];
    const stop = table.next[root];
    for (let row = root; row < stop && !this.full; row++) {
      while (open.length > 0 && row >= table.next[open[open.length - 1]]) {
        this.push(view.kind(open.pop() ?? root) === NodeKind.Object ? '}' : ']');
      }
      const parent = open.length > 0 ? open[open.length - 1] : NO_NODE;
      if (parent !== NO_NODE && row !== parent + 1) {
        this.push(',');
      }
      if (parent !== NO_NODE && view.kind(parent) === NodeKind.Object) {
        this.push(`${JSON.stringify(view.key(row) ?? '')}:`);
      }
      const kind = view.kind(row);
      if (kind === NodeKind.Object || kind === NodeKind.Array) {
        this.push(kind === NodeKind.Object ? '{' : '[');
        open.push(row);
      } else if (kind === NodeKind.String) {
        this.push(JSON.stringify(view.string(row) ?? ''));
      } else {
        this.push(view.source(row));
      }
    }
    while (open.length > 0 && !this.full) {
      this.push(view.kind(open.pop() ?? root) === NodeKind.Object ? '}' : ']');
    }
  }

  private push(part: string): void {
    if (this.full) return;
    if (this.length + part.length > MAX_VALUE_CHARS) {
      this.parts.push(part.slice(0, MAX_VALUE_CHARS - this.length));
      this.length = MAX_VALUE_CHARS;
      this.full = true;
      return;
    }
    this.parts.push(part);
    this.length += part.length;
  }

  result(): string {
    return this.parts.join('');
  }
}

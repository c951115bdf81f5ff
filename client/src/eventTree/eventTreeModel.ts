/**
 * What the Events view shows, without VS Code: which nodes, fetched from the language server
 * piece by piece (the top groups, a group when it is expanded, events a page at a time), and when
 * to refresh. The view itself (eventsView.ts) only turns these nodes into tree items.
 */
import type {
  DocumentSummary,
  EventAtParams,
  EventFilter,
  EventGroup,
  EventRef,
  EventSelectionParams,
  EventTreeParams,
  EventTreeResult,
  GroupDimension,
} from '../../../server/src/protocol';
import { visibleText } from '../../../server/src/model/text/visibleText';

/** Events fetched at once for a group, and by each "Show more". */
export const PAGE_SIZE = 500;

/** Following the cursor loads pages of a group up to this many events, and no further. */
export const MAX_FOLLOW_POSITION = 5_000;

/** The requests the tree makes; the language client in the extension, a fake in tests. */
export interface EventTreeServer {
  eventTree(params: EventTreeParams): Promise<EventTreeResult | null>;
  eventAt(params: EventAtParams): Promise<EventRef | null>;
}

/** The CloudTrail documents open in the editor, by URI. */
export interface OpenCloudTrailDocuments {
  /** The document the tree shows in "active" scope: the active CloudTrail editor's, or the last one's while it stays open. */
  active(): string | undefined;
  /** Every open CloudTrail document. */
  all(): string[];
}

/** The active CloudTrail document only, or every open one. */
export type EventScope = 'active' | 'open';

/** A folder (or file) indexed from disk by the server (cloudtrail/indexFolder), shown instead of open documents. */
export interface FolderScope {
  /** The index's URI, as the server knows it. */
  uri: string;
  /** Its name, for the view's title. */
  label: string;
}

export interface GroupNode {
  readonly type: 'group';
  readonly id: string;
  /** Keys of this group and its ancestors, from the top. */
  readonly path: readonly string[];
  readonly group: EventGroup;
  readonly parent: GroupNode | undefined;
}

export interface EventNode {
  readonly type: 'event';
  readonly id: string;
  readonly event: EventRef;
  /** The document holding the event. */
  readonly uri: string;
  /** Several documents are shown, so the event says which file it is in. */
  readonly showFile: boolean;
  readonly parent: GroupNode | undefined;
}

export interface MoreNode {
  readonly type: 'more';
  readonly id: string;
  readonly parent: GroupNode;
  /** Events of the group not listed yet. */
  readonly remaining: number;
}

export type TreeNode = GroupNode | EventNode | MoreNode;

interface Position {
  line: number;
  character: number;
}

/** The groupings offered in the view's title bar. */
export const GROUPINGS: readonly { id: string; groupBy: GroupDimension[]; label: string; title: string }[] = [
  { id: 'action', groupBy: ['action'], label: 'Action', title: 'by action' },
  { id: 'identity', groupBy: ['identity'], label: 'Identity', title: 'by identity' },
  { id: 'actionThenIdentity', groupBy: ['action', 'identity'], label: 'Action, then Identity', title: 'by action, then identity' },
  { id: 'identityThenAction', groupBy: ['identity', 'action'], label: 'Identity, then Action', title: 'by identity, then action' },
  { id: 'tacticThenAction', groupBy: ['tactic', 'action'], label: 'ATT&CK Tactic, then Action', title: 'by ATT&CK tactic, then action' },
  { id: 'accessLevelThenAction', groupBy: ['accessLevel', 'action'], label: 'IAM Access Level, then Action', title: 'by IAM access level, then action' },
  { id: 'accessKey', groupBy: ['accessKey'], label: 'Access Key', title: 'by access key' },
];

export class EventTreeModel {
  private groupByValue: GroupDimension[] = ['action'];
  private filterValue: EventFilter = {};
  private scopeValue: EventScope = 'active';
  private folderValue: FolderScope | undefined;
  private visible = false;
  private stale = false;
  /** Bumped by every refresh; answers to requests made before it are dropped. */
  private generation = 0;
  /** The documents the shown tree was built from. */
  private shownUris: string[] = [];
  private readonly children = new Map<string, Promise<TreeNode[]>>();
  /** Events listed per group id, kept across refreshes so that a refreshed group shows as many. */
  private readonly listed = new Map<string, number>();
  private countsValue: { total: number; matched: number } | undefined;
  private errorValue: string | undefined;
  private readonly changeListeners = new Set<(node: TreeNode | undefined) => void>();
  private readonly stateListeners = new Set<() => void>();

  constructor(
    private readonly server: EventTreeServer,
    private readonly documents: OpenCloudTrailDocuments,
  ) {}

  // --- what the view reads ---------------------------------------------------------------

  get groupBy(): readonly GroupDimension[] {
    return this.groupByValue;
  }

  get filter(): Readonly<EventFilter> {
    return this.filterValue;
  }

  get scope(): EventScope {
    return this.scopeValue;
  }

  /** The folder index shown, if the tree shows one rather than open documents. */
  get folder(): FolderScope | undefined {
    return this.folderValue;
  }

  get isFiltered(): boolean {
    return describeFilter(this.filterValue) !== undefined;
  }

  /** Whether there is a document to show events of. */
  get hasDocument(): boolean {
    return this.scopeUris().length > 0;
  }

  /** Events in the shown documents and events that pass the filter, once the top of the tree was fetched. */
  get counts(): { total: number; matched: number } | undefined {
    return this.countsValue;
  }

  /** The view's title description: which log, folder or logs the tree shows. */
  get description(): string | undefined {
    if (this.folderValue) {
      return this.folderValue.label;
    }
    if (this.scopeValue === 'open') {
      return 'all open logs';
    }
    const active = this.documents.active();
    return active ? fileName(active) : undefined;
  }

  /**
   * The line above the tree, which wraps rather than being cut off in a narrow sidebar: what is
   * shown ("sample-logs · 139 events · by identity · filter: failed"), or why the tree is empty.
   */
  get message(): string | undefined {
    if (this.errorValue) {
      return this.errorValue;
    }
    const counts = this.countsValue;
    if (counts?.total === 0 && this.hasDocument) {
      if (this.folderValue) return `No CloudTrail events were found in ${this.folderValue.label}.`;
      return this.scopeValue === 'open' ? 'The open CloudTrail logs hold no events.' : 'This CloudTrail log holds no events.';
    }
    const where = this.description;
    if (!where || !counts) {
      return undefined;
    }
    const filter = shortFilter(this.filterValue);
    const events = filter
      ? `${formatCount(counts.matched)} of ${formatCount(counts.total)} events`
      : `${formatCount(counts.total)} ${counts.total === 1 ? 'event' : 'events'}`;
    const grouping = GROUPINGS.find((g) => sameDimensions(g.groupBy, this.groupByValue))?.title ?? `by ${this.groupByValue.join(', ')}`;
    return [where, events, grouping, filter ? `filter: ${filter}` : undefined].filter(Boolean).join(' · ');
  }

  /** Called with a node whose children changed, or undefined when the whole tree did. */
  onDidChange(listener: (node: TreeNode | undefined) => void): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  /** Called when the grouping, filter, scope, counts or message changed. */
  onDidChangeState(listener: () => void): { dispose(): void } {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node && node.type !== 'group') {
      return Promise.resolve([]);
    }
    const id = node?.id ?? '';
    let children = this.children.get(id);
    if (!children) {
      children = node ? this.loadGroup(node, this.generation) : this.loadTop(this.generation);
      this.children.set(id, children);
    }
    return children;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  // --- what the user changes --------------------------------------------------------------

  setGroupBy(groupBy: readonly GroupDimension[]): void {
    if (sameDimensions(groupBy, this.groupByValue)) return;
    this.groupByValue = [...groupBy];
    this.listed.clear();
    this.changed();
  }

  setFilter(filter: EventFilter): void {
    this.filterValue = cleanFilter(filter);
    this.listed.clear();
    this.changed();
  }

  clearFilter(): void {
    this.setFilter({});
  }

  /** The services of the shown events, with their event counts, ignoring the service filter: what the filter can pick from. */
  async listServices(): Promise<{ service: string; count: number }[]> {
    const uris = this.scopeUris();
    if (uris.length === 0) {
      return [];
    }
    const { service: _service, ...others } = this.filterValue;
    const params: EventTreeParams = { ...this.baseParams(uris), groupBy: ['action'], depth: 1 };
    if (describeFilter(others)) params.filter = others;
    else delete params.filter;
    const answer = await this.server.eventTree(params);
    const counts = new Map<string, number>();
    for (const group of answer?.groups ?? []) {
      if (group.eventSource) counts.set(group.eventSource, (counts.get(group.eventSource) ?? 0) + group.count);
    }
    return [...counts].map(([service, count]) => ({ service, count })).sort((a, b) => b.count - a.count || (a.service < b.service ? -1 : 1));
  }

  /**
   * The one scope button: from the active log to all open logs and back; from a folder index, back
   * to the open documents in the scope they had. Returns the scope now shown.
   */
  toggleScope(): EventScope {
    this.setScope(this.folderValue ? this.scopeValue : this.scopeValue === 'open' ? 'active' : 'open');
    return this.scopeValue;
  }

  setScope(scope: EventScope): void {
    if (scope === this.scopeValue && !this.folderValue) return;
    this.scopeValue = scope;
    this.folderValue = undefined;
    this.listed.clear();
    this.changed();
  }

  /**
   * Shows the events of a folder index instead of open documents (undefined: back to them). The
   * folder shown already is fetched again (its index changed).
   */
  setFolder(folder: FolderScope | undefined): void {
    if (folder && this.folderValue?.uri === folder.uri) {
      this.folderValue = { ...folder };
      this.invalidate();
      return;
    }
    this.folderValue = folder ? { ...folder } : undefined;
    this.listed.clear();
    this.changed();
  }

  /** The index of `uri` changed: fetch it again if the view still shows that folder (and only then). */
  refreshFolder(uri: string): void {
    if (this.folderValue?.uri === uri) {
      this.invalidate();
    }
  }

  /** Lists the next page of a group's events in place of its "Show more" node. */
  async showMore(more: MoreNode, atLeast = PAGE_SIZE): Promise<void> {
    const group = more.parent;
    const generation = this.generation;
    const current = await this.getChildren(group);
    const events = current.filter((node): node is EventNode => node.type === 'event');
    const limit = Math.ceil(Math.max(1, atLeast) / PAGE_SIZE) * PAGE_SIZE;
    const answer = await this.request({ group: [...group.path], depth: 1, offset: events.length, limit }, generation);
    if (generation !== this.generation || this.children.get(group.id) === undefined) {
      return;
    }
    const contents = answer?.groups[0];
    if (!contents) {
      return;
    }
    const next: TreeNode[] = [...events, ...(contents.events ?? []).map((event) => this.eventNode(event, group))];
    this.listed.set(group.id, next.length);
    if (contents.moreEvents) {
      next.push(this.moreNode(group, contents.moreEvents));
    }
    this.children.set(group.id, Promise.resolve(next));
    this.fire(group);
  }

  // --- what happens around the view -------------------------------------------------------

  /** The view was shown or hidden; a hidden view is not refreshed until it shows again. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.stale) {
      this.refresh();
    }
  }

  /** The server has a new model of a document. */
  onModelChanged(summary: DocumentSummary): void {
    if (this.scopeUris().includes(summary.uri) || this.shownUris.includes(summary.uri)) {
      this.invalidate();
    }
  }

  /** Another editor became active. */
  onActiveEditorChanged(): void {
    if (this.scopeValue === 'active' && !sameList(this.scopeUris(), this.shownUris)) {
      this.invalidate();
      this.fireState();
    }
  }

  /** A CloudTrail document was opened or closed. */
  onDocumentsChanged(): void {
    if (!sameList(this.scopeUris(), this.shownUris)) {
      this.invalidate();
      this.fireState();
    }
  }

  /** Forgets everything fetched and asks the view to fetch the tree again. */
  refresh(): void {
    this.generation++;
    this.stale = false;
    this.children.clear();
    this.fire(undefined);
  }

  /**
   * The tree node of the event at `position` in document `uri`, fetching the groups on its way and
   * the pages before it; undefined when the event is not in the tree (filtered out, not a record).
   */
  async locate(uri: string, position: Position): Promise<EventNode | undefined> {
    const uris = this.scopeUris();
    if (!uris.includes(uri)) {
      return undefined;
    }
    const generation = this.generation;
    const params: EventAtParams = { textDocument: { uri }, position, groupBy: [...this.groupByValue] };
    if (this.isFiltered) params.filter = { ...this.filterValue };
    if (uris.length > 1 || this.scopeValue === 'open') params.scope = uris.map((scopeUri) => ({ uri: scopeUri }));
    const ref = await this.server.eventAt(params);
    if (!ref?.groupPath || ref.positionInGroup === undefined || ref.positionInGroup >= MAX_FOLLOW_POSITION) {
      return undefined;
    }
    let parent: GroupNode | undefined;
    for (const key of ref.groupPath) {
      const children = await this.getChildren(parent);
      parent = children.find((node): node is GroupNode => node.type === 'group' && node.group.key === key);
      if (!parent || generation !== this.generation) {
        return undefined;
      }
    }
    for (;;) {
      const children = await this.getChildren(parent);
      const found = children.find((node): node is EventNode => node.type === 'event' && node.event.index === ref.index && node.uri === uri);
      const more = children.find((node): node is MoreNode => node.type === 'more');
      if (found || !more || generation !== this.generation) {
        return found;
      }
      const listed = children.length - 1;
      await this.showMore(more, ref.positionInGroup + 1 - listed);
    }
  }

  /** What the view shows, as a timeline or an export asks for it; undefined when it shows nothing. */
  selection(): EventSelectionParams | undefined {
    const uris = this.scopeUris();
    if (uris.length === 0) return undefined;
    const { textDocument, scope, folder, groupBy, filter } = this.baseParams(uris);
    return { textDocument, groupBy, ...(scope ? { scope } : {}), ...(folder !== undefined ? { folder } : {}), ...(filter ? { filter } : {}) };
  }

  /** Keeps only the events in [from, to) (ISO times), or drops the time range with undefined. */
  setTimeRange(range: { from: string; to: string } | undefined): void {
    const { from: _from, to: _to, ...rest } = this.filterValue;
    this.setFilter(range ? { ...rest, from: range.from, to: range.to } : rest);
  }

  // --- internals ---------------------------------------------------------------------------

  private scopeUris(): string[] {
    if (this.folderValue) {
      return [this.folderValue.uri];
    }
    if (this.scopeValue === 'open') {
      return this.documents.all();
    }
    const active = this.documents.active();
    return active ? [active] : [];
  }

  private changed(): void {
    this.countsValue = undefined;
    this.refresh();
    this.fireState();
  }

  private invalidate(): void {
    if (this.visible) {
      this.refresh();
    } else {
      this.stale = true;
    }
  }

  private async loadTop(generation: number): Promise<TreeNode[]> {
    const uris = this.scopeUris();
    this.shownUris = uris;
    if (uris.length === 0) {
      this.setCounts(undefined, undefined);
      return [];
    }
    try {
      const answer = await this.server.eventTree({ ...this.baseParams(uris), depth: 1 });
      if (generation !== this.generation) {
        return [];
      }
      this.setCounts(answer ? { total: answer.total, matched: answer.matched } : undefined, undefined);
      return (answer?.groups ?? []).map((group) => this.groupNode(group, undefined));
    } catch (error) {
      if (generation === this.generation) {
        this.setCounts(undefined, `The CloudTrail language server did not answer: ${errorText(error)}`);
      }
      return [];
    }
  }

  private async loadGroup(node: GroupNode, generation: number): Promise<TreeNode[]> {
    const limit = Math.max(PAGE_SIZE, this.listed.get(node.id) ?? 0);
    const answer = await this.request({ group: [...node.path], depth: 1, limit }, generation);
    const contents = answer?.groups[0];
    if (!contents || generation !== this.generation) {
      return [];
    }
    if (contents.groups) {
      return contents.groups.map((group) => this.groupNode(group, node));
    }
    const nodes: TreeNode[] = (contents.events ?? []).map((event) => this.eventNode(event, node));
    if (contents.moreEvents) {
      nodes.push(this.moreNode(node, contents.moreEvents));
    }
    return nodes;
  }

  /** A request for part of the tree as shown; errors become an empty answer. */
  private async request(part: Partial<EventTreeParams>, generation: number): Promise<EventTreeResult | null> {
    try {
      return await this.server.eventTree({ ...this.baseParams(this.shownUris), ...part });
    } catch (error) {
      if (generation === this.generation) {
        this.setCounts(this.countsValue, `The CloudTrail language server did not answer: ${errorText(error)}`);
      }
      return null;
    }
  }

  private baseParams(uris: readonly string[]): EventTreeParams {
    const params: EventTreeParams = { textDocument: { uri: uris[0] ?? '' }, groupBy: [...this.groupByValue] };
    if (this.folderValue) params.folder = this.folderValue.uri;
    else if (uris.length > 1 || this.scopeValue === 'open') params.scope = uris.map((uri) => ({ uri }));
    if (this.isFiltered) params.filter = { ...this.filterValue };
    return params;
  }

  private groupNode(group: EventGroup, parent: GroupNode | undefined): GroupNode {
    const path = parent ? [...parent.path, group.key] : [group.key];
    return { type: 'group', id: `${this.groupByValue.join('+')}|${path.map(encodeURIComponent).join('/')}`, path, group, parent };
  }

  private eventNode(event: EventRef, parent: GroupNode | undefined): EventNode {
    const uri = event.uri ?? this.shownUris.at(0) ?? '';
    return {
      type: 'event',
      id: `${parent?.id ?? ''}|${uri}#${event.index}`,
      event,
      uri,
      showFile: this.shownUris.length > 1 || this.folderValue !== undefined,
      parent,
    };
  }

  private moreNode(parent: GroupNode, remaining: number): MoreNode {
    return { type: 'more', id: `${parent.id}|more`, parent, remaining };
  }

  private setCounts(counts: { total: number; matched: number } | undefined, error: string | undefined): void {
    const changed = counts?.total !== this.countsValue?.total || counts?.matched !== this.countsValue?.matched || error !== this.errorValue;
    this.countsValue = counts;
    this.errorValue = error;
    if (changed) this.fireState();
  }

  private fire(node: TreeNode | undefined): void {
    this.changeListeners.forEach((listener) => {
      listener(node);
    });
  }

  private fireState(): void {
    this.stateListeners.forEach((listener) => {
      listener();
    });
  }
}

/** "text "acm", failed events only, …", or undefined when the filter lets everything through. */
export function describeFilter(filter: EventFilter): string | undefined {
  const parts: string[] = [];
  if (filter.text) parts.push(`text "${filter.text}"`);
  if (filter.service) parts.push(`service ${filter.service}`);
  if (filter.accessLevel) parts.push(`access level ${filter.accessLevel}`);
  if (filter.errorsOnly) parts.push('failed events only');
  if (filter.writesOnly) parts.push('write events only');
  if (filter.from !== undefined || filter.to !== undefined) parts.push(`time ${describeTimeRange(filter.from, filter.to)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** The filter in a few words for the line above the tree: `"acm", failed, writes`. */
function shortFilter(filter: EventFilter): string | undefined {
  const parts: string[] = [];
  if (filter.text) parts.push(`"${visibleText(filter.text)}"`);
  if (filter.service) parts.push(visibleText(filter.service));
  if (filter.errorsOnly) parts.push('failed');
  if (filter.writesOnly) parts.push('writes');
  if (filter.accessLevel) parts.push(`access level ${filter.accessLevel}`);
  if (filter.from !== undefined || filter.to !== undefined) parts.push(describeTimeRange(filter.from, filter.to));
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function cleanFilter(filter: EventFilter): EventFilter {
  const clean: EventFilter = {};
  const text = filter.text?.trim();
  const service = filter.service?.trim();
  if (text) clean.text = text;
  if (service) clean.service = service;
  const accessLevel = filter.accessLevel?.trim();
  if (accessLevel) clean.accessLevel = accessLevel;
  if (filter.errorsOnly) clean.errorsOnly = true;
  if (filter.writesOnly) clean.writesOnly = true;
  if (filter.from) clean.from = filter.from;
  if (filter.to) clean.to = filter.to;
  return clean;
}

/** A time range as the views show it: UTC, the date once when both ends fall on the same day. */
export function describeTimeRange(from: string | undefined, to: string | undefined): string {
  const show = (time: string | undefined): string => (time ? time.replace('T', ' ').replace(/(:\d\d)(?:\.\d+)?Z$/, '$1') : '');
  const start = show(from);
  const end = show(to);
  if (start !== '' && end !== '' && start.slice(0, 10) === end.slice(0, 10)) return `${start}–${end.slice(11)} UTC`;
  if (start && end) return `${start} – ${end} UTC`;
  return start ? `from ${start} UTC` : `until ${end} UTC`;
}

/** The file name at the end of a URI, decoded. */
export function fileName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

function sameDimensions(a: readonly GroupDimension[], b: readonly GroupDimension[]): boolean {
  return a.length === b.length && a.every((dimension, i) => dimension === b[i]);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What the Findings view shows, without VS Code: the findings of the Sigma rules in the active
 * CloudTrail log, asked of the language server, grouped by rule, by ATT&CK tactic or by identity.
 * The view (findingsView.ts) only turns these nodes into tree items.
 */
import type { DocumentSummary, FindingGroup, FindingRef, FindingRule, FindingsGrouping, FindingsParams, FindingsResult } from '../../../server/src/protocol';
import { describeTimeRange, fileName, type FolderScope, type OpenCloudTrailDocuments } from '../eventTree/eventTreeModel';

/** The request the view makes; the language client in the extension, a fake in tests. */
export interface FindingsServer {
  findings(params: FindingsParams): Promise<FindingsResult | null>;
}

export const FINDINGS_GROUPINGS: readonly { id: FindingsGrouping; label: string; title: string }[] = [
  { id: 'rule', label: 'Rule', title: 'by rule' },
  { id: 'tactic', label: 'ATT&CK Tactic', title: 'by ATT&CK tactic' },
  { id: 'identity', label: 'Identity', title: 'by identity' },
];

export interface FindingGroupNode {
  readonly type: 'findingGroup';
  readonly id: string;
  readonly group: FindingGroup;
  /** For rule groups: the rule. */
  readonly rule: FindingRule | undefined;
}

export interface FindingNode {
  readonly type: 'finding';
  readonly id: string;
  readonly finding: FindingRef;
  readonly rule: FindingRule;
  /** The document holding the record. */
  readonly uri: string;
  readonly parent: FindingGroupNode;
}

export type FindingsNode = FindingGroupNode | FindingNode;

export class FindingsTreeModel {
  private groupingValue: FindingsGrouping = 'rule';
  private folderValue: FolderScope | undefined;
  private timeRangeValue: { from?: string; to?: string } = {};
  private visible = false;
  private stale = false;
  private generation = 0;
  /** The generation whose rows the view has (loaded in full). */
  private loadedGeneration = -1;
  private top: Promise<FindingsNode[]> | undefined;
  private resultValue: FindingsResult | null | undefined;
  private shownUri: string | undefined;
  private errorValue: string | undefined;
  private readonly changeListeners = new Set<() => void>();
  private readonly stateListeners = new Set<() => void>();

  constructor(
    private readonly server: FindingsServer,
    private readonly documents: OpenCloudTrailDocuments,
  ) {}

  get grouping(): FindingsGrouping {
    return this.groupingValue;
  }

  /** The view's title description: the grouping, and how many findings in which log. */
  get description(): string {
    const title = FINDINGS_GROUPINGS.find((grouping) => grouping.id === this.groupingValue)?.title ?? this.groupingValue;
    const result = this.resultValue;
    const where = this.folderValue ? this.folderValue.label : fileName(this.shownUri ?? '');
    const time = this.timeRangeText();
    const shown = result?.enabled ? `${title} · ${String(result.total)} in ${where}` : title;
    return time ? `${shown} · ${time}` : shown;
  }

  /** The line above the tree when it is empty or failed. */
  get message(): string | undefined {
    if (this.errorValue) return this.errorValue;
    const result = this.resultValue;
    if (result === undefined) return undefined;
    if (result === null) return this.documents.active() ? undefined : 'Open a CloudTrail log to see what the Sigma rules find in it.';
    if (!result.enabled) return 'Detections are turned off (cloudtrail.detections.enabled).';
    if (result.total > 0) return undefined;
    const time = this.timeRangeText();
    if (time) return `No Sigma rule matches an event in ${time}.`;
    return this.folderValue ? `No Sigma rule matches an event of ${this.folderValue.label}.` : 'No Sigma rule matches an event of this log.';
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  /** Called when the description or message changed (a new answer, an error). */
  onDidChangeState(listener: () => void): { dispose(): void } {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  getChildren(node?: FindingsNode): Promise<FindingsNode[]> {
    if (!node) {
      this.top ??= this.load(this.generation);
      return this.top;
    }
    if (node.type !== 'findingGroup') return Promise.resolve([]);
    const rules = new Map((this.resultValue?.rules ?? []).map((rule) => [rule.index, rule]));
    return Promise.resolve(
      node.group.findings.flatMap((finding, position) => {
        const rule = rules.get(finding.rule);
        const uri = finding.event.uri ?? this.shownUri;
        return rule && uri ? [{ type: 'finding', id: `${node.id}/${String(position)}`, finding, rule, uri, parent: node } satisfies FindingNode] : [];
      }),
    );
  }

  getParent(node: FindingsNode): FindingsNode | undefined {
    return node.type === 'finding' ? node.parent : undefined;
  }

  setGrouping(grouping: FindingsGrouping): void {
    if (grouping === this.groupingValue) return;
    this.groupingValue = grouping;
    this.refresh();
  }

  /** Shows the findings of a folder index (as the Events view does), or of the active log again. */
  setFolder(folder: FolderScope | undefined): void {
    if (folder?.uri === this.folderValue?.uri) return;
    this.folderValue = folder ? { ...folder } : undefined;
    this.refresh();
  }

  /** The time range of the Events view's filter (brushed on the Timeline): only findings on events in it are listed. */
  get timeRange(): { from?: string; to?: string } {
    return this.timeRangeValue;
  }

  setTimeRange(from: string | undefined, to: string | undefined): void {
    if (from === this.timeRangeValue.from && to === this.timeRangeValue.to) return;
    this.timeRangeValue = { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
    this.refresh();
  }

  private timeRangeText(): string | undefined {
    const { from, to } = this.timeRangeValue;
    return from !== undefined || to !== undefined ? describeTimeRange(from, to) : undefined;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.stale) this.refresh();
  }

  /**
   * A log changed: the findings of the shown one (or of a newly active one) are asked again. The
   * server tells of a log again when it publishes its diagnostics again (settings read, rules
   * loaded, an edit), often with the same findings: the rows are then left as they are, since a
   * refresh replaces them, and a click on a row being replaced runs nothing.
   */
  async onModelChanged(summary: DocumentSummary): Promise<void> {
    if (summary.uri !== this.shownUri && summary.uri !== this.documents.active()) return;
    const generation = this.generation;
    const uri = this.folderValue ? this.folderValue.uri : this.documents.active();
    const shown = this.resultValue;
    if (
      !this.visible ||
      this.loadedGeneration !== generation ||
      uri === undefined ||
      uri !== this.shownUri ||
      shown === undefined ||
      this.errorValue !== undefined
    ) {
      this.refresh();
      return;
    }
    let result: FindingsResult | null;
    try {
      result = await this.server.findings(this.params(uri));
    } catch {
      result = null;
    }
    if (generation === this.generation && JSON.stringify(result) !== JSON.stringify(shown)) this.refresh();
  }

  onActiveEditorChanged(): void {
    if (!this.folderValue && this.documents.active() !== this.shownUri) this.refresh();
  }

  refresh(): void {
    this.generation++;
    this.top = undefined;
    if (!this.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    for (const listener of this.changeListeners) listener();
  }

  private async load(generation: number): Promise<FindingsNode[]> {
    const nodes = await this.fetch(generation);
    if (generation === this.generation) {
      this.loadedGeneration = generation;
      for (const listener of this.stateListeners) listener();
    }
    return nodes;
  }

  private params(uri: string): FindingsParams {
    return {
      textDocument: { uri },
      groupBy: this.groupingValue,
      ...(this.folderValue ? { folder: this.folderValue.uri } : {}),
      ...this.timeRangeValue,
    };
  }

  private async fetch(generation: number): Promise<FindingsNode[]> {
    const folder = this.folderValue;
    const uri = folder ? folder.uri : this.documents.active();
    this.shownUri = uri;
    this.errorValue = undefined;
    if (uri === undefined) {
      this.resultValue = null;
      return [];
    }
    let result: FindingsResult | null;
    try {
      result = await this.server.findings(this.params(uri));
    } catch (error) {
      if (generation === this.generation) this.errorValue = `The findings could not be listed: ${error instanceof Error ? error.message : String(error)}`;
      return [];
    }
    if (generation !== this.generation) return [];
    this.resultValue = result;
    if (!result) return [];
    const rules = new Map(result.rules.map((rule) => [rule.index, rule]));
    return result.groups.map((group) => ({
      type: 'findingGroup',
      id: `${this.groupingValue}|${encodeURIComponent(group.key)}`,
      group,
      rule: group.rule === undefined ? undefined : rules.get(group.rule),
    }));
  }
}

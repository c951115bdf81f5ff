import * as vscode from 'vscode';
import type { FindingsGrouping, SqlDialect } from '../../../server/src/protocol';
import { CloudTrailServer } from '../cloudTrailServer';
import { CloudTrailEditors, EventsView, toTreeItem } from '../eventTree/eventsView';
import { openLogAt } from '../folderIndex/openLog';
import { describeFinding, OPEN_FINDING_COMMAND } from './findingItems';
import { copySql, sqlTarget } from './sqlCopy';
import { FINDINGS_GROUPINGS, FindingGroupNode, FindingNode, FindingsNode, FindingsTreeModel } from './findingsModel';

export const FINDINGS_VIEW_ID = 'cloudtrail.findings';
const GROUPING_STATE = 'cloudtrail.findings.grouping';

/**
 * The Findings view beside Events: what the Sigma rules found in the active log, grouped by rule,
 * ATT&CK tactic or identity; a finding opens its record; a rule can be copied as SQL.
 */
/** Registers the Findings view and its commands; returns its data provider. */
export function registerFindingsView(
  context: vscode.ExtensionContext,
  server: CloudTrailServer,
  events: EventsView,
  log: vscode.LogOutputChannel,
): vscode.TreeDataProvider<FindingsNode> {
  const model = new FindingsTreeModel(server, new CloudTrailEditors());
  // The Findings view looks where the Events view looks: the active log, or a folder index.
  const followEvents = (): void => {
    model.setFolder(events.model.folder);
    model.setTimeRange(events.model.filter.from, events.model.filter.to);
    void vscode.commands.executeCommand('setContext', 'cloudtrail.timeFiltered', model.timeRange.from !== undefined || model.timeRange.to !== undefined);
  };
  followEvents();
  const saved = FINDINGS_GROUPINGS.find((grouping) => grouping.id === context.workspaceState.get<string>(GROUPING_STATE));
  if (saved) model.setGrouping(saved.id);
  const treeChanged = new vscode.EventEmitter<FindingsNode | undefined>();
  const treeDataProvider: vscode.TreeDataProvider<FindingsNode> = {
    onDidChangeTreeData: treeChanged.event,
    getChildren: (node) => model.getChildren(node),
    getParent: (node) => model.getParent(node),
    getTreeItem: (node) => toTreeItem(describeFinding(node)),
  };
  const view = vscode.window.createTreeView<FindingsNode>(FINDINGS_VIEW_ID, { treeDataProvider, showCollapseAll: true });
  const report = (what: string) => (error: unknown) => {
    log.error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  };
  const showState = (): void => {
    view.description = model.description;
    view.message = model.message;
  };
  const setGrouping = (grouping: FindingsGrouping): void => {
    model.setGrouping(grouping);
    context.workspaceState.update(GROUPING_STATE, grouping).then(undefined, report('Could not remember the grouping'));
  };
  const copyRule = async (node: FindingsNode | undefined, dialect: SqlDialect): Promise<void> => {
    const rule = node?.rule;
    if (!rule) return;
    const table = sqlTarget(dialect);
    await copySql(await server.ruleSql({ ruleId: rule.id, dialect, ...(table ? { table } : {}) }), `the rule “${rule.title}”`, dialect);
  };

  context.subscriptions.push(
    view,
    treeChanged,
    model.onDidChange(() => {
      treeChanged.fire(undefined);
    }),
    model.onDidChangeState(showState),
    events.model.onDidChangeState(followEvents),
    view.onDidChangeVisibility((event) => {
      model.setVisible(event.visible);
    }),
    server.onModelChanged((summary) => {
      model.onModelChanged(summary).catch(report('Could not list the findings again'));
    }),
    vscode.window.onDidChangeActiveTextEditor(() => {
      model.onActiveEditorChanged();
    }),
    vscode.commands.registerCommand('cloudtrail.findings.groupBy', async (grouping?: unknown) => {
      // Keybindings and other extensions may name the grouping; a person picks it.
      const named = FINDINGS_GROUPINGS.find((candidate) => candidate.id === grouping);
      if (named) {
        setGrouping(named.id);
        return;
      }
      const picked = await vscode.window.showQuickPick(
        FINDINGS_GROUPINGS.map((grouping) => ({ label: grouping.label, description: grouping.id === model.grouping ? 'current' : undefined, grouping })),
        { title: 'Group Findings By' },
      );
      if (picked) setGrouping(picked.grouping.id);
    }),
    vscode.commands.registerCommand('cloudtrail.findings.refresh', () => {
      model.refresh();
    }),
    vscode.commands.registerCommand('cloudtrail.clearTimeFilter', () => {
      events.model.setTimeRange(undefined);
    }),
    vscode.commands.registerCommand(OPEN_FINDING_COMMAND, (node?: FindingNode) => (node?.type === 'finding' ? openFinding(node) : undefined)),
    vscode.commands.registerCommand('cloudtrail.findings.copyAthenaSql', (node?: FindingGroupNode) => copyRule(node, 'athena')),
    vscode.commands.registerCommand('cloudtrail.findings.copyLakeSql', (node?: FindingGroupNode) => copyRule(node, 'lake')),
  );
  model.setVisible(view.visible);
  showState();
  return treeDataProvider;
}

async function openFinding(node: FindingNode): Promise<void> {
  const { start, end } = node.finding.event.range;
  await openLogAt(vscode.Uri.parse(node.uri), new vscode.Selection(end.line, end.character, start.line, start.character), {
    preserveFocus: true,
    preview: true,
  });
}

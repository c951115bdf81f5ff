import * as vscode from 'vscode';
import { CloudTrailServer } from '../cloudTrailServer';
import { LANGUAGE_ID } from '../languageClient';
import { openLogAt, RecordHighlighter } from '../folderIndex/openLog';
import type { FormattedLogs } from '../formattedLogs';
import { copySql, sqlTarget } from '../findings/sqlCopy';
import type { SqlDialect } from '../../../server/src/protocol';
import { EventNode, EventScope, EventTreeModel, FolderScope, GroupNode, GROUPINGS, MoreNode, OpenCloudTrailDocuments, TreeNode } from './eventTreeModel';
import { pickFilter } from './filterPicker';
import { EventsViewState } from '../policy/policyActions';
import { registerPolicyCommands } from '../policy/registerPolicy';
import { describeNode, ItemDescription, REVEAL_EVENT_COMMAND, SHOW_MORE_COMMAND } from './treeItems';

export const EVENTS_VIEW_ID = 'cloudtrail.events';

/** How long the cursor rests before the tree follows it. */
const FOLLOW_DELAY_MS = 200;

const GROUPING_STATE = 'cloudtrail.events.grouping';
const SCOPE_STATE = 'cloudtrail.events.scope';

/** The group-by command of each grouping, e.g. cloudtrail.events.groupByActionThenIdentity. */
export function groupByCommand(groupingId: string): string {
  return `cloudtrail.events.groupBy${groupingId.charAt(0).toUpperCase()}${groupingId.slice(1)}`;
}

/**
 * The Events view: a thin VS Code shell around EventTreeModel. It turns nodes into tree items,
 * registers the view's commands, tells the model when the view shows or hides and when documents
 * and editors change, and makes the tree follow the cursor.
 */
/** The parts of the Events view that other views (the Timeline) follow. */
export interface EventsView {
  treeDataProvider: vscode.TreeDataProvider<TreeNode>;
  model: EventTreeModel;
  view: vscode.TreeView<TreeNode>;
}

export function registerEventsView(
  context: vscode.ExtensionContext,
  server: CloudTrailServer,
  formattedLogs: FormattedLogs,
  log: vscode.LogOutputChannel,
): EventsView {
  const editors = new CloudTrailEditors();
  const model = new EventTreeModel(server, editors);
  const savedGrouping = GROUPINGS.find((g) => g.id === context.workspaceState.get<string>(GROUPING_STATE));
  if (savedGrouping) model.setGroupBy(savedGrouping.groupBy);
  if (context.workspaceState.get<EventScope>(SCOPE_STATE) === 'open') model.setScope('open');

  const treeChanged = new vscode.EventEmitter<TreeNode | undefined>();
  const treeDataProvider: vscode.TreeDataProvider<TreeNode> = {
    onDidChangeTreeData: treeChanged.event,
    getChildren: (node) => model.getChildren(node),
    getParent: (node) => model.getParent(node),
    getTreeItem: (node) => toTreeItem(describeNode(node)),
  };
  const view = vscode.window.createTreeView<TreeNode>(EVENTS_VIEW_ID, { treeDataProvider, showCollapseAll: true });
  const groupBy = (grouping: (typeof GROUPINGS)[number]): void => {
    model.setGroupBy(grouping.groupBy);
    remember(GROUPING_STATE, grouping.id);
  };

  const report = (what: string) => (error: unknown) => {
    log.error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  };
  const setContext = (key: string, value: unknown): void => {
    vscode.commands.executeCommand('setContext', key, value).then(undefined, report(`Could not set ${key}`));
  };
  const remember = (key: string, value: string): void => {
    context.workspaceState.update(key, value).then(undefined, report(`Could not remember ${key}`));
  };
  const showState = (): void => {
    view.message = model.message;
    view.description = model.description;
    setContext('cloudtrail.events.filtered', model.isFiltered);
    setContext('cloudtrail.events.scope', model.folder ? 'folder' : model.scope);
    setContext('cloudtrail.events.hasDocument', model.hasDocument);
    setContext('cloudtrail.events.grouping', GROUPINGS.find((g) => g.groupBy.join() === model.groupBy.join())?.id);
  };

  const followCursor = createCursorFollower(model, view, report('Could not show the event at the cursor'));
  const highlighter = new RecordHighlighter();

  context.subscriptions.push(
    view,
    treeChanged,
    highlighter,
    model.onDidChange((node) => {
      treeChanged.fire(node);
    }),
    model.onDidChangeState(showState),
    view.onDidChangeVisibility((event) => {
      model.setVisible(event.visible);
    }),
    server.onModelChanged((summary) => {
      model.onModelChanged(summary);
    }),
    vscode.window.onDidChangeActiveTextEditor(() => {
      model.onActiveEditorChanged();
    }),
    vscode.workspace.onDidOpenTextDocument(() => {
      model.onDocumentsChanged();
    }),
    vscode.workspace.onDidCloseTextDocument(() => {
      model.onDocumentsChanged();
    }),
    vscode.window.onDidChangeTextEditorSelection(followCursor),
    ...GROUPINGS.map((grouping) =>
      vscode.commands.registerCommand(groupByCommand(grouping.id), () => {
        groupBy(grouping);
      }),
    ),
    vscode.commands.registerCommand('cloudtrail.events.groupBy', async () => {
      const current = model.groupBy.join();
      const picked = await vscode.window.showQuickPick(
        GROUPINGS.map((grouping) => ({ label: grouping.label, description: grouping.groupBy.join() === current ? 'current' : undefined, grouping })),
        { title: 'Group Events By', placeHolder: 'How the Events view groups the events' },
      );
      if (picked) groupBy(picked.grouping);
    }),
    vscode.commands.registerCommand('cloudtrail.events.filter', () => pickFilter(model)),
    vscode.commands.registerCommand('cloudtrail.events.clearFilter', () => {
      model.clearFilter();
    }),
    vscode.commands.registerCommand('cloudtrail.events.toggleScope', () => {
      remember(SCOPE_STATE, model.toggleScope());
    }),
    vscode.commands.registerCommand('cloudtrail.events.showAllOpenLogs', () => {
      model.setScope('open');
      remember(SCOPE_STATE, 'open');
    }),
    vscode.commands.registerCommand('cloudtrail.events.showActiveLog', () => {
      model.setScope('active');
      remember(SCOPE_STATE, 'active');
    }),
    // Shows a folder index (client/src/folderIndex); with no argument, the open documents again.
    vscode.commands.registerCommand('cloudtrail.events.showFolder', (folder?: FolderScope) => {
      model.setFolder(folder);
    }),
    vscode.commands.registerCommand('cloudtrail.events.refreshFolder', (uri?: string) => {
      if (uri) model.refreshFolder(uri);
    }),
    vscode.commands.registerCommand(REVEAL_EVENT_COMMAND, (node?: EventNode) =>
      // Events of a folder index open where their file is shown: its formatted view when that is preferred.
      node?.type === 'event' ? revealEvent(node, highlighter, model.folder ? formattedLogs : undefined) : undefined,
    ),
    vscode.commands.registerCommand('cloudtrail.events.openFormatted', (node?: EventNode) =>
      node?.type === 'event' ? revealEvent(node, highlighter, formattedLogs, true) : undefined,
    ),
    vscode.commands.registerCommand(SHOW_MORE_COMMAND, (node?: MoreNode) => (node?.type === 'more' ? model.showMore(node) : undefined)),
    vscode.commands.registerCommand('cloudtrail.events.copyEventId', async (node?: EventNode) => {
      if (node?.type === 'event' && node.event.eventID) {
        await vscode.env.clipboard.writeText(node.event.eventID);
      }
    }),
    ...(['athena', 'lake'] as const).map((dialect: SqlDialect) =>
      vscode.commands.registerCommand(dialect === 'athena' ? 'cloudtrail.events.copyAthenaSql' : 'cloudtrail.events.copyLakeSql', async () => {
        const table = sqlTarget(dialect);
        const what = model.isFiltered ? 'the events of the filter' : 'every event (no filter is set)';
        await copySql(await server.filterSql({ filter: { ...model.filter }, dialect, ...(table ? { table } : {}) }), what, dialect);
      }),
    ),
    vscode.commands.registerCommand('cloudtrail.events.filterByService', (node?: GroupNode) => {
      if (node?.type === 'group' && node.group.eventSource) {
        model.setFilter({ ...model.filter, service: node.group.eventSource });
      }
    }),
  );
  registerPolicyCommands(context, server, () => eventsViewState(model, editors), log);
  model.setVisible(view.visible);
  showState();
  return { treeDataProvider, model, view };
}

/** What the policy commands need of the view: its grouping, filter and logs or folder. */
function eventsViewState(model: EventTreeModel, editors: CloudTrailEditors): EventsViewState {
  const active = editors.active();
  return {
    groupBy: model.groupBy,
    ...(model.isFiltered ? { filter: model.filter } : {}),
    documents: model.folder ? [] : model.scope === 'open' ? editors.all() : active !== undefined ? [active] : [],
    ...(model.folder ? { folder: model.folder.uri } : {}),
  };
}

/**
 * Opens the document of an event with the cursor at its record's start and the record highlighted
 * for a moment, not selected. Events of a folder index may be in compressed files or in files too
 * large for extensions: openLogAt opens those too.
 */
async function revealEvent(node: EventNode, highlighter: RecordHighlighter, formatted?: FormattedLogs, inFormattedView = false): Promise<void> {
  const { start, end } = node.event.range;
  const record = new vscode.Range(start.line, start.character, end.line, end.character);
  await openLogAt(vscode.Uri.parse(node.uri), record, { preserveFocus: !inFormattedView, preview: !inFormattedView, highlighter, formatted, inFormattedView });
}

/**
 * Reveals the event under the cursor of a CloudTrail editor, once the cursor rests, while the
 * view is visible and `cloudtrail.tree.followCursor` is on.
 */
function createCursorFollower(
  model: EventTreeModel,
  view: vscode.TreeView<TreeNode>,
  report: (error: unknown) => void,
): (event: vscode.TextEditorSelectionChangeEvent) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  const follow = async (uri: string, position: vscode.Position, request: number): Promise<void> => {
    const node = await model.locate(uri, { line: position.line, character: position.character });
    if (!node || request !== latest || !view.visible) return;
    if (view.selection.length === 1 && view.selection[0].id === node.id) return;
    await view.reveal(node, { select: true, focus: false, expand: false });
  };
  return (event) => {
    const document = event.textEditor.document;
    if (!view.visible || document.languageId !== LANGUAGE_ID || event.selections.length === 0) return;
    if (!vscode.workspace.getConfiguration('cloudtrail', document).get<boolean>('tree.followCursor', true)) return;
    if (timer) clearTimeout(timer);
    const request = ++latest;
    const position = event.selections[0].active;
    timer = setTimeout(() => {
      timer = undefined;
      follow(document.uri.toString(), position, request).catch(report);
    }, FOLLOW_DELAY_MS);
  };
}

/** The CloudTrail documents open in VS Code. */
export class CloudTrailEditors implements OpenCloudTrailDocuments {
  private last: string | undefined;

  active(): string | undefined {
    const document = vscode.window.activeTextEditor?.document;
    if (document?.languageId === LANGUAGE_ID) {
      this.last = document.uri.toString();
    } else if (this.last !== undefined && !this.all().includes(this.last)) {
      this.last = undefined;
    }
    return this.last;
  }

  all(): string[] {
    return vscode.workspace.textDocuments
      .filter((document) => document.languageId === LANGUAGE_ID && !document.isClosed)
      .map((document) => document.uri.toString())
      .sort();
  }
}

/** A tree item from its description: tooltips are untrusted Markdown that runs nothing. */
export function toTreeItem(description: ItemDescription): vscode.TreeItem {
  const item = new vscode.TreeItem(
    description.label,
    description.collapsible ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = description.id;
  item.description = description.description;
  // Log values are escaped in the text, and the tooltip runs nothing: no commands, HTML or icons.
  const tooltip = new vscode.MarkdownString(description.tooltip, false);
  tooltip.isTrusted = false;
  tooltip.supportHtml = false;
  item.tooltip = tooltip;
  item.iconPath = new vscode.ThemeIcon(description.icon.id, description.icon.color ? new vscode.ThemeColor(description.icon.color) : undefined);
  item.contextValue = description.contextValue;
  item.accessibilityInformation = { label: description.accessibilityLabel };
  if (description.command) {
    item.command = description.command;
  }
  return item;
}

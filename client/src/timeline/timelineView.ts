/**
 * The Timeline panel: a webview view in the panel area that draws the events of what the Events
 * view shows (active log, all open logs or a folder index, with its grouping and filter) over
 * time. The server aggregates the counts; this file only asks, hands them to the page, and turns
 * the page's brushes and clicks into the Events view's time filter.
 */
import * as vscode from 'vscode';
import type { TimelineParams, TimelineResult } from '../../../server/src/protocol';
import { visibleText } from '../../../server/src/model/text/visibleText';
import { describeTimeRange, EventTreeModel, GROUPINGS } from '../eventTree/eventTreeModel';
import { FromWebview, readWebviewMessage, ToWebview } from './messages';

export const TIMELINE_VIEW_ID = 'cloudtrail.timeline';

export interface TimelineServer {
  timeline(params: TimelineParams): Promise<TimelineResult | null>;
}

/** A random nonce for the page's content security policy. */
function nonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let text = '';
  for (let i = 0; i < 32; i++) text += alphabet.charAt(Math.floor(Math.random() * alphabet.length));
  return text;
}

export class TimelineViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private drawn: { from: number; to: number } | undefined;
  private seriesByRule = false;
  private request = 0;
  private readonly disposables: { dispose(): void }[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly server: TimelineServer,
    private readonly events: EventTreeModel,
    private readonly log: vscode.LogOutputChannel,
    private readonly exportView: () => Promise<void>,
  ) {
    this.disposables.push(
      events.onDidChangeState(() => {
        this.refresh();
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const assets = vscode.Uri.joinPath(this.extensionUri, 'dist', 'timeline');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [assets] };
    view.webview.html = this.html(view.webview, assets);
    this.disposables.push(
      view.webview.onDidReceiveMessage((message: unknown) => {
        const read = readWebviewMessage(message);
        if (read) this.onMessage(read);
        else this.log.warn('The timeline page sent a message this extension does not know; it was ignored.');
      }),
      view.onDidChangeVisibility(() => {
        this.refresh();
      }),
      view.onDidDispose(() => {
        this.view = undefined;
      }),
    );
  }

  /** Marks an event's time on the timeline (null clears the mark). */
  mark(time: number | null): void {
    this.post({ type: 'mark', time });
  }

  /** Draws again, if the panel is visible. */
  refresh(): void {
    if (!this.view?.visible) return;
    const selection = this.events.selection();
    const request = ++this.request;
    if (!selection) {
      this.post({
        type: 'data',
        timeline: null,
        grouping: '',
        message: 'Open a CloudTrail log, or a folder of logs, to see its events over time.',
        seriesByRule: this.seriesByRule,
      });
      return;
    }
    const seriesByRule = this.seriesByRule;
    const grouping = seriesByRule ? { title: 'by Sigma rule' } : GROUPINGS.find((candidate) => candidate.groupBy.join() === this.events.groupBy.join());
    const params: TimelineParams = { ...selection, groupBy: this.events.groupBy.slice(0, 1), ...(seriesByRule ? { seriesByRule } : {}) };
    if (this.drawn) {
      params.from = new Date(this.drawn.from).toISOString();
      params.to = new Date(this.drawn.to).toISOString();
    }
    this.post({ type: 'busy' });
    this.server.timeline(params).then(
      (timeline) => {
        if (request !== this.request) return;
        this.post({
          type: 'data',
          timeline: timeline ? visibleLabels(timeline) : null,
          grouping: grouping?.title ?? '',
          range: this.drawn,
          message: describe(timeline, this.events, grouping?.title, seriesByRule),
          seriesByRule,
        });
      },
      (error: unknown) => {
        if (request !== this.request) return;
        this.post({
          type: 'data',
          timeline: null,
          grouping: '',
          message: `The CloudTrail language server did not answer: ${error instanceof Error ? error.message : String(error)}`,
          seriesByRule,
        });
      },
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private onMessage(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        this.refresh();
        return;
      case 'brush':
      case 'revealBucket':
        this.events.setTimeRange({ from: new Date(message.from).toISOString(), to: new Date(message.to).toISOString() });
        if (message.type === 'revealBucket') void vscode.commands.executeCommand('cloudtrail.events.focus').then(undefined, () => undefined);
        return;
      case 'clearRange':
        this.events.setTimeRange(undefined);
        return;
      case 'view':
        this.drawn = { from: message.from, to: message.to };
        this.refresh();
        return;
      case 'resetView':
        this.drawn = undefined;
        this.refresh();
        return;
      case 'seriesByRule':
        this.seriesByRule = message.on;
        this.refresh();
        return;
      case 'export':
        this.exportView().catch((error: unknown) => {
          this.log.error(`Export failed: ${String(error)}`);
        });
        return;
    }
  }

  private post(message: ToWebview): void {
    if (this.view) void this.view.webview.postMessage(message).then(undefined, () => undefined);
  }

  private html(webview: vscode.Webview, assets: vscode.Uri): string {
    const script = webview.asWebviewUri(vscode.Uri.joinPath(assets, 'timeline.js'));
    const styles = webview.asWebviewUri(vscode.Uri.joinPath(assets, 'uPlot.min.css'));
    const once = nonce();
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource}; style-src ${webview.cspSource} 'nonce-${once}'; script-src 'nonce-${once}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styles.toString()}">
<style nonce="${once}">
  body { color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 4px 8px; }
  .toolbar { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; margin-bottom: 4px; }
  button { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); border: 1px solid var(--vscode-contrastBorder, transparent); padding: 2px 8px; cursor: pointer; }
  button:hover { background: var(--vscode-button-secondaryHoverBackground); }
  button:focus-visible, #chartArea:focus-visible, tr:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
  #message { opacity: 0.85; margin-left: 8px; }
  #hover { min-height: 1.4em; opacity: 0.9; }
  .legend-item { display: inline-flex; align-items: center; gap: 4px; margin-right: 12px; }
  .swatch { width: 10px; height: 10px; display: inline-block; border: 1px solid var(--vscode-contrastBorder, transparent); }
  .marker { position: absolute; top: 0; bottom: 0; width: 2px; background: var(--vscode-charts-red, #f14c4c); pointer-events: none; }
  .u-select { background: var(--vscode-editor-selectionBackground, rgba(38,79,120,0.5)); }
  body.busy #chart { opacity: 0.6; }
  table { border-collapse: collapse; margin-top: 6px; }
  th, td { border: 1px solid var(--vscode-editorWidget-border, #555); padding: 1px 6px; text-align: right; }
  th[scope=row] { text-align: left; font-weight: normal; }
</style>
<title>CloudTrail Timeline</title>
</head>
<body>
<div class="toolbar" role="toolbar" aria-label="Timeline">
  <button id="zoomIn" title="Zoom in (+)" aria-label="Zoom in">+</button>
  <button id="zoomOut" title="Zoom out (-)" aria-label="Zoom out">\u2212</button>
  <button id="panLeft" title="Earlier (Left arrow)" aria-label="Earlier">\u2190</button>
  <button id="panRight" title="Later (Right arrow)" aria-label="Later">\u2192</button>
  <button id="resetView" title="Show the whole range (Home)">Whole range</button>
  <button id="clearRange" title="Clear the time filter of the views (Escape)">Clear time filter</button>
  <button id="byRule" aria-pressed="false" title="Draw one series per Sigma rule, counting the events each matched">By Sigma rule</button>
  <button id="toggleTable" aria-pressed="false" title="Show the counts as a table">Table</button>
  <button id="export" title="Export the events the Events view shows">Export\u2026</button>
  <span id="message" role="status" aria-live="polite"></span>
</div>
<div id="chartArea" tabindex="0" role="img" aria-label="Events over time. Drag across the chart to filter the views to a time range; click a bar to show its events. Use the Table button for the counts as text.">
  <div id="chart"></div>
</div>
<div id="hover" aria-live="off"></div>
<div id="legend"></div>
<div id="table" hidden></div>
<script nonce="${once}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}

/** Series labels come from logs (identities, actions): shown with hidden characters made visible. */
function visibleLabels(timeline: TimelineResult): TimelineResult {
  return { ...timeline, series: timeline.series.map((series) => ({ ...series, label: visibleText(series.label, 120) })) };
}

function describe(timeline: TimelineResult | null, events: EventTreeModel, grouping: string | undefined, seriesByRule: boolean): string {
  if (!timeline) return 'No events to draw.';
  // By rule, an event that two rules matched is counted in both series.
  const parts = [seriesByRule ? `${timeline.total.toLocaleString('en-US')} rule matches` : `${timeline.total.toLocaleString('en-US')} events`, timeline.source];
  const withFindings = timeline.findings.reduce((sum, count) => sum + count, 0);
  if (withFindings > 0 && !seriesByRule) parts.push(`${withFindings.toLocaleString('en-US')} with findings`);
  if (grouping) parts.push(grouping);
  const { from, to } = events.filter;
  if (from !== undefined || to !== undefined) parts.push(`time filter ${describeTimeRange(from, to)}`);
  if (timeline.untimed > 0) parts.push(`${timeline.untimed} without a readable time left out`);
  return parts.join(' \u00b7 ');
}

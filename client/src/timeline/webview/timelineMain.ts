/**
 * The Timeline webview: stacked bars of event counts per time bucket, drawn with uPlot on a
 * canvas, and the same counts as a table for the keyboard and screen readers. It receives only
 * counts and labels (already made visible by the extension) and never writes them as HTML.
 */
import uPlot from 'uplot';
import { isDrawableTimeline, ToWebview } from '../messages';
import type { TimelineResult } from '../../../../server/src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  table: boolean;
  view?: { from: number; to: number };
}

const vscode = acquireVsCodeApi();
const saved = readState(vscode.getState());
const chartHost = element('chart');
const tableHost = element('table');
const messageLine = element('message');
const legendHost = element('legend');
const hoverLine = element('hover');
const tableButton = element('toggleTable');
const byRuleButton = element('byRule');

let timeline: TimelineResult | null = null;
let chart: uPlot | undefined;
let marked: number | null = null;
let showTable = saved.table;

/** A message from the extension, checked: anything else is ignored. */
function readExtensionMessage(data: unknown): ToWebview | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const type = (data as { type?: unknown }).type;
  return type === 'data' || type === 'mark' || type === 'busy' ? (data as ToWebview) : undefined;
}

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The timeline page lacks #${id}.`);
  return found;
}

function readState(state: unknown): SavedState {
  if (typeof state !== 'object' || state === null) return { table: false };
  const { table, view } = state as Partial<SavedState>;
  const range = view && typeof view.from === 'number' && typeof view.to === 'number' && view.from < view.to ? { from: view.from, to: view.to } : undefined;
  return { table: table === true, ...(range ? { view: range } : {}) };
}

function saveState(view?: { from: number; to: number }): void {
  const state: SavedState = { table: showTable, ...(view ? { view } : {}) };
  vscode.setState(state);
}

/** A theme colour from VS Code's CSS variables, with a fallback for old themes. */
function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

const PALETTE = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-yellow', '#cca700'],
  ['--vscode-charts-foreground', '#cccccc'],
] as const;

function seriesColor(position: number): string {
  const [name, fallback] = PALETTE[position % PALETTE.length];
  return themeColor(name, fallback);
}

function formatUtc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

function formatLocal(ms: number): string {
  const date = new Date(ms);
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  const local = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')} ${date.toTimeString().slice(0, 8)}`;
  return `${local} local (UTC${sign}${hours}:${minutes})`;
}

function bucketTimes(data: TimelineResult): number[] {
  return data.failed.map((_, bucket) => data.start + bucket * data.bucketMs);
}

function bucketTotal(data: TimelineResult, bucket: number): number {
  return data.counts.reduce((sum, row) => sum + row[bucket], 0);
}

/** The uPlot data and series: cumulative sums drawn from the top down, so each band shows its own series. */
function chartData(data: TimelineResult): { aligned: uPlot.AlignedData; series: uPlot.Series[] } {
  const xs = bucketTimes(data);
  const cumulative: number[][] = [];
  let running = xs.map(() => 0);
  for (const row of data.counts) {
    running = running.map((sum, bucket) => sum + row[bucket]);
    cumulative.push(running);
  }
  const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.9, 64], align: 1 }) : undefined;
  const series: uPlot.Series[] = [{ label: 'UTC', value: (_u, ms) => (Number.isFinite(ms) ? formatUtc(ms) : '') }];
  const aligned: (number | null)[][] = [xs];
  for (let position = data.series.length - 1; position >= 0; position--) {
    const own = data.counts[position];
    const color = seriesColor(position);
    series.push({
      label: data.series[position].label,
      stroke: color,
      fill: color,
      width: 0,
      paths: bars,
      points: { show: false },
      value: (_u, _v, _s, bucket) => (bucket == null ? '' : String(own[bucket])),
    });
    aligned.push(cumulative[position]);
  }
  const failedColor = themeColor('--vscode-charts-red', '#f14c4c');
  series.push({
    label: 'failed calls',
    stroke: failedColor,
    width: 0,
    points: { show: true, size: 6, fill: failedColor, stroke: failedColor },
    value: (_u, v) => (Number.isFinite(v) ? String(v) : ''),
  });
  aligned.push(data.failed.map((count) => (count > 0 ? count : null)));
  const findingColor = themeColor('--vscode-charts-yellow', '#cca700');
  series.push({
    label: 'events with findings',
    stroke: findingColor,
    width: 0,
    points: { show: true, size: 8, fill: 'transparent', stroke: findingColor, width: 2 },
    value: (_u, v) => (Number.isFinite(v) ? String(v) : ''),
  });
  aligned.push(data.findings.map((count) => (count > 0 ? count : null)));
  return { aligned: aligned as uPlot.AlignedData, series };
}

function draw(): void {
  chart?.destroy();
  chart = undefined;
  chartHost.replaceChildren();
  legendHost.replaceChildren();
  renderTable();
  if (!timeline || timeline.series.length === 0) return;
  const data = timeline;
  const { aligned, series } = chartData(data);
  const foreground = themeColor('--vscode-foreground', '#cccccc');
  const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const width = Math.max(240, chartHost.clientWidth || document.body.clientWidth - 16);
  chart = new uPlot(
    {
      width,
      height: chartHeight(),
      ms: 1,
      tzDate: (ms) => uPlot.tzDate(new Date(ms), 'Etc/UTC'),
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false } },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      scales: { x: { time: true, range: [data.start, data.end] }, y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.05))] } },
      axes: [
        { stroke: foreground, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
        { stroke: foreground, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
      ],
      series,
      hooks: {
        setCursor: [
          (u) => {
            showHover(u.cursor.idx ?? null);
          },
        ],
        setSelect: [
          (u) => {
            onSelect(u);
          },
        ],
      },
    },
    aligned,
    chartHost,
  );
  chart.over.addEventListener('click', () => {
    const bucket = chart?.cursor.idx;
    if (bucket != null && (chart?.select.width ?? 0) < 2 && bucketTotal(data, bucket) > 0) {
      const from = data.start + bucket * data.bucketMs;
      vscode.postMessage({ type: 'revealBucket', from, to: from + data.bucketMs });
    }
  });
  renderLegend(data);
  markTime();
}

/** The chart fills the panel, less the toolbar and legend; it shares the panel with the table when that is shown. */
function chartHeight(): number {
  const room = window.innerHeight - 110;
  return Math.max(100, showTable ? Math.floor(room / 2) : room);
}

function onSelect(u: uPlot): void {
  if (u.select.width < 2) return;
  const from = Math.floor(u.posToVal(u.select.left, 'x'));
  const to = Math.ceil(u.posToVal(u.select.left + u.select.width, 'x'));
  u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
  if (from < to) vscode.postMessage({ type: 'brush', from, to });
}

function showHover(bucket: number | null): void {
  if (bucket === null || !timeline) {
    hoverLine.textContent = '';
    return;
  }
  const from = timeline.start + bucket * timeline.bucketMs;
  const parts = timeline.series
    .map((series, position) => ({ label: series.label, count: timeline?.counts[position][bucket] ?? 0 }))
    .filter((part) => part.count > 0);
  const counts = parts.map((part) => `${part.label}: ${part.count}`).join(' · ');
  hoverLine.textContent = `${formatUtc(from)} (${formatLocal(from)}) · ${bucketTotal(timeline, bucket)} events${timeline.failed[bucket] ? `, ${timeline.failed[bucket]} failed` : ''}${timeline.findings[bucket] ? `, ${timeline.findings[bucket]} with findings` : ''}${counts ? ` — ${counts}` : ''}`;
}

function renderLegend(data: TimelineResult): void {
  data.series.forEach((series, position) => {
    const item = document.createElement('span');
    item.className = 'legend-item';
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = seriesColor(position);
    const text = document.createElement('span');
    text.textContent = `${series.label} (${series.count})`;
    item.append(swatch, text);
    legendHost.append(item);
  });
}

function renderTable(): void {
  tableHost.replaceChildren();
  tableHost.hidden = !showTable;
  tableButton.setAttribute('aria-pressed', String(showTable));
  if (!showTable || !timeline) return;
  const data = timeline;
  const table = document.createElement('table');
  const caption = document.createElement('caption');
  caption.textContent = `Events per ${describeStep(data.bucketMs)} (UTC). Press Enter on a row to show its events.`;
  table.append(caption);
  const head = table.createTHead().insertRow();
  for (const name of ['Time (UTC)', 'Events', 'Failed', 'With findings', ...data.series.map((series) => series.label)]) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = name;
    head.append(cell);
  }
  const body = table.createTBody();
  data.failed.forEach((failed, bucket) => {
    const total = bucketTotal(data, bucket);
    if (total === 0) return;
    const row = body.insertRow();
    row.tabIndex = 0;
    const from = data.start + bucket * data.bucketMs;
    const values = [formatUtc(from), String(total), String(failed), String(data.findings[bucket]), ...data.counts.map((counts) => String(counts[bucket]))];
    values.forEach((value, column) => {
      const cell = column === 0 ? document.createElement('th') : document.createElement('td');
      if (column === 0) cell.scope = 'row';
      cell.textContent = value;
      row.append(cell);
    });
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') vscode.postMessage({ type: 'revealBucket', from, to: from + data.bucketMs });
    });
    row.addEventListener('dblclick', () => {
      vscode.postMessage({ type: 'revealBucket', from, to: from + data.bucketMs });
    });
  });
  tableHost.append(table);
}

function describeStep(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms % size === 0) {
      const count = ms / size;
      return count === 1 ? name : `${count} ${name}s`;
    }
  }
  return `${ms} ms`;
}

function markTime(): void {
  const marker = document.getElementById('marker');
  marker?.remove();
  if (marked === null || !chart || !timeline || marked < timeline.start || marked >= timeline.end) return;
  const line = document.createElement('div');
  line.id = 'marker';
  line.className = 'marker';
  line.style.left = `${chart.valToPos(marked, 'x')}px`;
  line.title = `Selected event: ${formatUtc(marked)}`;
  chart.over.append(line);
}

/** Zooms around the middle of the drawn range by `factor` (<1 zooms in), or pans by a share of it. */
function changeView(zoom: number, pan: number): void {
  if (!timeline || timeline.end <= timeline.start) return;
  const span = timeline.end - timeline.start;
  const middle = timeline.start + span / 2 + pan * span;
  const half = Math.max(500, (span * zoom) / 2);
  const view = { from: Math.round(middle - half), to: Math.round(middle + half) };
  saveState(view);
  vscode.postMessage({ type: 'view', ...view });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = readExtensionMessage(event.data);
  if (!message) return;
  if (message.type === 'data') {
    timeline = isDrawableTimeline(message.timeline) ? message.timeline : null;
    messageLine.textContent = typeof message.message === 'string' ? message.message : '';
    byRuleButton.setAttribute('aria-pressed', String(message.seriesByRule));
    document.body.classList.remove('busy');
    draw();
  } else if (message.type === 'mark') {
    marked = typeof message.time === 'number' && Number.isFinite(message.time) ? message.time : null;
    markTime();
  } else {
    document.body.classList.add('busy');
  }
});

element('zoomIn').addEventListener('click', () => {
  changeView(0.5, 0);
});
element('zoomOut').addEventListener('click', () => {
  changeView(2, 0);
});
element('panLeft').addEventListener('click', () => {
  changeView(1, -0.25);
});
element('panRight').addEventListener('click', () => {
  changeView(1, 0.25);
});
element('resetView').addEventListener('click', () => {
  saveState();
  vscode.postMessage({ type: 'resetView' });
});
element('clearRange').addEventListener('click', () => {
  vscode.postMessage({ type: 'clearRange' });
});
element('export').addEventListener('click', () => {
  vscode.postMessage({ type: 'export' });
});
byRuleButton.addEventListener('click', () => {
  vscode.postMessage({ type: 'seriesByRule', on: byRuleButton.getAttribute('aria-pressed') !== 'true' });
});
tableButton.addEventListener('click', () => {
  showTable = !showTable;
  saveState(saved.view);
  draw();
});
element('chartArea').addEventListener('keydown', (event) => {
  const keys = new Map<string, () => void>([
    [
      'ArrowLeft',
      () => {
        changeView(1, -0.25);
      },
    ],
    [
      'ArrowRight',
      () => {
        changeView(1, 0.25);
      },
    ],
    [
      '+',
      () => {
        changeView(0.5, 0);
      },
    ],
    [
      '=',
      () => {
        changeView(0.5, 0);
      },
    ],
    [
      '-',
      () => {
        changeView(2, 0);
      },
    ],
    [
      'Home',
      () => {
        vscode.postMessage({ type: 'resetView' });
      },
    ],
    [
      'Escape',
      () => {
        vscode.postMessage({ type: 'clearRange' });
      },
    ],
  ]);
  const action = keys.get(event.key);
  if (action) {
    event.preventDefault();
    action();
  }
});
new ResizeObserver(() => {
  if (chart) chart.setSize({ width: Math.max(240, chartHost.clientWidth), height: chartHeight() });
  markTime();
}).observe(document.body);

vscode.postMessage({ type: 'ready' });
if (saved.view) vscode.postMessage({ type: 'view', ...saved.view });

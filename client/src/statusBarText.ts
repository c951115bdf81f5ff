/**
 * What the CloudTrail status bar item says about the active log. Pure, tested in plain Node;
 * statusBar.ts shows it.
 */
import type { DocumentSummary } from '../../server/src/protocol';

export interface StatusBarContent {
  text: string;
  tooltip: string;
}

function count(value: number, one: string, many: string): string {
  return `${value.toLocaleString('en-US')} ${value === 1 ? one : many}`;
}

export function statusBarContent(summary: DocumentSummary): StatusBarContent {
  const problems = summary.errors + summary.warnings;
  const parts = [count(summary.events, 'event', 'events')];
  if (summary.failedEvents > 0) parts.push(`${summary.failedEvents.toLocaleString('en-US')} failed`);
  // Errors and warnings by name, as the Problems panel counts them (it lists information apart).
  if (summary.errors > 0) parts.push(count(summary.errors, 'error', 'errors'));
  if (summary.warnings > 0) parts.push(count(summary.warnings, 'warning', 'warnings'));
  const tooltip = [
    `This CloudTrail log holds ${count(summary.events, 'event', 'events')}`,
    summary.failedEvents > 0 ? `, ${count(summary.failedEvents, 'call', 'calls')} of them failed (they carry an errorCode)` : ', none of them failed',
    '. ',
    problems > 0
      ? `It has ${count(summary.errors, 'error', 'errors')} and ${count(summary.warnings, 'warning', 'warnings')} in the Problems panel (Sigma findings included).`
      : 'It has no errors or warnings.',
    ' Click to see its events over time in the Timeline.',
  ].join('');
  return { text: `$(cloud) ${parts.join(', ')}`, tooltip };
}

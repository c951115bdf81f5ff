import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseCloudTrail } from '../../../server/src/model/cloudTrailDocument';
import { EXTENSION_ID, openInEditor, waitFor } from './helpers';
import { defined } from '../../defined';

/** What the extension's activate() returns, as far as these tests use it. */
interface CloudTrailExplorerApi {
  /** The data provider behind the CloudTrail Events view (cloudtrail.events). */
  eventsTreeDataProvider?: vscode.TreeDataProvider<unknown>;
}

interface Manifest {
  contributes: {
    viewsContainers?: { activitybar?: { id: string; title: string; icon: string }[] };
    views?: Record<string, { id: string; name: string }[]>;
  };
}

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** The count a group shows ("ec2 · 3 events", "3 events, 1 failed"): the number before "event(s)". */
function countOf(item: vscode.TreeItem): number | undefined {
  const text = `${typeof item.description === 'string' ? item.description : ''} ${labelOf(item)}`;
  const match = /\b(\d[\d,]*) events?\b/.exec(text);
  return match ? Number(match[1].replace(/,/g, '')) : undefined;
}

function tally(values: (string | undefined)[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) {
    counts.set(value ?? '', (counts.get(value ?? '') ?? 0) + 1);
  }
  return counts;
}

describe('the CloudTrail events view', () => {
  it('is contributed in an activity-bar container of its own', () => {
    const manifest = defined(vscode.extensions.getExtension(EXTENSION_ID)).packageJSON as Manifest;
    const container = manifest.contributes.viewsContainers?.activitybar?.find((c) => c.id === 'cloudtrail');
    assert.ok(container, 'an activity-bar container "cloudtrail"');
    assert.ok(
      manifest.contributes.views?.cloudtrail.some((view) => view.id === 'cloudtrail.events'),
      'the view cloudtrail.events in it',
    );
  });

  it('groups the events of the open log, with counts that add up to the events of the file', async () => {
    const extension = defined(vscode.extensions.getExtension<CloudTrailExplorerApi>(EXTENSION_ID));
    const api = await extension.activate();
    const provider = api.eventsTreeDataProvider;
    assert.ok(provider, 'activate() returns { eventsTreeDataProvider }');

    const editor = await openInEditor('console-download.json');
    // As a person would, show the view (a hidden view's provider need not keep up with the editor)
    // and ask for the events of this log only, whatever an earlier test chose.
    await vscode.commands.executeCommand('workbench.view.extension.cloudtrail');
    await vscode.commands.executeCommand('cloudtrail.events.showActiveLog');
    const records = parseCloudTrail(editor.document.getText()).records;
    assert.equal(records.length, 25);
    const byAction = tally(records.map((r) => r.summary.eventName));
    // Assumed-role sessions are listed under their role, so the top groups name the role.
    const byIdentity = tally(records.map((r) => r.summary.identity.sessionIssuerName ?? r.summary.identity.label));

    let seen: vscode.TreeItem[] = [];
    const items = await waitFor(async () => {
      const groups = (await provider.getChildren(undefined)) ?? [];
      seen = await Promise.all(groups.map((group) => Promise.resolve(provider.getTreeItem(group))));
      const total = seen.reduce((sum, item) => sum + (countOf(item) ?? 0), 0);
      return groups.length > 0 && total === records.length ? seen : undefined;
    }, 'groups whose counts add up to the 25 events of console-download.json').catch((error: unknown) => {
      assert.fail(
        `${error instanceof Error ? error.message : String(error)}; the view shows: ${seen.map((item) => `${labelOf(item)} (${String(item.description)})`).join(', ')}`,
      );
    });

    const shown = items.map((item) => [labelOf(item), countOf(item)] as const);
    const matches = (expected: Map<string, number>) =>
      shown.length === expected.size && [...expected].every(([key, count]) => shown.some(([label, shownCount]) => label.includes(key) && shownCount === count));
    assert.ok(matches(byAction) || matches(byIdentity), `groups by action or by identity, each with its count: ${JSON.stringify(shown)}`);
    for (const item of items) {
      assert.notEqual(item.collapsibleState, vscode.TreeItemCollapsibleState.None, `${labelOf(item)} opens to its events`);
    }
  });
});

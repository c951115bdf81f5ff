import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, hoverText, offsetOf, openInEditor, waitFor } from './helpers';
import { defined } from '../../defined';

interface CloudTrailExplorerApi {
  findingsTreeDataProvider?: vscode.TreeDataProvider<unknown>;
}

/** SigmaHQ's rule that the Stratus "create admin user" detonation (attack-events.json) matches with its CreateAccessKey. */
const RULE_TITLE = 'AWS IAM Backdoor Users Keys';

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

function tooltipOf(item: vscode.TreeItem): string {
  return typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
}

describe('the Findings view', () => {
  let provider: vscode.TreeDataProvider<unknown>;

  before(async () => {
    const api = await defined(vscode.extensions.getExtension<CloudTrailExplorerApi>(EXTENSION_ID)).activate();
    provider = defined(api.findingsTreeDataProvider);
  });

  async function topItems(what: string, accept: (items: vscode.TreeItem[]) => boolean): Promise<{ nodes: unknown[]; items: vscode.TreeItem[] }> {
    let seen: vscode.TreeItem[] = [];
    return waitFor(async () => {
      const nodes = (await provider.getChildren(undefined)) ?? [];
      seen = await Promise.all(nodes.map((node) => Promise.resolve(provider.getTreeItem(node))));
      return accept(seen) ? { nodes, items: seen } : undefined;
    }, what).catch((error: unknown) =>
      assert.fail(`${String(error)}; the view shows ${seen.map((item) => `${labelOf(item)} (${String(item.description)})`).join(', ')}`),
    );
  }

  it('lists the rules that matched the active log with their level and count, and opens the record of a finding', async () => {
    const editor = await openInEditor('attack-events.json');
    await vscode.commands.executeCommand('workbench.view.extension.cloudtrail');
    await vscode.commands.executeCommand('cloudtrail.findings.focus');
    await vscode.commands.executeCommand('cloudtrail.findings.groupBy', 'rule');
    const { nodes, items } = await topItems(`a group for "${RULE_TITLE}"`, (shown) => shown.some((item) => labelOf(item) === RULE_TITLE));
    const position = items.findIndex((item) => labelOf(item) === RULE_TITLE);
    const group = items[position];
    assert.equal(group.description, 'medium · 1 finding');
    assert.match(tooltipOf(group), /Author: /);
    assert.match(tooltipOf(group), /Detection Rule License 1\.1/);

    const [finding] = (await provider.getChildren(nodes[position])) ?? [];
    const item = await Promise.resolve(provider.getTreeItem(finding));
    assert.ok(item.command, 'a finding opens its record');
    const args: unknown[] = item.command.arguments ?? [];
    await vscode.commands.executeCommand(item.command.command, ...args);
    const text = editor.document.getText();
    await waitFor(() => {
      const active = vscode.window.activeTextEditor;
      if (active?.document.uri.toString() !== editor.document.uri.toString()) return undefined;
      const at = active.document.offsetAt(active.selection.active);
      const record = text.lastIndexOf('"eventVersion"', at + 20);
      return record >= 0 && text.slice(record, text.indexOf('"eventVersion"', record + 1)).includes('"CreateAccessKey"');
    }, 'the cursor at the CreateAccessKey record');
  });

  it('groups the same findings by ATT&CK tactic and by identity', async () => {
    await openInEditor('attack-events.json');
    await vscode.commands.executeCommand('cloudtrail.findings.groupBy', 'tactic');
    const byTactic = await topItems('tactic groups', (shown) => shown.length > 0 && shown.every((item) => tooltipOf(item).includes('ATT&CK tactic')));
    assert.ok(
      byTactic.items.some((item) => labelOf(item) === 'Persistence'),
      byTactic.items.map(labelOf).join(', '),
    );
    await vscode.commands.executeCommand('cloudtrail.findings.groupBy', 'identity');
    const byIdentity = await topItems('identity groups', (shown) => shown.length > 0 && shown.every((item) => tooltipOf(item).includes('Identity: ')));
    assert.equal(byIdentity.items.length, 1);
    await vscode.commands.executeCommand('cloudtrail.findings.groupBy', 'rule');
  });

  it('hovers the matched record with the rule\u2019s title and author', async () => {
    const editor = await openInEditor('attack-events.json');
    const text = editor.document.getText();
    const hovers = await waitFor(async () => {
      const found = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        editor.document.uri,
        editor.document.positionAt(offsetOf(text, 'CreateAccessKey') + 2),
      );
      return hoverText(found).includes(RULE_TITLE) ? found : undefined;
    }, 'a hover naming the rule');
    assert.match(hoverText(hovers), /\*\*Author:\*\* /);
  });
});

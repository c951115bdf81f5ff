import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor } from './helpers';
import { defined } from '../../defined';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

describe('commands', () => {
  const manifest = () => defined(vscode.extensions.getExtension(EXTENSION_ID)).packageJSON as { contributes: { commands: ContributedCommand[] } };

  it('registers every command the extension contributes', async () => {
    const extension = defined(vscode.extensions.getExtension(EXTENSION_ID));
    await extension.activate();
    const contributed = manifest().contributes.commands.map((c) => c.command);
    assert.ok(contributed.includes('cloudtrail.treatAsCloudTrail'));
    const missing = await waitFor(
      async () => {
        const registered = new Set(await vscode.commands.getCommands(true));
        const left = contributed.filter((command) => !registered.has(command));
        return left.length === 0 ? left : undefined;
      },
      'every contributed command to be registered',
      5_000,
    ).catch(async () => {
      const registered = new Set(await vscode.commands.getCommands(true));
      return contributed.filter((command) => !registered.has(command));
    });
    assert.deepEqual(missing, []);
  });

  it('shows every command under the CloudTrail category', () => {
    for (const command of manifest().contributes.commands) {
      assert.ok(command.command.startsWith('cloudtrail.'), command.command);
      assert.equal(command.category, 'CloudTrail', command.command);
    }
  });
});

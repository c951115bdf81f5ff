import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverText, offsetOf, openInEditor, waitFor } from './helpers';

describe('hover', () => {
  for (const [name, operation] of [
    ['acm-get-certificate.json', 'GetCertificate'],
    ['acm-request-certificate.json', 'RequestCertificate'],
  ]) {
    it(`explains the ACM operation ${operation} on its eventName`, async () => {
      const editor = await openInEditor(name);
      const text = editor.document.getText();
      const position = editor.document.positionAt(offsetOf(text, `"${operation}"`) + 3);
      const hovers = await waitFor(async () => {
        const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
        return found.length > 0 ? found : undefined;
      }, `a hover on ${operation}`, 10_000);
      assert.ok(hovers.some((hover) => hover.contents.some((content) => content instanceof vscode.MarkdownString)), 'the hover is markdown');
      const shown = hoverText(hovers);
      assert.ok(shown.includes(operation), shown);
      assert.ok(shown.replace(operation, '').trim().length > 40, `the hover says more than the name: ${shown}`);
    });
  }
});

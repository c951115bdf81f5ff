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
      const hovers = await waitFor(
        async () => {
          const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
          return found.length > 0 ? found : undefined;
        },
        `a hover on ${operation}`,
        10_000,
      );
      assert.ok(
        hovers.some((hover) => hover.contents.some((content) => content instanceof vscode.MarkdownString)),
        'the hover is markdown',
      );
      const shown = hoverText(hovers);
      assert.ok(shown.includes(operation), shown);
      assert.ok(shown.replace(operation, '').trim().length > 40, `the hover says more than the name: ${shown}`);
    });
  }
});

describe('hover on hostile log text', () => {
  it('shows untrusted markdown in which the log text cannot run a command, link or render HTML', async () => {
    const content = JSON.stringify(
      {
        Records: [
          {
            eventVersion: '1.08',
            eventTime: '2024-05-01T10:00:00Z',
            eventSource: 'acm.amazonaws.com',
            eventName: '[run](command:workbench.action.quit) <img src=x onerror=alert(1)>',
            awsRegion: 'us-east-1',
            userIdentity: { type: 'IAMUser', accountId: '123456789012', userName: '[help](https://evil.example/)' },
          },
        ],
      },
      null,
      2,
    );
    const document = await vscode.workspace.openTextDocument({ language: 'cloudtrail', content });
    await vscode.window.showTextDocument(document, { preview: false });
    // The eventName value, the userName value, and the record's opening brace (the event summary).
    for (const [needle, into] of [
      ['"[run]', 2],
      ['"[help]', 2],
      ['{\n      "eventVersion"', 0],
    ] as const) {
      const position = document.positionAt(offsetOf(content, needle) + into);
      const hovers = await waitFor(
        async () => {
          const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
          return found.length > 0 ? found : undefined;
        },
        `a hover on ${needle}`,
        10_000,
      );
      for (const markdown of hovers.flatMap((hover) => hover.contents).filter((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString)) {
        assert.ok(!markdown.isTrusted, `${needle}: the hover is not trusted`);
        assert.ok(!markdown.supportHtml, `${needle}: the hover renders no HTML`);
        assert.ok(!markdown.value.includes('](command:'), `${needle}: no command link: ${markdown.value}`);
        assert.ok(!markdown.value.includes('](https://evil.example'), `${needle}: no link from the log: ${markdown.value}`);
        assert.ok(!/(^|[^\\])<img/.test(markdown.value), `${needle}: no raw HTML: ${markdown.value}`);
      }
      assert.ok(hoverText(hovers).includes('evil') || hoverText(hovers).includes('run'), `${needle}: the hover shows the text: ${hoverText(hovers)}`);
    }
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

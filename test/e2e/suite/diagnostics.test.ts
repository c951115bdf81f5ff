import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openInEditor, sleep, waitForDiagnostics } from './helpers';
import { defined } from '../../defined';

const ours = (diagnostics: vscode.Diagnostic[]) => diagnostics.filter((d) => d.source === 'cloudtrail');
const codeOf = (diagnostic: vscode.Diagnostic) => (typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code);

describe('diagnostics', () => {
  it('marks every unquoted key of the AddTagsToCertificate example from the AWS docs', async () => {
    const editor = await openInEditor('acm-add-tags.cloudtrail.json');
    const unquotedKeys = editor.document
      .getText()
      .split('\n')
      .filter((line) => /^\s*[A-Za-z]\w*\s*:/.test(line)).length;
    assert.equal(unquotedKeys, 25);
    const diagnostics = await waitForDiagnostics(
      editor.document.uri,
      (list) => ours(list).filter((d) => codeOf(d) === 'json-unquoted-key').length >= unquotedKeys,
      'a diagnostic on each unquoted key',
    );
    const first = ours(diagnostics).sort((a, b) => a.range.start.compareTo(b.range.start))[0];
    assert.equal(codeOf(first), 'json-unquoted-key');
    assert.equal(first.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([first.range.start.line, first.range.start.character, first.range.end.line, first.range.end.character], [1, 4, 1, 11]);
    assert.equal(editor.document.getText(first.range), 'Records');
  });

  it('finds the missing comma and the unclosed brackets of the ExportCertificate example', async () => {
    const editor = await openInEditor('acm-export-certificate.json');
    const diagnostics = await waitForDiagnostics(editor.document.uri, (list) => ours(list).length > 0, 'diagnostics');
    const summary = ours(diagnostics).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)}`);
    assert.ok(summary.includes('53:17 json-missing-comma'), summary.join('\n'));
    assert.ok(summary.includes('1:1 json-unclosed-bracket'), summary.join('\n'));
  });

  it('follows typing inside a record: a broken eventTime is reported on its value, and cleared when put back', async () => {
    const editor = await openInEditor('attack-events.json');
    const document = editor.document;
    await sleep(500);
    assert.deepEqual(ours(vscode.languages.getDiagnostics(document.uri)), []);
    const times = [...document.getText().matchAll(/"eventTime":\s*"(\d{4}-\d\d-\d\dT)/g)];
    const last = times[times.length - 1];
    const tAt = document.positionAt(last.index + last[0].length - 1);
    await editor.edit((edit) => {
      edit.replace(new vscode.Range(tAt, tAt.translate(0, 1)), ' ');
    });
    const broken = await waitForDiagnostics(document.uri, (list) => ours(list).some((d) => codeOf(d) === 'event-time'), 'the broken eventTime reported');
    const reported = defined(ours(broken).find((d) => codeOf(d) === 'event-time'));
    assert.ok(reported.range.contains(tAt), `the problem covers the edited value: ${JSON.stringify(reported.range)}`);
    assert.equal(
      ours(broken).length,
      1,
      ours(broken)
        .map((d) => d.message)
        .join('\n'),
    );
    await editor.edit((edit) => {
      edit.replace(new vscode.Range(tAt, tAt.translate(0, 1)), 'T');
    });
    await waitForDiagnostics(document.uri, (list) => ours(list).length === 0, 'the problem cleared once the T is back');
    assert.equal(document.isDirty, true, 'the log is edited in the editor only');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('reports nothing for real logs', async () => {
    const real = [
      '111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json',
      'console-download.json',
      'lookup-events.json',
      'attack-events.json',
    ];
    const editors = [];
    for (const name of real) {
      editors.push(await openInEditor(name));
    }
    // Open a broken file last: once its diagnostics are in, the real logs have been validated too.
    const broken = await openInEditor('acm-add-tags.cloudtrail.json');
    await waitForDiagnostics(broken.document.uri, (list) => ours(list).length > 0, 'diagnostics of the broken file');
    await sleep(500);
    for (const editor of editors) {
      const problems = ours(vscode.languages.getDiagnostics(editor.document.uri)).map((d) => `${d.range.start.line + 1}: ${d.message}`);
      assert.deepEqual(problems, [], editor.document.fileName);
    }
  });
});

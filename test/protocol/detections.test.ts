import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  PublishDiagnosticsParams,
  RegistrationRequest,
} from 'vscode-languageserver-protocol';
import { FIXTURES, readFixture } from '../fixtures';
import { IndexFolderRequest } from '../../server/src/protocol';
import { DETECTIONS_SOURCE, fileUri, LspSession } from './lspSession';

const DELETE_TRAIL = 'real/stratus-red-team/aws.defense-evasion.cloudtrail-delete.json';
/** SigmaHQ's "AWS CloudTrail Important Change" rule (level medium). */
const IMPORTANT_CHANGE = '4db60cc0-36fb-42b7-9b58-a5b53019fb74';

const good = `title: Key created
id: user-rule-create-key
level: high
author: Workspace Author
detection:
    selection:
        eventName: DeleteTrail
    condition: selection
`;
const broken = `title: Broken rule
id: user-rule-broken
detection:
    selection:
        eventName|containz: DeleteTrail
    filter:
        userAgent|re: 'a(b'
    condition: selection and not filter and not other
`;

function detectionsOf(published: PublishDiagnosticsParams): { code: unknown; severity: unknown; message: string; line: number }[] {
  return published.diagnostics
    .filter((d) => d.source === DETECTIONS_SOURCE)
    .map((d) => ({ code: d.code, severity: d.severity, message: typeof d.message === 'string' ? d.message : d.message.value, line: d.range.start.line }));
}

describe('Sigma detections from the real server', () => {
  let session: LspSession;
  let workspace: string;
  const ruleFile = (): string => path.join(workspace, '.sigma', 'broken.yml');
  let ruleDiagnostics: Promise<PublishDiagnosticsParams>;

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sigma-protocol-'));
    fs.mkdirSync(path.join(workspace, '.sigma', 'more'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.sigma', 'more', 'good.yml'), good);
    fs.writeFileSync(ruleFile(), broken);
    session = await LspSession.start({}, undefined, [{ uri: pathToFileURL(workspace).href, name: 'ws' }]);
    ruleDiagnostics = session.nextDiagnostics(pathToFileURL(ruleFile()).href);
  });
  after(async () => {
    await session.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('reports a finding on the eventName of the matching record, with the rule id as code and its author', async () => {
    const published = await session.open(fileUri('delete-trail.json'), readFixture(DELETE_TRAIL));
    const found = detectionsOf(published);
    const bundled = found.find((d) => d.code === IMPORTANT_CHANGE);
    assert.ok(bundled, JSON.stringify(found));
    assert.equal(bundled.severity, DiagnosticSeverity.Information, 'medium is information');
    assert.match(bundled.message, /^AWS CloudTrail Important Change — Sigma rule, level medium, by vitaliy0x1$/);
    const own = found.find((d) => d.code === 'user-rule-create-key');
    assert.ok(own, 'the workspace rule in a subfolder of .sigma runs too');
    assert.equal(own.severity, DiagnosticSeverity.Warning, 'high is a warning');
    const text = readFixture(DELETE_TRAIL).split('\n');
    assert.match(text[own.line], /"eventName"/);
  });

  it('reports the mistakes of a user rule file in that file, at the offending keys', async () => {
    const published = await ruleDiagnostics;
    const lines = broken.split('\n');
    const summary = published.diagnostics.map((d) => `${String(d.code)} ${lines[d.range.start.line].slice(d.range.start.character, d.range.end.character)}`);
    assert.deepEqual(summary.sort(), ["sigma-bad-regex 'a(b'", 'sigma-undefined-identifier other', 'sigma-unknown-modifier eventName|containz']);
    assert.ok(published.diagnostics.every((d) => d.source === DETECTIONS_SOURCE && d.severity === DiagnosticSeverity.Error));
  });

  it('reads a rule file again when it changes', async () => {
    const fixed = broken.replace('containz', 'contains').replace("'a(b'", "'a(b)'").replace(' and not other', '');
    fs.writeFileSync(ruleFile(), fixed);
    const cleared = session.nextDiagnostics(pathToFileURL(ruleFile()).href);
    const refreshed = session.nextDiagnostics(fileUri('delete-trail.json'));
    await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(ruleFile()).href, type: FileChangeType.Changed }],
    });
    assert.deepEqual((await cleared).diagnostics, []);
    const codes = detectionsOf(await refreshed).map((d) => d.code);
    assert.ok(codes.includes('user-rule-broken'), JSON.stringify(codes));
  });
});

describe('Sigma detection settings', () => {
  it('turn detections off, or change the severity of a level, without touching the other diagnostics', async () => {
    const off = await LspSession.start({}, { settings: { detections: { enabled: false } } });
    try {
      const published = await off.open(fileUri('off.json'), readFixture(DELETE_TRAIL));
      assert.deepEqual(detectionsOf(published), []);
    } finally {
      await off.stop();
    }
    const mapped = await LspSession.start({}, { settings: { detections: { severity: { medium: 'error' } } } });
    try {
      const published = await mapped.open(fileUri('mapped.json'), readFixture(DELETE_TRAIL));
      const important = detectionsOf(published).find((d) => d.code === IMPORTANT_CHANGE);
      assert.equal(important?.severity, DiagnosticSeverity.Error);
    } finally {
      await mapped.stop();
    }
  });
});

describe('Sigma findings of a folder index', () => {
  it('are published on the files of the folder, at their records', async () => {
    const session = await LspSession.start();
    try {
      const folder = path.join(FIXTURES, 'real', 'stratus-red-team');
      const file = path.join(folder, 'aws.defense-evasion.vpc-remove-flow-logs.json');
      const published = session.nextDiagnostics(pathToFileURL(file).href);
      await session.connection.sendRequest(IndexFolderRequest.type, { uri: pathToFileURL(folder).href });
      const diagnostics = (await published).diagnostics;
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.source, d.range.start.line]),
        [['e386b9b5-af12-450e-afff-761730fb8a98', DETECTIONS_SOURCE, 1]],
      );
      assert.match(
        typeof diagnostics[0].message === 'string' ? diagnostics[0].message : '',
        /^AWS VPC Flow Logs Deleted — Sigma rule, level high, by Ivan Saakov$/,
      );
    } finally {
      await session.stop();
    }
  });

  it('are published after the index request is answered, whether the server or the client watches the folder', async () => {
    const folder = path.join(FIXTURES, 'real', 'stratus-red-team');
    const uri = pathToFileURL(path.join(folder, 'aws.defense-evasion.vpc-remove-flow-logs.json')).href;
    for (const capabilities of [{}, { workspace: { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } } }]) {
      const session = await LspSession.start(capabilities);
      try {
        session.connection.onRequest(RegistrationRequest.type, () => undefined);
        const published = session.nextDiagnostics(uri);
        // Messages are handled in the order they arrive: findings written before the answer would be in by now.
        const publishedBeforeAnswer = await session.connection
          .sendRequest(IndexFolderRequest.type, { uri: pathToFileURL(folder).href })
          .then(() => session.published.has(uri));
        assert.equal(publishedBeforeAnswer, false, JSON.stringify(capabilities));
        assert.equal((await published).diagnostics.length, 1);
      } finally {
        await session.stop();
      }
    }
  });
});

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { firstInvalidUtf8, JsonOutput, printable, runCli } from '../../server/src/cli/run';
import { defined } from '../defined';
import { jsonAt } from '../jsonAt';
import { FIXTURES, listFixtures } from '../fixtures';

/**
 * A folder of files on disk for one test, written under a fresh temporary folder; the command
 * line runs with it as its working folder, so paths read as the test writes them.
 */
class TempTree {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudtrail-cli-'));

  file(file: string, content: string | Uint8Array): this {
    const full = this.place(file);
    fs.writeFileSync(full, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    return this;
  }

  folder(folder: string): this {
    fs.mkdirSync(path.join(this.root, folder), { recursive: true });
    return this;
  }

  /** A symbolic link at `link` to `target` (relative to the tree's root). */
  link(link: string, target: string): this {
    const full = this.place(link);
    fs.symlinkSync(path.relative(path.dirname(full), path.join(this.root, target)) || '.', full);
    return this;
  }

  /** A named pipe: reading it would wait for a writer forever. */
  pipe(file: string): this {
    const full = this.place(file);
    const made = spawnSync('mkfifo', [full]);
    assert.equal(made.status, 0, `mkfifo failed: ${String(made.stderr)}`);
    return this;
  }

  private place(file: string): string {
    const full = path.join(this.root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    return full;
  }
}

interface Run {
  code: number;
  out: string;
  err: string;
  /** The diagnostic lines of the output. */
  problems: string[];
}

const DIAGNOSTIC = /^(.+):(\d+):(\d+): (error|warning|info|hint) (\S+) (.+)$/;

async function run(tree: TempTree, ...argv: string[]): Promise<Run> {
  return runWith(tree, {}, ...argv);
}

async function runWith(tree: TempTree, settings: { wholeContentBytes?: number }, ...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runCli({
    argv,
    cwd: tree.root,
    ...settings,
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    version: '9.8.7',
  });
  return { code, out, err, problems: out.split('\n').filter((line) => DIAGNOSTIC.test(line)) };
}

/** 1-based line and column of an offset, counted here without the model's LineIndex. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${column}`;
}

function fixtureBytes(relative: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES, relative));
}

const EVENT = {
  eventVersion: '1.08',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'AIDACKCEVSQ6C2EXAMPLE',
    arn: 'arn:aws:iam::111122223333:user/alice',
    accountId: '111122223333',
    userName: 'alice',
  },
  eventTime: '2024-11-24T10:03:11Z',
  eventSource: 'acm.amazonaws.com',
  eventName: 'DescribeCertificate',
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.1',
  requestParameters: { certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/6ae06649-ea82-4b58-90ee-dc05870d7e99' },
  responseElements: null,
  requestID: '4c0f4fb5-1c5b-4e21-9e4c-6d2b0c1d2e3f',
  eventID: 'a0ed971f-389f-406a-9fcf-887c5ca6903a',
  readOnly: true,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '111122223333',
  eventCategory: 'Management',
};

describe('command line: problems and exit status', () => {
  it('reads lookup-events lines, Insights lookup output and forwarded records with no warning, the notes quiet', async () => {
    const files = [
      'shapes/lookup-events-lines.jsonl.json',
      'shapes/lookup-events-insights.json',
      'shapes/forwarded-records.json',
      'attack/traildiscover-examples/AddUserToGroup.json.cloudtrail',
    ];
    const tree = new TempTree();
    for (const file of files) tree.file(path.posix.basename(file), fixtureBytes(file));
    const result = await run(tree, ...files.map((file) => path.posix.basename(file)));
    assert.equal(result.code, 0, result.out);
    assert.deepEqual(
      result.problems.map((line) => line.split(' ').slice(0, 3).join(' ')),
      ['forwarded-records.json:27:5: info shape-forwarded', 'AddUserToGroup.json.cloudtrail:19:28: info shape-redacted'],
    );
    assert.match(result.out, /^Records: {2}9$/m);
    assert.match(result.out, /^Problems: 0 errors, 0 warnings, 2 info and hints$/m);
  });

  it('prints every unquoted key of the AddTagsToCertificate example as file:line:col: severity code message and exits 1', async () => {
    const text = fixtureBytes('aws-docs-acm/ct-acm-addtags.json').toString('utf8');
    const result = await run(new TempTree().file('docs/addtags.json', text), 'docs/addtags.json');
    assert.equal(result.code, 1);
    // The keys written without quotes, found line by line here.
    const expected: string[] = [];
    let offset = 0;
    for (const line of text.split('\n')) {
      const match = /^(\s*)([A-Za-z]+):/.exec(line);
      if (match) expected.push(`docs/addtags.json:${lineColumn(text, offset + match[1].length)}: error json-unquoted-key`);
      offset += line.length + 1;
    }
    assert.equal(expected.length, 25);
    const unquoted = result.problems.filter((line) => line.includes(' json-unquoted-key '));
    assert.deepEqual(
      unquoted.map((line) => line.slice(0, line.indexOf(' json-unquoted-key ') + ' json-unquoted-key'.length)),
      expected,
    );
    for (const line of unquoted) {
      assert.match(line, /json-unquoted-key Property name \w+ must be in double quotes/);
    }
    assert.match(result.out, /^Problems: \d+ errors?/m);
  });

  it('exits 0 for a clean log and for warnings alone, 1 as soon as one error is found', async () => {
    const clean = await run(new TempTree().file('empty.json', '{"Records": []}'), 'empty.json');
    assert.equal(clean.code, 0);
    assert.deepEqual(clean.problems, []);

    const warned = await run(new TempTree().file('other.json', '{"foo": 1}'), 'other.json');
    assert.deepEqual(warned.problems, [
      'other.json:1:1: warning shape-not-cloudtrail This does not look like CloudTrail: expected {"Records": [...]}, an array of events, lookup-events output or an event object.',
    ]);
    assert.equal(warned.code, 0);
    assert.match(warned.out, /^Problems: 0 errors, 1 warning$/m);

    const broken = await run(new TempTree().file('a.json', '{"Records": []}').file('b.json', '{"Records": [}'), 'a.json', 'b.json');
    assert.equal(broken.code, 1);
    assert.ok(
      broken.problems.every((line) => line.startsWith('b.json:1:')),
      broken.out,
    );
  });

  it('exits 2 on a usage error, with the reason on standard error', async () => {
    const files = new TempTree().file('a.json', '{"Records": []}');
    for (const argv of [
      [],
      ['--format', 'xml', 'a.json'],
      ['--max-problems', '0', 'a.json'],
      ['--max-problems'],
      ['--top', 'x', 'a.json'],
      ['--bogus', 'a.json'],
      ['--no-summary=1', 'a.json'],
    ]) {
      const result = await run(files, ...argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.equal(result.out, '', argv.join(' '));
      assert.match(result.err, /^cloudtrail-explorer: .+\nRun cloudtrail-explorer --help for the options\.\n$/, argv.join(' '));
    }
  });

  it('prints help and version and exits 0', async () => {
    const help = await run(new TempTree(), '--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: cloudtrail-explorer \[options\] <file or folder>\.\.\./);
    for (const option of ['--format', '--no-summary', '--max-problems', '--top', '--help', '--version']) {
      assert.ok(help.out.includes(option), option);
    }
    const version = await run(new TempTree(), '--version');
    assert.deepEqual([version.code, version.out], [0, '9.8.7\n']);
  });

  it('reports a path that does not exist as an error and still checks the others', async () => {
    const result = await run(new TempTree().file('a.json', JSON.stringify({ Records: [EVENT] })), 'missing.json', 'a.json');
    assert.equal(result.code, 1);
    assert.deepEqual(
      result.problems.filter((line) => line.includes(' error ')),
      ['missing.json:1:1: error file-unreadable No such file or folder.'],
    );
    assert.match(result.out, /^Records: {2}1$/m);
  });

  it('exits 2 when the folders hold no log file at all', async () => {
    const result = await run(new TempTree().file('logs/notes.txt', 'hello').folder('empty'), 'logs', 'empty');
    assert.equal(result.code, 2);
    assert.match(result.err, /no \.json or \.gz file found in logs, empty/);
  });

  it('prints at most --max-problems problems per file but counts them all', async () => {
    const text = fixtureBytes('aws-docs-acm/ct-acm-addtags.json');
    const full = await run(new TempTree().file('addtags.json', text), 'addtags.json');
    const capped = await run(new TempTree().file('addtags.json', text), '--max-problems', '5', 'addtags.json');
    assert.ok(full.problems.length > 6);
    assert.deepEqual(capped.problems.slice(0, 5), full.problems.slice(0, 5));
    assert.equal(capped.problems.length, 6);
    const last = full.problems[4].split(' ')[0];
    assert.equal(capped.problems[5], `${last} info too-many-problems ${full.problems.length - 5} more problems in this file are not shown (--max-problems 5).`);
    // The summary counts every problem, shown or not.
    assert.equal(/^Problems: .*$/m.exec(capped.out)?.[0], /^Problems: .*$/m.exec(full.out)?.[0]);
    assert.equal(capped.code, 1);
  });

  it('leaves the summary out with --no-summary', async () => {
    const result = await run(new TempTree().file('a.json', '{"foo": 1}'), '--no-summary', 'a.json');
    assert.equal(result.out, `${result.problems.join('\n')}\n`);
  });
});

describe('command line: reading files', () => {
  it('reads .json.gz files, and gzip data whatever the name', async () => {
    const text = JSON.stringify({ Records: [EVENT, { ...EVENT, eventName: 'ListCertificates' }] });
    const files = new TempTree().file('logs/a.json.gz', zlib.gzipSync(text)).file('logs/b.json', zlib.gzipSync(text));
    const result = await run(files, '--format', 'json', 'logs');
    const output = JSON.parse(result.out) as JsonOutput;
    assert.deepEqual(
      output.files.map((f) => [f.path, f.records, f.shape]),
      [
        ['logs/a.json.gz', 2, 'records'],
        ['logs/b.json', 2, 'records'],
      ],
    );
    assert.equal(output.summary?.records, 4);
  });

  it('reports a damaged gzip file by name and goes on with the next file', async () => {
    const good = zlib.gzipSync(JSON.stringify({ Records: [EVENT] }));
    const files = new TempTree()
      .file('logs/1-truncated.json.gz', good.subarray(0, good.length - 12))
      .file('logs/2-garbage.json.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x01, 0x02, 0x03]))
      .file('logs/3-not-gzip.gz', '{"Records": []}')
      .file('logs/4-good.json.gz', good)
      .pipe('logs/5-pipe.json');
    const result = await run(files, 'logs');
    assert.equal(result.code, 1);
    assert.deepEqual(
      result.problems.filter((line) => line.includes(' error ')).map((line) => line.split(' ').slice(0, 3).join(' ')),
      [
        'logs/1-truncated.json.gz:1:1: error file-corrupt-gzip',
        'logs/2-garbage.json.gz:1:1: error file-corrupt-gzip',
        'logs/3-not-gzip.gz:1:1: error file-corrupt-gzip',
      ],
    );
    assert.match(result.out, /^logs\/1-truncated\.json\.gz:1:1: error file-corrupt-gzip 1-truncated\.json\.gz is damaged: its compressed data ends too early/m);
    // A named pipe is never opened (reading it would wait forever): reported by name.
    assert.match(result.out, /^logs\/5-pipe\.json:1:1: warning file-unreadable 5-pipe\.json is a special file/m);
    assert.match(result.out, /^Files: {4}1 read$/m);
    assert.match(result.out, /^Records: {2}1$/m);
    assert.match(result.out, /^Problems: 3 errors, 1 warning/m);
  });

  it('walks folders recursively in name order, takes .json and .gz files, and says how many it skipped', async () => {
    const record = (eventName: string) => JSON.stringify({ Records: [{ ...EVENT, eventName }] });
    const files = new TempTree()
      .file('trail/b/2024/11/24/x_CloudTrail_us-east-1_20241124T1000Z_a.json.gz', zlib.gzipSync(record('GetCertificate')))
      .file('trail/a.json', record('DescribeCertificate'))
      .file('trail/a.JSON', record('ListCertificates'))
      .file('trail/b/readme.md', '# not a log')
      .file('trail/b/digest.sig', 'x')
      .file('trail/c/deep/deeper/z.gz', zlib.gzipSync(record('ExportCertificate')))
      .file('elsewhere/linked.json', record('RenewCertificate'))
      .link('trail/link-to-file.json', 'elsewhere/linked.json')
      .link('trail/link-to-folder', 'trail');
    const result = await run(files, '--format', 'json', 'trail', 'trail/a.json');
    const output = JSON.parse(result.out) as JsonOutput;
    assert.deepEqual(
      output.files.map((f) => f.path),
      [
        'trail/a.JSON',
        'trail/a.json',
        'trail/b/2024/11/24/x_CloudTrail_us-east-1_20241124T1000Z_a.json.gz',
        'trail/c/deep/deeper/z.gz',
        'trail/link-to-file.json',
      ],
    );
    // readme.md, digest.sig and the link to a folder.
    assert.equal(output.summary?.filesSkipped, 3);

    const text = await run(files, 'trail');
    assert.match(text.out, /^Files: {4}5 read, 3 skipped \(not log files\)$/m);
  });

  it('reads a file named on the command line whatever its extension', async () => {
    const result = await run(new TempTree().file('events.log', JSON.stringify([EVENT])), '--format', 'json', 'events.log');
    assert.equal((JSON.parse(result.out) as JsonOutput).summary?.records, 1);
  });

  it('reports invalid UTF-8 at the line and column of the bad byte, then reads the rest', async () => {
    const before = '{"Records": [\n  {"eventName": "Describe';
    const after = 'Certificate", "eventSource": "acm.amazonaws.com", "eventTime": "2024-11-24T10:03:11Z"}\n]}\n';
    const bytes = Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from([0xc3, 0x28]), Buffer.from(after, 'utf8')]);
    const result = await run(new TempTree().file('bad.json', bytes), '--format', 'json', 'bad.json');
    const file = defined((JSON.parse(result.out) as JsonOutput).files[0]);
    const [line, column] = lineColumn(before, before.length).split(':').map(Number);
    assert.deepEqual(file.problems[0], {
      line,
      column,
      severity: 'error',
      code: 'file-invalid-utf8',
      message: `This file is not valid UTF-8: byte ${Buffer.byteLength(before)} (0xc3) starts no valid character; such bytes are read as U+FFFD.`,
    });
    assert.equal(file.records, 1);
    assert.equal(result.code, 1);
  });

  it('places the bad byte after multi-byte characters by characters, not bytes', async () => {
    const before = '{"Records": [], "note": "Café ☕ 😀 ';
    const bytes = Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from([0xff]), Buffer.from('"}', 'utf8')]);
    const result = await run(new TempTree().file('bad.json', bytes), 'bad.json');
    // Columns count UTF-16 units, as editors do: the emoji takes two.
    assert.equal(result.problems[0].split(' ')[0], `bad.json:1:${before.length + 1}:`);
  });

  it('finds the first byte that starts no well-formed UTF-8 character', () => {
    const cases: [number[], number][] = [
      [[0x41, 0x42], 2],
      [[0xc3, 0xa9, 0xe2, 0x98, 0x95, 0xf0, 0x9f, 0x98, 0x80], 9],
      [[0x41, 0x80], 1], // a lone continuation byte
      [[0x41, 0xc0, 0xaf], 1], // overlong '/'
      [[0xe0, 0x80, 0xaf], 0], // overlong in three bytes
      [[0xed, 0xa0, 0x80], 0], // a UTF-16 surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
      [[0xf5, 0x80, 0x80, 0x80], 0],
      [[0x41, 0xe2, 0x98], 1], // cut short at the end
      [[0xe2, 0x41, 0x42], 0], // continuation missing
    ];
    for (const [bytes, expected] of cases) {
      assert.equal(firstInvalidUtf8(Uint8Array.from(bytes)), expected, bytes.map((b) => b.toString(16)).join(' '));
    }
  });
});

describe('command line: summary', () => {
  it('gives each action its IAM actions and access level, and counts events by access level', async () => {
    const log = {
      Records: [
        { ...EVENT, eventSource: 'iam.amazonaws.com', eventName: 'PutUserPolicy' },
        { ...EVENT, eventSource: 'iam.amazonaws.com', eventName: 'PutUserPolicy', errorCode: 'AccessDenied' },
        { ...EVENT, eventSource: 's3.amazonaws.com', eventName: 'CopyObject' },
        { ...EVENT, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' },
        { ...EVENT, eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn' },
        { ...EVENT, eventSource: 'iam.amazonaws.com', eventName: 'MakeMeAdmin' },
      ],
    };
    const files = new TempTree().file('a.json', JSON.stringify(log));
    interface IamSummary {
      summary: { byAction: { eventName: string; iamActions: string[]; accessLevel: string | null; iam: string }[]; byAccessLevel: unknown[] };
    }
    const json = JSON.parse((await run(files, '--format', 'json', 'a.json')).out) as IamSummary;
    const byName = new Map(json.summary.byAction.map((action) => [action.eventName, action]));
    assert.deepEqual(byName.get('PutUserPolicy'), {
      ...byName.get('PutUserPolicy'),
      iamActions: ['iam:PutUserPolicy'],
      accessLevel: 'Permissions management',
      iam: 'actions',
    });
    assert.deepEqual(byName.get('CopyObject')?.iamActions, ['s3:GetObject', 's3:PutObject']);
    assert.equal(byName.get('CopyObject')?.accessLevel, 'Write');
    assert.deepEqual(byName.get('ListBuckets')?.iamActions, ['s3:ListAllMyBuckets']);
    assert.equal(byName.get('ListBuckets')?.accessLevel, 'List');
    assert.deepEqual(byName.get('ConsoleLogin'), { ...byName.get('ConsoleLogin'), iamActions: [], accessLevel: null, iam: 'no-permission' });
    assert.deepEqual(byName.get('MakeMeAdmin'), { ...byName.get('MakeMeAdmin'), iamActions: [], accessLevel: null, iam: 'unknown' });
    assert.deepEqual(json.summary.byAccessLevel, [
      { accessLevel: 'Permissions management', count: 2, failed: 1, actions: 1 },
      { accessLevel: 'Write', count: 1, failed: 0, actions: 1 },
      { accessLevel: 'List', count: 1, failed: 0, actions: 1 },
      { accessLevel: 'No IAM permission', count: 1, failed: 0, actions: 1 },
      { accessLevel: 'Not known', count: 1, failed: 0, actions: 1 },
    ]);
    const text = (await run(files, 'a.json')).out;
    assert.match(
      text,
      /Events by IAM access level:\n {2}count {2}failed {2}actions {2}access level\n {6}2 {7}1 {8}1 {2}Permissions management\n {6}1 {7}0 {8}1 {2}Write\n {6}1 {7}0 {8}1 {2}List\n {6}1 {7}0 {8}1 {2}No IAM permission\n {6}1 {7}0 {8}1 {2}Not known\n/,
    );
  });

  it('counts events by action and identity exactly as the records say, over every real fixture', async () => {
    const files = new TempTree();
    const actions = new Map<string, { count: number; failed: number }>();
    const byArn = new Map<string, number>();
    let records = 0;
    for (const relative of listFixtures('real')) {
      const bytes = fixtureBytes(relative);
      files.file(`real/${relative.split(path.sep).slice(1).join('/')}`, bytes);
      const parsed: unknown = JSON.parse((relative.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8'));
      const list = (Array.isArray(parsed) ? parsed : jsonAt(parsed, 'Records')) as Record<string, unknown>[];
      for (const record of list) {
        records++;
        const key = `${String(record.eventSource)} ${String(record.eventName)}`;
        const action = actions.get(key) ?? { count: 0, failed: 0 };
        action.count++;
        if (record.errorCode) action.failed++;
        actions.set(key, action);
        const arn = jsonAt(record, 'userIdentity', 'arn');
        if (typeof arn === 'string' && arn) byArn.set(arn, (byArn.get(arn) ?? 0) + 1);
      }
    }
    const result = await run(files, '--format', 'json', 'real');
    assert.equal(result.code, 0, result.out.slice(0, 2000));
    const summary = defined((JSON.parse(result.out) as JsonOutput).summary);
    assert.equal(summary.filesRead, listFixtures('real').length);
    assert.equal(summary.records, records);
    assert.equal(summary.errors, 0);

    const reported = new Map<string, { count: number; failed: number }>(
      summary.byAction.map((a) => [`${a.eventSource} ${a.eventName}`, { count: a.count, failed: a.failed }]),
    );
    assert.deepEqual(reported, actions);
    const counts = summary.byAction.map((a) => a.count);
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => b - a),
      'largest first',
    );

    let identityTotal = 0;
    for (const identity of summary.byIdentity) {
      identityTotal += identity.count;
      assert.ok(identity.label.length > 0);
      if (identity.key.startsWith('arn:')) assert.equal(identity.count, byArn.get(identity.key), identity.key);
    }
    assert.equal(identityTotal, records);
    for (const [arn, count] of byArn) {
      assert.ok(
        summary.byIdentity.some((i) => i.key === arn && i.count === count),
        arn,
      );
    }
  });

  it('prints the summary tables with counts, failures and identities, largest first', async () => {
    const alice = EVENT.userIdentity;
    const bob = {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/CertificateAdmin/bob',
      accountId: '111122223333',
      principalId: 'AROAEXAMPLE:bob',
    };
    const log = {
      Records: [
        { ...EVENT, eventName: 'ExportCertificate', userIdentity: bob, errorCode: 'AccessDenied' },
        { ...EVENT, eventName: 'ExportCertificate', userIdentity: bob },
        { ...EVENT, eventName: 'ExportCertificate', userIdentity: alice, errorCode: 'AccessDenied' },
        { ...EVENT, eventName: 'DescribeCertificate', userIdentity: bob },
        { ...EVENT, eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', userIdentity: { type: 'AWSService', invokedBy: 'acm.amazonaws.com' } },
      ],
    };
    const result = await run(new TempTree().file('a.json', JSON.stringify(log)), 'a.json');
    const summary = result.out.slice(result.out.indexOf('\nFiles:'));
    assert.equal(
      summary,
      [
        '',
        'Files:    1 read',
        'Records:  5',
        `Problems: ${result.problems.filter((l) => l.includes(' error ')).length} errors, ${result.problems.filter((l) => l.includes(' warning ')).length} warnings${result.problems.some((l) => / (info|hint) /.test(l)) ? `, ${result.problems.filter((l) => / (info|hint) /.test(l)).length} info and hints` : ''}`,
        '',
        'Events by IAM access level:',
        '  count  failed  actions  access level',
        '      1       0        1  Write',
        '      4       2        2  Read',
        '',
        'Events by action (3):',
        '  count  failed  action',
        '      3       2  acm.amazonaws.com ExportCertificate',
        '      1       0  acm.amazonaws.com DescribeCertificate',
        '      1       0  kms.amazonaws.com Decrypt',
        '',
        'Events by identity (3):',
        '  count  identity',
        '      3  role CertificateAdmin / session bob  arn:aws:sts::111122223333:assumed-role/CertificateAdmin/bob',
        '      1  acm.amazonaws.com (AWS service)  acm.amazonaws.com',
        '      1  alice (IAM user)  arn:aws:iam::111122223333:user/alice',
        '',
      ].join('\n'),
    );
  });

  it('shows the top rows of each table and says how many more there are', async () => {
    const log = { Records: ['A', 'B', 'B', 'C', 'C', 'C'].map((name) => ({ ...EVENT, eventName: `Action${name}` })) };
    const files = new TempTree().file('a.json', JSON.stringify(log));
    const top = await run(files, '--top', '2', 'a.json');
    assert.match(top.out, / {6}3 {7}0 {2}acm\.amazonaws\.com ActionC\n {6}2 {7}0 {2}acm\.amazonaws\.com ActionB\n {2}… 1 more actions \(--top 0 lists all\)\n/);
    const all = await run(files, '--top', '0', 'a.json');
    assert.match(all.out, /ActionA/);
    assert.doesNotMatch(all.out, /more actions/);
  });
});

describe('command line: folders made to hurt it', () => {
  const good = JSON.stringify({ Records: [EVENT] });

  it('reports a symbolic-link loop by name and goes on to the good log beside it', async () => {
    const tree = new TempTree().file('logs/good.json', good).link('logs/a.json', 'logs/b.json').link('logs/b.json', 'logs/a.json').link('logs/up', 'logs');
    const result = await run(tree, 'logs');
    assert.equal(result.err, '');
    assert.equal(result.code, 0, result.out);
    assert.match(result.out, /^logs\/a\.json:1:1: warning file-unreadable a\.json: it is a symbolic link that leads back to itself \(a loop\)/m);
    assert.match(result.out, /^logs\/b\.json:1:1: warning file-unreadable b\.json: it is a symbolic link that leads back to itself/m);
    assert.match(result.out, /^Files: {4}1 read, 1 skipped \(not log files\)$/m);
    assert.match(result.out, /^Records: {2}1$/m);
    const named = await run(tree, 'logs/a.json', 'logs/good.json');
    assert.match(named.out, /^logs\/a\.json:1:1: warning file-unreadable a\.json: it is a symbolic link that leads back to itself/m);
    assert.match(named.out, /^Records: {2}1$/m);
  });

  it('streams a file too large to parse whole: its events are counted, and it says it was not checked record by record', async () => {
    const records = Array.from({ length: 300 }, (_, i) => ({ ...EVENT, eventName: i % 3 === 0 ? 'ListCertificates' : 'DescribeCertificate' }));
    const tree = new TempTree().file('big.json.gz', zlib.gzipSync(JSON.stringify({ Records: records })));
    const result = await runWith(tree, { wholeContentBytes: 16 * 1024 }, '--format', 'json', 'big.json.gz');
    const output = JSON.parse(result.out) as JsonOutput;
    const summary = defined(output.summary);
    assert.equal(summary.records, 300);
    assert.deepEqual(
      summary.byAction.map((action) => [action.eventName, action.count]),
      [
        ['DescribeCertificate', 200],
        ['ListCertificates', 100],
      ],
    );
    const problem = defined(defined(output.files[0]).problems[0]);
    assert.equal(problem.code, 'file-not-checked');
    assert.match(problem.message, /big\.json\.gz holds more than 16 KB of text: its 300 events are counted below/);
  });

  it('never opens a named pipe, even one named on the command line', async () => {
    const tree = new TempTree().pipe('fifo.json').file('good.json', good);
    const result = await run(tree, 'fifo.json', 'good.json');
    assert.match(result.out, /^fifo\.json:1:1: warning file-unreadable fifo\.json is a named pipe, not a log file: it was not read\.$/m);
    assert.match(result.out, /^Records: {2}1$/m);
  });

  it('stops a gzip bomb at the decompressed-size limit and reports it by name', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024), { level: 9 });
    const tree = new TempTree().file('logs/bomb.json.gz', bomb).file('logs/good.json', good);
    const result = await run(tree, '--max-decompressed-mb', '4', 'logs');
    assert.equal(result.code, 1);
    assert.match(result.out, /^logs\/bomb\.json\.gz:1:1: error file-too-large bomb\.json\.gz was not read: decompressed, it is larger than 4 MB/m);
    assert.match(result.out, /^Records: {2}1$/m);
    const usage = await run(tree, '--max-decompressed-mb', '0', 'logs');
    assert.equal(usage.code, 2);
  });
});

describe('command line: events known from attacks', () => {
  const log = {
    Records: [
      { ...EVENT, eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', errorCode: 'AccessDenied' },
      { ...EVENT, eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey' },
      { ...EVENT, eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging' },
      { ...EVENT, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' },
      { ...EVENT, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' },
      { ...EVENT, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' },
      { ...EVENT, eventName: 'DescribeCertificate' },
    ],
  };
  const files = new TempTree().file('a.json', JSON.stringify(log));

  it('lists them after the other tables, with their tactics and the catalogue\u2019s credit', async () => {
    const result = await run(files, 'a.json');
    const section = result.out.slice(result.out.indexOf('\nEvents known from attacks'));
    assert.equal(
      section,
      [
        '',
        'Events known from attacks (3), from TrailDiscover by Adan Alvarez (CC BY 4.0), github.com/adanalvarez/TrailDiscover:',
        '  count  failed  action                                seen     tactics',
        '      3       0  s3.amazonaws.com ListBuckets          attacks  Discovery',
        '      2       1  iam.amazonaws.com CreateAccessKey     attacks  Persistence, Privilege Escalation',
        '      1       0  cloudtrail.amazonaws.com StopLogging  research Defense Evasion',
        '',
      ].join('\n'),
    );
  });

  it('gives them in the JSON summary with tactic ids and techniques', async () => {
    const summary = (JSON.parse((await run(files, '--format', 'json', 'a.json')).out) as JsonOutput).summary;
    assert.ok(summary);
    assert.deepEqual(summary.attackCatalogue, {
      title: 'TrailDiscover',
      author: 'Adan Alvarez',
      license: 'CC BY 4.0',
      url: 'https://github.com/adanalvarez/TrailDiscover',
    });
    assert.deepEqual(
      summary.attackEvents.map((row) => [row.eventName, row.count, row.failed, row.usedInWild, row.tactics.map((tactic) => tactic.id)]),
      [
        ['ListBuckets', 3, 0, true, ['TA0007']],
        ['CreateAccessKey', 2, 1, true, ['TA0003', 'TA0004']],
        ['StopLogging', 1, 0, false, ['TA0005']],
      ],
    );
    assert.ok(summary.attackEvents[1].techniques.includes('T1136.003'));
  });

  it('has no such table when no event is in the catalogue', async () => {
    const quiet = await run(new TempTree().file('b.json', JSON.stringify({ Records: [EVENT] })), 'b.json');
    assert.doesNotMatch(quiet.out, /known from attacks|TrailDiscover/);
    const json = JSON.parse((await run(new TempTree().file('b.json', JSON.stringify({ Records: [EVENT] })), '--format', 'json', 'b.json')).out) as JsonOutput;
    assert.deepEqual(json.summary?.attackEvents, []);
  });
});

describe('command line: text from the log is escaped', () => {
  it('never prints control characters, escape sequences or direction overrides raw', async () => {
    const hostile = {
      ...EVENT,
      eventName: 'Describe\u001b[2J\u001b]0;pwned\u0007Certificate\u202e',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::1:user/a\nfake.json:1:1: error', userName: 'x\u009b31m' },
    };
    const disguised = { ...EVENT, eventName: 'adm\u200bin\ufeff' };
    const name = 'logs/evil\u001b[31m\nname.json';
    const files = new TempTree().file(name, JSON.stringify({ Records: [hostile, disguised], 'bad\u001bkey': 1 }));
    for (const format of ['text', 'json']) {
      const result = await run(files, '--format', format, 'logs');
      // eslint-disable-next-line no-control-regex -- control characters are what must not be printed
      assert.doesNotMatch(result.out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/, format);
      if (format === 'text') {
        assert.ok(result.out.includes('acm.amazonaws.com Describe<U+001B>[2J<U+001B>]0;pwned<U+0007>Certificate<U+202E>'), result.out);
        assert.ok(result.out.includes('logs/evil<U+001B>[31m<U+000A>name.json'), result.out);
        assert.ok(result.out.includes('adm<U+200B>in<U+FEFF>'), result.out);
        // One log line can never pose as another diagnostic.
        assert.ok(result.out.split('\n').every((line) => !line.startsWith('fake.json')));
      } else {
        const parsed = JSON.parse(result.out) as JsonOutput;
        assert.equal(parsed.files[0].path, name);
        assert.equal(parsed.summary?.byAction[0].eventName, hostile.eventName);
      }
    }
  });

  it('writes hidden characters as their code points, as every other view of a log does', () => {
    assert.equal(printable('a\u0000b\u001bc\u2028d\u200fe'), 'a<U+0000>b<U+001B>c<U+2028>d<U+200F>e');
    assert.equal(printable('adm\u200bin \ud800'), 'adm<U+200B>in <U+D800>');
    assert.equal(printable('plain ünïcödé ☕'), 'plain ünïcödé ☕');
  });
});

describe('the built command line as a process', () => {
  const root = path.resolve(FIXTURES, '..', '..');
  const bin = path.join(root, 'bin', 'cloudtrail-explorer.js');

  it('checks real fixtures cleanly and the broken ACM examples with exit status 1', () => {
    assert.ok(fs.existsSync(path.join(root, 'dist', 'cli.js')), 'dist/cli.js is missing: run node scripts/build.mjs first');
    const clean = spawnSync(process.execPath, [bin, 'test/fixtures/real/trailscraper'], { cwd: root, encoding: 'utf8' });
    assert.equal(clean.status, 0, clean.stderr);
    assert.match(clean.stdout, /^Files: {4}4 read$/m);
    assert.match(clean.stdout, /^Problems: 0 errors, 0 warnings$/m);

    const broken = spawnSync(process.execPath, [bin, '--no-summary', 'test/fixtures/aws-docs-acm/ct-acm-revoke.current.json'], { cwd: root, encoding: 'utf8' });
    assert.equal(broken.status, 1, broken.stderr);
    assert.ok(
      broken.stdout
        .split('\n')
        .includes('test/fixtures/aws-docs-acm/ct-acm-revoke.current.json:6:16: error json-missing-open-quote This string is missing its opening quote.'),
      broken.stdout,
    );

    const usage = spawnSync(process.execPath, [bin, '--format'], { cwd: root, encoding: 'utf8' });
    assert.equal(usage.status, 2);
    const version = spawnSync(process.execPath, [bin, '--version'], { cwd: root, encoding: 'utf8' });
    assert.equal(version.stdout.trim(), (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version);
  });
});

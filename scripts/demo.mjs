// `npm start`: CloudTrail Explorer running in a real VS Code workbench in the browser, with a
// folder of sample CloudTrail logs (a delivered .json.gz, a pretty console download, a
// lookup-events file, a broken example). It builds the extension, installs the workbench the
// first time (test/e2e/install.mjs), starts code-server on 127.0.0.1 with the extension installed
// and prints the URL. Ctrl-C stops the workbench and everything it started, and removes the
// temporary folder.
//
// Options: --port=N (default: a free port), --folder=PATH (open these logs instead of the samples,
// starting on their events in the Events view)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { install } from '../test/e2e/install.mjs';
import { runToEnd, stopAllGroups } from '../test/e2e/lib/processes.mjs';
import { linkExtension, repoRoot, startCodeServer, workbenchUrl } from '../test/e2e/lib/workbench.mjs';
import { createDemoWorkspace } from '../test/e2e/lib/workspace.mjs';

const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const port = Number(option('port') ?? 0);

const scratchDir = mkdtempSync(join(tmpdir(), 'cloudtrail-demo-'));
process.on('exit', () => rmSync(scratchDir, { recursive: true, force: true }));

async function main() {
  console.log('demo: building the extension');
  if ((await runToEnd(process.execPath, [join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot })) !== 0) return 1;
  if (!(await install())) return 1;

  const folder = option('folder') ? resolve(option('folder')) : createDemoWorkspace(join(scratchDir, 'sample-logs'));
  const extensionsDir = join(scratchDir, 'extensions');
  linkExtension(extensionsDir);
  // The sample folder's README says what each log shows; the workbench opens it first. A folder of
  // one's own logs has no README: the workbench starts on its events instead (indexed when the
  // window opens, the Events view focused), with no welcome page or walkthrough.
  const settings = option('folder')
    ? { 'workbench.startupEditor': 'none', 'workbench.welcomePage.walkthroughs.openOnInstall': false, 'cloudtrail.folder.indexOnOpen': true }
    : { 'workbench.startupEditor': 'readme' };
  const server = await startCodeServer({ scratchDir, folder, extensionsDir, port, settings, logFile: join(scratchDir, 'code-server.log') });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      stopping = true;
      console.log('\ndemo: stopping the workbench');
    });
  }

  console.log(`\nCloudTrail Explorer is running in VS Code at\n\n    ${workbenchUrl(server, folder)}\n`);
  console.log(`The workspace is ${folder}; open any log in it. Press Ctrl-C to stop.`);

  // Stays up until Ctrl-C (processes.mjs stops every group then) or until the workbench dies.
  const code = await new Promise((resolvePromise) => server.child.once('exit', (exitCode) => resolvePromise(exitCode ?? 1)));
  if (stopping) return 0;
  console.error(`demo: the workbench stopped (exit ${code}); its log is in ${scratchDir}/code-server.log`);
  return 1;
}

main()
  .catch((error) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  })
  .then(async (code) => {
    await stopAllGroups();
    process.exit(code);
  });

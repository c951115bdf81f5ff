// Child processes that always go away: each one is started in a process group of its own, and
// every group still alive is ended when the parent finishes, fails, times out or is interrupted.
// The workbench and the browser both start helpers of their own (extension host, language
// server, renderers), which share the group and so go with it.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Process group ids started here and not yet known to be gone. */
const liveGroups = new Set();
let handlersInstalled = false;

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // Last resort when the process ends without having stopped its children.
  process.on('exit', () => {
    for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    // Kept for the whole life of the process: a second signal (a group signalled twice, Ctrl-C
    // pressed again) must not kill it halfway through stopping its children.
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      // Quickly: whoever sent the signal may not wait long before sending SIGKILL.
      void stopAllGroups(1500).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}

/**
 * Starts `command` as the leader of a new process group. Same options as child_process.spawn.
 * @returns {import('node:child_process').ChildProcess}
 */
export function spawnGroup(command, args, options = {}) {
  installHandlers();
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid !== undefined) liveGroups.add(child.pid);
  return child;
}

/** Sends SIGTERM to the child's whole group, then SIGKILL to whatever is left after `graceMs`. */
export async function stopGroup(child, graceMs = 5000) {
  const pgid = child?.pid;
  if (pgid === undefined || !liveGroups.has(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
  liveGroups.delete(pgid);
}

/** Stops every group started through spawnGroup. */
export async function stopAllGroups(graceMs = 5000) {
  await Promise.all([...liveGroups].map((pgid) => stopGroup({ pid: pgid }, graceMs)));
}

/**
 * Removes `path` (a scratch folder) when this process ends, also through a signal; returns a
 * function that removes it at once.
 */
export function removeOnExit(path) {
  installHandlers();
  const remove = () => rmSync(path, { recursive: true, force: true });
  process.on('exit', remove);
  return () => {
    process.off('exit', remove);
    remove();
  };
}

/**
 * Stops every group and exits when this process loses its parent (the parent was killed and
 * this process was handed to init): nobody is left to wait for its result.
 */
export function stopWhenOrphaned() {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      void stopAllGroups().finally(() => process.exit(1));
    }
  }, 500);
  timer.unref();
}

/** Rejects after `ms` with a message naming what took too long; clears its timer when `promise` settles. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs a command to its end with inherited output; resolves to its exit code once its whole group is gone. */
export function runToEnd(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawnGroup(command, args, { stdio: 'inherit', ...options });
    child.on('error', (error) => {
      console.error(`could not start ${command}: ${error.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => {
      // Whatever the command left running in its group gets a moment to clean up, then goes.
      void stopGroup(child, 3000).finally(() => resolve(code ?? (signal ? 128 : 1)));
    });
  });
}

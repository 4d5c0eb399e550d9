// Child processes for the harness: one-shot commands, and long-lived servers started in their own
// session (setsid) so that stopping one kills its whole process group — code-server's extension
// host otherwise outlives everything for hours.
import { spawn } from 'node:child_process';

/**
 * Runs a command to completion; rejects with its exit code on failure.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @returns {Promise<void>}
 */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? code}`));
    });
  });
}

/** Process groups still running (leader pid -> stop function), stopped on exit and on signals. */
const liveGroups = new Map();
/** Extra async clean-ups (temp folders) run on signals before the groups are stopped. */
const cleanups = new Set();
let handlersInstalled = false;

/**
 * Runs `cleanup` if this process is stopped by a signal; returns a function that unregisters it.
 * @param {() => Promise<void>} cleanup
 */
export function onSignalCleanup(cleanup) {
  installHandlers();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

function killGroupNow(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // Last resort: whatever path leaves this process, no group survives it.
  process.on('exit', () => {
    for (const pid of liveGroups.keys()) killGroupNow(pid, 'SIGKILL');
  });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.error(`\n${signal}: stopping ${liveGroups.size} process group(s)`);
      // SIGTERM first so that a test process can close its own browser; stop() escalates.
      const pending = [...cleanups, ...liveGroups.values()].map((stop) => stop());
      Promise.allSettled(pending).then(() => {
        process.exit(signal === 'SIGINT' ? 130 : 143);
      });
    });
  }
}

/**
 * Starts a long-lived process as the leader of a new session and process group.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} options
 */
export function startGroup(command, args, options) {
  installHandlers();
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let stopping;
  /** Stops the whole group: SIGTERM, then SIGKILL for anything left. Safe to call twice. */
  const stop = () => {
    stopping ??= (async () => {
      killGroupNow(pid, 'SIGTERM');
      let timer;
      const grace = new Promise((resolve) => (timer = setTimeout(resolve, 3000)));
      await Promise.race([exited, grace]);
      clearTimeout(timer);
      // Helpers of the leader (extension host, file watcher) may ignore SIGTERM: never leave them.
      killGroupNow(pid, 'SIGKILL');
      liveGroups.delete(pid);
    })();
    return stopping;
  };
  liveGroups.set(pid, stop);
  return {
    child,
    pid,
    /** Resolves when the group leader exits by itself or by stop(). */
    exited,
    stop,
  };
}

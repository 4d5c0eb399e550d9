// Starts code-server (VS Code for the browser) on 127.0.0.1 with fresh state in a temp folder:
// its own HOME/XDG, user data, extensions and settings, so nothing leaks into the real home and no
// run sees another's state. Stopping kills the whole process group and removes the temp folder.
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { codeServerEntry, nodeBin, nodeDir, userSettings } from './config.mjs';
import { onSignalCleanup, run, startGroup } from './processes.mjs';

const READY_LINE = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/;
const START_TIMEOUT_MS = 90_000;

/** A port nobody listens on right now (the kernel picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The environment code-server and everything under it see: private HOME, Node 24 first. */
function isolatedEnv(home, extraEnv) {
  const env = { ...process.env };
  // Variables of an enclosing VS Code (when run from its terminal) would confuse the server.
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  return {
    ...env,
    ...extraEnv,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_RUNTIME_DIR: join(home, '.run'),
    PATH: `${join(nodeDir, 'bin')}:${env.PATH ?? ''}`,
  };
}

/**
 * @typedef {object} CodeServerOptions
 * @property {number} [port] 0 or absent: a free port.
 * @property {string} [folder] Folder to open when the root URL is visited.
 * @property {string[]} [installExtensions] .vsix files installed before the server starts.
 * @property {boolean} [smokeTestDriver] Lets the workbench run extension tests from the URL payload.
 * @property {Record<string, string>} [env] Extra environment for the server and the extension host.
 * @property {Record<string, unknown>} [settings] User settings on top of the quiet defaults.
 * @property {boolean} [echo] Also print the server's output (npm start).
 */

/**
 * Starts code-server and resolves once it listens.
 * @param {CodeServerOptions} options
 */
export async function startCodeServer(options = {}) {
  const port = options.port || (await freePort());
  const scratch = mkdtempSync(join(tmpdir(), 'cow-lab-vscode-'));
  const home = join(scratch, 'home');
  const userDataDir = join(scratch, 'user-data');
  const extensionsDir = join(scratch, 'extensions');
  for (const dir of [home, join(home, '.run'), join(userDataDir, 'User'), extensionsDir]) mkdirSync(dir, { recursive: true });
  const configFile = join(scratch, 'config.yaml');
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...userSettings, ...options.settings }, null, 2));
  // Settings of scope "machine" (cowLab.measure.*) are read from the server's Machine settings in
  // a remote window such as code-server's, never from User settings: write the given ones there too.
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify({ ...options.settings }, null, 2));
  const env = isolatedEnv(home, options.env ?? {});
  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const logFile = join(scratch, 'code-server.log');

  const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
  try {
    for (const vsix of options.installExtensions ?? []) {
      await run(nodeBin, [codeServerEntry, ...common, '--install-extension', resolve(vsix)], { env, cwd: home, stdio: ['ignore', 'ignore', 'inherit'] });
    }
  } catch (error) {
    removeScratch();
    throw error;
  }

  const args = [codeServerEntry, ...common, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'];
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (options.folder) args.push(options.folder);
  const server = startGroup(nodeBin, args, { env, cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  let stopping;
  /** Stops the server's group and removes its temp folder; every caller awaits the same stop. */
  const stop = () => {
    stopping ??= (async () => {
      unregister();
      await server.stop();
      await new Promise((resolve) => log.end(resolve));
      removeScratch();
    })();
    return stopping;
  };
  // Ctrl-C: the group is killed by processes.mjs; this also removes the temp folder.
  const unregister = onSignalCleanup(stop);

  try {
    await new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      const onData = (chunk) => {
        if (!log.writableEnded) log.write(chunk);
        if (options.echo) process.stdout.write(chunk);
        seen = (seen + chunk.toString()).slice(-4096);
        if (READY_LINE.test(seen)) {
          clearTimeout(timer);
          resolve(undefined);
        }
      };
      server.child.stdout?.on('data', onData);
      server.child.stderr?.on('data', onData);
      server.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited early (${signal ?? code})`));
      });
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    if (!health.ok) throw new Error(`code-server /healthz answered ${health.status}`);
  } catch (error) {
    const tail = safeTail(logFile);
    await stop();
    throw new Error(`${error.message}\n--- code-server log (tail) ---\n${tail}`);
  }

  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    /** Absolute folder of this run's scratch state (removed by stop). */
    scratch,
    logFile,
    /** Resolves if the server dies by itself. */
    exited: server.exited,
    stop,
    /** The last lines the server printed, for failure reports. */
    tail: () => safeTail(logFile),
  };
}

function safeTail(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
  } catch {
    return '(no log)';
  }
}

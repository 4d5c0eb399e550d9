// `npm run package`: minified production bundles, then a .vsix with @vscode/vsce. What goes in is
// decided by .vscodeignore (an allowlist); test/unit/package-contents.test.ts checks the result.
// Usage: node scripts/vscode/package.mjs [--out FILE]
//
// It builds and packs in a temporary copy of the extension, not in this folder: several people
// (and watch builds) write dist/ here at any moment, and a development build landing between the
// production build and vsce would ship unminified bundles with source maps.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, vsixPath } from './config.mjs';
import { run } from './processes.mjs';

/**
 * Top-level entries the packaging copy leaves out: neither built into the bundles nor shipped.
 * kernel/ is copied: .vscodeignore lets its C sources in (the kernel check and the benchmark
 * compile them on the learner's machine).
 */
const NOT_COPIED = new Set([
  '.git', 'node_modules', '.vscode-test', 'dist', 'out', 'test-artifacts', 'test', 'bench', 'docs',
]);

function stageExtension() {
  const stage = mkdtempSync(join(tmpdir(), 'cow-lab-package-'));
  for (const entry of readdirSync(repoRoot)) {
    if (NOT_COPIED.has(entry) || entry.endsWith('.vsix')) continue;
    cpSync(join(repoRoot, entry), join(stage, entry), { recursive: true });
  }
  return stage;
}

/**
 * Builds and packages; resolves with the .vsix path. `editManifest` may change the staged
 * package.json first (the browser test packs a build whose manifest has only `browser`).
 */
export async function packageExtension(out = vsixPath(), { editManifest } = {}) {
  const target = resolve(out);
  const stage = stageExtension();
  try {
    // The bundles import packages (esbuild resolves them through node_modules): link it for the
    // build only, so that vsce never walks it.
    const modules = join(stage, 'node_modules');
    symlinkSync(join(repoRoot, 'node_modules'), modules, 'dir');
    await run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--production'], { cwd: stage });
    unlinkSync(modules);
    if (editManifest) {
      const manifestFile = join(stage, 'package.json');
      writeFileSync(manifestFile, `${JSON.stringify(editManifest(JSON.parse(readFileSync(manifestFile, 'utf8'))), null, 2)}\n`);
    }
    // Everything is bundled by esbuild, so vsce must not look for dependencies (--no-dependencies).
    const staged = join(stage, 'extension.vsix');
    await run(process.execPath, [join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', staged], {
      cwd: stage,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    rmSync(target, { force: true });
    cpSync(staged, target);
    return target;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? process.argv[outIndex + 1] : undefined;
  packageExtension(out).then(
    (file) => console.log(`packaged ${file}`),
    (error) => {
      console.error(`package: ${error.message}`);
      process.exit(1);
    },
  );
}

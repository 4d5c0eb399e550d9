// `npm run package`: minified production bundles, then a .vsix with @vscode/vsce. What goes in is
// decided by .vscodeignore (an allowlist); test/unit/package-contents.test.ts checks the result.
// Usage: node scripts/vscode/package.mjs [--out FILE]
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, vsixPath } from './config.mjs';
import { run } from './processes.mjs';

/** Builds and packages; resolves with the .vsix path. */
export async function packageExtension(out = vsixPath()) {
  await run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--production'], { cwd: repoRoot });
  // Everything is bundled by esbuild, so vsce must not walk node_modules (--no-dependencies).
  await run(process.execPath, [join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', out], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return out;
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

// The static layer of `npm test`: the TypeScript type check of every tsconfig and ESLint (type
// information + the layering rules of eslint.config.mjs). esbuild and tsx strip types without
// checking them, so without this layer a type error would pass every other test.
//
//   node scripts/static-checks.mjs [typecheck|lint]   (default: both)
//
// Prints each failure, then `static: N passed, N failed` (one check per tsconfig, one per linted
// file). test/unit/static/ shows that every .ts file is covered and that failures are reported.
import { spawn } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../', import.meta.url)).replace(/\/$/, '');

/** Every TypeScript project of the repository: extension/CLI/tests/bench, webview, webview tests. */
export const TSCONFIGS = ['tsconfig.json', 'webview/tsconfig.json', 'test/unit/webview/tsconfig.json'];

const tscBin = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

function runNode(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * Type-checks one project. `ok` is false when tsc reports anything or exits non-zero.
 * @param {string} tsconfig path of a tsconfig.json, absolute or relative to the repository
 * @returns {Promise<{ ok: boolean, diagnostics: string[] }>}
 */
export async function typecheck(tsconfig) {
  const { code, output } = await runNode([tscBin, '--noEmit', '--pretty', 'false', '-p', tsconfig], repoRoot);
  const diagnostics = output.split('\n').filter((line) => line.trim() !== '');
  return { ok: code === 0 && diagnostics.length === 0, diagnostics };
}

/**
 * The files one project type-checks (its own sources, not node_modules or lib files).
 * @returns {Promise<string[]>} paths relative to the repository
 */
export async function projectFiles(tsconfig) {
  const { code, output } = await runNode([tscBin, '--listFilesOnly', '-p', tsconfig], repoRoot);
  if (code !== 0) throw new Error(`tsc --listFilesOnly -p ${tsconfig} failed:\n${output}`);
  return output
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('/node_modules/'))
    .map((line) => relative(repoRoot, line.trim()));
}

/**
 * Lints the repository with its eslint.config.mjs.
 * @returns {Promise<{ files: number, failed: { file: string, messages: string[] }[] }>}
 */
export async function lint() {
  const { ESLint } = await import('eslint');
  const eslint = new ESLint({ cwd: repoRoot });
  const results = await eslint.lintFiles(['.']);
  const failed = results
    .filter((r) => r.errorCount > 0 || r.fatalErrorCount > 0)
    .map((r) => ({
      file: relative(repoRoot, r.filePath),
      messages: r.messages.map((m) => `${m.line}:${m.column} ${m.message} (${m.ruleId ?? 'parse error'})`),
    }));
  return { files: results.length, failed };
}

async function main(which) {
  let passes = 0;
  let failures = 0;
  if (which === 'typecheck' || which === 'all') {
    const outcomes = await Promise.all(TSCONFIGS.map(async (tsconfig) => ({ tsconfig, ...(await typecheck(tsconfig)) })));
    for (const { tsconfig, ok, diagnostics } of outcomes) {
      if (ok) {
        passes++;
        console.log(`  ✓ tsc -p ${tsconfig}`);
      } else {
        failures++;
        console.log(`  ✗ tsc -p ${tsconfig}\n${diagnostics.map((d) => `      ${d}`).join('\n')}`);
      }
    }
  }
  if (which === 'lint' || which === 'all') {
    const { files, failed } = await lint();
    for (const { file, messages } of failed) console.log(`  ✗ eslint ${file}\n${messages.map((m) => `      ${m}`).join('\n')}`);
    passes += files - failed.length;
    failures += failed.length;
    console.log(`  eslint: ${files} files, ${failed.length} with errors`);
  }
  console.log(`static: ${passes} passed, ${failures} failed`);
  return failures === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const which = process.argv[2] ?? 'all';
  if (!['typecheck', 'lint', 'all'].includes(which)) {
    console.error('usage: node scripts/static-checks.mjs [typecheck|lint]');
    process.exit(64);
  }
  main(which).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

// The static layer leaves no file out and reports what it finds: every TypeScript file of the
// repository is type-checked by one of the projects `npm test` checks and linted by ESLint, and a
// type error makes the check fail. Together with boundaries.test.ts this shows that a type
// error or a layering violation anywhere fails `npm test`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { projectFiles, TSCONFIGS, typecheck } from '../../../scripts/static-checks.mjs';
import { repoRoot } from './paths';

const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'out', '.vscode-test', 'test-artifacts', '.git']);

function typeScriptFiles(dir: string, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
    const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) typeScriptFiles(relative, found);
    } else if (/\.m?ts$/.test(entry.name) && !/\.d\.m?ts$/.test(entry.name)) {
      found.push(relative);
    }
  }
  return found;
}

describe('static: coverage of the type check and the linter', function () {
  this.timeout(300_000);
  const files = typeScriptFiles('');

  it('finds the TypeScript sources (sanity)', () => {
    assert.ok(files.includes('src/engine/machine.ts'));
    assert.ok(files.includes('webview/app.ts'));
    assert.ok(files.includes('test/unit/webview/render.test.ts'));
    assert.ok(files.length > 150, `only ${files.length} files`);
  });

  it('type-checks every .ts file in one of the checked projects', async () => {
    const checked = new Set((await Promise.all(TSCONFIGS.map((tsconfig) => projectFiles(tsconfig)))).flat());
    const missing = files.filter((file) => !checked.has(file));
    assert.deepEqual(missing, [], 'files no tsconfig of TSCONFIGS type-checks');
  });

  it('lints every .ts file', async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    const ignored: string[] = [];
    for (const file of files) if (await eslint.isPathIgnored(path.join(repoRoot, file))) ignored.push(file);
    assert.deepEqual(ignored, []);
  });

  it('fails on a type error and names the file, line and error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cow-lab-typecheck-'));
    try {
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: path.join(repoRoot, 'tsconfig.json'), include: ['bad.ts'], compilerOptions: { types: [] } }));
      fs.writeFileSync(path.join(dir, 'bad.ts'), "export const pages: number = 'four';\n");
      const outcome = await typecheck(path.join(dir, 'tsconfig.json'));
      assert.equal(outcome.ok, false);
      assert.ok(outcome.diagnostics.some((d) => /bad\.ts\(1,14\): error TS2322/.test(d)), outcome.diagnostics.join('\n'));
      fs.writeFileSync(path.join(dir, 'bad.ts'), 'export const pages: number = 4;\n');
      assert.deepEqual(await typecheck(path.join(dir, 'tsconfig.json')), { ok: true, diagnostics: [] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

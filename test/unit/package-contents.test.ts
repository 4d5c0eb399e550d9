// What the .vsix ships: only the bundled extension and its assets — never sources, source maps,
// tests, or node_modules (.vscodeignore is an allowlist; these tests hold it to that).
// `vsce ls` is checked on every run; the real .vsix is opened when npm test has packaged it and
// names it in COW_LAB_VSIX (npm run package makes one too: COW_LAB_VSIX=cow-lab-0.1.0.vsix).
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const root = path.resolve(__dirname, '..', '..');

interface ZipEntry {
  name: string;
  /** The entry's bytes, inflated. */
  read(): Buffer;
}

/** The entries of a zip file, from its central directory (a .vsix is a zip). */
export function zipEntries(zip: Buffer): ZipEntry[] {
  const endOfDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(endOfDirectory >= 0, 'not a zip: no end-of-central-directory record');
  const count = zip.readUInt16LE(endOfDirectory + 10);
  let offset = zip.readUInt32LE(endOfDirectory + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, `bad central directory entry ${i}`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({
      name,
      read: () => {
        const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
        const data = zip.subarray(start, start + compressedSize);
        if (method === 0) return data;
        assert.equal(method, 8, `${name}: unsupported zip method ${method}`);
        return zlib.inflateRawSync(data);
      },
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Why a file (path relative to the extension root) must not ship, or undefined if it may. */
export function forbiddenReason(file: string): string | undefined {
  if (/(^|\/)node_modules\//.test(file)) return 'node_modules';
  if (/\.map$/.test(file)) return 'source map';
  if (/\.(ts|tsx|mts|cts)$/.test(file)) return 'TypeScript source';
  // kernel/driver.c and kernel/measure.c are the sources that ship: `cow-lab verify` and
  // `cow-lab measure` compile them on the learner's machine.
  if (/^(src|webview|test|kernel|bench|scripts)\//.test(file) && file !== 'kernel/driver.c' && file !== 'kernel/measure.c') return 'source or test folder';
  if (/(^|\/)[^/]*\.(test|spec)\.[cm]?[jt]s$/.test(file) || file.startsWith('dist/test/')) return 'test';
  if (/^(\.vscode-test|test-artifacts|\.git|\.ci)\//.test(file) || /\.vsix$/.test(file)) return 'build or test output';
  // dist/cli.js ships: the walkthrough's kernel check runs `cow-lab verify` from the installed extension.
  if (/^dist\/bench\.js$/.test(file)) return 'benchmark bundle (not used by the extension)';
  return undefined;
}

function assertShippable(files: string[]): void {
  const forbidden = files.map((file) => [file, forbiddenReason(file)]).filter(([, reason]) => reason);
  assert.deepEqual(forbidden, [], 'files that must not be in the .vsix');
  // The codicon font and stylesheet the panel's buttons load (served from the extension, not a CDN).
  for (const required of ['package.json', 'dist/extension.js', 'dist/parts/analysis.js', 'dist/parts/desktop.js', 'dist/web/extension.js', 'dist/web/analysis.js', 'dist/web/parts.js', 'media/icon.png', 'dist/codicons/codicon.css', 'dist/codicons/codicon.ttf']) {
    assert.ok(files.includes(required), `${required} is missing from the package`);
  }
}

describe('the packaged extension (.vsix)', function () {
  this.timeout(60_000);

  it('rejects what must not ship (guards the checks below)', () => {
    assert.equal(forbiddenReason('src/extension.ts'), 'TypeScript source');
    assert.equal(forbiddenReason('dist/extension.js.map'), 'source map');
    assert.equal(forbiddenReason('node_modules/mocha/index.js'), 'node_modules');
    assert.equal(forbiddenReason('dist/test/integration/index.js'), 'test');
    assert.equal(forbiddenReason('dist/extension.js'), undefined);
    assert.equal(forbiddenReason('samples/01-first-fork.cow'), undefined);
    assert.equal(forbiddenReason('kernel/driver.c'), undefined);
    assert.equal(forbiddenReason('kernel/measure.c'), undefined);
    assert.equal(forbiddenReason('dist/cli.js'), undefined);
    assert.equal(forbiddenReason('dist/bench.js'), 'benchmark bundle (not used by the extension)');
    assert.equal(forbiddenReason('kernel/other.c'), 'source or test folder');
  });

  it('ships only the bundled extension and its assets', () => {
    const vsix = process.env.COW_LAB_VSIX;
    if (vsix) {
      const names = zipEntries(fs.readFileSync(path.resolve(root, vsix))).map((entry) => entry.name);
      assert.ok(names.includes('extension.vsixmanifest'), 'no extension.vsixmanifest: not a .vsix');
      assertShippable(names.filter((name) => name.startsWith('extension/')).map((name) => name.slice('extension/'.length)));
      return;
    }
    // No .vsix at hand: ask vsce what it would pack (~5 s: it walks node_modules and .vscode-test).
    const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const output = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
    assertShippable(output.split('\n').map((line) => line.trim()).filter(Boolean));
  });

  it('ships minified bundles without source maps', function () {
    const vsix = process.env.COW_LAB_VSIX;
    if (!vsix) {
      this.skip(); // Needs a production build: npm test packages one and sets COW_LAB_VSIX.
      return;
    }
    const bundles = zipEntries(fs.readFileSync(path.resolve(root, vsix))).filter((e) => /^extension\/dist\/.*\.js$/.test(e.name));
    assert.ok(bundles.length > 0, 'no dist/*.js in the .vsix');
    for (const entry of bundles) {
      const code = entry.read().toString('utf8');
      assert.ok(!code.includes('sourceMappingURL='), `${entry.name} links a source map: not a production build`);
      // An unminified esbuild bundle marks each module with a `// src/…` path comment.
      const moduleComment = /^\s*\/\/ (src|webview|node_modules)\/\S+$/m.exec(code);
      assert.equal(moduleComment, null, `${entry.name} is not minified (it has the comment ${moduleComment?.[0]})`);
    }
  });

  it('checks a sample against the kernel from the unpacked .vsix, not from the repository', function () {
    const vsix = process.env.COW_LAB_VSIX;
    if (!vsix || process.platform !== 'linux') {
      this.skip(); // npm test packages the .vsix and sets COW_LAB_VSIX; the kernel check is Linux only.
      return;
    }
    this.timeout(180_000);
    // What VS Code does on install: the zip's extension/ folder becomes the extension's folder.
    const installed = fs.mkdtempSync(path.join(os.tmpdir(), 'cow-lab-installed-'));
    try {
      for (const entry of zipEntries(fs.readFileSync(path.resolve(root, vsix)))) {
        if (!entry.name.startsWith('extension/') || entry.name.endsWith('/')) continue;
        const file = path.join(installed, entry.name.slice('extension/'.length));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, entry.read());
      }
      // Run from a folder with no kernel/ above it, so nothing of the repository can be found.
      const result = spawnSync(process.execPath, [path.join(installed, 'dist', 'cli.js'), 'verify', path.join('samples', '04-shell-runs-ls.cow')], {
        cwd: installed,
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, `cow-lab verify exited ${String(result.status)}:\n${result.stdout}${result.stderr}`);
      // 04-shell-runs-ls plays no zero-page read, so its verdict is the same on every kernel build.
      assert.match(result.stdout, /^samples\/04-shell-runs-ls\.cow: the kernel agrees with the engine$/m);
    } finally {
      fs.rmSync(installed, { recursive: true, force: true });
    }
  });
});

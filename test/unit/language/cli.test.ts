// The `cow-lab` CLI: through `main` with in-memory IO (what a user sees, exit codes included),
// and once as the real bundled binary spawned with node.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import type { Command } from '../../../src/cli/command';
import { MemoryIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { runScenario, runToJson } from '../../../src/language';
import { contractProblems } from './contract';

const root = resolve(__dirname, '..', '..', '..');
const FIRST_FORK = readFileSync(join(root, 'samples', '01-first-fork.cow'), 'utf8');

const FILES: Record<string, string> = {
  'first.cow': FIRST_FORK,
  'fails.cow': 'process a\na: map h 2\na: write h[0]\nexpect frames == 2\nexpect frames == 1\n',
  'broken.cow': 'process a\na: map heap 2\na: write haep[0]\nproces b\n',
  'warns.cow': 'process a\na: map h 1\nexpect a h[0] shared with a\n',
};

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = new MemoryIo(FILES);
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('cow-lab run', () => {
  it('prints each step with its source line, explanation and page table, then a summary', async () => {
    const { code, out, err } = await cli('run', 'first.cow');
    assert.equal(code, 0);
    assert.equal(err, '');
    assert.match(out, /^ {3}8 {2}parent: map heap 4 private$/m);
    assert.match(out, /^ {3}9 {2}parent: write heap\[0\.\.3\] "parent data"$/m);
    assert.match(out, /copy_page_range → copy_present_ptes copied 4 page-table entries/);
    assert.match(out, /^ {6}process +region +page +frame +maps +entry +value$/m);
    // After the fork: parent and child rows for frame 1, mapped twice and write-protected.
    assert.match(out, /^ {6}parent +heap \(private\) +0 +1 +2 +read-only, CoW +"parent data"$/m);
    assert.match(out, /^ {6}child +heap \(private\) +0 +1 +2 +read-only, CoW +"parent data"$/m);
    assert.match(out, /✓ parent heap\[0\.\.3\] shared with child/);
    assert.match(out, /» fork copied 4 page-table entries, not 4 pages/);
    assert.match(out, /Expectations: 13 passed, 0 failed\n$/);
  });

  it('summarises the pages of a very large region instead of listing them', async () => {
    const io = new MemoryIo({ 'big.cow': 'process a\na: map h 4 GiB\na: write h[0..1]\n' });
    assert.equal(await main(['run', 'big.cow'], io), 0);
    assert.match(io.out, /^ +2\.\.65535 +— +not present$/m);
    assert.match(io.out, /^ +65536\.\.1048575 +… +not shown \(large region: see --json\)$/m);
  });

  it('leaves the tables out with --no-tables', async () => {
    const { code, out } = await cli('run', 'first.cow', '--no-tables');
    assert.equal(code, 0);
    assert.doesNotMatch(out, /process +region +page/);
    assert.match(out, /copy_page_range/);
  });

  it('prints exactly the --json object of the contract', async () => {
    const { code, out } = await cli('run', 'first.cow', '--json');
    assert.equal(code, 0);
    const parsed: unknown = JSON.parse(out);
    assert.deepEqual(contractProblems(parsed), []);
    const outcome = runScenario(FIRST_FORK);
    assert.ok(outcome.ok);
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(runToJson(outcome.run))));
  });

  it('refuses a --json output of more page entries than the documented limit', async () => {
    const io = new MemoryIo({ 'big.cow': 'process a\na: map h 16 GiB\ncheckpoint "twice"\n' });
    assert.equal(await main(['run', 'big.cow', '--json'], io), 2);
    assert.equal(io.out, '');
    assert.match(io.err, /--json would list 8388608 page entries; the limit is 4194304/);
  });

  it('exits 1 when an expectation fails, and marks it', async () => {
    const text = await cli('run', 'fails.cow');
    assert.equal(text.code, 1);
    assert.match(text.out, /✗ expected frames == 2, but frames is 1/);
    assert.match(text.out, /Expectations: 1 passed, 1 failed/);
    const json = await cli('run', '--json', 'fails.cow');
    assert.equal(json.code, 1);
    assert.deepEqual((JSON.parse(json.out) as { expectations: unknown[] }).expectations, [
      { line: 4, passed: false, message: 'expected frames == 2, but frames is 1' },
      { line: 5, passed: true, message: 'frames == 1 — ok (frames is 1)' },
    ]);
  });

  it('runs nothing and exits 2 when the scenario has errors', async () => {
    const { code, out, err } = await cli('run', 'broken.cow', '--json');
    assert.equal(code, 2);
    assert.equal(out, '');
    assert.equal(err, "broken.cow:3:10: error: unknown region 'haep' — did you mean 'heap'?\nbroken.cow:4:1: error: unknown statement 'proces' — did you mean 'process'?\n");
  });
});

describe('cow-lab check', () => {
  it('prints file:line:col: severity: message and exits 2 on errors', async () => {
    const { code, out } = await cli('check', 'broken.cow');
    assert.equal(code, 2);
    assert.deepEqual(out.trimEnd().split('\n'), ["broken.cow:3:10: error: unknown region 'haep' — did you mean 'heap'?", "broken.cow:4:1: error: unknown statement 'proces' — did you mean 'process'?"]);
  });

  it('says ok for a clean file, exits 0 on warnings only, and checks several files', async () => {
    assert.deepEqual(await cli('check', 'first.cow'), { code: 0, out: 'first.cow: ok\n', err: '' });
    const warned = await cli('check', 'warns.cow');
    assert.equal(warned.code, 0);
    assert.match(warned.out, /^warns\.cow:3:27: warning: comparing 'a' with itself/);
    const many = await cli('check', 'first.cow', 'broken.cow');
    assert.equal(many.code, 2);
    assert.match(many.out, /^first\.cow: ok\nbroken\.cow:3:10:/);
  });

  it('exits 66 when a file cannot be read', async () => {
    const { code, err } = await cli('check', 'missing.cow');
    assert.equal(code, 66);
    assert.match(err, /cannot read missing\.cow/);
    assert.equal((await cli('run', 'missing.cow')).code, 66);
  });
});

describe('cow-lab usage and help', () => {
  it('exits 64 with help on stderr when called without a command', async () => {
    const { code, out, err } = await cli();
    assert.equal(code, 64);
    assert.equal(out, '');
    assert.match(err, /Commands:\n {2}run +run a scenario/);
  });

  it('exits 64 on an unknown command or option, suggesting the right one', async () => {
    const command = await cli('rnu', 'first.cow');
    assert.equal(command.code, 64);
    assert.match(command.err, /unknown command 'rnu' — did you mean 'run'\?/);
    const option = await cli('run', 'first.cow', '--jsno');
    assert.equal(option.code, 64);
    assert.match(option.err, /did you mean '--json'\?/);
    assert.match(option.err, /Usage: cow-lab run FILE/);
    assert.equal((await cli('run')).code, 64);
    assert.equal((await cli('run', 'a.cow', 'b.cow')).code, 64);
    assert.equal((await cli('check')).code, 64);
  });

  it('documents commands and exit codes in --help, and each command in its own help', async () => {
    const help = await cli('--help');
    assert.equal(help.code, 0);
    for (const code of ['0', '1', '2', '64', '66', '70']) assert.match(help.out, new RegExp(`^ {2}${code} +\\S`, 'm'));
    const run = await cli('run', '--help');
    assert.equal(run.code, 0);
    assert.match(run.out, /--json/);
    assert.match((await cli('help', 'check')).out, /^Usage: cow-lab check FILE\.\.\./);
  });

  it('prints the version of package.json', async () => {
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    assert.deepEqual(await cli('--version'), { code: 0, out: `${version}\n`, err: '' });
  });

  it('dispatches to any command in the table, and turns a crash into exit 70', async () => {
    const calls: string[][] = [];
    const extra: Command = { name: 'verify', summary: 's', usage: 'cow-lab verify FILE', details: 'd', run: (args) => (calls.push([...args]), 0) };
    const crash: Command = { name: 'crash', summary: 's', usage: 'u', details: 'd', run: () => { throw new Error('boom'); } };
    const io = new MemoryIo();
    assert.equal(await main(['verify', 'x.cow'], io, [extra, crash]), 0);
    assert.deepEqual(calls, [['x.cow']]);
    assert.equal(await main(['crash'], io, [extra, crash]), 70);
    assert.match(io.err, /internal error \(please report\): Error: boom/);
  });
});

describe('cow-lab as a built binary', function () {
  this.timeout(60_000);
  let dir = '';
  let cliPath = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cow-lab-cli-'));
    cliPath = join(dir, 'cli.js');
    // The same options as scripts/build.mjs uses for dist/cli.js, into a private folder.
    await esbuild.build({ entryPoints: [join(root, 'src/cli/main.ts')], outfile: cliPath, bundle: true, platform: 'node', format: 'cjs', target: 'es2022', banner: { js: '#!/usr/bin/env node' }, logLevel: 'silent' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts with a shebang and runs a sample to the contract', () => {
    assert.ok(readFileSync(cliPath, 'utf8').startsWith('#!/usr/bin/env node\n'));
    const result = spawnSync(process.execPath, [cliPath, 'run', join(root, 'samples', '02-write-fault.cow'), '--json'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(contractProblems(JSON.parse(result.stdout)), []);
  });

  it('reads standard input for - and exits 2 on errors', () => {
    const result = spawnSync(process.execPath, [cliPath, 'check', '-'], { input: 'process a\na: frok b\n', encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.equal(result.stdout, "-:2:4: error: unknown verb 'frok' — did you mean 'fork'?\n");
  });
});

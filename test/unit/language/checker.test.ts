// The checker: every semantic error the engine would refuse is reported before running, once,
// at the exact range of the offending name, with a message that helps.
import * as assert from 'node:assert/strict';
import { analyze, DEFAULT_LIMITS, occurrences, symbolAt, type Diagnostic, type Range } from '../../../src/language';

const r = (line: number, col: number, endCol: number): Range => ({ line, col, endLine: line, endCol });

function diagnostics(source: string): Diagnostic[] {
  return [...analyze(source).diagnostics];
}

function one(source: string): Diagnostic {
  const all = diagnostics(source);
  assert.equal(all.length, 1, `expected one diagnostic, got ${JSON.stringify(all.map((d) => d.message))}`);
  return all[0]!;
}

const BASE = 'process shell\nshell: map heap 8 private\n';

describe('checker: names', () => {
  it('accepts a correct scenario without a word', () => {
    const a = analyze(`${BASE}shell: write heap[0..7]\nshell: fork child\nchild: write heap[1]\nexpect shell heap[0] shared with child\nchild: exit\nexpect child exited\n`);
    assert.deepEqual(a.diagnostics, []);
    assert.equal(a.runnable, true);
  });

  it('reports an unknown process with a suggestion, at the name', () => {
    const d = one(`${BASE}shel: write heap[0]`);
    assert.equal(d.code, 'unknown-process');
    assert.equal(d.message, "unknown process 'shel' — did you mean 'shell'?");
    assert.deepEqual(d.range, r(3, 1, 5));
    assert.equal(d.suggestion, 'shell');
  });

  it('says when a process is used before the line that creates it', () => {
    const d = one('process a\nchild: exit\na: fork child\n');
    assert.equal(d.message, "process 'child' does not exist yet: it is created on line 3");
  });

  it('reports an unknown region with the suggestion from the issue', () => {
    const d = one(`${BASE}shell: write haep[0]`);
    assert.equal(d.code, 'unknown-region');
    assert.equal(d.message, "unknown region 'haep' — did you mean 'heap'?");
    assert.deepEqual(d.range, r(3, 14, 18));
  });

  it('explains a region that another process has, one that was unmapped, and one lost at exec', () => {
    assert.match(one(`${BASE}process other\nother: write heap[0]`).message, /'shell' has one; each process has its own address space/);
    assert.match(one(`${BASE}shell: unmap heap\nshell: read heap[0]`).message, /unmapped from 'shell' on line 3/);
    assert.match(one(`${BASE}shell: exec\nshell: read heap[0]`).message, /empty since the exec on line 3/);
  });

  it('reports a process name used twice, also through fork', () => {
    const d = one('process a\nprocess a\n');
    assert.equal(d.code, 'duplicate-name');
    assert.deepEqual(d.range, r(2, 9, 10));
    assert.equal(one('process a\na: fork a\n').code, 'duplicate-name');
  });

  it('reports a region mapped twice, but allows mapping again after unmap', () => {
    assert.equal(one(`${BASE}shell: map heap 2 shared`).code, 'duplicate-name');
    assert.deepEqual(diagnostics(`${BASE}shell: unmap heap\nshell: map heap 2 shared\nshell: write heap[1]`), []);
  });

  it('reports a checkpoint name used twice and the reserved name "end"', () => {
    assert.equal(one('checkpoint "a"\ncheckpoint "a"').code, 'duplicate-name');
    assert.match(one('checkpoint "end"').message, /every run adds/);
  });

  it('reports one unknown name once, not on every later line', () => {
    const all = diagnostics('ghost: map heap 1\nghost: write heap[0]\nghost: exit\n');
    assert.equal(all.length, 1);
    assert.deepEqual(all[0]?.range, r(1, 1, 6));
  });

  it('stays quiet about names from a line that did not parse (one bad line, one diagnostic)', () => {
    const all = diagnostics('proces shell\nshell: map heap 8\nshell: write heap[0]\n');
    assert.equal(all.length, 1);
    assert.equal(all[0]?.source, 'parser');
    const region = diagnostics('process a\na: map heap 8 privat\na: write heap[0]\n');
    assert.equal(region.length, 1);
  });
});

describe('checker: process life', () => {
  it('reports use after exit, at the process name', () => {
    const d = one(`${BASE}shell: fork child\nchild: exit\nchild: write heap[0]`);
    assert.equal(d.code, 'use-after-exit');
    assert.equal(d.message, "'child' exited on line 4; it can do nothing more");
    assert.deepEqual(d.range, r(5, 1, 6));
  });

  it('reports expectations about pages of an exited process but allows its status', () => {
    assert.equal(one(`${BASE}shell: fork c\nc: exit\nexpect c heap[0] zero`).code, 'use-after-exit');
    assert.equal(one(`${BASE}shell: fork c\nc: exit\nexpect shell heap[0] shared with c`).code, 'use-after-exit');
    assert.deepEqual(diagnostics(`${BASE}shell: fork c\nc: exit\nexpect c exited`), []);
  });

  it('reports actions of a suspended vfork parent until the child execs or exits', () => {
    const d = one(`${BASE}shell: vfork helper\nshell: write heap[0]`);
    assert.equal(d.code, 'process-suspended');
    assert.equal(d.message, "'shell' is suspended by the vfork on line 3 until 'helper' calls exec or exit (CLONE_VFORK)");
    assert.deepEqual(diagnostics(`${BASE}shell: vfork helper\nhelper: exec\nshell: write heap[0]`), []);
    assert.deepEqual(diagnostics(`${BASE}shell: vfork helper\nhelper: exit\nshell: write heap[0]`), []);
  });

  it('lets a vfork child use, map and unmap the borrowed address space, and the parent see it', () => {
    assert.deepEqual(diagnostics(`${BASE}shell: vfork h\nh: write heap[0]\nh: map extra 2\nh: exit\nshell: write extra[1]\nexpect shell suspended`), []);
    assert.equal(one(`${BASE}shell: vfork h\nh: unmap heap\nh: exit\nshell: read heap[0]`).code, 'unknown-region');
  });

  it('gives a forked child a copy of the regions, and an exec an empty space', () => {
    assert.deepEqual(diagnostics(`${BASE}shell: fork c\nshell: unmap heap\nc: write heap[7]`), []);
    assert.equal(one(`${BASE}shell: fork c\nc: exec\nc: write heap[0]`).code, 'unknown-region');
  });

  it('does not cascade from a refused fork', () => {
    const all = diagnostics(`${BASE}shell: vfork h\nshell: fork c\nc: write heap[0]\nc: exit`);
    assert.equal(all.length, 1);
    assert.equal(all[0]?.code, 'process-suspended');
  });
});

describe('checker: pages and limits', () => {
  it('reports a page out of range at the brackets', () => {
    const d = one(`${BASE}shell: write heap[6..8]`);
    assert.equal(d.code, 'page-out-of-range');
    assert.equal(d.message, "page 8 is outside 'heap', which has 8 pages (0..7)");
    assert.deepEqual(d.range, r(3, 18, 24));
    assert.equal(one(`${BASE}expect shell heap[8] zero`).code, 'page-out-of-range');
  });

  it('reports an access to a MADV_DONTFORK hole in the child as a segfault', () => {
    const source = `${BASE}shell: madvise heap[2..3] dontfork\nshell: fork c\n`;
    const d = one(`${source}c: write heap[1..2]`);
    assert.equal(d.code, 'segfault');
    assert.match(d.message, /heap\[2\] is not mapped in 'c'/);
    assert.deepEqual(diagnostics(`${source}c: write heap[0..1]\nc: read heap[4]\nshell: write heap[2]\nexpect c heap[2] absent`), []);
    assert.equal(one(`${source}c: fork g\ng: read heap[3]`).code, 'segfault');
    assert.equal(one(`${source}c: madvise heap[3] normal`).code, 'segfault');
    assert.deepEqual(diagnostics(`${BASE}shell: madvise heap[2..3] dontfork\nshell: madvise heap normal\nshell: fork c\nc: read heap[2]`), []);
  });

  it('refuses wipeonfork on a shared mapping (EINVAL)', () => {
    const d = one('process a\na: map s 2 shared\na: madvise s[0] wipeonfork');
    assert.equal(d.code, 'invalid-advice');
    assert.deepEqual(d.range, r(3, 17, 27));
  });

  it('refuses a region beyond the documented limit, and only once', () => {
    const all = diagnostics(`process a\na: map heap ${DEFAULT_LIMITS.maxRegionPages + 1}\na: write heap[0]`);
    assert.equal(all.length, 1);
    assert.equal(all[0]?.code, 'too-large');
    assert.match(all[0]?.message ?? '', /16 GiB/);
    assert.deepEqual(diagnostics(`process a\na: map heap ${DEFAULT_LIMITS.maxRegionPages}`), []);
  });

  it('refuses more processes than the limit', () => {
    const limits = { ...DEFAULT_LIMITS, maxProcesses: 3 };
    const a = analyze('process a\na: fork b\nb: fork c\nc: fork d\n', limits);
    assert.equal(a.diagnostics.length, 1);
    assert.equal(a.diagnostics[0]?.code, 'too-large');
    assert.equal(a.diagnostics[0]?.range.line, 4);
  });

  it('warns when a page is compared with itself', () => {
    const d = one(`${BASE}expect shell heap[0] shared with shell`);
    assert.equal(d.severity, 'warning');
    assert.equal(analyze(`${BASE}expect shell heap[0] shared with shell`).runnable, true);
  });
});

describe('checker: symbols for editor features', () => {
  const source = `${BASE}shell: fork child\nchild: write heap[1]\nexpect shell heap[1] shared with child\ncheckpoint "done"\n`;
  const { symbols } = analyze(source);

  it('records processes, regions and checkpoints with their definitions', () => {
    assert.deepEqual(symbols.symbols.map((s) => `${s.kind}:${s.name}@${s.definition.line}:${s.definition.col}`), ['process:shell@1:9', 'region:heap@2:12', 'process:child@3:13', 'checkpoint:done@6:12']);
  });

  it('links uses in a fork child back to the region the parent mapped', () => {
    const heap = symbols.symbols.find((s) => s.kind === 'region')!;
    assert.deepEqual(heap.references, [r(4, 14, 18), r(5, 14, 18)]);
    assert.deepEqual(occurrences(heap)[0], r(2, 12, 16));
  });

  it('finds the symbol under a position, definition or reference', () => {
    assert.equal(symbolAt(symbols, 4, 3)?.symbol.name, 'child');
    assert.equal(symbolAt(symbols, 4, 3)?.isDefinition, false);
    assert.equal(symbolAt(symbols, 3, 15)?.isDefinition, true);
    assert.equal(symbolAt(symbols, 5, 34)?.symbol.name, 'child');
    assert.equal(symbolAt(symbols, 5, 1), undefined);
  });
});

// Completion at hand-written cursor positions: what a learner should be offered there.
import * as assert from 'node:assert/strict';
import { completionsAt, type CompletionCandidate } from '../../../src/features/model';
import { atCursor } from './cursor';

function complete(marked: string): CompletionCandidate[] {
  const { source, analysis, line, col } = atCursor(marked);
  return completionsAt(source, analysis, line, col);
}

function labels(marked: string): string[] {
  return complete(marked).map((c) => c.label);
}

const FORKED = 'process shell\nshell: map heap 4 private\nshell: map stack 2 private\nshell: write heap[0..3] "x"\nshell: fork child\n';

describe('features: completion', () => {
  it('offers every verb after `name:`, with the kernel function as detail', () => {
    const items = complete(`${FORKED}child: |`);
    assert.deepEqual(items.map((c) => c.label), ['map', 'unmap', 'read', 'write', 'fork', 'vfork', 'exec', 'exit', 'madvise', 'vmsplice', 'drain', 'pin', 'unpin']);
    assert.match(items.find((c) => c.label === 'fork')?.detail ?? '', /copy_page_range/);
    assert.equal(items.find((c) => c.label === 'write')?.retrigger, true);
  });

  it('replaces the verb being typed', () => {
    const items = complete(`${FORKED}child: wr|`);
    const write = items.find((c) => c.label === 'write');
    assert.deepEqual(write?.replace, { col: 8, endCol: 10 });
  });

  it('offers the processes that can act, then the statement keywords, at the start of a line', () => {
    const got = labels(`${FORKED}|`);
    assert.deepEqual(got, ['child:', 'shell:', 'process', 'checkpoint', 'expect', 'note', 'volume', 'container']);
  });

  it('offers `kernel` only where the header may stand, after `mode` too', () => {
    assert.ok(labels('|').includes('kernel'));
    assert.ok(labels('mode cow\n|').includes('kernel'));
    assert.ok(!labels('process a\n|').includes('kernel'));
    assert.ok(!labels('kernel 4.19\n|').includes('kernel'));
  });

  it('offers `mode` only where the header may stand', () => {
    assert.ok(labels('|').includes('mode'));
    assert.ok(labels('# a comment first\n|').includes('mode'));
    assert.ok(!labels('process a\n|').includes('mode'));
    assert.deepEqual(labels('mode |'), ['cow', 'eager']);
  });

  it('leaves out processes that exited and a vfork parent while it is suspended', () => {
    assert.deepEqual(labels(`${FORKED}child: exit\n|`).filter((l) => l.endsWith(':')), ['shell:']);
    assert.deepEqual(labels('process shell\nshell: vfork helper\n|').filter((l) => l.endsWith(':')), ['helper:']);
    assert.deepEqual(labels('process shell\nshell: vfork helper\nhelper: exec\n|').filter((l) => l.endsWith(':')), ['helper:', 'shell:']);
  });

  it('offers the regions of that process at that line, not those of others or of later lines', () => {
    assert.deepEqual(labels(`${FORKED}child: write |`), ['heap', 'stack']);
    assert.deepEqual(labels(`${FORKED}child: exec\nchild: write |`), []);
    assert.deepEqual(labels(`${FORKED}shell: unmap |\nshell: map late 1`), ['heap', 'stack']);
    const unmapped = `${FORKED}shell: unmap stack\nshell: read |`;
    assert.deepEqual(labels(unmapped), ['heap']);
  });

  it('inserts a region with a page placeholder where pages fit, bare after unmap', () => {
    assert.equal(complete(`${FORKED}child: read |`).find((c) => c.label === 'heap')?.insertText, 'heap[${1:0}]');
    assert.equal(complete(`${FORKED}child: unmap |`).find((c) => c.label === 'heap')?.insertText, 'heap');
  });

  it('offers page ranges inside brackets: the whole region first, then each page', () => {
    assert.deepEqual(labels(`${FORKED}child: write heap[|`), ['0..3', '0', '1', '2', '3']);
    assert.deepEqual(labels(`${FORKED}child: write heap[2..|`), ['2', '3']);
    assert.deepEqual(labels(`${FORKED}expect child stack[|`), ['0..1', '0', '1']);
  });

  it('lists the first pages and the last of a huge region', () => {
    const got = labels('process a\na: map big 2 GiB\na: read big[|');
    assert.equal(got[0], '0..524287');
    assert.equal(got.length, 18);
    assert.equal(got[got.length - 1], '524287');
  });

  it('offers madvise advice after the pages', () => {
    assert.deepEqual(labels(`${FORKED}shell: madvise heap[0..1] |`), ['dontfork', 'wipeonfork', 'normal']);
    assert.deepEqual(labels(`${FORKED}shell: madvise heap |`), ['dontfork', 'wipeonfork', 'normal']);
  });

  it('offers region kinds and size units after a map size', () => {
    assert.deepEqual(labels('process a\na: map heap 8 |'), ['private', 'shared', 'pages', 'KiB', 'MiB', 'GiB']);
    assert.deepEqual(labels('process a\na: map heap 2 MiB |'), ['private', 'shared']);
    assert.deepEqual(labels('process a\na: map |'), []);
  });

  it('offers counters and processes after `expect`, counters as `counter == N` snippets', () => {
    const items = complete(`${FORKED}expect |`);
    assert.deepEqual(items.slice(0, 4).map((c) => c.label), ['copies', 'frames', 'faults', 'reuses']);
    assert.equal(items.find((c) => c.label === 'copies')?.insertText, 'copies == ${1:0}');
    assert.deepEqual(items.filter((c) => c.kind === 'process').map((c) => c.label), ['child', 'shell']);
  });

  it('offers comparisons after a counter and ? after a comparison', () => {
    assert.deepEqual(labels('expect copies |'), ['==', '!=', '<', '<=', '>', '>=']);
    assert.deepEqual(labels('expect copies == |'), ['?']);
  });

  it('offers regions and statuses after `expect NAME`; only statuses once it exited', () => {
    assert.deepEqual(labels(`${FORKED}expect child |`), ['heap', 'stack', 'rss', 'pss', 'uss', 'running', 'suspended', 'exited']);
    assert.deepEqual(labels(`${FORKED}child: exit\nexpect child |`), ['running', 'suspended', 'exited']);
  });

  it('offers comparisons after a memory figure and ? after its comparison (issue 17)', () => {
    assert.equal(complete(`${FORKED}expect child |`).find((c) => c.label === 'pss')?.insertText, 'pss == ${1:0}');
    assert.deepEqual(labels(`${FORKED}expect child rss |`), ['==', '!=', '<', '<=', '>', '>=']);
    assert.deepEqual(labels(`${FORKED}expect child pss <= |`), ['?']);
  });

  it('offers page claims after the pages, `shared with` naming the processes that have the region', () => {
    const got = labels(`${FORKED}expect shell heap[1] |`);
    assert.deepEqual(got.slice(0, 2), ['shared with child', 'private']);
    for (const claim of ['zero', 'cow', 'writable', 'not', 'frame ==', '== "…"']) assert.ok(got.includes(claim), claim);
    assert.deepEqual(labels(`${FORKED}expect shell heap[1] not |`).slice(0, 2), ['shared with child', 'private']);
    assert.ok(!labels(`${FORKED}expect shell heap[1] not |`).includes('not'));
  });

  it('offers the other processes after `shared with`', () => {
    assert.deepEqual(labels(`${FORKED}expect shell heap[1] shared with |`), ['child']);
    assert.deepEqual(labels(`${FORKED}expect shell heap[1] shared |`), ['with']);
  });

  it('offers nothing inside comments, strings, or new names', () => {
    assert.deepEqual(labels(`${FORKED}# shell: |`), []);
    assert.deepEqual(labels(`${FORKED}shell: write heap[0] "sh|`), []);
    assert.deepEqual(labels(`${FORKED}note "|`), []);
    assert.deepEqual(labels(`${FORKED}process |`), []);
    assert.deepEqual(labels(`${FORKED}shell: fork |`), []);
  });

  it('works on a line that does not parse yet, and with unknown names', () => {
    assert.deepEqual(labels(`${FORKED}nobody: write |`), []);
    assert.ok(labels(`shel: |`).includes('write'));
  });
  it('offers a volume\'s files where a storage statement or a block claim names one (`disk: write |`, `expect disk |`)', () => {
    const disk = 'volume disk xfs\ndisk: create log 16 "a"\ndisk: reflink log copy\n';
    // Files made before the cursor's line, in the order they were made, each with its size and a block to fill in.
    for (const marked of [`${disk}disk: write |`, `${disk}expect disk |`]) {
      const files = complete(marked).filter((c) => c.kind === 'region');
      assert.deepEqual(files.map((c) => [c.label, c.detail, c.insertText]), [['log', 'file of 16 blocks in disk', 'log[${1:0}]'], ['copy', 'file of 16 blocks in disk', 'copy[${1:0}]']], marked);
    }
    // A name that is no volume or container is left to the memory completion: no files offered.
    assert.deepEqual(labels(`${disk}expect nobody |`).filter((l) => l === 'log' || l === 'copy'), []);
  });
});

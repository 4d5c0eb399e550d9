// The language forms for kernel eras, pipes, pins and huge regions: exactly the core syntax,
// their diagnostics, and what a run gives. Expected values are worked by hand in the comments.

import * as assert from 'node:assert/strict';
import { formatScenario } from '../../../src/features/model/format';
import { analyze, parse, runScenario } from '../../../src/language';

function codes(source: string): string[] {
  return analyze(source).diagnostics.map((d) => `${d.range.line}:${d.code}`);
}

const STORY = `process parent
parent: map heap 1 private
parent: write heap[0] "old"
parent: fork child
child: vmsplice heap[0] leak
child: exit
parent: write heap[0] "new"
`;

describe('language: kernel eras, pipes, pins, huge regions', () => {
  it('parses every core form exactly as written', () => {
    const p = parse(`kernel 4.19
process P
P: map R 1024 private huge
P: write R[0..3] "x"
P: vmsplice R[0..1] PIPE
P: drain PIPE
P: pin R[2..3]
P: unpin R[2..3]
expect P R[0] refcount == 1
expect P R[0] mapcount == 1
expect P R[0] exclusive
expect P R[0] not exclusive
expect PIPE[0] == "x"
`);
    assert.deepEqual(p.diagnostics, []);
    assert.deepEqual(p.kernel?.version, { text: '4.19', major: 4, minor: 19, range: p.kernel?.version.range });
    const kinds = p.statements.map((s) => (s.kind === 'expect' ? `expect:${s.claim.kind}` : s.kind));
    assert.deepEqual(kinds, ['kernel', 'process', 'map', 'write', 'vmsplice', 'drain', 'pin', 'unpin', 'expect:count', 'expect:count', 'expect:block-property', 'expect:block-property', 'expect:pipe-value']);
    const map = p.statements[2];
    assert.ok(map?.kind === 'map' && map.huge !== undefined && map.pages === 1024 && map.regionKind === 'private');
  });

  it('refuses a kernel header in the wrong place, twice, or not a version', () => {
    assert.deepEqual(codes('process a\nkernel 5.10'), ['2:kernel-position']);
    assert.deepEqual(codes('kernel 5.10\nkernel 6.1'), ['2:duplicate-kernel']);
    assert.deepEqual(codes('kernel 4'), ['1:bad-kernel']);
    assert.deepEqual(codes('kernel 2.6'), ['1:bad-kernel']);
    assert.deepEqual(codes('mode cow\nkernel 5.10\nprocess a'), []);
    // A version is not a page number.
    assert.deepEqual(codes('process a\na: map h 4.5'), ['2:bad-number']);
  });

  it('reports drain of an unknown pipe, an overfull pipe, unpin of unpinned pages, a pipe read past its end', () => {
    assert.deepEqual(codes('process a\na: drain nothing'), ['2:unknown-pipe']);
    assert.deepEqual(codes('process a\na: map h 20\na: vmsplice h[0..15] p\na: vmsplice h[16] p'), ['4:pipe-full']);
    assert.deepEqual(codes('process a\na: map h 20\na: vmsplice h[0..15] p\na: drain p\na: vmsplice h[16] p'), []);
    assert.deepEqual(codes('process a\na: map h 2\na: pin h[0]\na: unpin h[0..1]'), ['4:not-pinned']);
    assert.deepEqual(codes('process a\na: map h 2\na: pin h[0]\na: exit\nprocess b\nb: map h 1\nb: unpin h[0]'), ['7:not-pinned']);
    assert.deepEqual(codes('process a\na: map h 2\na: vmsplice h[0] p\nexpect p[1] == ""'), ['4:page-out-of-range']);
    assert.deepEqual(codes('process a\nexpect p[0] == ""'), ['2:unknown-pipe']);
  });

  it('reports a huge region that is not whole 2 MiB pages, and shared huge', () => {
    assert.deepEqual(codes('process a\na: map h 100 private huge'), ['2:bad-huge']);
    assert.deepEqual(codes('process a\na: map h 2 MiB shared huge'), ['2:bad-huge']);
    assert.deepEqual(codes('process a\na: map h 2 MiB private huge'), []);
  });

  it('warns that `exclusive` never holds on a kernel before 5.19', () => {
    const d = analyze('kernel 5.15\nprocess a\na: map h 1\na: write h[0]\nexpect a h[0] exclusive').diagnostics;
    assert.deepEqual(d.map((x) => `${x.code}:${x.severity}`), ['other-era:warning']);
    assert.match(d[0]?.message ?? '', /PageAnonExclusive arrived in 5\.19/);
  });

  it('runs the vmsplice story by each era: the pipe reads "old" today, "new" (the leak) under 4.19', () => {
    const today = runScenario(`${STORY}expect leak[0] == "old"\nexpect copies == 1\nexpect parent heap[0] exclusive\n`);
    assert.ok(today.ok);
    assert.deepEqual(today.run.expectations.map((e) => e.passed), [true, true, true]);
    const old = runScenario(`kernel 4.19\n${STORY}expect leak[0] == "new"\nexpect copies == 0\nexpect parent heap[0] mapcount == 1\n`);
    assert.ok(old.ok);
    assert.deepEqual(old.run.expectations.map((e) => e.message), [
      'leak[0] == "new" — ok (leak[0] reads "new")',
      'copies == 0 — ok (copies is 0)',
      'parent heap[0] mapcount == 1 — ok (parent heap[0] is frame 1, mapcount 1)',
    ]);
  });

  it('answers refcount questions with the references broken down', () => {
    // After the child's vmsplice and exit: parent maps frame 1, the pipe holds it: 2 references.
    const r = runScenario(`${STORY.split('parent: write heap[0] "new"')[0]}expect parent heap[0] refcount == ?\n`);
    assert.ok(r.ok);
    assert.equal(r.run.expectations[0]?.message, 'question: parent heap[0] refcount == ? — answer: 2');
    const f = runScenario(`${STORY.split('parent: write heap[0] "new"')[0]}expect parent heap[0] refcount == 1\n`);
    assert.ok(f.ok);
    assert.equal(f.run.expectations[0]?.message, 'expected parent heap[0] refcount == 1, but parent heap[0] is frame 1, refcount 2 (1 mapping, 1 pipe page)');
  });

  it('formats the new forms without changing them', () => {
    const messy = 'kernel   4.19\nprocess p\np:  map r 512   private huge\np: vmsplice  r[0 .. 1]   q\nexpect  q[ 0 ]  ==  ""\n';
    assert.equal(formatScenario(messy), 'kernel 4.19\nprocess p\np: map r 512 private huge\np: vmsplice r[0..1] q\nexpect q[0] == ""\n');
  });
});

// `expect P rss|pss|uss OP N` and `== ?` (issue 17): parsing, errors at the right word, and
// evaluation. The figures are worked by hand in the comments (see test/unit/engine/memory.test.ts
// for the engine's own cases).
import * as assert from 'node:assert/strict';
import { analyze, runScenario } from '../../../src/language';

// p writes 4 pages (frames 1..4) and forks c; c writes heap[0] (frame 5).
// After the fork: RSS 4, PSS 4 × 1/2 = 2, USS 0 for both. After c's write: RSS 4, PSS 1 + 3/2 = 2.5, USS 1.
const BASE = 'process p\np: map heap 4 private\np: write heap[0..3]\np: fork c\n';

function results(source: string): { line: number; passed: boolean; question: boolean; actual: number | string; message: string }[] {
  const outcome = runScenario(source);
  assert.ok(outcome.ok, JSON.stringify(outcome.ok ? [] : outcome.diagnostics.map((d) => d.message)));
  return outcome.run.expectations.map((e) => ({ line: e.line, passed: e.passed, question: e.question, actual: e.actual, message: e.message }));
}

describe('expect: rss, pss, uss (issue 17)', () => {
  it('the fixed forms hold on a hand-worked fork', () => {
    const r = results(`${BASE}expect c rss == 4\nexpect c pss == 2\nexpect c uss == 0\nc: write heap[0]\nexpect c pss == 2.5\nexpect p pss == 2.50\nexpect c uss == 1\nexpect p rss == 4\n`);
    assert.deepEqual(r.map((x) => x.passed), [true, true, true, true, true, true, true]);
    assert.equal(r[3]?.message, 'c pss == 2.5 — ok (c pss is 2.5 pages)');
  });

  it('every comparison operator, compared exactly', () => {
    const r = results(`${BASE}c: write heap[0]\nexpect c pss < 2.6\nexpect c pss <= 2.5\nexpect c pss > 2.4999\nexpect c pss >= 3\nexpect c rss != 4\nexpect c uss > 0\n`);
    assert.deepEqual(r.map((x) => x.passed), [true, true, true, false, false, true]);
    assert.equal(r[3]?.message, 'expected c pss >= 3, but c pss is 2.5 pages');
  });

  it('a third of a page: 1/3 is not 0.333333, and the message shows the fraction', () => {
    // p writes 1 page and forks a, b: PSS 1/3 each.
    const r = results('process p\np: map h 1\np: write h[0]\np: fork a\np: fork b\nexpect b pss == 0.333333\nexpect b pss > 0.333333\nexpect b pss < 0.333334\n');
    assert.deepEqual(r.map((x) => x.passed), [false, true, true]);
    assert.equal(r[0]?.message, 'expected b pss == 0.333333, but b pss is 1/3 (0.333333) pages');
  });

  it('== ? is a question answered by the run', () => {
    const r = results(`${BASE}expect c rss == ?\nexpect p pss == ?\nc: write heap[0]\nexpect c pss == ?\n`);
    assert.deepEqual(r.map((x) => [x.question, x.actual]), [[true, 4], [true, 2], [true, 2.5]]);
    assert.equal(r[2]?.message, 'question: c pss == ? — answer: 2.5');
  });

  it('reports mistakes on the word at fault', () => {
    const diag = (line: string) => analyze(`${BASE}${line}\n`).diagnostics.map((d) => `${d.range.col}-${d.range.endCol} ${d.message}`);
    assert.deepEqual(diag('expect c rss == 2.5'), ['17-20 rss counts whole pages: write a whole number (only pss can be a fraction)']);
    assert.deepEqual(diag('expect c pss < ?'), ["14-15 a question asks with '==': write 'expect c pss == ?'"]);
    assert.match(diag('expect c pss = 2')[0] ?? '', /^14-15 use '==' to compare/);
    assert.match(diag('expect nobody rss == 1')[0] ?? '', /nobody/);
    assert.match(diag('expect c pss ==')[0] ?? '', /expected the expected pss in pages, a number such as 3 or 2.5/);
  });

  it('refuses an exited process, and keeps page ranges and whole numbers elsewhere', () => {
    const exited = analyze(`${BASE}c: exit\nexpect c rss == 0\n`).diagnostics;
    assert.equal(exited.length, 1);
    assert.match(exited[0]?.message ?? '', /exited/);
    assert.match(analyze(`${BASE}p: write heap[1.5]\n`).diagnostics[0]?.message ?? '', /a whole number \(got 1.5\)/);
    assert.deepEqual(analyze(`${BASE}p: write heap[1..3]\n`).diagnostics, []);
    assert.deepEqual(analyze(`${BASE}expect copies == 0\n`).diagnostics, []);
  });

  it('a region called rss is still a region when no comparison follows', () => {
    assert.deepEqual(analyze('process p\np: map rss 2 private\np: write rss[0]\nexpect p rss[0] private\nexpect p rss == 1\n').diagnostics, []);
  });
});

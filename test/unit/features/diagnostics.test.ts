// Diagnostics in the editor: parser and checker problems at exact ranges, and — after a run —
// each failed `expect` with the actual value, worked out by hand below.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/language';
import { RUN_AS_YOU_TYPE_BUDGET, runCost, scenarioDiagnostics } from '../../../src/features/model';

// By hand: 4 written pages (4 frames, 4 faults); fork copies 4 entries, no page; the child's
// write to heap[1] copies one frame (5 frames); heap[2] stays shared, heap[1] is private to each.
const WRONG = `process shell
shell: map heap 4 private
shell: write heap[0..3] "x"
shell: fork child
child: write heap[1] "mine"
expect copies == 2
expect frames == 5
expect child heap[1] shared with shell
expect shell heap[1] == "mine"
expect child heap[2] == ?
`;

describe('features: diagnostics', () => {
  it('marks every failed expectation on its claim, with the actual value', () => {
    const found = scenarioDiagnostics(WRONG).map((d) => ({ line: d.range.line, col: d.range.col, endCol: d.range.endCol, code: d.code, actual: d.actual, message: d.message }));
    assert.deepEqual(found.map((d) => [d.line, d.col, d.endCol, d.code]), [
      [6, 8, 19, 'expect-failed'],
      [8, 8, 39, 'expect-failed'],
      [9, 8, 31, 'expect-failed'],
    ]);
    assert.equal(found[0]?.actual, 1);
    assert.match(found[0]?.message ?? '', /copies == 2.*copies is 1/);
    assert.match(found[1]?.message ?? '', /child heap\[1\] is frame \d+ .*shell heap\[1\] is frame \d+/);
    assert.equal(found[2]?.actual, '"x"');
    assert.match(found[2]?.message ?? '', /"x"/);
  });

  it('does not run a scenario with errors, and reports the errors at exact ranges', () => {
    const source = 'process shell\nshell: map heap 4\nshell: wirte heap[1]\nchild: write heap[0]\nexpect copies == 9\n';
    const found = scenarioDiagnostics(source);
    assert.deepEqual(found.map((d) => [d.range.line, d.range.col, d.range.endCol, d.code, d.suggestion]), [
      [3, 8, 13, 'unknown-verb', 'write'],
      [4, 1, 6, 'unknown-process', undefined],
    ]);
  });

  it('can leave the run out', () => {
    assert.deepEqual(scenarioDiagnostics(WRONG, { runExpectations: false }), []);
  });

  it('has nothing to say about a scenario whose expectations hold', () => {
    const right = WRONG.replace('copies == 2', 'copies == 1').replace('heap[1] shared', 'heap[2] shared').replace('== "mine"', '== "x"');
    assert.deepEqual(scenarioDiagnostics(right), []);
  });

  it('counts the page operations of a run, by hand: accesses, fork copies, teardown, page claims', () => {
    // 9 statements + write 4 + fork 4 (heap has 4 pages) + write 1 + exit 4 + expect 2 + unmap 4 = 28.
    const source = 'process a\na: map heap 4\na: write heap\na: fork b\nb: write heap[1]\nb: exit\nexpect a heap[0..1] private\nexpect copies == 1\na: unmap heap\n';
    assert.equal(runCost(analyze(source).program), 28);
  });

  it('does not run, as you type, a scenario too costly to run on the editor’s thread, and says so', () => {
    const huge = 'process a\na: map big 16 GiB\na: write big\nexpect copies == 99\n';
    assert.ok(runCost(analyze(huge).program) > RUN_AS_YOU_TYPE_BUDGET);
    const found = scenarioDiagnostics(huge);
    assert.deepEqual(found.map((d) => [d.range.line, d.severity, d.code]), [[4, 'info', 'not-run']]);
    assert.match(found[0]?.message ?? '', /cow-lab run/);
    const smallBudget = scenarioDiagnostics(WRONG, { runExpectations: true, runBudget: 5 });
    assert.deepEqual(smallBudget.map((d) => d.code), ['not-run']);
  });
});

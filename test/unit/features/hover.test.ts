// Hover text: verbs say what they do, the kernel function they model and a two-line example;
// names say where and by which statement they were made.
import * as assert from 'node:assert/strict';
import { analyze, VERBS } from '../../../src/language';
import { hoverAt, type HoverInfo } from '../../../src/features/model';
import { positionOf } from './cursor';

const SCENARIO = `mode cow
process shell
shell: map heap 8 private
shell: write heap[0..7] "x"
shell: fork child
child: write heap[1] "mine"
shell: madvise heap[0] wipeonfork
checkpoint "after fork"
expect copies == 1
expect child heap[1] private
expect shell running
`;
const analysis = analyze(SCENARIO);

function hover(word: string, nth = 0): HoverInfo | undefined {
  const p = positionOf(SCENARIO, word, nth);
  return hoverAt(SCENARIO, analysis, p.line, p.col + 1);
}

describe('features: hover', () => {
  it('explains a verb: what it does, the kernel function, a two-line example', () => {
    const info = hover('fork') ?? assert.fail('no hover on fork');
    assert.match(info.markdown, /^\*\*fork\*\* — Create a child with a copy of the page tables/);
    assert.match(info.markdown, /Models `copy_process → dup_mm → dup_mmap → copy_page_range → copy_present_ptes \(copy_present_pte before 6\.9\)`/);
    const example = /```cow\n(.*)\n(.*)\n```/.exec(info.markdown);
    assert.ok(example, 'a two-line cow code block');
    assert.deepEqual(info.range, { line: 5, col: 8, endLine: 5, endCol: 12 });
  });

  it('explains the verb of a line still being typed (it does not parse yet)', () => {
    const source = 'process a\na: map';
    assert.match(hoverAt(source, analyze(source), 2, 5)?.markdown ?? '', /^\*\*map\*\*/);
  });

  it('has a hover for every verb', () => {
    for (const verb of VERBS) {
      const source = `process a\na: map heap 1\na: ${verb} heap`;
      const info = hoverAt(source, analyze(source), 3, 5);
      assert.ok(info?.markdown.startsWith(`**${verb}**`), verb);
    }
  });

  it('tells where a process was made and by which statement', () => {
    const info = hover('child', 2) ?? assert.fail('no hover on child');
    assert.match(info.markdown, /\*\*child\*\* \(process\)/);
    assert.match(info.markdown, /on line 5 by `shell: fork child`/);
    assert.match(info.markdown, /fork child/);
    assert.match(info.markdown, /Used 2 more times/);
  });

  it('tells where a region was mapped, by whom, and who inherited it', () => {
    const info = hover('heap', 2) ?? assert.fail('no hover on heap');
    assert.match(info.markdown, /\*\*heap\*\* \(region: 8 private pages\)/);
    assert.match(info.markdown, /Mapped by `shell` on line 3 by `shell: map heap 8 private`/);
    assert.match(info.markdown, /Also used by `child`, which inherited it/);
  });

  it('explains keywords, counters, advice, statuses, region kinds, the mode and checkpoints', () => {
    assert.match(hover('expect')?.markdown ?? '', /^\*\*expect\*\*/);
    assert.match(hover('copies')?.markdown ?? '', /frames filled by copying/);
    assert.match(hover('wipeonfork')?.markdown ?? '', /MADV_WIPEONFORK/);
    assert.match(hover('running')?.markdown ?? '', /can act/);
    assert.match(hover('private')?.markdown ?? '', /MAP_PRIVATE/);
    assert.match(hover('private', 1)?.markdown ?? '', /exactly one page-table entry/);
    assert.match(hover('cow')?.markdown ?? '', /mode cow/);
    assert.match(hover('8')?.markdown ?? '', /8 pages\*\* of 4 KiB \(32 KiB\)/);
    assert.match(hover('after fork')?.markdown ?? '', /\*\*after fork\*\* \(checkpoint\)/);
  });

  it('says nothing on strings, comments and blank space', () => {
    assert.equal(hover('mine'), undefined);
    assert.equal(hoverAt(SCENARIO, analysis, 12, 1), undefined);
  });
});

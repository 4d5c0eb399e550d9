// The host's memory view for the panel (src/panel/memoryView.ts), on samples/02-write-fault.cow's
// shape worked by hand: parent writes heap[0..3] (frames 1–4), forks child, child writes heap[1]
// (copy in frame 5). Each: RES 4, PSS 1 + 3/2 = 2.5, USS 1; RES adds up to 8, frames in use 5.
import * as assert from 'node:assert/strict';
import { runScenario } from '../../../src/language';
import { memoryPanelView } from '../../../src/panel/memoryView';

const SOURCE = 'process parent\nparent: map heap 4 private\nparent: write heap[0..3] "original"\nparent: fork child\nchild: write heap[1] "mine"\n';

describe('panel host: memory view', () => {
  it('gives each process its figures, the sentence, and the sums', () => {
    const outcome = runScenario(SOURCE);
    assert.ok(outcome.ok);
    const view = memoryPanelView(outcome.run.timeline.latest);
    assert.deepEqual(view.processes.map((p) => [p.name, p.rss, p.pssText, p.uss, p.colour]), [['parent', 4, '2.5', 1, 0], ['child', 4, '2.5', 1, 1]]);
    assert.equal(view.processes[1]?.why, 'RES counts the 3 frames it shares with parent in full; PSS gives it half of each; USS counts only the 1 mapped by child alone.');
    assert.deepEqual([view.rssSum, view.pssSum, view.ussSum, view.frames], [8, 5, 2, 5]);
    assert.equal(view.summary, 'Adding up RES gives 8 pages (32 KiB), but only 5 pages (20 KiB) of frames are in use: top counts a shared frame once for every process that maps it. PSS adds up to each frame once.');
  });

  it('right after fork: RES in full, PSS half, USS zero', () => {
    const outcome = runScenario('process redis\nredis: map data 4 private\nredis: write data[0..3]\nredis: fork child\n');
    assert.ok(outcome.ok);
    const view = memoryPanelView(outcome.run.timeline.latest);
    assert.equal(view.processes[1]?.why, 'RES counts the 4 frames it shares with redis in full; PSS gives it half of each; USS is 0: nothing is its alone.');
  });
});

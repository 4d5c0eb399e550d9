// munmap's sentence counts the frames it freed. Worked by hand: p writes 4 pages (frames 1-4)
// and forks c, so both map them; c's munmap drops c's entries only (p still maps every frame:
// none freed); p's munmap then drops the last mapping of each (all 4 freed).
import * as assert from 'node:assert/strict';
import { run } from './helpers';

describe('engine: the unmap explanation', () => {
  it('says how many frames munmap freed', () => {
    const setup = [
      { op: 'spawn', process: 'p' },
      { op: 'map', process: 'p', region: 'r', pages: 4, kind: 'private' },
      { op: 'write', process: 'p', region: 'r', first: 0, last: 3 },
    ] as const;
    const alone = run([...setup, { op: 'unmap', process: 'p', region: 'r' }]);
    assert.equal(alone.last.explanation, 'p unmapped r: zap_pte_range dropped its entries, 4 frames freed.');
    assert.equal(alone.machine.stats.frames, 0);

    const forked = run([...setup, { op: 'fork', process: 'p', child: 'c' }, { op: 'unmap', process: 'c', region: 'r' }]);
    assert.equal(forked.last.explanation, 'c unmapped r: zap_pte_range dropped its entries, no frame freed.');
    const last = run([{ op: 'unmap', process: 'p', region: 'r' }], 'cow', forked.machine);
    assert.equal(last.last.explanation, 'p unmapped r: zap_pte_range dropped its entries, 4 frames freed.');
  });
});

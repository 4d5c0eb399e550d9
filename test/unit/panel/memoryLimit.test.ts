// The panel with a `memory N` header: the step that OOM-kills is marked as such, the cost section
// says how many of the machine's frames are in use and who was killed, and the full copy's replay
// stops at a fork that does not fit, saying why. Values worked by hand in the scenario's comments.
import * as assert from 'node:assert/strict';
import { runForPanel } from '../../../src/panel/scenarioRun';
import { PanelModel } from '../../../src/panel/stepModel';

// memory 12: db has 8 frames; a full copy at fork would need 8 more and only 4 are free (ENOMEM).
// Copy-on-write forks; db rewrites pages 0..4: four copies fill the 12 frames, the fifth finds
// none. Scores db 8 + 1 page-table page = 9, saver 8 + 1 = 9: the tie goes to saver (later), which
// alone held 4 old frames: 12 − 4 = 8, and db's fifth copy frees page 4's old frame: 8 frames.
const SOURCE = `memory 12
process db
db: map data 8 private
db: write data "row"
db: fork saver
db: write data[0..4] "new"
expect saver killed
`;

function model(): PanelModel {
  const attempt = runForPanel(SOURCE, 'oom.cow', 3);
  assert.ok(attempt.ok);
  return new PanelModel(attempt.run);
}

describe('panel: memory N', () => {
  it('marks the write that OOM-kills and says what happened to the machine’s frames', () => {
    const m = model();
    const write = m.stepView(4, false);
    assert.equal(write.statement, 'db: write data[0..4] "new"');
    assert.equal(write.kind, 'oom-kill');
    assert.match(write.explanation, /kills saver with SIGKILL/);
    assert.equal(
      write.memoryLimit,
      'Memory: 8 of 12 frames in use (peak 12), no swap · OOM killer: saver killed (9 points) · Full copy: fork failed with ENOMEM on line 5, needing 8 free frames with 4 free, so it has no columns here.',
    );
    // Before the fork nothing has failed yet: frames only.
    assert.equal(m.stepView(2, false).memoryLimit, 'Memory: 8 of 12 frames in use (peak 8), no swap.');
    // The full copy stopped, so the stats have no full-copy column.
    assert.equal(write.stats.comparison, null);
  });

  it('without the header there is no memory line', () => {
    const attempt = runForPanel(SOURCE.replace('memory 12\n', ''), 'free.cow', 4);
    assert.ok(attempt.ok);
    assert.equal(new PanelModel(attempt.run).stepView(4, false).memoryLimit, undefined);
  });
});

// Predict mode and `== ?` questions for storage, against answers worked by hand.
//
// The scenario below, step by step (block ids are handed out 1, 2, 3, … and never reused):
//   1 create log 16 on btrfs: blocks 1–16, one extent; 16 in use.
//   2 snapshot snap: shares all 16 (btrfs_ioctl_snap_create): 0 copied, 16 in use.
//   3 snap: write log[3]: the block is shared, btrfs writes copy-on-write to a new extent:
//     snap log[3] moves 4 → 17; 0 copied (new data is written, nothing is copied); 17 in use.
//   4 snap: write log[3] again: now exclusive, but btrfs still writes to a new extent (it does
//     not overwrite data in place): 17 → 18, and 17 is freed (its one-block extent is
//     unreferenced): 17 in use.
//   5 volume x xfs; 6 create f 4: blocks 19–22; 21 in use.
//   7 x: write f[0]: exclusive on XFS: overwritten in place, stays 19; 21 in use.
//   8 reflink f g: shares 19–22, 0 copied; 21 in use.
//   9 x: write g[1]: shared on XFS: a new block (23) for g; 22 in use.
//  10 volume img ext4; 11 create app 8: blocks 24–31; 30 in use. 12 volume up ext4.
//  13 container web img up.
//  14 web: write app[2]: the first write copies app up — ext4 cannot clone, so all 8 blocks are
//     copied (32–39), then the write goes to the copy in place: app[2] was block 26 (lower),
//     now 34 (upper): a new block; 8 copied; 38 in use.
//  15 web: write app[3]: already up; ext4 overwrites in place: not copied up, not a new block.
import * as assert from 'node:assert/strict';
import { runScenario } from '../../../src/language';
import { expectQuestions, predictStep } from '../../../src/tutorial';

const SCENARIO = `volume data btrfs
data: create log 16 "v1"
data: snapshot snap
snap: write log[3] "x"
snap: write log[3] "x2"
volume x xfs
x: create f 4 "a"
x: write f[0] "b"
x: reflink f g
x: write g[1] "c"
volume img ext4
img: create app 8 "code"
volume up ext4
container web img up
web: write app[2] "z"
web: write app[3] "y"
`;

function answers(stepIndex: number): Record<string, boolean | number | string> {
  const outcome = runScenario(SCENARIO);
  assert.ok(outcome.ok);
  return Object.fromEntries(predictStep(outcome.run, stepIndex).map((p) => [p.question.kind, p.solution.answer]));
}

describe('tutorial: predict mode for storage', () => {
  it('create: how many blocks in use', () => {
    assert.deepEqual(answers(1), { 'blocks-after': 16 });
  });

  it('a btrfs snapshot copies nothing', () => {
    assert.deepEqual(answers(2), { 'blocks-copied': 0, 'blocks-after': 16 });
  });

  it('a write to a shared btrfs block goes to a new block; so does a write to an exclusive one', () => {
    assert.deepEqual(answers(3), { 'new-block': true, 'blocks-copied': 0, 'blocks-after': 17 });
    assert.deepEqual(answers(4), { 'new-block': true, 'blocks-copied': 0, 'blocks-after': 17 });
  });

  it('XFS: an exclusive block is overwritten in place, a reflinked (shared) one moves', () => {
    assert.deepEqual(answers(7), { 'new-block': false, 'blocks-copied': 0, 'blocks-after': 21 });
    assert.deepEqual(answers(8), { 'blocks-copied': 0, 'blocks-after': 21 });
    assert.deepEqual(answers(9), { 'new-block': true, 'blocks-copied': 0, 'blocks-after': 22 });
  });

  it('overlayfs on ext4: the first write copies the whole file up, the next one does not', () => {
    assert.deepEqual(answers(14), { 'copied-up': true, 'new-block': true, 'blocks-copied': 8, 'blocks-after': 38 });
    assert.deepEqual(answers(15), { 'copied-up': false, 'new-block': false, 'blocks-copied': 0, 'blocks-after': 38 });
  });

  it('explains with the kernel function the storage model names', () => {
    const outcome = runScenario(SCENARIO);
    assert.ok(outcome.ok);
    const up = predictStep(outcome.run, 14).find((p) => p.question.kind === 'copied-up');
    assert.match(up?.solution.explanation ?? '', /ovl_copy_up/);
    assert.match(up?.question.prompt ?? '', /^Will `web: write app\[2\]` copy app up/);
  });
});

describe('tutorial: `== ?` questions about file blocks', () => {
  it('asks for a file block\'s physical block and value, answered from the storage model', () => {
    const source = `${SCENARIO}expect snap log[3] block == ?\nexpect data log[3] == ?\nexpect snap log[3] == ?\nexpect web app[2] block == ?\n`;
    const outcome = expectQuestions(source);
    assert.ok(outcome.ok);
    const got = outcome.questions.map((q) => `${q.claim}=${q.solution.answerText}`);
    // From the worked steps above: snap log[3] is block 18 holding "x2"; data log[3] still block 4, "v1"; web app[2] is 34.
    assert.deepEqual(got, ['snap log[3] block == ?=18', 'data log[3] == ?="v1"', 'snap log[3] == ?="x2"', 'web app[2] block == ?=34']);
    assert.match(outcome.questions[0]?.solution.explanation ?? '', /last changed at line 5/);
  });
});

// `cow-lab exercise` through the CLI's main, with in-memory files: what a learner sees and the
// exit codes.
import * as assert from 'node:assert/strict';
import { MemoryIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { createExercise, reverseSolution } from '../../../src/tutorial';

async function cli(files: Record<string, string>, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = new MemoryIo(files);
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

/** Exercise 1's questions answered as worked out by hand in exercise.test.ts. */
const EXERCISE_1_ANSWERS = ['2', '0', '2', '2', '"v1"', '4', '"v1"', '6', '6', '4'];

function fill(source: string, answers: readonly string[]): string {
  let i = 0;
  return source.replace(/== \?/g, () => `== ${answers[i++] ?? '?'}`);
}

describe('cow-lab exercise', () => {
  it('is listed in cow-lab --help', async () => {
    const { out } = await cli({}, '--help');
    assert.match(out, /^ {2}exercise +print a practice exercise/m);
  });

  it('prints the same predict exercise for the same seed, as a scenario with ? questions', async () => {
    const a = await cli({}, 'exercise', '--seed', '1');
    const b = await cli({}, 'exercise', '--seed', '1');
    assert.equal(a.code, 0);
    assert.equal(a.out, b.out);
    assert.match(a.out, /^# CoW Lab exercise — predict, seed 1\n/);
    assert.match(a.out, /^expect copies == \?$/m);
    const other = await cli({}, 'exercise', '--seed', '2');
    assert.notEqual(other.out, a.out);
  });

  it('prints the answers with --answers, each with its value and why', async () => {
    const { code, out } = await cli({}, 'exercise', '--seed', '1', '--answers');
    assert.equal(code, 0);
    assert.match(out, /^Q1 \(line \d+\) frames == 2$/m);
    assert.match(out, /^Q8 \(line \d+\) child heap\[1\] frame == 6$/m);
    assert.match(out, /wp_page_copy/);
  });

  it('prints a reverse exercise and one solution', async () => {
    const exercise = await cli({}, 'exercise', '--seed', '5', '--reverse');
    assert.equal(exercise.code, 0);
    assert.match(exercise.out, /^# CoW Lab exercise — reverse, seed 5\n/);
    assert.match(exercise.out, /^# {3}child2 +heap +private +A rw +B ro/m);
    const answers = await cli({}, 'exercise', '--seed', '5', '--reverse', '--answers');
    assert.match(answers.out, /^child: exec$/m);
  });

  it('grades a filled-in predict exercise: 0 when all right, 1 with what was wrong', async () => {
    const source = createExercise('predict', 1).source;
    const right = await cli({ 'mine.cow': fill(source, EXERCISE_1_ANSWERS) }, 'exercise', '--grade', 'mine.cow');
    assert.equal(right.code, 0, right.out + right.err);
    assert.match(right.out, /10 of 10 right \(100%\)/);
    const wrongAnswers = [...EXERCISE_1_ANSWERS];
    wrongAnswers[7] = '2';
    const wrong = await cli({ 'mine.cow': fill(source, wrongAnswers) }, 'exercise', '--grade', 'mine.cow');
    assert.equal(wrong.code, 1);
    assert.match(wrong.out, /^✗ line \d+: you wrote frame 2; the answer is 6$/m);
    assert.match(wrong.out, /9 of 10 right/);
    const open = await cli({ 'mine.cow': fill(source, EXERCISE_1_ANSWERS.slice(0, 3)) }, 'exercise', '--grade', 'mine.cow');
    assert.equal(open.code, 1);
    assert.match(open.out, /3 of 3 right \(100%\); 7 still open/);
    assert.doesNotMatch(open.out, /answer is/, 'open questions do not give their answers away');
  });

  it('lets cow-lab run check a filled-in exercise too: every expectation passes when right', async () => {
    const source = createExercise('predict', 1).source;
    assert.equal((await cli({ 'mine.cow': fill(source, EXERCISE_1_ANSWERS) }, 'run', 'mine.cow')).code, 0);
    const wrong = [...EXERCISE_1_ANSWERS];
    wrong[0] = '4';
    assert.equal((await cli({ 'mine.cow': fill(source, wrong) }, 'run', 'mine.cow')).code, 1);
  });

  it('grades a reverse exercise by running it', async () => {
    const header = '# CoW Lab exercise — reverse, seed 5\n';
    const right = await cli({ 'r.cow': header + reverseSolution(5) }, 'exercise', '--grade', 'r.cow');
    assert.equal(right.code, 0, right.out);
    assert.match(right.out, /^Right/);
    const wrong = await cli({ 'r.cow': `${header}process parent\nparent: map heap 5 private\n` }, 'exercise', '--grade', 'r.cow');
    assert.equal(wrong.code, 1);
    assert.match(wrong.out, /^Not yet/);
    const broken = await cli({ 'r.cow': `${header}process parent\nparent: write heap[0]\n` }, 'exercise', '--grade', 'r.cow');
    assert.equal(broken.code, 2);
    assert.match(broken.err, /^r\.cow:3:\d+: error:/m);
  });

  it('refuses bad command lines with usage errors (64) and unreadable files with 66', async () => {
    assert.equal((await cli({}, 'exercise', '--seed', 'x')).code, 64);
    assert.equal((await cli({}, 'exercise', '--seed', '-3')).code, 64);
    assert.equal((await cli({}, 'exercise', '--seed', '4294967296')).code, 64);
    assert.equal((await cli({}, 'exercise', '--answers')).code, 64);
    assert.equal((await cli({}, 'exercise', '--grade', 'a.cow', '--seed', '1')).code, 64);
    assert.equal((await cli({}, 'exercise', 'stray.cow')).code, 64);
    assert.equal((await cli({}, 'exercise', '--grade', 'missing.cow')).code, 66);
  });

  it('without --seed picks one and names it in the header, so the exercise can be found again', async () => {
    const { code, out } = await cli({}, 'exercise');
    assert.equal(code, 0);
    const seed = /seed (\d+)/.exec(out)?.[1];
    assert.ok(seed);
    assert.equal(out, createExercise('predict', Number(seed)).source);
  });
});

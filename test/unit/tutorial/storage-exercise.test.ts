// Storage exercises (`cow-lab exercise --storage`): one per seed, each checks cleanly, every answer
// agrees with a naive model of the file-system rules written for this test (naive-storage.ts),
// a filled-in sheet grades 100%, and one exercise is worked through by hand.
import * as assert from 'node:assert/strict';
import { analyze, runScenario } from '../../../src/language';
import { MemoryIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { answerSheet, createExercise, gradeSheet, parseExerciseHeader, predictAnswers, type ExpectQuestion } from '../../../src/tutorial';
import { generateStorageScenario } from '../../../src/tutorial/generateStorage';
import { NaiveStorage } from './naive-storage';

/** Enough seeds to meet every story and file system (a few ms each). */
const SEEDS = Array.from({ length: 200 }, (_, i) => i * 104_729 + 3);

/** The source with each `?` replaced by the answer the engine gives. */
function filledIn(source: string, questions: readonly ExpectQuestion[]): string {
  let i = 0;
  return source.replace(/== \?/g, () => {
    const q = questions[i++];
    return `== ${q === undefined ? '?' : typeof q.solution.answer === 'string' ? JSON.stringify(q.solution.answer) : String(q.solution.answer)}`;
  });
}

/** What the naive model says a question's answer is, at its line. */
function naiveAnswers(source: string): (number | string)[] {
  const naive = new NaiveStorage();
  const out: (number | string)[] = [];
  for (const line of source.split('\n')) {
    let m: RegExpExecArray | null;
    if (line === 'expect blocks == ?') out.push(naive.allocated());
    else if (line === 'expect blocksCopied == ?') out.push(naive.blocksCopied);
    else if ((m = /^expect (\w+) ([\w.]+)\[(\d+)\] == \?$/.exec(line))) out.push(naive.read(m[1] as string, m[2] as string, Number(m[3])));
    else if (line.startsWith('expect ')) throw new Error(`no naive answer for ${line}`);
    else naive.apply(line);
  }
  return out;
}

describe('storage exercises', () => {
  it('give the same text for the same seed, name their kind on the first line, and vary', () => {
    assert.equal(createExercise('storage', 42).source, createExercise('storage', 42).source);
    assert.deepEqual(parseExerciseHeader(createExercise('storage', 42).source), { kind: 'storage', seed: 42 });
    const texts = new Set(SEEDS.slice(0, 40).map((s) => createExercise('storage', s).source.split('\n').slice(3).join('\n')));
    assert.ok(texts.size >= 30, `only ${texts.size} different exercises in 40 seeds`);
  });

  it('tell all three stories on btrfs, xfs and ext4 across seeds', () => {
    const seen = new Set(SEEDS.map((s) => { const g = generateStorageScenario(s); return `${g.story} ${g.fileSystems.join()}`; }));
    for (const shape of ['snapshot btrfs', 'reflink btrfs', 'reflink xfs', 'reflink ext4', 'container ext4', 'container xfs']) {
      assert.ok(seen.has(shape), `no ${shape} among ${SEEDS.length} seeds: ${[...seen].join('; ')}`);
    }
  });

  it('check cleanly and ask at least three questions, each answered as the naive model does', () => {
    let asked = 0;
    for (const seed of SEEDS) {
      const exercise = createExercise('storage', seed);
      assert.deepEqual(analyze(exercise.source).diagnostics.map((d) => `${d.range.line}: ${d.message}`), [], `seed ${seed}`);
      const questions = predictAnswers(exercise);
      assert.ok(questions.length >= 3, `seed ${seed}: ${questions.length} questions`);
      assert.deepEqual(questions.map((q) => q.solution.answer), naiveAnswers(exercise.source), `seed ${seed}:\n${exercise.source}`);
      asked += questions.length;
    }
    assert.ok(asked > SEEDS.length * 4, `${asked} questions`);
  });

  it('grade a sheet filled with the right answers 100%, and the filled scenario passes every expect', () => {
    for (const seed of SEEDS.slice(0, 60)) {
      const exercise = createExercise('storage', seed);
      const filled = filledIn(exercise.source, predictAnswers(exercise));
      const sheet = answerSheet(filled, () => undefined);
      assert.ok(sheet.ok);
      const { graded, open } = gradeSheet(sheet.entries);
      assert.equal(open.length, 0, `seed ${seed}`);
      assert.ok(graded.every((g) => g.correct), `seed ${seed}`);
      const run = runScenario(filled);
      assert.ok(run.ok && run.run.expectations.every((e) => e.passed), `seed ${seed}`);
    }
  });

  it('answers exercise 3 as worked by hand', () => {
    // Seed 3: an ext4 image of lib.so (16 blocks), a separate ext4 upper volume, container c1.
    // Q1: 16 blocks, the image's. Q2: c1's first write copies all 16 blocks up (ext4 cannot
    // clone), then writes blocks 3..4 in place; block 5 was copied, not written: c1 lib.so[5]
    // holds "lib". Q3: blocksCopied 16.
    // Q4: a second write to the copied-up file is in place: still 16 + 16 = 32 blocks.
    const exercise = createExercise('storage', 3);
    assert.match(exercise.source, /^volume image ext4\nimage: create lib\.so 16 "lib"\nvolume upper ext4\ncontainer c1 image upper$/m);
    assert.deepEqual(predictAnswers(exercise).map((q) => q.solution.answer), [16, 'lib', 16, 32]);
  });

  it('come from cow-lab exercise --storage, with --answers, and refuse --reverse beside it', async () => {
    const run = async (...argv: string[]) => {
      const io = new MemoryIo({});
      return { code: await main(argv, io), out: io.out, err: io.err };
    };
    const printed = await run('exercise', '--storage', '--seed', '3');
    assert.equal(printed.code, 0);
    assert.equal(printed.out, createExercise('storage', 3).source);
    const answers = await run('exercise', '--storage', '--seed', '3', '--answers');
    assert.match(answers.out, /^Answers to storage exercise 3:/);
    assert.match(answers.out, /^Q3 \(line \d+\) blocksCopied == 16$/m);
    const both = await run('exercise', '--storage', '--reverse', '--seed', '3');
    assert.equal(both.code, 64); // EX_USAGE
    assert.match(both.err, /--reverse and --storage/);
  });
});

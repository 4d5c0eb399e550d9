// The `memory N` header in the language: parsed as frames or a size, placed among the headers,
// checked for sizes the engine cannot model, run with the limit (the OOM killer, ENOMEM), its
// `expect` forms (`killed`, `oomKills`, `failedForks`), `run --json` unchanged in shape, and the
// kernel check saying "not checked" with its reason rather than passing.
import * as assert from 'node:assert/strict';
import { analyze, parse, runScenario, runToJson } from '../../../src/language';
import { planScenario } from '../../../src/verify/plan';

const SNAPSHOT = `memory 12
process db
db: map data 8 private
db: write data "row"
db: fork saver
db: write data[0..3] "new"
expect oomKills == 1
expect saver killed
expect saver exited
expect db running
expect frames == 8
`;

describe('language: the memory header', () => {
  it('reads frames, frame words and sizes', () => {
    assert.equal(parse('memory 512').memory?.frames, 512);
    assert.equal(parse('memory 512 frames').memory?.frames, 512);
    assert.equal(parse('memory 8 pages').memory?.frames, 8);
    assert.equal(parse('memory 2 GiB').memory?.frames, 524_288); // 2 × 2^30 / 4096
    assert.equal(parse('memory 64 KiB').memory?.frames, 16);
  });

  it('refuses zero, a part of a frame, a second header and a header after a statement', () => {
    const codes = (src: string): string[] => parse(src).diagnostics.map((d) => String(d.code));
    assert.deepEqual(codes('memory 0'), ['bad-memory']);
    assert.deepEqual(codes('memory 6 KiB'), ['bad-memory']);
    assert.deepEqual(codes('memory'), ['bad-memory']);
    assert.deepEqual(codes('memory 8\nmemory 9'), ['duplicate-memory']);
    assert.deepEqual(codes('process a\nmemory 8'), ['memory-position']);
    assert.deepEqual(codes('mode eager\nkernel 6.1\nmemory 8\nprocess a'), []);
  });

  it('the checker: more than the engine models is an error; a machine that can never fill is a hint', () => {
    const big = analyze('memory 65 GiB\nprocess a');
    assert.equal(big.runnable, false);
    assert.match(big.diagnostics[0]?.message ?? '', /at most 16,777,216 frames/);
    // 4 pages, one fork: at most 8 frames are ever used, so memory 8 never runs out.
    const roomy = analyze('memory 8\nprocess a\na: map h 4 private\na: fork b');
    assert.equal(roomy.runnable, true);
    assert.deepEqual(roomy.diagnostics.map((d) => [d.severity, d.range.line]), [['info', 1]]);
    assert.match(roomy.diagnostics[0]?.message ?? '', /never run out/);
    assert.deepEqual(analyze('memory 7\nprocess a\na: map h 4 private\na: fork b').diagnostics, []);
  });

  it('runs with the limit: the snapshot child is killed at the parent’s write, every expect holds', () => {
    // memory 12: db has 8 frames; after the fork both map them. db writes data[0..4]: each write
    // copies (saver keeps the old frame), so frames go 8 → 12 after four copies, and the fifth
    // needs a 13th frame. Scores: db 8 resident + 1 page-table page = 9, saver 8 + 1 = 9, a tie
    // → saver (created later) is killed; it alone held the old frames of pages 0..3 (4 freed,
    // 12 → 8); db's fifth copy takes one and frees page 4's old frame, now mapped by nobody: 8.
    const out = runScenario(SNAPSHOT.replace('data[0..3]', 'data[0..4]'));
    assert.ok(out.ok, JSON.stringify(!out.ok && out.diagnostics));
    // The fifth copy needs a 13th frame: scores db 8 + 1, saver 8 + 1, a tie → saver (later) is
    // killed; it held pages 0..3's old frames alone (4 freed): 12 − 4 = 8, then db's fifth copy
    // takes one and frees page 4's old frame, now mapped by nobody: 8 frames.
    assert.deepEqual(out.run.expectations.map((e) => [e.passed, e.message]).filter(([p]) => !p), []);
    const json = runToJson(out.run);
    assert.deepEqual(Object.keys(json.checkpoints.at(-1)?.stats ?? {}), ['frames', 'copies', 'reuses', 'faults', 'blocks', 'blocksCopied']);
    assert.deepEqual(Object.keys(json.checkpoints.at(-1)?.processes ?? {}), ['db']);
  });

  it('mode eager: the fork fails with ENOMEM and the run goes on without the child', () => {
    const out = runScenario('mode eager\nmemory 12\nprocess db\ndb: map data 8 private\ndb: write data\ndb: fork saver\nexpect failedForks == 1\nexpect frames == 8\ndb: write data[0] "x"\n');
    assert.ok(out.ok);
    assert.ok(out.run.expectations.every((e) => e.passed));
    const forkStep = out.run.steps.find((s) => s.operation?.op === 'fork');
    assert.match(forkStep?.explanation ?? '', /ENOMEM/);
  });

  it('the kernel check does not play it: "not checked", with the reason', () => {
    const program = parse(SNAPSHOT);
    const plan = planScenario(program, SNAPSHOT);
    assert.equal(plan.steps.length, 0);
    assert.match(plan.unplayable ?? '', /memory 12.*not checked/);
  });
});

// Property tests: over seeded random scenarios, in both modes, every file reads what a naive
// contents-only model says it holds, and every version satisfies the counting invariants.
// Copy-on-write saves blocks, never changes contents: eager mode reads the same and never uses
// fewer blocks.
import { strict as assert } from 'node:assert';
import { createStorage, StorageTimeline, type Storage, type StoragePolicy } from '../../../src/storage';
import { randomOps } from './generate';
import { checkInvariants } from './invariants';
import { ReferenceStorage } from './reference-model';

function contents(s: Storage, space: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of s.resolvedFiles(space)) {
    const blocks: string[] = [];
    for (let i = 0; i < r.file.size; i++) blocks.push(s.value(r.file.map.get(i)));
    out.set(r.file.name, blocks);
  }
  return out;
}

function play(seed: number, policy: StoragePolicy): { timeline: StorageTimeline; ref: ReferenceStorage; steps: number } {
  const ref = new ReferenceStorage();
  const ops = randomOps(seed, 60, ref);
  const timeline = new StorageTimeline(createStorage(policy));
  const check = new ReferenceStorage();
  for (const op of ops) {
    const outcome = timeline.push(op);
    assert.ok(outcome.ok, `seed ${seed}: ${JSON.stringify(op)} refused: ${outcome.ok ? '' : outcome.error.message}`);
    check.apply(op);
    const s = timeline.latest;
    assert.deepEqual(checkInvariants(s), [], `seed ${seed} after ${JSON.stringify(op)}`);
    for (const space of s.spaces()) assert.deepEqual(contents(s, space), check.files(space), `seed ${seed}: ${space} after ${JSON.stringify(op)}`);
  }
  return { timeline, ref, steps: ops.length };
}

describe('storage model properties', () => {
  for (let seed = 1; seed <= 60; seed++) {
    it(`seed ${seed}: contents match the reference model and invariants hold, cow and eager`, () => {
      const cow = play(seed, 'cow');
      const eager = play(seed, 'eager');
      const a = cow.timeline.latest;
      const b = eager.timeline.latest;
      assert.ok(b.stats.blocks >= a.stats.blocks - a.stats.blocksKept, `eager uses ${b.stats.blocks} blocks, cow ${a.stats.blocks} (${a.stats.blocksKept} kept)`);
      assert.ok(b.stats.blocksCopied >= a.stats.blocksCopied);
    });
  }

  it('earlier versions stay as they were (persistence)', () => {
    const { timeline } = play(7, 'cow');
    const replay = new StorageTimeline(createStorage('cow'));
    const ref = new ReferenceStorage();
    const ops = randomOps(7, 60, ref);
    for (let i = 0; i < ops.length; i++) {
      replay.push(ops[i] as never);
      const old = timeline.at(i + 1);
      for (const space of old.spaces()) assert.deepEqual(contents(old, space), contents(replay.latest, space), `version ${i + 1}, ${space}`);
      assert.deepEqual(old.stats, replay.latest.stats);
    }
  });
});

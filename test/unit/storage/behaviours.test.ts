// Hand-worked storage behaviours. Each expected figure is worked out in the comment above it
// from what the file systems do (the same behaviours the kernel check replays for real).
import { strict as assert } from 'node:assert';
import { createStorage, StorageTimeline, type StorageOperation, type StoragePolicy } from '../../../src/storage';
import { checkInvariants } from './invariants';

function run(ops: readonly StorageOperation[], policy: StoragePolicy = 'cow'): StorageTimeline {
  const t = new StorageTimeline(createStorage(policy));
  for (const op of ops) {
    const outcome = t.push(op);
    assert.ok(outcome.ok, `${JSON.stringify(op)}: ${outcome.ok ? '' : outcome.error.message}`);
    assert.deepEqual(checkInvariants(t.latest), []);
  }
  return t;
}

const vol = (volume: string, fs: 'btrfs' | 'xfs' | 'ext4'): StorageOperation => ({ op: 'volume', volume, fs });
const create = (volume: string, file: string, blocks: number, value?: string): StorageOperation => ({ op: 'create', volume, file, blocks, ...(value !== undefined ? { value } : {}) });
const write = (volume: string, file: string, first: number, last = first, value = 'x'): StorageOperation => ({ op: 'write', volume, file, first, last, value });

describe('storage model: hand-worked behaviours', () => {
  it('btrfs snapshot, then a write in the snapshot: one new block, the old extent kept whole', () => {
    // create log 16 → one 16-block extent (blocks 1..16). snapshot → both files map 1..16,
    // each block referenced twice, still 16 blocks. snap write log[3] → block 17 (new extent),
    // block 4 (log[3]) back to one reference; the 16-block extent stays: 17 blocks in use.
    const t = run([vol('data', 'btrfs'), create('data', 'log', 16, 'v1'), { op: 'snapshot', volume: 'data', snapshot: 'snap' }]);
    const s1 = t.latest;
    assert.equal(s1.stats.blocks, 16);
    for (let i = 0; i < 16; i++) assert.equal(s1.blockOf('data', 'log', i), s1.blockOf('snap', 'log', i));
    assert.equal(s1.refs(s1.blockOf('data', 'log', 3)), 2);
    t.push(write('snap', 'log', 3));
    const s2 = t.latest;
    assert.equal(s2.stats.blocks, 17);
    assert.notEqual(s2.blockOf('snap', 'log', 3), s2.blockOf('data', 'log', 3));
    assert.equal(s2.blockOf('snap', 'log', 2), s2.blockOf('data', 'log', 2));
    assert.equal(s2.refs(s2.blockOf('data', 'log', 3)), 1);
    assert.equal(s2.value(s2.blockOf('data', 'log', 3)), 'v1');
    assert.equal(s2.stats.blocksCopied, 0);
    // Deleting the original: its block 3 is referenced by nobody, but blocks 0-2 and 4-15 of
    // the same extent are still the snapshot's: the extent stays, block 3 is "kept" (17 in use).
    t.push({ op: 'delete', volume: 'data', file: 'log' });
    assert.equal(t.latest.stats.blocks, 17);
    assert.equal(t.latest.stats.blocksKept, 1);
  });

  it('btrfs overwrites even an unshared block out of place, and keeps the rest of the extent', () => {
    // create 16 → 16 blocks; write log[3] → a new 1-block extent: 17 in use, the old block 3
    // kept by its extent. write log[0..15] → a new 16-block extent; both older extents lose
    // their last reference and are freed: 16 in use, nothing kept.
    const t = run([vol('data', 'btrfs'), create('data', 'log', 16), write('data', 'log', 3)]);
    assert.equal(t.latest.stats.blocks, 17);
    assert.equal(t.latest.stats.blocksKept, 1);
    t.push(write('data', 'log', 0, 15));
    assert.equal(t.latest.stats.blocks, 16);
    assert.equal(t.latest.stats.blocksKept, 0);
  });

  it('XFS reflink shares every block; a write moves exactly one (per-block counts)', () => {
    // create log 16 → 16. reflink → 16, each refs 2. copy: write log[5] in the reflink copy →
    // 17 blocks; log[5] back to refs 1, the rest still 2.
    const t = run([vol('disk', 'xfs'), create('disk', 'log', 16, 'a'), { op: 'reflink', volume: 'disk', file: 'log', target: 'copy' }]);
    assert.equal(t.latest.stats.blocks, 16);
    t.push(write('disk', 'copy', 5));
    const s = t.latest;
    assert.equal(s.stats.blocks, 17);
    assert.equal(s.refs(s.blockOf('disk', 'log', 5)), 1);
    assert.equal(s.refs(s.blockOf('disk', 'log', 4)), 2);
    assert.equal(s.value(s.blockOf('disk', 'log', 5)), 'a');
    assert.equal(s.value(s.blockOf('disk', 'copy', 5)), 'x');
    // A second write to the now-unshared block happens in place: still 17.
    t.push(write('disk', 'copy', 5, 5, 'y'));
    assert.equal(t.latest.stats.blocks, 17);
  });

  it('ext4 refuses reflink; an ordinary copy writes every block anew', () => {
    const t = run([vol('plain', 'ext4'), create('plain', 'log', 16)]);
    const refused = t.push({ op: 'reflink', volume: 'plain', file: 'log', target: 'copy' });
    assert.equal(refused.ok, false);
    assert.equal(refused.ok ? '' : refused.error.code, 'not-supported');
    t.push({ op: 'copy', volume: 'plain', file: 'log', target: 'copy' });
    // 16 + 16 blocks, 16 copied = 65,536 bytes.
    assert.equal(t.latest.stats.blocks, 32);
    assert.equal(t.latest.stats.blocksCopied, 16);
    assert.equal(t.latest.stats.bytesCopied, 65_536);
  });

  it('overlayfs on ext4 copies a 1 MiB file up whole for a one-block write', () => {
    // app.bin: 256 blocks on image. The write copies 256 blocks up to data, then writes block 1
    // in place on ext4: 512 blocks, 256 copied (1 MiB).
    const t = run([vol('image', 'ext4'), create('image', 'app.bin', 256, 'code'), vol('data', 'ext4'), { op: 'container', container: 'web', lower: 'image', upper: 'data' }, write('web', 'app.bin', 1, 1, 'z')]);
    const s = t.latest;
    assert.equal(s.stats.blocks, 512);
    assert.equal(s.stats.blocksCopied, 256);
    assert.equal(s.stats.bytesCopied, 1_048_576);
    assert.equal(s.resolve('web', 'app.bin')?.layer, 'upper');
    assert.equal(s.resolve('web', 'app.bin')?.file.copiedUp, true);
    assert.equal(s.value(s.blockOf('image', 'app.bin', 1)), 'code');
    assert.equal(s.value(s.blockOf('web', 'app.bin', 1)), 'z');
  });

  it('overlayfs with lower and upper on the same XFS clones on copy-up: one new block', () => {
    // Clone: 256 blocks referenced twice; the write CoWs block 1: 257 blocks, nothing copied.
    const t = run([vol('disk', 'xfs'), create('disk', 'app.bin', 256), { op: 'container', container: 'web', lower: 'disk', upper: 'disk' }, write('web', 'app.bin', 1)]);
    const s = t.latest;
    assert.equal(s.stats.blocks, 257);
    assert.equal(s.stats.blocksCopied, 0);
    assert.equal(s.blockOf('web', 'app.bin', 0), s.blockOf('disk', 'app.bin', 0));
    assert.notEqual(s.blockOf('web', 'app.bin', 1), s.blockOf('disk', 'app.bin', 1));
  });

  it('a container over a btrfs snapshot clones (same file system)', () => {
    const t = run([vol('base', 'btrfs'), create('base', 'db', 8), { op: 'snapshot', volume: 'base', snapshot: 'snap' }, { op: 'container', container: 'c', lower: 'snap', upper: 'base' }, write('c', 'db', 0)]);
    // 8 blocks, shared 3 ways after the clone copy-up; the write puts one block in a new extent: 9.
    assert.equal(t.latest.stats.blocks, 9);
    assert.equal(t.latest.refs(t.latest.blockOf('snap', 'db', 1)), 3);
  });

  it('mode eager: snapshot, reflink and copy-up copy every block', () => {
    const t = run([vol('data', 'btrfs'), create('data', 'log', 16), { op: 'snapshot', volume: 'data', snapshot: 'snap' }, { op: 'reflink', volume: 'data', file: 'log', target: 'copy' }], 'eager');
    assert.equal(t.latest.stats.blocks, 48);
    assert.equal(t.latest.stats.blocksCopied, 32);
    const u = run([vol('disk', 'xfs'), create('disk', 'app', 4), { op: 'container', container: 'web', lower: 'disk', upper: 'disk' }, write('web', 'app', 0)], 'eager');
    assert.equal(u.latest.stats.blocks, 8);
    assert.equal(u.latest.stats.blocksCopied, 4);
  });

  it('deleting a lower file in a container leaves a whiteout; the lower file is untouched', () => {
    const t = run([vol('image', 'xfs'), create('image', 'a', 2), vol('data', 'xfs'), { op: 'container', container: 'web', lower: 'image', upper: 'data' }, { op: 'delete', volume: 'web', file: 'a' }]);
    assert.equal(t.latest.resolve('web', 'a'), undefined);
    assert.notEqual(t.latest.resolve('image', 'a'), undefined);
    assert.equal(t.latest.stats.blocks, 2);
  });

  it('refuses to change a volume that is a lower layer, and snapshots outside btrfs', () => {
    const t = run([vol('image', 'xfs'), create('image', 'a', 2), vol('data', 'xfs'), { op: 'container', container: 'web', lower: 'image', upper: 'data' }]);
    const w = t.push(write('image', 'a', 0));
    assert.equal(w.ok ? '' : w.error.code, 'read-only');
    const s = t.push({ op: 'snapshot', volume: 'data', snapshot: 'snap' });
    assert.equal(s.ok ? '' : s.error.code, 'not-supported');
    const r = t.push({ op: 'read', volume: 'image', file: 'a', first: 0, last: 1 });
    assert.ok(r.ok);
  });

  it('a 1 GiB file (262,144 blocks) snapshots and writes without copying it', () => {
    const t = run([vol('data', 'btrfs'), create('data', 'vm.img', 262_144), { op: 'snapshot', volume: 'data', snapshot: 'snap' }, write('snap', 'vm.img', 1000)]);
    // 262,144 blocks in 8 extents of 32,768; one more block for the write.
    assert.equal(t.latest.stats.blocks, 262_145);
    assert.equal(t.latest.stats.blocksCopied, 0);
  });
});

// The storage syntax of issue 13, exactly as the issue writes it, and the diagnostics for its
// misuse. Expected figures are worked by hand in the comments.
import * as assert from 'node:assert/strict';
import { analyze, runScenario, type Diagnostic } from '../../../src/language';

const CORE = `volume data btrfs               # a file system: btrfs | xfs | ext4
data: create log 16 "v1"        # a file of 16 blocks of 4 KiB, each written (value optional)
data: write log[3] "x"          # overwrite blocks (log[0..3] for a range)
data: read log[3]
volume image xfs
image: create app.bin 4
image: reflink app.bin copy     # cp --reflink=always (FICLONE); an error on ext4
data: copy log plain            # an ordinary copy: every block written anew
data: delete plain
data: snapshot snap             # btrfs only: a writable snapshot; snap is a new volume
container web image data        # overlayfs: lower = volume image (read-only), upper = a directory on volume data
web: write app.bin[1] "z"       # a container is used like a volume; its files are the merged view
expect data log[3] shared with snap log[3]
snap: write log[3] "y"
expect snap log[3] exclusive    # referenced by one file block only
expect web app.bin copied-up
expect blocks == 27
expect blocksCopied == 20
expect blocksWritten == 23
expect bytesCopied == 81920
`;

function codes(source: string): string[] {
  return analyze(source).diagnostics.map((d: Diagnostic) => `${d.range.line}:${d.code}`);
}

describe('storage statements', () => {
  it('runs the core syntax of the issue exactly, every expectation passing', () => {
    // Worked by hand (blocks in use, blocks written, blocks copied):
    // data (btrfs): create log 16 → 16, 16 written. write log[3]: a new 1-block extent; the old
    // block stays, kept by its 16-block extent → 17, 17 written. image (xfs): app.bin 4 → 21,
    // 21 written; reflink shares → 21. copy log plain: a new 16-block extent, 16 copied → 37;
    // delete plain frees it → 21. snapshot: shares everything → 21.
    // web: lower image (xfs), upper on data (btrfs) — two file systems, so copy-up copies the 4
    // blocks of app.bin (20 copied) → 25; the btrfs write puts app.bin[1] in a new extent → 26,
    // 22 written. snap write log[3] → a new extent → 27, 23 written. bytesCopied = 20 × 4096.
    const outcome = runScenario(CORE);
    assert.ok(outcome.ok, JSON.stringify(outcome.ok ? [] : outcome.diagnostics));
    const failed = outcome.run.expectations.filter((e) => !e.passed).map((e) => e.message);
    assert.deepEqual(failed, []);
    assert.equal(outcome.run.expectations.length, 7);
  });

  it('parses sizes in blocks and units, dotted file names and ranges', () => {
    const outcome = runScenario('volume v xfs\nv: create vm.img 1 GiB\nv: create small 64 KiB\nv: write vm.img[0..3]\nexpect blocks == 262164');
    // 1 GiB = 262,144 blocks, 64 KiB = 16: 262,160; the write is in place on XFS.
    assert.ok(outcome.ok);
    assert.equal(outcome.run.expectations[0]?.passed, false);
    assert.match(outcome.run.expectations[0]?.message ?? '', /blocks is 262160/);
  });

  it('reports misuse at the right place, once', () => {
    assert.deepEqual(codes('volume data xfs\ndata: create log 4\ndata: snapshot s'), ['3:not-supported']);
    assert.deepEqual(codes('volume p ext4\np: create a 4\np: reflink a b'), ['3:not-supported']);
    // Writing the image volume while it is a container's lower layer.
    assert.deepEqual(codes('volume image ext4\nimage: create app 2\nvolume data ext4\ncontainer web image data\nimage: write app[0]\nweb: write app[0]'), ['5:read-only']);
    assert.deepEqual(codes('volume v btrfs\nv: create a 4\nv: write a[4]'), ['3:block-out-of-range']);
    assert.deepEqual(codes('volume v btrfs\nv: write a[0]\nv: read a[0]'), ['2:unknown-file', '3:unknown-file']);
    assert.deepEqual(codes('process v\nvolume v btrfs'), ['2:duplicate-name']);
    assert.deepEqual(codes('volume v btrfs\nprocess v'), ['2:duplicate-name']);
    assert.deepEqual(codes('volume v btrfs\nv: create a 1\nv: create a 1'), ['3:duplicate-name']);
    assert.deepEqual(codes('container c image data'), ['1:unknown-volume', '1:unknown-volume']);
    assert.deepEqual(codes('volume v btrfs\nv: create a 1\nexpect v a[0] private'), ['3:wrong-kind']);
    assert.deepEqual(codes('volume v xfs\nv: create a 1\nexpect v a copied-up'), ['3:wrong-kind']);
    assert.deepEqual(codes('volume v btrfs\nv: crate a 1'), ['2:unknown-verb']);
    assert.deepEqual(codes('volume v zfs'), ['1:syntax']);
    assert.deepEqual(codes('volume v btrfs\nv: create a 2 GiB\nv: create b 5 GiB'), ['3:too-large']);
    // A deleted lower file in a container is gone from the merged view (a whiteout).
    assert.deepEqual(codes('volume i xfs\ni: create a 1\nvolume d xfs\ncontainer c i d\nc: delete a\nc: read a[0]'), ['6:unknown-file']);
  });

  it('suggests the nearest name', () => {
    const d = analyze('volume data btrfs\ndata: create log 4\ndata: write lgo[1]').diagnostics[0];
    assert.equal(d?.suggestion, 'log');
  });
});

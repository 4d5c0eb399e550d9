// What the host sends the panel about storage, against states worked by hand in the samples'
// headers (samples/16-btrfs-snapshot-database.cow), a 1 GiB file, and — for the incremental
// reading — a property: rows patched from an earlier reading equal rows read afresh, for random
// scenarios stepped forwards, backwards and at random.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileBlockRow, StoragePanel } from '../../../src/protocol/storage';
import { positionForLine, runForPanel } from '../../../src/panel/scenarioRun';
import { StorageScans } from '../../../src/panel/storageScan';
import { PanelModel } from '../../../src/panel/stepModel';
import { createStorage, StorageTimeline, type Storage } from '../../../src/storage';
import { randomOps } from '../storage/generate';
import { ReferenceStorage } from '../storage/reference-model';

const root = join(__dirname, '..', '..', '..');

function model(source: string): PanelModel {
  const attempt = runForPanel(source, 'test.cow', 3);
  assert.ok(attempt.ok, attempt.ok ? '' : attempt.problems.map((p) => p.message).join('; '));
  return new PanelModel(attempt.run);
}

function storageAt(m: PanelModel, line: string): StoragePanel {
  const position = positionForLine(m.run, m.run.lines.findIndex((l) => l.startsWith(line)) + 1);
  assert.ok(position !== undefined, line);
  const view = m.stepView(position, false).storage;
  assert.ok(view, `no storage at ${line}`);
  return view;
}

function rows(view: StoragePanel, space: string, file: string): readonly FileBlockRow[] {
  const t = view.spaces.find((s) => s.name === space)?.files.find((f) => f.file === file);
  assert.ok(t, `${space} ${file}`);
  return t.window.rows;
}

const brief = (r: FileBlockRow) => `${r.first === r.last ? r.first : `${r.first}-${r.last}`}>${r.block}x${r.refs}${r.changed ? '*' : ''}`;

describe('panel: storage the host sends', () => {
  const sample = readFileSync(join(root, 'samples', '16-btrfs-snapshot-database.cow'), 'utf8');

  it('a scenario without volumes sends no storage part', () => {
    const m = model('process p\np: map heap 1 private\n');
    assert.equal(m.stepView(1, false).storage, undefined);
  });

  it('after the snapshot: both volumes\' db reference the same 64 blocks, each twice; nothing copied (a full copy: 64)', () => {
    const view = storageAt(model(sample), 'data: snapshot backup');
    // create db 64 gave physical blocks 1..64 in one extent; the snapshot shares them all.
    assert.deepEqual(rows(view, 'data', 'db').map(brief), ['0-63>1x2*']);
    assert.deepEqual(rows(view, 'backup', 'db').map(brief), ['0-63>1x2*']);
    assert.equal(view.spaces.find((s) => s.name === 'backup')?.snapshotOf, 'data');
    assert.deepEqual(view.blocks.window.rows.map((r) => `${r.first}-${r.last}:${r.refs}:${r.extent}`), ['1-64:2:1']);
    assert.equal(view.stats.primary.blocksCopied, 0);
    assert.equal(view.stats.primary.blocks, 64);
    // mode eager: the snapshot copies every block (64), 128 in use.
    assert.equal(view.comparisonPolicy, 'eager');
    assert.equal(view.stats.comparison?.blocksCopied, 64);
    assert.equal(view.stats.comparison?.blocks, 128);
  });

  it('after db[0..7] is rewritten: eight new blocks (65..72) for db, the snapshot keeps 1..8, referenced once now', () => {
    const view = storageAt(model(sample), 'data: write db[0..7]');
    const live = rows(view, 'data', 'db').map(brief);
    assert.deepEqual(live.slice(0, 9), ['0>65x1*', '1>66x1*', '2>67x1*', '3>68x1*', '4>69x1*', '5>70x1*', '6>71x1*', '7>72x1*', '8>9x2']);
    // 56 unchanged blocks (8..63) are shorter than a collapsed run: one row each.
    assert.equal(live.length, 64);
    const snap = rows(view, 'backup', 'db').map(brief);
    assert.deepEqual(snap.slice(0, 9), ['0>1x1*', '1>2x1*', '2>3x1*', '3>4x1*', '4>5x1*', '5>6x1*', '6>7x1*', '7>8x1*', '8>9x2']);
    assert.equal(view.stats.primary.blocks, 72);
  });

  it('after the live db is deleted: its files are gone, the snapshot\'s 64 blocks stay', () => {
    const view = storageAt(model(sample), 'data: delete db');
    assert.deepEqual(view.spaces.find((s) => s.name === 'data')?.files, []);
    assert.equal(view.stats.primary.blocks, 64);
    assert.deepEqual(view.blocks.window.rows.filter((r) => r.first > 64), []);
  });

  it('a 1 GiB file is a few rows, and a one-block write re-reads only what it changed', () => {
    const m = model('volume data btrfs\ndata: create disk 1 GiB "zero"\ndata: snapshot snap\ndata: write disk[1000] "x"\n');
    m.stepView(2, false);
    const scans = (m.storage as unknown as { scans: StorageScans }).scans;
    const full = scans.counts.fullFileScans;
    const view = m.stepView(3, false).storage as StoragePanel;
    assert.equal(scans.counts.fullFileScans, full, 'the write step read a file whole');
    // 262,144 blocks in btrfs extents of at most 32,768 blocks (BTRFS_MAX_EXTENT_SIZE): 8 runs; the
    // written block splits the first into 0..999, 1000, 1001..32767.
    const live = rows(view, 'data', 'disk').map(brief);
    assert.deepEqual(live.slice(0, 3), ['0-999>1x2', '1000>262145x1*', '1001-32767>1002x2']);
    assert.equal(live.length, 10);
    assert.deepEqual(rows(view, 'snap', 'disk').map(brief).slice(0, 3), ['0-999>1x2', '1000>1001x1*', '1001-32767>1002x2']);
  });

  it('rows of a scroll: a window of a file\'s rows and of the physical blocks', () => {
    const m = model(sample);
    const position = positionForLine(m.run, m.run.lines.findIndex((l) => l.startsWith('data: write db[40]')) + 1) as number;
    m.stepView(position, false);
    assert.deepEqual(m.storage.fileRowsWindow(position, 'backup', 'db', 60, 10)?.rows.map((r) => r.first), [60, 61, 62, 63]);
    assert.equal(m.storage.fileRowsWindow(position, 'backup', 'nope', 0, 10), undefined);
    assert.ok((m.storage.blockRowsWindow(position, 0, 512)?.rows.length ?? 0) > 0);
  });
});

describe('panel: storage rows read incrementally equal rows read afresh', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`random storage scenario ${seed}`, () => {
      const timeline = new StorageTimeline(createStorage('cow'));
      for (const op of randomOps(seed, 60, new ReferenceStorage())) assert.ok(timeline.push(op).ok, JSON.stringify(op));
      const versions: Storage[] = Array.from({ length: timeline.length }, (_, i) => timeline.at(i));
      const kept = new StorageScans();
      const order = [...versions.keys(), ...[...versions.keys()].reverse(), ...[...versions.keys()].map((i) => (i * 7919) % versions.length)];
      for (const i of order) {
        const s = versions[i] as Storage;
        const fresh = new StorageScans();
        for (const space of s.spaces()) {
          for (const f of s.files(space)) assert.deepEqual(kept.fileRuns(s, space, f.name), fresh.fileRuns(s, space, f.name), `version ${i} ${space} ${f.name}`);
        }
        assert.deepEqual(kept.blockRuns(s).filter((r) => r.fs !== 0), fresh.blockRuns(s).filter((r) => r.fs !== 0), `version ${i} blocks`);
      }
      assert.ok(kept.counts.patchedFileScans > 0);
    });
  }
});

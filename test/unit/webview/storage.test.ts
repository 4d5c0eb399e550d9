// The storage section under jsdom, from a state worked by hand: samples/16-btrfs-snapshot-database.cow
// after `data: write db[0..7] "row v2"`. create db 64 put the file in physical blocks 1..64 (one
// btrfs extent, e1); the snapshot made backup's db reference the same blocks (×2); the write gave
// db's blocks 0..7 eight new blocks 65..72 (a new extent, e2), each referenced once, and left the
// snapshot's blocks 1..8 referenced once. 72 blocks in use. A full copy (mode eager) copied all 64
// at the snapshot: 136 in use, 64 copied.
import * as assert from 'node:assert/strict';
import type { FileBlockRow, PhysicalBlockRow, StoragePanel } from '../../../src/protocol/storage';
import { render, snapshot, step, type Page } from './fixtures';

const fb = (first: number, last: number, block: number, refs: number, changed: boolean, extent: number): FileBlockRow => ({ first, last, block, blockStep: first === last ? 0 : 1, refs, value: refs === 1 && block > 64 ? 'row v2' : 'row v1', extent, changed });
const pb = (first: number, last: number, refs: number, extent: number, changed: boolean): PhysicalBlockRow => ({ first, last, fs: 1, refs, value: first > 64 ? 'row v2' : 'row v1', extent, changed });

const AFTER_WRITE: StoragePanel = {
  spaces: [
    {
      name: 'data', kind: 'volume', fsType: 'btrfs', fs: 1, snapshotOf: null, lowerOf: [], colour: 0, isNew: false,
      files: [{ space: 'data', file: 'db', blocks: 64, fs: 1, rowCount: 9, window: { start: 0, rows: [...Array.from({ length: 8 }, (_, i) => fb(i, i, 65 + i, 1, true, 2)), fb(8, 63, 9, 2, false, 1)] }, firstChangedRow: 0, isNew: false }],
    },
    {
      name: 'backup', kind: 'volume', fsType: 'btrfs', fs: 1, snapshotOf: 'data', lowerOf: [], colour: 1, isNew: false,
      files: [{ space: 'backup', file: 'db', blocks: 64, fs: 1, rowCount: 9, window: { start: 0, rows: [...Array.from({ length: 8 }, (_, i) => fb(i, i, 1 + i, 1, true, 1)), fb(8, 63, 9, 2, false, 1)] }, firstChangedRow: 0, isNew: false }],
    },
  ],
  fileSystems: [{ fs: 1, type: 'btrfs', volumes: ['data', 'backup'], used: 72, kept: 0 }],
  blocks: { rowCount: 3, window: { start: 0, rows: [pb(1, 8, 1, 1, true), pb(9, 64, 2, 1, false), pb(65, 72, 1, 2, true)] }, firstChangedRow: 0 },
  stats: {
    primary: { blocks: 72, blocksCopied: 0, blocksWritten: 72, bytesCopied: 0, peakBlocks: 72, blocksKept: 0 },
    comparison: { blocks: 136, blocksCopied: 64, blocksWritten: 72, bytesCopied: 262_144, peakBlocks: 136, blocksKept: 0 },
  },
  policy: 'cow',
  comparisonPolicy: 'eager',
};

function withStorage(storage: StoragePanel | undefined) {
  const base = snapshot();
  return snapshot({ step: step(4, base.step?.machines ?? [], storage ? { storage } : {}) });
}

describe('webview: storage', () => {
  let page: Page;
  afterEach(() => page?.close());

  it('is hidden while the scenario has no volume', () => {
    page = render(withStorage(undefined));
    assert.equal(page.document.querySelector<HTMLElement>('.storage')?.hidden, true);
  });

  it('draws each volume\'s files as block tables, with shared and changed blocks marked', () => {
    page = render(withStorage(AFTER_WRITE));
    const doc = page.document;
    assert.equal(doc.querySelector<HTMLElement>('.storage')?.hidden, false);
    const live = [...doc.querySelectorAll<HTMLElement>('[data-space="data"] .file-table[data-file="db"] .blk-row[data-row]')];
    assert.deepEqual(live.map((r) => r.querySelector('.cell.phys')?.textContent), ['#65', '#66', '#67', '#68', '#69', '#70', '#71', '#72', '#9–#64']);
    assert.deepEqual(live.map((r) => r.querySelector('.cell.refs')?.textContent), ['×1', '×1', '×1', '×1', '×1', '×1', '×1', '×1', '×2']);
    assert.equal(live.filter((r) => r.classList.contains('changed')).length, 8);
    assert.ok(live[8]?.classList.contains('shared'));
    assert.match(live[8]?.title ?? '', /blocks 8–63 → physical #9–#64; shared: 2 file blocks reference each/);
    assert.match(doc.querySelector('[data-space="backup"] .note')?.textContent ?? '', /A snapshot of data/);
    const phys = [...doc.querySelectorAll<HTMLElement>('.pblocks .pblk-row[data-first]')];
    assert.deepEqual(phys.map((r) => r.querySelector('.pblk-no')?.textContent?.replace('●changed: ', '')), ['#1–#8', '#9–#64', '#65–#72']);
    assert.deepEqual(phys.map((r) => r.querySelector('.pblk-extent')?.textContent), ['e1', 'e1', 'e2']);
    assert.match(doc.querySelector('.fs-summary')?.textContent ?? '', /btrfs file system fs1 \(data, backup\): 72 blocks in use, 288 KiB/);
  });

  it('fills the storage cost table for copy-on-write and a full copy', () => {
    page = render(withStorage(AFTER_WRITE));
    const row = (label: string) => [...page.document.querySelectorAll('.storage-cost tbody tr')].find((r) => r.querySelector('th')?.textContent === label);
    assert.deepEqual([...(row('Blocks copied')?.querySelectorAll('td') ?? [])].map((c) => c.textContent), ['0', '64']);
    assert.deepEqual([...(row('Bytes copied')?.querySelectorAll('td') ?? [])].map((c) => c.textContent), ['0 bytes', '256 KiB']);
    assert.deepEqual([...(row('Blocks in use')?.querySelectorAll('td') ?? [])].map((c) => c.textContent), ['72 (288 KiB)', '136 (544 KiB)']);
  });

  it('asks the host for rows it does not have when a table shows them, and takes them in', () => {
    const long: StoragePanel = { ...AFTER_WRITE, blocks: { ...AFTER_WRITE.blocks, rowCount: 1000 } };
    page = render(withStorage(long));
    const asked = page.posted.filter((m) => m.type === 'requestStorageRows');
    assert.ok(asked.some((m) => m.type === 'requestStorageRows' && m.space === null && m.file === null), JSON.stringify(asked));
    const request = asked[0];
    assert.ok(request && request.type === 'requestStorageRows');
    page.app.receive({ type: 'blockRows', runId: 1, position: 4, window: { start: 3, rows: [pb(80, 80, 1, 3, false)] } });
    assert.ok([...page.document.querySelectorAll<HTMLElement>('.pblk-row[data-first="80"]')].length === 1);
    // A reply for another step is dropped.
    page.app.receive({ type: 'blockRows', runId: 1, position: 3, window: { start: 4, rows: [pb(90, 90, 1, 3, false)] } });
    assert.equal(page.document.querySelectorAll('.pblk-row[data-first="90"]').length, 0);
  });
});

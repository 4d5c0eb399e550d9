// One storage step in progress: editors over the block and extent tables, and the mutations
// every file system shares — allocate blocks, take and drop references, free what nobody uses.
//
// Reference counting, per file system:
// - xfs and ext4: a block is allocated while a file block references it; it is freed when its
//   count reaches 0 (XFS keeps counts above 1 in its refcount btree, 1 is implicit).
// - btrfs: data lives in extents. A block whose count reaches 0 stays allocated while any other
//   block of its extent is referenced ("kept"): the whole extent is freed only when the sum over
//   its blocks reaches 0. Simplification, said in the docs: btrfs counts references per file
//   extent item (and, after a snapshot, through shared tree blocks), not per block; the model
//   counts file blocks, which frees an extent at the same moment.
import { newToken, PVec, type PVecEditor } from '../engine/pvec';
import type { ContainerState, FileState, FsState, StorageData, VolumeState } from './state';
import { BLOCK_SIZE, BTRFS_MAX_EXTENT_BLOCKS, MAX_BLOCK_IDS, type StorageEvent } from './types';

export class StorageLimitError extends Error {}

export class StorageTx {
  readonly token = newToken();
  readonly refs: PVecEditor;
  readonly owner: PVecEditor;
  readonly value: PVecEditor;
  readonly extentOf: PVecEditor;
  readonly extentFirst: PVecEditor;
  readonly extentLength: PVecEditor;
  readonly extentRefs: PVecEditor;
  readonly filesystems: FsState[];
  readonly volumes: Map<string, VolumeState>;
  readonly containers: Map<string, ContainerState>;
  nextBlock: number;
  nextExtent: number;
  blocksCopied: number;
  blocksWritten: number;
  freed = 0;
  readonly events: StorageEvent[] = [];

  constructor(readonly base: StorageData) {
    this.refs = base.refs.edit(this.token);
    this.owner = base.owner.edit(this.token);
    this.value = base.value.edit(this.token);
    this.extentOf = base.extentOf.edit(this.token);
    this.extentFirst = base.extentFirst.edit(this.token);
    this.extentLength = base.extentLength.edit(this.token);
    this.extentRefs = base.extentRefs.edit(this.token);
    this.filesystems = base.filesystems.slice();
    this.volumes = new Map(base.volumes);
    this.containers = new Map(base.containers);
    this.nextBlock = base.nextBlock;
    this.nextExtent = base.nextExtent;
    this.blocksCopied = base.stats.blocksCopied;
    this.blocksWritten = base.stats.blocksWritten;
  }

  fsType(fs: number): FsState['type'] {
    return (this.filesystems[fs] as FsState).type;
  }

  private adjustFs(fs: number, used: number, kept: number): void {
    const f = this.filesystems[fs] as FsState;
    this.filesystems[fs] = { ...f, used: f.used + used, kept: f.kept + kept };
  }

  /**
   * Allocates `count` new blocks on `fs`, each referenced once and holding `valueOf(i)`; returns
   * the first id (ids are consecutive). On btrfs they form extents of at most 128 MiB.
   */
  allocate(fs: number, count: number, valueOf: (i: number) => number): number {
    const first = this.nextBlock;
    if (first + count > MAX_BLOCK_IDS) throw new StorageLimitError(`the scenario would allocate more than ${MAX_BLOCK_IDS} blocks over its run`);
    const btrfs = this.fsType(fs) === 'btrfs';
    for (let i = 0; i < count; i++) {
      const b = first + i;
      this.refs.set(b, 1);
      this.owner.set(b, fs);
      const v = valueOf(i);
      if (v !== 0) this.value.set(b, v);
    }
    if (btrfs) {
      for (let start = 0; start < count; start += BTRFS_MAX_EXTENT_BLOCKS) {
        const length = Math.min(BTRFS_MAX_EXTENT_BLOCKS, count - start);
        const e = this.nextExtent++;
        this.extentFirst.set(e, first + start);
        this.extentLength.set(e, length);
        this.extentRefs.set(e, length);
        for (let i = 0; i < length; i++) this.extentOf.set(first + start + i, e);
      }
    }
    this.nextBlock += count;
    this.adjustFs(fs, count, 0);
    return first;
  }

  /** One more file block references `b`. */
  ref(b: number): void {
    const before = this.refs.get(b);
    this.refs.set(b, before + 1);
    const e = this.extentOf.get(b);
    if (e !== 0) {
      this.extentRefs.set(e, this.extentRefs.get(e) + 1);
      // A kept btrfs block referenced again is no longer waste.
      if (before === 0) this.adjustFs(this.owner.get(b), 0, -1);
    }
  }

  /** One file block stops referencing `b`; frees what no longer has a reference. */
  unref(b: number): void {
    const left = this.refs.get(b) - 1;
    this.refs.set(b, left);
    const fs = this.owner.get(b);
    const e = this.extentOf.get(b);
    if (e === 0) {
      if (left === 0) {
        this.owner.set(b, 0);
        this.adjustFs(fs, -1, 0);
        this.freed++;
      }
      return;
    }
    const extentLeft = this.extentRefs.get(e) - 1;
    this.extentRefs.set(e, extentLeft);
    if (left === 0) this.adjustFs(fs, 0, 1);
    if (extentLeft === 0) {
      const first = this.extentFirst.get(e);
      const length = this.extentLength.get(e);
      for (let i = 0; i < length; i++) this.owner.set(first + i, 0);
      this.adjustFs(fs, -length, -length);
      this.freed += length;
    }
  }

  /** A file whose blocks are all new copies of `src`'s blocks, on `fs`. */
  copyFile(src: FileState, name: string, fs: number): FileState {
    const first = this.allocate(fs, src.size, (i) => this.value.get(src.map.get(i)));
    this.blocksCopied += src.size;
    return { name, size: src.size, map: consecutive(src.size, first, this.token), copiedUp: false };
  }

  /** A file sharing every block of `src` (reflink, snapshot, clone copy-up). */
  shareFile(src: FileState, name: string): FileState {
    src.map.forEachNonZero((_i, b) => this.ref(b));
    return { name, size: src.size, map: src.map, copiedUp: false };
  }

  /** Drops every reference a file holds. */
  dropFile(file: FileState): void {
    file.map.forEachNonZero((_i, b) => this.unref(b));
  }

  freeze(): StorageData {
    const used = this.filesystems.reduce((n, f) => n + f.used, 0);
    const kept = this.filesystems.reduce((n, f) => n + f.kept, 0);
    return {
      policy: this.base.policy,
      filesystems: this.filesystems,
      volumes: this.volumes,
      containers: this.containers,
      refs: this.refs.freeze(),
      owner: this.owner.freeze(),
      value: this.value.freeze(),
      extentOf: this.extentOf.freeze(),
      extentFirst: this.extentFirst.freeze(),
      extentLength: this.extentLength.freeze(),
      extentRefs: this.extentRefs.freeze(),
      nextBlock: this.nextBlock,
      nextExtent: this.nextExtent,
      values: this.base.values,
      stats: {
        blocks: used,
        blocksCopied: this.blocksCopied,
        blocksWritten: this.blocksWritten,
        bytesCopied: this.blocksCopied * BLOCK_SIZE,
        peakBlocks: Math.max(this.base.stats.peakBlocks, used),
        blocksKept: kept,
      },
    };
  }
}

/** A block map [first, first+1, …] of `size` entries, built with `token`. */
export function consecutive(size: number, first: number, token: number): PVec {
  return fill(size, token, (i) => first + i);
}

export function fill(size: number, token: number, blockAt: (i: number) => number): PVec {
  const editor = PVec.zeros(size).edit(token);
  for (let i = 0; i < size; i++) editor.set(i, blockAt(i));
  return editor.freeze();
}

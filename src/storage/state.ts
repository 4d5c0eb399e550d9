// One version of the storage model: plain immutable data. Tables indexed by block or extent id
// are persistent vectors (the engine's PVec), so a new version copies only the trie paths a step
// touched, and every earlier version stays readable as it was.
import { ValueTable } from '../engine/frames';
import { PVec } from '../engine/pvec';
import { BLOCK_SIZE, MAX_BLOCK_IDS, ZERO_STORAGE_STATS, type FsType, type StoragePolicy, type StorageStats } from './types';

/** A file: its size in blocks and the physical block behind each logical block (0 = none). */
export interface FileState {
  readonly name: string;
  readonly size: number;
  readonly map: PVec;
  /** In a container's upper directory: the file came up from the lower layer. */
  readonly copiedUp: boolean;
}

export interface VolumeState {
  readonly name: string;
  readonly fs: number;
  readonly snapshotOf: string | null;
  /** Files in creation order (a Map keeps insertion order). */
  readonly files: ReadonlyMap<string, FileState>;
}

export interface ContainerState {
  readonly name: string;
  readonly lower: string;
  readonly upper: string;
  /** The upper directory's files (on the upper volume's file system). */
  readonly files: ReadonlyMap<string, FileState>;
  /** Lower files deleted in the container: a whiteout (a 0/0 character device) hides each. */
  readonly whiteouts: ReadonlySet<string>;
}

export interface FsState {
  readonly id: number;
  readonly type: FsType;
  readonly volumes: readonly string[];
  readonly used: number;
  readonly kept: number;
}

export interface StorageData {
  readonly policy: StoragePolicy;
  /** Index = file-system id; id 0 is unused so that 0 can mean "no file system". */
  readonly filesystems: readonly FsState[];
  readonly volumes: ReadonlyMap<string, VolumeState>;
  readonly containers: ReadonlyMap<string, ContainerState>;
  /** Per block id: file blocks referencing it. */
  readonly refs: PVec;
  /** Per block id: file-system id while allocated, 0 once freed (ids are never reused). */
  readonly owner: PVec;
  /** Per block id: the interned value it holds. */
  readonly value: PVec;
  /** Per block id: its btrfs extent (0 on xfs and ext4). */
  readonly extentOf: PVec;
  /** Per extent id: first block, length, and file blocks referencing any of it. */
  readonly extentFirst: PVec;
  readonly extentLength: PVec;
  readonly extentRefs: PVec;
  readonly nextBlock: number;
  readonly nextExtent: number;
  /** Interned block values, shared by every version of one lineage: the engine's value table. */
  readonly values: ValueTable;
  readonly stats: StorageStats;
}

export function emptyStorage(policy: StoragePolicy): StorageData {
  const vec = (): PVec => PVec.zeros(MAX_BLOCK_IDS);
  return {
    policy,
    filesystems: [{ id: 0, type: 'ext4', volumes: [], used: 0, kept: 0 }],
    volumes: new Map(),
    containers: new Map(),
    refs: vec(),
    owner: vec(),
    value: vec(),
    extentOf: vec(),
    extentFirst: vec(),
    extentLength: vec(),
    extentRefs: vec(),
    nextBlock: 1,
    nextExtent: 1,
    values: new ValueTable(),
    stats: ZERO_STORAGE_STATS,
  };
}

export function bytesOf(blocks: number): number {
  return blocks * BLOCK_SIZE;
}

// The storage model's public vocabulary: operations in, events and views out. Pure data types.
//
// A volume is a mounted file system (or, for btrfs, a subvolume: a snapshot is a new volume on
// the same file system). A file is a map from its logical blocks to physical blocks; a physical
// block belongs to one file system and carries a reference count. A container is an overlayfs
// mount: a read-only lower volume and an upper directory on another volume.

/** Bytes in one file-system block (the block size every model file system here uses). */
export const BLOCK_SIZE = 4096;

export type FsType = 'btrfs' | 'xfs' | 'ext4';
export const FS_TYPES: readonly FsType[] = ['btrfs', 'xfs', 'ext4'];

/** `cow` is what the file systems do; `eager` makes snapshots, reflinks and copy-ups copy every block. */
export type StoragePolicy = 'cow' | 'eager';

/** Largest btrfs data extent (BTRFS_MAX_EXTENT_SIZE, 128 MiB) in blocks. */
export const BTRFS_MAX_EXTENT_BLOCKS = 32_768;
/** Largest file, in blocks (4 GiB). */
export const MAX_FILE_BLOCKS = 1_048_576;
/** Most physical blocks one scenario may allocate over its whole run (64 GiB). */
export const MAX_BLOCK_IDS = 16_777_216;

export type StorageOperation =
  | { readonly op: 'volume'; readonly volume: string; readonly fs: FsType }
  | { readonly op: 'create'; readonly volume: string; readonly file: string; readonly blocks: number; readonly value?: string }
  | { readonly op: 'write'; readonly volume: string; readonly file: string; readonly first: number; readonly last: number; readonly value?: string }
  | { readonly op: 'read'; readonly volume: string; readonly file: string; readonly first: number; readonly last: number }
  | { readonly op: 'reflink'; readonly volume: string; readonly file: string; readonly target: string }
  | { readonly op: 'copy'; readonly volume: string; readonly file: string; readonly target: string }
  | { readonly op: 'delete'; readonly volume: string; readonly file: string }
  | { readonly op: 'snapshot'; readonly volume: string; readonly snapshot: string }
  | { readonly op: 'container'; readonly container: string; readonly lower: string; readonly upper: string };

export type StorageErrorCode =
  | 'unknown-volume'
  | 'unknown-file'
  | 'duplicate-name'
  | 'block-out-of-range'
  | 'not-supported'
  | 'read-only'
  | 'too-large';

export interface StorageError {
  readonly code: StorageErrorCode;
  readonly message: string;
}

/** One block of a file as a learner sees it. */
export interface FileBlockView {
  /** Physical block id (unique over the whole scenario, never reused). */
  readonly block: number;
  /** File blocks that reference this physical block (this one included). */
  readonly refs: number;
  readonly value: string;
}

export interface BlockView {
  readonly block: number;
  readonly fs: number;
  readonly refs: number;
  readonly value: string;
  /** btrfs: the extent holding the block, its first block and length; 0 elsewhere. */
  readonly extent: number;
}

export interface ExtentView {
  readonly extent: number;
  readonly fs: number;
  readonly first: number;
  readonly length: number;
  /** File blocks referencing any block of the extent. */
  readonly refs: number;
}

export interface VolumeView {
  readonly name: string;
  readonly fsType: FsType;
  /** File system id: a btrfs snapshot shares its origin's. */
  readonly fs: number;
  /** The volume it is a snapshot of, if any. */
  readonly snapshotOf: string | null;
  /** Containers using this volume as their lower layer (it is read-only while they exist). */
  readonly lowerOf: readonly string[];
}

export interface ContainerView {
  readonly name: string;
  readonly lower: string;
  readonly upper: string;
  /** Whether copy-up clones (same reflink-capable file system) or copies. */
  readonly copyUp: 'clone' | 'copy';
}

export interface FileView {
  readonly name: string;
  readonly blocks: number;
  /** For a container's merged view: where the file lives now. */
  readonly layer?: 'lower' | 'upper';
  /** For a container: the file was copied up from the lower layer. */
  readonly copiedUp?: boolean;
}

export interface FsView {
  readonly fs: number;
  readonly type: FsType;
  /** Volumes on this file system, the first one being the one `volume` created. */
  readonly volumes: readonly string[];
  /** Blocks allocated now (btrfs: every block of every live extent). */
  readonly used: number;
  /** btrfs: blocks of live extents that no file references any more, kept by the rest of their extent. */
  readonly kept: number;
}

export interface StorageStats {
  /** Physical blocks allocated now, on every file system (btrfs: whole extents). */
  readonly blocks: number;
  /** Blocks filled by copying another block (copy, full copy-up, eager snapshot/reflink). */
  readonly blocksCopied: number;
  /** Blocks written with new data by create and write. */
  readonly blocksWritten: number;
  /** blocksCopied × 4096. */
  readonly bytesCopied: number;
  /** Highest number of blocks allocated at any point so far. */
  readonly peakBlocks: number;
  /** btrfs blocks no file references but kept allocated by the rest of their extent. */
  readonly blocksKept: number;
}

export interface FileRef {
  readonly volume: string;
  readonly file: string;
}

export type StorageEvent =
  | { readonly kind: 'volume-created'; readonly volume: string; readonly fs: number; readonly fsType: FsType }
  | { readonly kind: 'snapshot'; readonly volume: string; readonly snapshot: string; readonly blocksShared: number; readonly blocksCopied: number }
  | { readonly kind: 'container-created'; readonly container: string; readonly lower: string; readonly upper: string }
  | { readonly kind: 'file-created'; readonly at: FileRef; readonly blocks: number }
  | { readonly kind: 'file-deleted'; readonly at: FileRef; readonly whiteout: boolean }
  | { readonly kind: 'blocks-allocated'; readonly at: FileRef; readonly blocks: readonly number[] }
  | { readonly kind: 'block-written'; readonly at: FileRef; readonly index: number; readonly block: number; readonly how: 'in-place' | 'cow' | 'new-extent' }
  | { readonly kind: 'blocks-shared'; readonly from: FileRef; readonly to: FileRef; readonly blocks: number }
  | { readonly kind: 'blocks-copied'; readonly from: FileRef; readonly to: FileRef; readonly blocks: number }
  | { readonly kind: 'copied-up'; readonly at: FileRef; readonly how: 'clone' | 'copy'; readonly blocks: number }
  | { readonly kind: 'blocks-freed'; readonly blocks: number }
  | { readonly kind: 'read'; readonly at: FileRef; readonly index: number; readonly value: string; readonly layer?: 'lower' | 'upper' };

export const ZERO_STORAGE_STATS: StorageStats = { blocks: 0, blocksCopied: 0, blocksWritten: 0, bytesCopied: 0, peakBlocks: 0, blocksKept: 0 };

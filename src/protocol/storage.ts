// The storage part of the panel's protocol: volumes and containers with their files as block
// tables, the physical blocks behind them, and the storage cost table. Types only (see
// messages.ts for the rules every protocol type follows).
//
// Rows: a file's table lists logical blocks; a row is one block or a run of blocks that read
// alike (block `first + k` is physical block `block + k * blockStep`, with the same reference
// count, value and extent). The physical-block column lists allocated blocks in id order, runs
// of alike blocks as one row. Both are sent a window at a time, like page tables.

import type { StorageStats } from '../storage/types';

export interface FileBlockRow {
  /** Logical blocks `first..last` of the file. */
  readonly first: number;
  readonly last: number;
  /** The physical block behind `first` (the storage model's block id). */
  readonly block: number;
  /** 1: the run's blocks are consecutive physical blocks; 0: a single block. */
  readonly blockStep: 0 | 1;
  /** File blocks referencing each of these physical blocks (this file's included). */
  readonly refs: number;
  readonly value: string;
  /** btrfs: the extent holding the blocks (0 on xfs and ext4). */
  readonly extent: number;
  /** This step changed these blocks (remapped, written, or their reference count changed). */
  readonly changed: boolean;
}

export interface PhysicalBlockRow {
  /** Physical blocks `first..last` (ids, consecutive). */
  readonly first: number;
  readonly last: number;
  /** The file system they are on. */
  readonly fs: number;
  /** File blocks referencing each block; 0: kept allocated by the rest of its btrfs extent. */
  readonly refs: number;
  readonly value: string;
  readonly extent: number;
  readonly changed: boolean;
}

export interface StorageRowWindow<Row> {
  readonly start: number;
  readonly rows: readonly Row[];
}

export interface FileTablePanel {
  readonly space: string;
  readonly file: string;
  readonly blocks: number;
  /** The file system its blocks are on. */
  readonly fs: number;
  /** In a container's merged view: where the file is now, and whether it was copied up. */
  readonly layer?: 'lower' | 'upper';
  readonly copiedUp?: boolean;
  readonly rowCount: number;
  readonly window: StorageRowWindow<FileBlockRow>;
  readonly firstChangedRow: number | null;
  /** Created (or copied up) by this step. */
  readonly isNew: boolean;
}

export interface SpacePanel {
  readonly name: string;
  readonly kind: 'volume' | 'container';
  /** A volume's file system type; a container's upper volume's. */
  readonly fsType: 'btrfs' | 'xfs' | 'ext4';
  readonly fs: number;
  /** A btrfs snapshot: the volume it was taken of. */
  readonly snapshotOf: string | null;
  /** Containers whose lower layer this volume is (it is read-only to them). */
  readonly lowerOf: readonly string[];
  /** A container's layers and how its copy-up works. */
  readonly lower?: string;
  readonly upper?: string;
  readonly copyUp?: 'clone' | 'copy';
  /** Colour index, stable for a space within a run (the panel's owner palette). */
  readonly colour: number;
  readonly isNew: boolean;
  readonly files: readonly FileTablePanel[];
}

export interface FileSystemPanel {
  readonly fs: number;
  readonly type: 'btrfs' | 'xfs' | 'ext4';
  readonly volumes: readonly string[];
  /** Blocks allocated now (btrfs: every block of every live extent). */
  readonly used: number;
  /** btrfs: blocks no file references, kept by the rest of their extent. */
  readonly kept: number;
}

/**
 * The storage model's counters after a step, as they cross to the webview: named one by one from
 * src/storage's `StorageStats` (documented there), so a counter renamed or dropped there fails to
 * compile here and one added does not cross until it is named.
 */
export type StorageStatsView = Readonly<Pick<StorageStats, 'blocks' | 'blocksCopied' | 'blocksWritten' | 'bytesCopied' | 'peakBlocks' | 'blocksKept'>>;

export interface StoragePanel {
  readonly spaces: readonly SpacePanel[];
  readonly fileSystems: readonly FileSystemPanel[];
  readonly blocks: { readonly rowCount: number; readonly window: StorageRowWindow<PhysicalBlockRow>; readonly firstChangedRow: number | null };
  readonly stats: { readonly primary: StorageStatsView; readonly comparison: StorageStatsView | null };
  readonly policy: 'cow' | 'eager';
  /** The comparison's policy; null when its replay stopped (an operation it refused). */
  readonly comparisonPolicy: 'cow' | 'eager' | null;
}

/** Which storage table rows are for: a file of a space, or (both null) the physical blocks. */
export interface StorageTableKey {
  readonly space: string | null;
  readonly file: string | null;
}

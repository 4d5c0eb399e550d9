// Every word the scenario language knows, with the one-line documentation the CLI help, hover
// and completion show. The kernel function next to each verb is the path the engine models
// (see linux-cow.md).

export const STATEMENT_KEYWORDS = ['mode', 'process', 'checkpoint', 'expect', 'note', 'volume', 'container'] as const;
export type StatementKeyword = (typeof STATEMENT_KEYWORDS)[number];

export const VERBS = ['map', 'unmap', 'read', 'write', 'fork', 'vfork', 'exec', 'exit', 'madvise'] as const;
export type Verb = (typeof VERBS)[number];

/** Verbs only a volume or a container takes (`read` and `write` are shared with processes). */
export const STORAGE_VERBS = ['create', 'reflink', 'copy', 'delete', 'snapshot'] as const;
export type StorageVerb = (typeof STORAGE_VERBS)[number];

/** File systems a `volume` can be. */
export const FS_TYPE_WORDS = ['btrfs', 'xfs', 'ext4'] as const;
export type FsTypeWord = (typeof FS_TYPE_WORDS)[number];

/** Block claims about files: `expect snap log[3] exclusive`, `expect web app.bin copied-up`. */
export const BLOCK_PROPERTIES = ['exclusive', 'copied-up'] as const;
export type BlockProperty = (typeof BLOCK_PROPERTIES)[number];

/** Storage counters (`bytesCopied` counts memory and storage copies together). */
const STORAGE_COUNTERS_LIST = ['blocks', 'blocksCopied', 'blocksWritten'] as const;
export const STORAGE_COUNTERS: readonly string[] = STORAGE_COUNTERS_LIST;

export const POLICIES = ['cow', 'eager'] as const;
export const REGION_KINDS = ['private', 'shared'] as const;

/** madvise advice words; `normal` undoes both (MADV_DOFORK + MADV_KEEPONFORK). */
export const ADVICE_WORDS = ['dontfork', 'wipeonfork', 'normal'] as const;
export type AdviceWord = (typeof ADVICE_WORDS)[number];

/** Counters `expect` can compare; the first four are the fixed syntax, the rest extend it. */
export const COUNTERS = ['copies', 'frames', 'faults', 'reuses', 'bytesCopied', 'zeroMaps', 'ptesCopied', 'peakFrames', ...STORAGE_COUNTERS_LIST] as const;
export type Counter = (typeof COUNTERS)[number];

export const COMPARISONS = ['==', '!=', '<', '<=', '>', '>='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Page properties an `expect` can claim (each may be preceded by `not`). */
export const PAGE_PROPERTIES = ['private', 'zero', 'present', 'absent', 'writable', 'readonly', 'cow'] as const;
export type PageProperty = (typeof PAGE_PROPERTIES)[number];

export const PROCESS_STATUSES = ['running', 'suspended', 'exited'] as const;
export type ProcessStatusWord = (typeof PROCESS_STATUSES)[number];

/** Size units accepted after a region size: `map heap 2 MiB private`. */
export const SIZE_UNITS: Readonly<Record<string, number>> = { page: 1, pages: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** Process names that would make a line ambiguous to read. */
// (`volume` and `container` stay usable as process names: their statements have no ':'.)
export const RESERVED_PROCESS_NAMES: readonly string[] = [...STATEMENT_KEYWORDS.filter((k) => k !== 'volume' && k !== 'container'), ...COUNTERS];

export interface WordDoc {
  readonly summary: string;
  readonly kernel?: string;
  readonly example: string;
}

export const VERB_DOCS: Readonly<Record<Verb, WordDoc>> = {
  map: {
    summary: 'Create a region of anonymous memory: `private` (copy-on-write after fork) or `shared` (every process writes the same frames). No frame is allocated until a page is touched.',
    kernel: 'mmap(MAP_PRIVATE|MAP_ANONYMOUS) / mmap(MAP_SHARED|MAP_ANONYMOUS)',
    example: 'shell: map heap 8 private',
  },
  unmap: {
    summary: 'Remove a region from the address space; frames nobody else maps are freed.',
    kernel: 'munmap → unmap_vmas → zap_pte_range',
    example: 'shell: unmap heap',
  },
  read: {
    summary: 'Read pages. An untouched private page maps the shared zero page; an untouched shared page gets a real zeroed frame.',
    kernel: 'do_anonymous_page (private) / shmem_fault (shared)',
    example: 'shell: read heap[4]',
  },
  write: {
    summary: 'Write pages (optionally a value). A write-protected shared frame is copied; a frame only this process maps is reused in place.',
    kernel: 'do_anonymous_page, do_wp_page → wp_page_copy / wp_page_reuse',
    example: 'child: write heap[1..3] "mine"',
  },
  fork: {
    summary: 'Create a child with a copy of the page tables: private pages are write-protected in both and shared until one of them writes.',
    kernel: 'copy_process → dup_mm → copy_page_range → copy_present_ptes',
    example: 'shell: fork child',
  },
  vfork: {
    summary: 'Create a child that borrows the parent’s address space; the parent is suspended until the child execs or exits. Nothing is copied.',
    kernel: 'clone(CLONE_VM | CLONE_VFORK)',
    example: 'shell: vfork helper',
  },
  exec: {
    summary: 'Replace the address space with a fresh, empty one; references to the old frames are dropped.',
    kernel: 'execve → exec_mmap → mmput',
    example: 'child: exec',
  },
  exit: {
    summary: 'End the process; every frame it alone mapped is freed.',
    kernel: 'do_exit → exit_mm → mmput → exit_mmap',
    example: 'child: exit',
  },
  madvise: {
    summary: '`dontfork`: the pages are absent in a later fork child. `wipeonfork`: the child sees them zero-filled (private only). `normal` undoes both.',
    kernel: 'madvise(MADV_DONTFORK / MADV_WIPEONFORK / MADV_DOFORK / MADV_KEEPONFORK)',
    example: 'shell: madvise heap[0..1] dontfork',
  },
};

export const KEYWORD_DOCS: Readonly<Record<StatementKeyword, WordDoc>> = {
  mode: { summary: 'Optional header, before any statement: `cow` (what Linux does, the default) or `eager` (fork copies every resident private page).', example: 'mode eager' },
  process: { summary: 'Create a new process with an empty address space.', example: 'process shell' },
  checkpoint: { summary: 'Record the page tables at this point under a name (in `--json` output and the panel).', example: 'checkpoint "after fork"' },
  expect: { summary: 'State what should be true at this point: a page shared, private, zero…, a counter compared, a process status. `?` instead of a value asks the learner.', example: 'expect copies == 1' },
  note: { summary: 'A sentence shown to the learner at this step.', example: 'note "Only the page the child wrote was copied."' },
  volume: { summary: 'A new file system of its own (one loop-mounted image in the kernel check): `btrfs` (extents, snapshots, reflink), `xfs` (per-block reference counts, reflink) or `ext4` (no sharing at all).', example: 'volume data btrfs' },
  container: { summary: 'An overlayfs mount, as Docker builds a container: a read-only lower volume (the image) and an upper directory on a volume. The first write to a lower file copies it up — a clone when both are the same btrfs or XFS file system, a full copy otherwise.', example: 'container web image data' },
};

export const STORAGE_VERB_DOCS: Readonly<Record<StorageVerb | 'read' | 'write', WordDoc>> = {
  create: {
    summary: 'Create a file of N blocks of 4 KiB (also `1 MiB`, `1 GiB`), every block written (value optional). btrfs allocates extents of up to 128 MiB; XFS and ext4 allocate blocks at writeback.',
    kernel: 'cow_file_range (btrfs) / xfs_bmapi_convert_delalloc / ext4_map_blocks',
    example: 'data: create log 16 "v1"',
  },
  write: {
    summary: 'Overwrite blocks. btrfs always writes to a new place; XFS gives a shared block a new one (CoW) and overwrites the others in place; ext4 overwrites in place. In a container, the first write to a lower file copies it up.',
    kernel: 'cow_file_range (btrfs) / xfs_buffered_write_iomap_begin + xfs_reflink_end_cow / ext4_buffered_write_iter / ovl_copy_up',
    example: 'data: write log[3] "x"',
  },
  read: {
    summary: 'Read blocks. Reading never copies anything, through a container either.',
    kernel: 'ovl_read_iter (through a container)',
    example: 'data: read log[3]',
  },
  reflink: {
    summary: 'Clone a file: the copy shares every block of the original (`cp --reflink=always`, the FICLONE ioctl). btrfs and XFS only: ext4 refuses it (EOPNOTSUPP).',
    kernel: 'btrfs_remap_file_range → btrfs_clone / xfs_file_remap_range → xfs_reflink_remap_blocks',
    example: 'data: reflink log copy',
  },
  copy: {
    summary: 'An ordinary copy: every block is read and written to a newly allocated block.',
    example: 'data: copy log plain',
  },
  delete: {
    summary: 'Delete a file: its block references go away; a block is freed when nothing references it (btrfs: when nothing references any block of its extent). In a container, a lower file gets a whiteout.',
    kernel: 'btrfs_evict_inode / xfs_inactive / ext4_evict_inode / ovl_whiteout',
    example: 'data: delete log',
  },
  snapshot: {
    summary: 'btrfs only: a writable snapshot of the volume (subvolume) as a new volume on the same file system, sharing every block.',
    kernel: 'BTRFS_IOC_SNAP_CREATE_V2 → create_snapshot',
    example: 'data: snapshot snap',
  },
};

export const COUNTER_DOCS: Readonly<Record<Counter, string>> = {
  copies: 'frames filled by copying another frame (eager fork copies included)',
  frames: 'frames allocated now, the shared zero page excluded',
  faults: 'page faults taken so far',
  reuses: 'write faults resolved by reusing the frame in place (wp_page_reuse)',
  bytesCopied: 'bytes copied between frames and between blocks',
  zeroMaps: 'read faults that mapped the shared zero page',
  ptesCopied: 'page-table entries copied by fork (copy_present_ptes)',
  peakFrames: 'the most frames in use at any point so far',
  blocks: 'file-system blocks allocated now, on every volume (btrfs: whole extents)',
  blocksCopied: 'blocks filled by copying another block: copy, full copy-up, eager snapshot or reflink',
  blocksWritten: 'blocks written with new data by create and write',
};

export function isOneOf<T extends string>(list: readonly T[], word: string): word is T {
  return (list as readonly string[]).includes(word);
}

// Every word the scenario language knows, with the one-line documentation the CLI help, hover
// and completion show. The kernel function next to each verb is the path the engine models
// (see docs/kernel-model.md).

export const STATEMENT_KEYWORDS = ['mode', 'kernel', 'memory', 'process', 'checkpoint', 'expect', 'note', 'volume', 'container'] as const;
export type StatementKeyword = (typeof STATEMENT_KEYWORDS)[number];

export const VERBS = ['map', 'unmap', 'read', 'write', 'fork', 'vfork', 'exec', 'exit', 'madvise', 'vmsplice', 'drain', 'pin', 'unpin'] as const;
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
export const COUNTERS = ['copies', 'frames', 'faults', 'reuses', 'bytesCopied', 'zeroMaps', 'ptesCopied', 'peakFrames', 'oomKills', 'failedForks', ...STORAGE_COUNTERS_LIST] as const;
export type Counter = (typeof COUNTERS)[number];

/**
 * Memory figures of one process, in pages (`expect redis rss == 4`): what top's RES, smem's PSS
 * and "what it alone costs" show. Worked out like fs/proc/task_mmu.c smaps_account does.
 */
export const MEMORY_FIGURES = ['rss', 'pss', 'uss'] as const;
export type MemoryFigure = (typeof MEMORY_FIGURES)[number];

export const MEMORY_FIGURE_DOCS: Readonly<Record<MemoryFigure, string>> = {
  rss: 'resident set size in pages (top\'s RES): every page the process maps to a real frame, shared ones counted in full; the zero page not counted',
  pss: 'proportional set size in pages (smem\'s PSS): each mapped page divided by the number of page-table entries that map it; may be a fraction, e.g. 2.5',
  uss: 'unique set size in pages: the pages only this process maps (Private_Clean + Private_Dirty in smaps), what it alone costs',
};

export const COMPARISONS = ['==', '!=', '<', '<=', '>', '>='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Page properties an `expect` can claim (each may be preceded by `not`). */
export const PAGE_PROPERTIES = ['private', 'exclusive', 'zero', 'present', 'absent', 'writable', 'readonly', 'cow'] as const;
export type PageProperty = (typeof PAGE_PROPERTIES)[number];

/** Per-page counts an `expect` can compare: `expect p heap[0] refcount == 2`. */
export const PAGE_COUNTS = ['refcount', 'mapcount'] as const;
export type PageCount = (typeof PAGE_COUNTS)[number];

export const PAGE_COUNT_DOCS: Readonly<Record<PageCount, string>> = {
  refcount:
    "references to the page's frame: one per page-table entry mapping it, one per page a pipe holds (vmsplice), one per long-term pin. do_wp_page reuses a page that is not marked exclusive only when this is 1. (The kernel adds 1024 per pin, GUP_PIN_COUNTING_BIAS; the model counts 1.)",
  mapcount: 'page-table entries mapping the frame (what /proc/kpagecount reports); 1 is what pagemap bit 56 calls "exclusively mapped"',
};


export const PROCESS_STATUSES = ['running', 'suspended', 'exited', 'killed'] as const;
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
    summary: 'Create a region of anonymous memory: `private` (copy-on-write after fork) or `shared` (every process writes the same frames); `private huge` asks for transparent huge pages (a multiple of 512 pages). No frame is allocated until a page is touched.',
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
    summary: 'Write pages (optionally a value). A write-protected private page is reused in place when it carries the exclusive mark or its only reference is this mapping (reference count 1); otherwise it is copied. `kernel` before 5.9 changes the rule (see docs/kernel-model.md).',
    kernel: 'do_anonymous_page, do_wp_page → wp_page_reuse / wp_page_copy',
    example: 'child: write heap[1..3] "mine"',
  },
  fork: {
    summary: 'Create a child with a copy of the page tables of the regions that already have anonymous pages: their writable private entries are write-protected in both and shared until one of them writes (fork clears the exclusive mark). Pinned pages are copied for the child instead.',
    kernel: 'copy_process → dup_mm → dup_mmap → copy_page_range → copy_present_ptes (copy_present_pte before 6.9)',
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
  vmsplice: {
    summary: 'Splice pages into a pipe (created on first use). The pipe holds the pages themselves, not copies — one reference each — until it is drained, even after the process exits. At most 16 pages (the default pipe size).',
    kernel: 'vmsplice(2) → get_user_pages (FOLL_GET)',
    example: 'child: vmsplice heap[0] leak',
  },
  drain: {
    summary: 'Read a pipe empty: what its pages hold now is read, and their references are dropped.',
    kernel: 'read(2) on the pipe → put_page',
    example: 'reader: drain leak',
  },
  pin: {
    summary: 'Pin pages long-term for DMA, as registering an io_uring fixed buffer does: a write access first (the page becomes this process’s own), then one reference each until unpin. Fork copies pinned pages for the child (Linux 5.9 on).',
    kernel: 'io_uring_register(IORING_REGISTER_BUFFERS) → pin_user_pages(FOLL_WRITE | FOLL_LONGTERM)',
    example: 'server: pin buf[0..3]',
  },
  unpin: {
    summary: 'Drop the pins this process holds on the pages.',
    kernel: 'io_uring_register(IORING_UNREGISTER_BUFFERS) → unpin_user_pages',
    example: 'server: unpin buf[0..3]',
  },
  madvise: {
    summary: '`dontfork`: the pages are absent in a later fork child. `wipeonfork`: the child sees them zero-filled (private only). `normal` undoes both.',
    kernel: 'madvise(MADV_DONTFORK / MADV_WIPEONFORK / MADV_DOFORK / MADV_KEEPONFORK)',
    example: 'shell: madvise heap[0..1] dontfork',
  },
};

export const KEYWORD_DOCS: Readonly<Record<StatementKeyword, WordDoc>> = {
  kernel: {
    summary: 'Optional header, before any statement: which Linux release’s rules apply, e.g. `kernel 4.19` (write faults reuse a page mapped once, so the vmsplice leak happens), `kernel 5.15` (reference count 1), or today’s rules when omitted.',
    example: 'kernel 4.19',
  },
  memory: {
    summary:
      'Optional header, before any statement: the machine has this much physical memory, in 4 KiB frames (`memory 512`) or as a size (`memory 2 GiB`), and no swap. Copy-on-write forks without reserving anything (overcommit, as with vm.overcommit_memory = 1); a fault that then finds no free frame calls the OOM killer, which kills the process with the highest oom_badness (resident pages + page tables). Under `mode eager` a fork whose full copy does not fit fails at once with ENOMEM.',
    example: 'memory 2 GiB',
  },
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
  ptesCopied: 'page-table entries copied by fork (copy_present_ptes; copy_present_pte before 6.9)',
  peakFrames: 'the most frames in use at any point so far',
  oomKills: 'processes the OOM killer killed because a fault found every frame of `memory N` in use (out_of_memory → oom_badness)',
  failedForks: 'fork() calls that failed with ENOMEM: under `mode eager` with `memory N`, a full copy that did not fit',
  blocks: 'file-system blocks allocated now, on every volume (btrfs: whole extents)',
  blocksCopied: 'blocks filled by copying another block: copy, full copy-up, eager snapshot or reflink',
  blocksWritten: 'blocks written with new data by create and write',
};

export function isOneOf<T extends string>(list: readonly T[], word: string): word is T {
  return (list as readonly string[]).includes(word);
}

// The engine's public vocabulary: operations in, events and views out.
// Pure data types only — no behaviour lives here.

import type { KernelVersion } from './kernel';

/** Bytes in one page / frame (x86-64 base page). */
export const PAGE_SIZE = 4096;

/** `cow` is what Linux does; `eager` copies every resident private page at fork. */
export type Policy = 'cow' | 'eager';

/**
 * What the kernel being modelled does where kernels differ by configuration, not by policy.
 * A scenario runs with LINUX_RULES; the kernel check runs the engine with the rules it found on
 * the machine it checks against.
 */
export interface MachineRules {
  /**
   * A read fault on untouched private anonymous memory maps the shared zero page
   * (do_anonymous_page). Some kernels forbid it (mm_forbids_zeropage(), or a guest kernel booted
   * without a zero page): then the read allocates a zeroed frame of the process's own, mapped
   * writable when the region is.
   */
  readonly zeroPage: boolean;
  /** Which Linux release's copy-on-write rules apply (kernel.ts); today's when omitted. */
  readonly kernel?: KernelVersion;
  /**
   * Physical memory in frames (the `memory N` header), no swap; unlimited (MAX_FRAMES) when
   * omitted. A full page allocator calls the OOM killer (oom.ts); a full copy that does not fit
   * fails fork with ENOMEM.
   */
  readonly memory?: number;
}

/** Mainline Linux on x86-64 and arm64. */
export const LINUX_RULES: MachineRules = { zeroPage: true };

/** MAP_PRIVATE | MAP_ANONYMOUS or MAP_SHARED | MAP_ANONYMOUS. */
export type RegionKind = 'private' | 'shared';

/** madvise advice the engine models. `normal` clears dontfork/wipeonfork (MADV_DOFORK / MADV_KEEPONFORK). */
export type Advice = 'dontfork' | 'wipeonfork' | 'normal';

/** Largest region the engine accepts, in pages (16 GiB of 4 KiB pages). */
export const MAX_REGION_PAGES = 4_194_304;
/** Largest number of frames the engine will allocate in total (64 GiB). */
export const MAX_FRAMES = 16_777_216;
/** Longest value a page may hold, in characters. */
export const MAX_VALUE_LENGTH = 256;
/** Most processes alive or exited in one machine. */
export const MAX_PROCESSES = 4096;
/** Pages one pipe holds at most: the default pipe size, 16 buffers of one page (PIPE_DEF_BUFFERS). */
export const PIPE_PAGES = 16;
/** Pages in one transparent huge page (2 MiB / 4 KiB): one PMD entry maps them all. */
export const HUGE_PAGES = 512;

export type Operation =
  | { readonly op: 'spawn'; readonly process: string }
  /** `huge`: MADV_HUGEPAGE on a 2 MiB-aligned private region, `pages` a multiple of HUGE_PAGES (huge.ts). */
  | { readonly op: 'map'; readonly process: string; readonly region: string; readonly pages: number; readonly kind: RegionKind; readonly huge?: boolean }
  | { readonly op: 'unmap'; readonly process: string; readonly region: string }
  | { readonly op: 'read'; readonly process: string; readonly region: string; readonly first: number; readonly last: number }
  | { readonly op: 'write'; readonly process: string; readonly region: string; readonly first: number; readonly last: number; readonly value?: string }
  | { readonly op: 'fork'; readonly process: string; readonly child: string }
  | { readonly op: 'vfork'; readonly process: string; readonly child: string }
  | { readonly op: 'exec'; readonly process: string }
  | { readonly op: 'exit'; readonly process: string }
  | { readonly op: 'madvise'; readonly process: string; readonly region: string; readonly first: number; readonly last: number; readonly advice: Advice }
  /** vmsplice(2) without SPLICE_F_GIFT: the pipe takes a reference on each page (created on first use). */
  | { readonly op: 'vmsplice'; readonly process: string; readonly region: string; readonly first: number; readonly last: number; readonly pipe: string }
  /** Read the pipe empty: its page references are dropped. */
  | { readonly op: 'drain'; readonly process: string; readonly pipe: string }
  /** A long-term pin for DMA (FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE), e.g. an io_uring fixed buffer. */
  | { readonly op: 'pin'; readonly process: string; readonly region: string; readonly first: number; readonly last: number }
  | { readonly op: 'unpin'; readonly process: string; readonly region: string; readonly first: number; readonly last: number };

export type ErrorCode =
  | 'unknown-process'
  | 'unknown-region'
  | 'unknown-pipe'
  | 'not-pinned'
  | 'duplicate-name'
  | 'page-out-of-range'
  | 'segfault'
  | 'process-exited'
  | 'process-suspended'
  | 'too-large'
  | 'out-of-memory'
  | 'invalid-argument';

export interface EngineError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** How a page-table entry looks to a learner (and to /proc/self/pagemap). */
export interface PteView {
  /** Present bit: the entry maps a frame (the zero page included). */
  readonly present: boolean;
  /** Frame number, 'zero' for the shared zero page, null when not present. */
  readonly frame: number | 'zero' | null;
  readonly writable: boolean;
  /** Present, private, write-protected, not the zero page: the next write goes through do_wp_page. */
  readonly cow: boolean;
  /** The region is MAP_SHARED. */
  readonly shared: boolean;
  /** The frame is mapped by exactly this one entry (pagemap bit 56, PM_MMAP_EXCLUSIVE). */
  readonly exclusive: boolean;
  /**
   * The anonymous page carries the kernel's exclusive mark (PageAnonExclusive, Linux 5.19 on):
   * set when a fault allocates, copies or reuses it, cleared by fork on the pages it shares.
   * Always false under an older `kernel`, which had no such mark.
   */
  readonly anonExclusive: boolean;
  /** The page lies in a MADV_DONTFORK hole inherited at fork: no mapping, access is SIGSEGV. */
  readonly hole: boolean;
  /**
   * Mapped by one PMD entry covering HUGE_PAGES pages (a transparent huge page, or the huge zero
   * page), not by an entry of its own. Present (true) only on such pages.
   */
  readonly pmd?: boolean;
}

export interface FrameView {
  readonly frame: number;
  /** Number of page-table entries that point at this frame. */
  readonly mapCount: number;
  /** References to the frame: one per mapping entry, per page a pipe holds, per long-term pin (the kernel's page_count, as modelled). */
  readonly refCount: number;
  /** References held by pipes (vmsplice). */
  readonly pipeRefs: number;
  /** Long-term pins. */
  readonly pins: number;
  /** The small value the page holds ('' for zero-filled). */
  readonly value: string;
  /** Held by a shared-memory object (MAP_SHARED anonymous, shmem page cache). */
  readonly shmem: boolean;
}

export type ProcessStatus = 'running' | 'suspended' | 'exited';

export interface ProcessView {
  readonly name: string;
  readonly pid: number;
  readonly status: ProcessStatus;
  readonly parent: string | null;
  /** vfork child: the name of the process whose address space it borrows. */
  readonly borrowsFrom: string | null;
}

export interface RegionView {
  readonly name: string;
  readonly pages: number;
  readonly kind: RegionKind;
  /** Backed by transparent huge pages (`map … private huge`); present (true) only then. */
  readonly huge?: boolean;
}

export interface Stats {
  /** Frames allocated now (zero page excluded). */
  readonly frames: number;
  /** Frames filled by copying another frame (eager fork copies included). */
  readonly copies: number;
  readonly bytesCopied: number;
  readonly faults: number;
  /** Write faults resolved by reusing the frame in place (wp_page_reuse). */
  readonly reuses: number;
  /** Read faults that mapped the shared zero page. */
  readonly zeroMaps: number;
  /** Page-table entries copied by fork (copy_present_ptes). */
  readonly ptesCopied: number;
  /** Highest number of frames in use at any point so far. */
  readonly peakFrames: number;
  // Operation counts for the time estimate (cost.ts): frames allocated zero-filled, frames the
  // eager fork copied in bulk, fork() calls, page-table pages allocated at fork (one per 512
  // entries copied), entries torn down by munmap/exec/exit, and the estimated time with the
  // default cost model in nanoseconds (cost.ts prices the same counts with any other model).
  readonly zeroFills: number;
  readonly bulkCopies: number;
  readonly forks: number;
  readonly tablePages: number;
  readonly ptesZapped: number;
  readonly timeNs: number;
  /** Processes the OOM killer killed (oom.ts), and fork() calls that failed with ENOMEM. */
  readonly oomKills: number;
  readonly failedForks: number;
}

export type FaultKind =
  | 'read-anonymous' // do_anonymous_page, read: map the zero page
  | 'write-anonymous' // do_anonymous_page, write: fresh zeroed frame
  | 'write-protect' // do_wp_page
  | 'shmem-read' // shmem_fault
  | 'shmem-write'; // shmem_fault, then writable

export interface PageRef {
  readonly process: string;
  readonly region: string;
  readonly page: number;
}

export type EngineEvent =
  | { readonly kind: 'process-created'; readonly process: string; readonly parent: string | null; readonly how: 'spawn' | 'fork' | 'vfork' }
  | { readonly kind: 'process-exited'; readonly process: string }
  | { readonly kind: 'process-exec'; readonly process: string }
  | { readonly kind: 'process-suspended'; readonly process: string; readonly until: string }
  | { readonly kind: 'process-resumed'; readonly process: string }
  | { readonly kind: 'region-mapped'; readonly process: string; readonly region: string; readonly pages: number; readonly regionKind: RegionKind }
  | { readonly kind: 'region-unmapped'; readonly process: string; readonly region: string }
  | { readonly kind: 'advice'; readonly process: string; readonly region: string; readonly first: number; readonly last: number; readonly advice: Advice }
  | { readonly kind: 'fault'; readonly at: PageRef; readonly fault: FaultKind; readonly kernelFunction: string }
  | { readonly kind: 'frame-allocated'; readonly frame: number; readonly zeroed: boolean; readonly for: PageRef }
  | { readonly kind: 'frame-copied'; readonly from: number; readonly to: number; readonly for: PageRef }
  | { readonly kind: 'frame-reused'; readonly frame: number; readonly for: PageRef }
  | { readonly kind: 'frame-freed'; readonly frame: number }
  | { readonly kind: 'pte-changed'; readonly at: PageRef; readonly before: PteView; readonly after: PteView }
  | { readonly kind: 'read-value'; readonly at: PageRef; readonly value: string }
  /** __split_huge_pmd: the PMD entry over `at`'s 2 MiB became HUGE_PAGES page-table entries mapping the same frames. */
  | { readonly kind: 'pmd-split'; readonly at: PageRef; readonly first: number; readonly last: number }
  | { readonly kind: 'fork-copied'; readonly parent: string; readonly child: string; readonly ptesCopied: number; readonly framesCopied: number }
  | { readonly kind: 'pipe-spliced'; readonly pipe: string; readonly at: PageRef; readonly frame: number }
  | { readonly kind: 'pipe-drained'; readonly pipe: string; readonly process: string; readonly values: readonly string[] }
  | { readonly kind: 'page-pinned'; readonly at: PageRef; readonly frame: number }
  | { readonly kind: 'page-unpinned'; readonly at: PageRef; readonly frame: number }
  /** The page allocator found no free frame and the OOM killer killed `victim` (see OomKill). */
  | { readonly kind: 'oom-kill'; readonly kill: OomKill }
  /** fork() returned -1 with errno ENOMEM: a full copy needed more free frames than there were; no child. */
  | { readonly kind: 'fork-failed'; readonly process: string; readonly child: string; readonly needed: number; readonly free: number };

/** One process's score in the OOM killer's choice (mm/oom_kill.c: oom_badness), in pages. */
export interface OomCandidate {
  readonly process: string;
  /** get_mm_rss: pages it maps to a real frame, shared ones counted in full. */
  readonly rss: number;
  /** mm_pgtables_bytes / PAGE_SIZE, last-level page tables only: one per 512-page span it has entries in. */
  readonly tablePages: number;
  /** rss + tablePages (oom_score_adj is 0 for every process here; no swap). */
  readonly points: number;
}

/** One OOM kill: who needed a frame, every candidate's score, and who was killed. */
export interface OomKill {
  /** The process whose fault needed a frame. */
  readonly faulting: string;
  readonly at: PageRef | null;
  /** The machine's frames (`memory N`): all of them were in use. */
  readonly memory: number;
  /** Killable processes in creation order (vfork children and exited processes are not candidates). */
  readonly candidates: readonly OomCandidate[];
  readonly victim: string;
  /** Frames the kill freed (those only the victim held). */
  readonly freed: number;
}

/** A long-term pin: which process pinned which page, and the frame the pin holds. */
export interface PinView {
  readonly process: string;
  readonly region: string;
  readonly page: number;
  readonly frame: number;
}

/** At most this many events of one kind are reported per step; the rest are summarised by `eventsOmitted`. */
export const MAX_EVENTS_PER_STEP = 4096;

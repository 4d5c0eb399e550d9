// Every message between the extension host and the CoW Lab panel's webview, as discriminated
// unions on `type`. Types only: both sides import this file with `import type`, so nothing here
// reaches a bundle. The host validates everything the webview sends (src/panel/validate.ts);
// the webview trusts the host.
//
// Positions: a scenario run has `stepCount` steps, one per statement; position i shows the
// machine after statement i (0-based). Runs are numbered (`runId`) so a reply that was asked
// for before an edit re-ran the scenario can be recognised and dropped.

import type { FileBlockRow, PhysicalBlockRow, StoragePanel, StorageRowWindow } from './storage';

/** Bumped when a persisted panel state could no longer be read by this version. */
export const PANEL_STATE_VERSION = 1;

/** The panel's view type (package.json activationEvents: onWebviewPanel:cowLab.panel). */
export const PANEL_VIEW_TYPE = 'cowLab.panel';

/** Which machine a table belongs to: the scenario's own policy, or the other one for comparison. */
export type MachineKey = 'primary' | 'comparison';

export type PolicyName = 'cow' | 'eager';

/** A frame number, 'zero' for the shared zero page, null when the entry maps nothing. */
export type FrameRef = number | 'zero' | null;

/**
 * One row of a page table: a single entry, or a run of entries that read the same. In a run,
 * page `first + k` maps frame `frame + k * frameStep` (frameStep 0: every page maps `frame`).
 */
export interface PteRow {
  readonly first: number;
  readonly last: number;
  readonly frame: FrameRef;
  readonly frameStep: -1 | 0 | 1;
  readonly present: boolean;
  readonly writable: boolean;
  readonly cow: boolean;
  readonly shared: boolean;
  /** Mapped by exactly this entry (pagemap's PM_MMAP_EXCLUSIVE). */
  readonly exclusive: boolean;
  /**
   * The page carries the kernel's exclusive mark (PageAnonExclusive, Linux 5.19 on): a write
   * reuses it without counting references. Absent: not marked.
   */
  readonly anonExclusive?: boolean;
  /** A MADV_DONTFORK hole: no mapping, an access is SIGSEGV. */
  readonly hole: boolean;
  /**
   * One PMD entry maps these pages (a 2 MiB transparent huge page, or the huge zero page): such a
   * row is never longer than the 512 pages of one PMD entry. Absent: mapped by page-table entries.
   */
  readonly pmd?: boolean;
  /** This step changed these entries. */
  readonly changed: boolean;
}

/** Rows `start .. start + rows.length - 1` of a region's row list. */
export interface RowWindow {
  readonly start: number;
  readonly rows: readonly PteRow[];
}

/** How a frame took part in this step ('written': its value changed through a writable entry, no fault). */
export type FrameChange = 'allocated' | 'copied' | 'reused' | 'freed' | 'written';

export interface FrameInfo {
  readonly frame: number;
  readonly mapCount: number;
  /** References: one per mapping entry, per page a pipe holds, per long-term pin. Absent: equal to mapCount. */
  readonly refCount?: number;
  /** Pipes holding the frame (vmsplice), one name per page they hold. Absent: none. */
  readonly pipes?: readonly string[];
  /** Long-term pins on the frame (io_uring fixed buffers). Absent: none. */
  readonly pins?: number;
  readonly value: string;
  readonly shmem: boolean;
  /** Processes whose page tables map it. */
  readonly owners: readonly string[];
  readonly change: FrameChange | null;
  /** For a copy made this step: the frame it was copied from. */
  readonly copiedFrom: number | null;
}

/** Frames a collapsed run of entries maps: `first`, `first + step`, … `last`. */
export interface FrameSpan {
  readonly first: number;
  readonly last: number;
  readonly step: -1 | 1;
  readonly count: number;
  readonly owners: readonly string[];
  /** The run of entries mapping them changed this step (e.g. a write faulted them all in). */
  readonly changed: boolean;
}

export interface RegionTable {
  readonly process: string;
  readonly region: string;
  readonly pages: number;
  readonly kind: 'private' | 'shared';
  /** Rows after collapsing runs; the webview shows them in a virtual list. */
  readonly rowCount: number;
  readonly window: RowWindow;
  /** First row this step changed, to bring into view; null when nothing changed. */
  readonly firstChangedRow: number | null;
  /** Pages the learner asked to see one row each (expanded runs, pages gone to), in page order. */
  readonly expanded?: readonly PageSpan[];
}

/** Pages `first..last` inclusive. */
export interface PageSpan {
  readonly first: number;
  readonly last: number;
}

export interface ProcessPanel {
  readonly name: string;
  readonly pid: number;
  readonly status: 'running' | 'suspended' | 'exited';
  readonly parent: string | null;
  /** A vfork child borrows this process's address space (no tables of its own). */
  readonly borrowsFrom: string | null;
  /** Owner colour: index into the panel's palette, stable for a process within a run. */
  readonly colour: number;
  /** Created by this step. */
  readonly isNew: boolean;
  readonly regions: readonly RegionTable[];
}

export interface MachinePanel {
  readonly key: MachineKey;
  readonly policy: PolicyName;
  readonly processes: readonly ProcessPanel[];
  /** Frames the sent rows map, frames this step touched (freed ones too), sorted by number. */
  readonly frames: readonly FrameInfo[];
  /** Frames mapped by collapsed runs, one box per run (their frames are not repeated in `frames`). */
  readonly spans: readonly FrameSpan[];
  /** Some entry in the sent rows maps the zero page. */
  readonly zeroPageMapped: boolean;
  /** Frames in use in the whole machine (zero page excluded). */
  readonly framesInUse: number;
  /** `frames` and `spans` show every frame in use (small machines); otherwise only those the rows map. */
  readonly framesComplete: boolean;
  /** Processes that exited by this step (their tables are gone). */
  readonly exited: readonly string[];
  /** Pipes made so far (vmsplice), with what each page they hold reads now. Absent: none. */
  readonly pipes?: readonly PipePanel[];
}

/** A pipe and the pages it holds: references to frames, read when the pipe is read. */
export interface PipePanel {
  readonly name: string;
  readonly pages: readonly { readonly frame: number; readonly value: string }[];
}

/**
 * A machine's counters after a step, as they cross to the webview. The protocol's own type (the
 * host copies the engine's statistics field by field, src/panel/stepModel.ts statsView): a change
 * to the engine's counters does not silently change what the webview receives.
 */
export interface StatsView {
  /** Frames allocated now (zero page excluded). */
  readonly frames: number;
  /** Frames filled by copying another frame (a full-copy fork's copies included). */
  readonly copies: number;
  readonly bytesCopied: number;
  readonly faults: number;
  /** Write faults resolved by reusing the frame in place. */
  readonly reuses: number;
  /** Read faults that mapped the shared zero page. */
  readonly zeroMaps: number;
  /** Page-table entries copied by fork. */
  readonly ptesCopied: number;
  /** Highest number of frames in use at any point so far. */
  readonly peakFrames: number;
  /** Counts behind the time estimate: frames zero-filled, frames a full-copy fork copied in bulk, forks, page-table pages allocated at fork, entries torn down. */
  readonly zeroFills: number;
  readonly bulkCopies: number;
  readonly forks: number;
  readonly tablePages: number;
  readonly ptesZapped: number;
  /** The estimated time of everything so far, in nanoseconds (the default cost model). */
  readonly timeNs: number;
}

/** What kind of moment a step is: drives its badge and the narration. */
export type StepKind =
  | 'write-fault' // do_wp_page copied a frame
  | 'reuse' // do_wp_page reused the frame in place
  | 'fault' // an anonymous or shmem fault, no copy
  | 'fork'
  | 'exec'
  | 'exit'
  | 'map'
  | 'quiet' // an access that needed no fault, note, checkpoint
  | 'expect-pass'
  | 'expect-fail'
  | 'oom-kill' // a fault found no free frame: the OOM killer killed a process
  | 'fork-failed'; // fork returned ENOMEM (a full copy that did not fit)

export interface StepView {
  readonly runId: number;
  readonly position: number;
  readonly stepCount: number;
  /** 1-based source line of the statement, and its last line. */
  readonly line: number;
  readonly endLine: number;
  readonly statement: string;
  readonly kind: StepKind;
  readonly explanation: string;
  /** One sentence for screen readers: where we are and what happened. */
  readonly narration: string;
  readonly machines: readonly MachinePanel[];
  readonly stats: { readonly primary: StatsView; readonly comparison: StatsView | null };
  readonly time: StepTimeView;
  /** With a `memory N` header: frames in use of the machine's, OOM kills, a full copy's ENOMEM fork. */
  readonly memoryLimit?: string;
  /** RSS, PSS and USS per process as top and smem show them (issue 17); absent from an older host. */
  readonly memory?: { readonly primary: MemoryPanelView; readonly comparison: MemoryPanelView | null };
  /** Volumes, containers, files and physical blocks (src/protocol/storage.ts); absent: the scenario uses no storage. */
  readonly storage?: StoragePanel;
}

/** One live process's memory figures, in pages. */
export interface ProcessMemoryView {
  readonly name: string;
  /** Owner colour: the same index as in the page tables. */
  readonly colour: number;
  /** Resident pages (top's RES): every real frame it maps, shared ones in full. */
  readonly rss: number;
  /** Proportional pages (smem's PSS), for bars; `pssText` is the exact figure. */
  readonly pss: number;
  /** "2.5", or "7/3 (2.333333)" when the decimal does not end. */
  readonly pssText: string;
  /** Pages it alone maps. */
  readonly uss: number;
  /** A vfork child: whose address space (and figures) it shows. */
  readonly borrowsFrom: string | null;
  /** One sentence: why RES, PSS and USS differ for it at this step. */
  readonly why: string;
}

export interface MemoryPanelView {
  readonly processes: readonly ProcessMemoryView[];
  /** What adding up top's RES column gives. */
  readonly rssSum: number;
  /** Sum of PSS over address spaces: the frames mapped, each once. */
  readonly pssSum: number;
  /** Sum of USS: frames mapped by exactly one process. */
  readonly ussSum: number;
  /** Frames in use (zero page excluded), of which shmem (MAP_SHARED) frames. */
  readonly frames: number;
  readonly shmemFrames: number;
  /** One sentence comparing the RES sum with the frames really in use. */
  readonly summary: string;
}

/** One point per step, for the chart. */
export interface StatsPoint {
  readonly frames: number;
  readonly copies: number;
  readonly bytesCopied: number;
  readonly faults: number;
  /** Estimated time so far, ns (the active cost model). */
  readonly timeNs: number;
}

/** The step's estimated time: the cost table's time row and who pays for this step. */
export interface StepTimeView {
  /** "copy-on-write 0.60 ms at fork + 5 faults 0.18 ms ≈ 0.79 ms; full copy …" */
  readonly row: string;
  /** "b pays 0.04 ms now: 1 page fault, 1 of them copying a page." ('' for a step that is no action) */
  readonly pays: string;
  /** Where the cost model comes from: measured on this machine, or the defaults. */
  readonly model: string;
}

export interface StepOutline {
  readonly line: number;
  readonly kind: StepKind;
  /** A checkpoint statement's name (the scrubber marks checkpoints). */
  readonly checkpoint?: string;
}

export interface ScenarioView {
  readonly runId: number;
  readonly fileName: string;
  readonly policy: PolicyName;
  /** The comparison machine's policy; null when the comparison could not be replayed. */
  readonly comparisonPolicy: PolicyName | null;
  readonly steps: readonly StepOutline[];
  readonly series: { readonly primary: readonly StatsPoint[]; readonly comparison: readonly StatsPoint[] | null };
  /** The run stopped early (an engine error): steps after it are missing. */
  readonly stoppedEarly: boolean;
}

export interface ProblemView {
  readonly line: number;
  readonly col: number;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
}

export interface ProblemsView {
  readonly fileName: string;
  readonly problems: readonly ProblemView[];
  /** The panel still shows the last run that worked (the current text has errors). */
  readonly showingLastGood: boolean;
}

/** Everything the panel shows; delivered with the HTML, then kept current by messages. */
export interface PanelSnapshot {
  /** URI of the scenario document the panel follows (persisted so a reload finds it again). */
  readonly document: string | null;
  readonly scenario: ScenarioView | null;
  readonly step: StepView | null;
  readonly problems: ProblemsView | null;
  readonly compare: boolean;
  /** Predict mode (absent from a host that has none). */
  readonly predict?: PredictView;
}

// ---------------------------------------------------------------------------------------------
// Predict mode: before a step runs, the learner predicts what it will do; the host grades.

/** What a predict question is about (src/tutorial/answers.ts QuestionKind, predict kinds only). */
export type PredictKind =
  | 'will-copy' | 'copies' | 'which-frame' | 'frames-after' | 'rss-after' | 'pss-after' | 'refcount'
  /** Storage (src/tutorial/predictStorage.ts): a written block moves, a file is copied up, blocks copied, blocks in use. */
  | 'new-block' | 'copied-up' | 'blocks-copied' | 'blocks-after';

/**
 * The answer a predict question wants: yes/no, a whole number, a frame id (`frame:N`, `new`,
 * `zero`, `none`), or for `pages` the number of pages as typed (`2.5`, `7/3`).
 */
export type PredictAnswer = boolean | number | string;

export interface PredictGrade {
  readonly questionId: string;
  readonly kind: PredictKind;
  readonly correct: boolean;
  /** The learner's answer, in words. */
  readonly givenText: string;
  readonly answerText: string;
  /** Why, naming the kernel function. */
  readonly explanation: string;
}

export interface PredictQuestionView {
  readonly id: string;
  readonly kind: PredictKind;
  readonly form: 'yes-no' | 'count' | 'frame' | 'pages';
  readonly prompt: string;
  readonly choices: readonly { readonly id: string; readonly label: string }[];
  /** Null until answered. */
  readonly grade: PredictGrade | null;
  /** The learner skipped it: not graded, not counted as wrong. */
  readonly skipped: boolean;
}

/** Predict mode's saved part: whether it is on, which scenario text the grades belong to, the grades. */
export interface PersistedPredict {
  readonly on: boolean;
  /** A hash of the scenario's text: grades are kept only while the text is unchanged. */
  readonly scenario: string;
  readonly graded: readonly PredictGrade[];
  /** Ids of questions the learner skipped (absent: none). */
  readonly skipped?: readonly string[];
}

export interface PredictView {
  readonly on: boolean;
  readonly runId: number;
  /**
   * The step the questions are about: the one about to run (`pending`: the panel still shows the
   * step before it), or the step on show when its questions were answered. Null: nothing to ask.
   */
  readonly step: number | null;
  readonly pending: boolean;
  readonly line: number;
  readonly statement: string;
  readonly questions: readonly PredictQuestionView[];
  /** Graded answers and right ones; skipped questions are counted apart, never as wrong. */
  readonly score: { readonly asked: number; readonly correct: number; readonly skipped: number };
  readonly saved: PersistedPredict;
}

/** What the webview keeps through getState/setState, and the serializer reads back. */
export interface PersistedPanelState {
  readonly version: typeof PANEL_STATE_VERSION;
  /** The scenario document's URI, as a string. */
  readonly document: string;
  readonly position: number;
  readonly compare: boolean;
  /** Predict mode's grades for this scenario (absent: predict mode off, nothing answered). */
  readonly predict?: PersistedPredict;
}

export type HostMessage =
  | { readonly type: 'snapshot'; readonly snapshot: PanelSnapshot }
  | { readonly type: 'step'; readonly step: StepView }
  | { readonly type: 'compare'; readonly on: boolean; readonly step: StepView | null }
  | { readonly type: 'predict'; readonly predict: PredictView }
  /** The answer to goToPage, after the step that shows the page on its own row. */
  | { readonly type: 'pageFound'; readonly runId: number; readonly position: number; readonly region: string; readonly page: number; readonly found: readonly FoundPage[] }
  | {
      readonly type: 'rows';
      readonly runId: number;
      readonly position: number;
      readonly machine: MachineKey;
      readonly process: string;
      readonly region: string;
      readonly window: RowWindow;
      readonly frames: readonly FrameInfo[];
      readonly spans: readonly FrameSpan[];
      readonly zeroPageMapped: boolean;
    }
  | StorageRowsMessage;

/** Rows of a storage table after a scroll: a file's (space and file) or the physical blocks' (both null). */
export type StorageRowsMessage =
  | { readonly type: 'fileRows'; readonly runId: number; readonly position: number; readonly space: string; readonly file: string; readonly window: StorageRowWindow<FileBlockRow> }
  | { readonly type: 'blockRows'; readonly runId: number; readonly position: number; readonly window: StorageRowWindow<PhysicalBlockRow> };

export type NavigationTarget = 'first' | 'back' | 'forward' | 'last';

/** Where "go to page" found a page: one row in each table that has it. */
export interface FoundPage {
  readonly machine: MachineKey;
  readonly process: string;
  readonly row: number;
}

/** Most rows one request may ask for. */
export const MAX_ROWS_PER_REQUEST = 512;

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'navigate'; readonly to: NavigationTarget }
  | { readonly type: 'goTo'; readonly position: number }
  | { readonly type: 'setCompare'; readonly on: boolean }
  | { readonly type: 'setPredict'; readonly on: boolean }
  /** An answer to question `questionId` (`step-N/kind`) of step `step`. */
  | { readonly type: 'predictAnswer'; readonly step: number; readonly questionId: string; readonly answer: PredictAnswer }
  /** Skips question `questionId` of step `step` (counted as skipped, not wrong). */
  | { readonly type: 'predictSkip'; readonly step: number; readonly questionId: string }
  | { readonly type: 'revealStatement'; readonly position: number }
  /** Spells out a collapsed run of entries (pages `first..last`), one row per page. */
  | { readonly type: 'expandRun'; readonly machine: MachineKey; readonly process: string; readonly region: string; readonly first: number; readonly last: number }
  /** Collapses the expanded run that holds `page` again. */
  | { readonly type: 'collapseRun'; readonly machine: MachineKey; readonly process: string; readonly region: string; readonly page: number }
  /** Shows page `page` of `region` (in `process`'s table, or every table that has it) on a row of its own. */
  | { readonly type: 'goToPage'; readonly process: string | null; readonly region: string; readonly page: number }
  | {
      readonly type: 'requestRows';
      readonly runId: number;
      readonly position: number;
      readonly machine: MachineKey;
      readonly process: string;
      readonly region: string;
      readonly start: number;
      readonly count: number;
    }
  /** Rows of a storage table: a file of a space, or the physical blocks (space and file null). */
  | { readonly type: 'requestStorageRows'; readonly runId: number; readonly position: number; readonly space: string | null; readonly file: string | null; readonly start: number; readonly count: number }
  /** The webview saw something wrong (a CSP violation, a render error): logged by the host. */
  | { readonly type: 'problem'; readonly message: string };

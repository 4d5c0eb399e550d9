// Every message between the extension host and the CoW Lab panel's webview, as discriminated
// unions on `type`. Types only: both sides import this file with `import type`, so nothing here
// reaches a bundle. The host validates everything the webview sends (src/panel/validate.ts);
// the webview trusts the host.
//
// Positions: a scenario run has `stepCount` steps, one per statement; position i shows the
// machine after statement i (0-based). Runs are numbered (`runId`) so a reply that was asked
// for before an edit re-ran the scenario can be recognised and dropped.

import type { FileBlockRow, PhysicalBlockRow, StoragePanel, StorageRowWindow } from './storage';
import type { FrameInfo, FrameSpan, MachineKey, MachinePanel, PolicyName, RowWindow, StatsView } from './tables';
import type { PersistedPredict, PredictAnswer, PredictView } from './predict';

export type * from './tables';
export type * from './predict';

/** Bumped when a persisted panel state could no longer be read by this version. */
export const PANEL_STATE_VERSION = 1;

/** The panel's view type (package.json activationEvents: onWebviewPanel:cowLab.panel). */
export const PANEL_VIEW_TYPE = 'cowLab.panel';

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

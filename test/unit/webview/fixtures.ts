// Hand-worked panel states for the webview's tests, and a jsdom page to render them in.
//
// The state is samples/02-write-fault.cow after `child: write heap[1] "mine"`, worked by hand
// from linux-cow.md (not produced by the host code): the parent wrote heap[0..3] into frames
// 1–4 and forked; every entry of both processes is write-protected and maps the parent's frame.
// The child's write to heap[1] faulted (do_wp_page); frame 2 was mapped twice, so wp_page_copy
// copied it into frame 5 and pointed the child's entry there, writable. Frame 2 is now the
// parent's alone (map count 1). An eager full copy of the same scenario has 8 frames (4 copied
// at fork) and took no fault for the write.
import { JSDOM } from 'jsdom';
import type {
  FrameInfo, MachinePanel, PanelSnapshot, PersistedPanelState, PteRow, RegionTable, ScenarioView, StatsView, StepView, WebviewMessage,
} from '../../../src/protocol/messages';
import { PanelApp } from '../../../webview/app';

export function pte(page: number, frame: PteRow['frame'], flags: Partial<PteRow> = {}): PteRow {
  return {
    first: page, last: page, frame, frameStep: 0, present: frame !== null, writable: false, cow: false, shared: false, exclusive: false, hole: false, changed: false,
    ...flags,
  };
}

export function region(process: string, rows: readonly PteRow[], extra: Partial<RegionTable> = {}): RegionTable {
  const changed = rows.findIndex((r) => r.changed);
  return { process, region: 'heap', pages: 4, kind: 'private', rowCount: rows.length, window: { start: 0, rows }, firstChangedRow: changed < 0 ? null : changed, ...extra };
}

function frame(n: number, mapCount: number, value: string, owners: string[], extra: Partial<FrameInfo> = {}): FrameInfo {
  return { frame: n, mapCount, value, shmem: false, owners, change: null, copiedFrom: null, ...extra };
}

const cow = { cow: true };

export const AFTER_WRITE_FAULT: MachinePanel = {
  key: 'primary',
  policy: 'cow',
  processes: [
    { name: 'parent', pid: 1, status: 'running', parent: null, borrowsFrom: null, colour: 0, isNew: false, regions: [region('parent', [pte(0, 1, cow), pte(1, 2, { ...cow, exclusive: true }), pte(2, 3, cow), pte(3, 4, cow)])] },
    { name: 'child', pid: 2, status: 'running', parent: 'parent', borrowsFrom: null, colour: 1, isNew: false, regions: [region('child', [pte(0, 1, cow), pte(1, 5, { writable: true, exclusive: true, changed: true }), pte(2, 3, cow), pte(3, 4, cow)])] },
  ],
  frames: [
    frame(1, 2, 'original', ['parent', 'child']),
    frame(2, 1, 'original', ['parent']),
    frame(3, 2, 'original', ['parent', 'child']),
    frame(4, 2, 'original', ['parent', 'child']),
    frame(5, 1, 'mine', ['child'], { change: 'copied', copiedFrom: 2 }),
  ],
  spans: [],
  zeroPageMapped: false,
  framesInUse: 5,
  framesComplete: true,
  exited: [],
};

export function stats(frames: number, copies: number, faults: number, extra: Partial<StatsView> = {}): StatsView {
  return { frames, copies, bytesCopied: copies * 4096, faults, reuses: 0, zeroMaps: 0, ptesCopied: 4, peakFrames: frames, zeroFills: 0, bulkCopies: 0, forks: 1, tablePages: 1, ptesZapped: 0, timeNs: 0, ...extra };
}

export function step(position: number, machines: readonly MachinePanel[], extra: Partial<StepView> = {}): StepView {
  return {
    runId: 1,
    position,
    stepCount: 6,
    line: 14,
    endLine: 14,
    statement: 'child: write heap[1] "mine"',
    kind: 'write-fault',
    explanation: 'child wrote heap[1]; frame 2 is mapped twice, so do_wp_page → wp_page_copy gave child a private copy in frame 5 (4 KiB copied).',
    narration: 'Step 5 of 6, line 14: child: write heap[1] "mine". Frames in use 4 → 5; copies 0 → 1.',
    machines,
    stats: { primary: stats(5, 1, 5), comparison: stats(8, 4, 4) },
    time: {
      row: 'copy-on-write 0.60 ms at fork + 5 faults 0.18 ms ≈ 0.78 ms; full copy 0.61 ms at fork + 4 faults 0.14 ms ≈ 0.75 ms',
      pays: 'child pays 0.04 ms now: 1 page fault, 1 of them copying a page.',
      model: "CoW Lab's defaults",
    },
    ...extra,
  };
}

export const SCENARIO: ScenarioView = {
  runId: 1,
  fileName: '02-write-fault.cow',
  policy: 'cow',
  comparisonPolicy: 'eager',
  steps: [9, 10, 11, 12, 14, 15].map((line, i) => ({ line, kind: i === 4 ? 'write-fault' : i === 3 ? 'fork' : 'quiet' })),
  series: {
    primary: [0, 0, 4, 4, 5, 5].map((frames, i) => ({ frames, copies: i >= 4 ? 1 : 0, bytesCopied: i >= 4 ? 4096 : 0, faults: i >= 2 ? 4 + (i >= 4 ? 1 : 0) : 0, timeNs: i * 100_000 })),
    comparison: [0, 0, 4, 8, 8, 8].map((frames, i) => ({ frames, copies: i >= 3 ? 4 : 0, bytesCopied: i >= 3 ? 16384 : 0, faults: i >= 2 ? 4 : 0, timeNs: i * 120_000 })),
  },
  stoppedEarly: false,
};

export function snapshot(extra: Partial<PanelSnapshot> = {}): PanelSnapshot {
  return { document: 'file:///work/02-write-fault.cow', scenario: SCENARIO, step: step(4, [AFTER_WRITE_FAULT]), problems: null, compare: false, ...extra };
}

export interface Page {
  readonly window: JSDOM['window'];
  readonly document: Document;
  readonly app: PanelApp;
  readonly posted: WebviewMessage[];
  readonly saved: PersistedPanelState[];
  /** Resolves after the page's next animation frame (jsdom runs them at 60 Hz when visual). */
  nextFrame(): Promise<void>;
  close(): void;
}

export function render(initial: PanelSnapshot): Page {
  const dom = new JSDOM('<!DOCTYPE html><html><body><main id="cow-lab"></main></body></html>', { pretendToBeVisual: true });
  const document = dom.window.document;
  const posted: WebviewMessage[] = [];
  const saved: PersistedPanelState[] = [];
  const root = document.getElementById('cow-lab') as HTMLElement;
  const app = new PanelApp(document, root, { post: (m) => posted.push(m), saveState: (s) => saved.push(s) }, initial);
  return {
    window: dom.window,
    document,
    app,
    posted,
    saved,
    nextFrame: () => new Promise((resolve) => dom.window.requestAnimationFrame(() => resolve())),
    close: () => dom.window.close(),
  };
}

/** The data rows of one process's table (header excluded), rendered. */
export function rowsOf(page: Page, process: string, machine = 'primary'): HTMLElement[] {
  return [...page.document.querySelectorAll<HTMLElement>(`[data-machine="${machine}"] [data-process="${process}"] .pte-row[data-row]`)];
}

/** The flags shown as set in a row, by column label (the flags cell's `data-on`, which the stylesheet colours from). */
export function flagsOf(row: HTMLElement): string[] {
  return (row.querySelector<HTMLElement>('.cell.flags')?.dataset.on ?? '').split(' ').filter((f) => f !== '');
}

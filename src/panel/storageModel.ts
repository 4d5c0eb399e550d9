// What the panel shows of storage at one step: volumes and containers with their files as block
// tables (a window of rows each), the physical blocks behind them, file systems with the space
// in use, and the storage cost table against the other policy (a full copy: `mode eager`, where
// snapshots, reflinks and copy-ups copy every block). Pure: no `vscode`.
import { createStorage, StorageTimeline, type Storage, type StorageStats } from '../storage';
import type { FileBlockRow, FileTablePanel, PhysicalBlockRow, SpacePanel, StoragePanel, StorageRowWindow, StorageStatsView } from '../protocol/storage';
import type { ScenarioRun } from './scenarioRun';
import { firstChanged, fileRows, physicalRows } from './storageRows';
import { StorageScans, toIntervals } from './storageScan';

/** Rows sent with a step for each table; the webview asks for others as it scrolls. */
export const STORAGE_WINDOW_ROWS = 200;
const CONTEXT_ROWS = 4;

interface StorageComparison {
  readonly policy: 'cow' | 'eager';
  readonly timeline: StorageTimeline;
  readonly stats: StorageStats[];
  stopped: boolean;
}

export class StoragePanelModel {
  private readonly scans = new StorageScans();
  private comparisonRun: StorageComparison | undefined;
  private readonly rowCache = new Map<string, readonly (FileBlockRow | PhysicalBlockRow)[]>();
  private readonly viewports = new Map<string, number>();

  constructor(readonly run: ScenarioRun) {}

  /** Whether the scenario uses storage at all (a volume by the end). */
  get used(): boolean {
    return !this.run.result.storage.latest.isEmpty();
  }

  after(position: number): Storage {
    return this.run.result.storage.at(this.run.steps[position]?.storage ?? 0);
  }

  before(position: number): Storage {
    return this.run.result.storage.at(position > 0 ? (this.run.steps[position - 1]?.storage ?? 0) : 0);
  }

  /** The storage part of step `position`, or undefined when no volume exists yet and none will. */
  view(position: number): StoragePanel | undefined {
    if (!this.used || position < 0 || position >= this.run.steps.length) return undefined;
    const after = this.after(position);
    const before = this.before(position);
    const order = this.run.result.storage.latest.spaces();
    const spaces: SpacePanel[] = [];
    for (const name of after.spaces()) spaces.push(this.spacePanel(position, after, before, name, Math.max(0, order.indexOf(name))));
    const blockRows = this.blockRows(position);
    const comparison = this.comparison(position);
    const blocksStart = this.pick(tableId(null, null), blockRows.length, firstChanged(blockRows));
    return {
      spaces,
      fileSystems: after.fileSystems().map((f) => ({ fs: f.fs, type: f.type, volumes: f.volumes, used: f.used, kept: f.kept })),
      blocks: { rowCount: blockRows.length, window: { start: blocksStart, rows: blockRows.slice(blocksStart, blocksStart + STORAGE_WINDOW_ROWS) }, firstChangedRow: firstChanged(blockRows) },
      stats: { primary: statsView(after.stats), comparison: comparison.stopped ? null : statsView(comparison.stats[position] ?? after.stats) },
      policy: after.policy,
      comparisonPolicy: comparison.stopped ? null : comparison.policy,
    };
  }

  /** Rows of a file's table after a scroll; undefined when the file is not there at that step. */
  fileRowsWindow(position: number, space: string, file: string, start: number, count: number): StorageRowWindow<FileBlockRow> | undefined {
    if (position < 0 || position >= this.run.steps.length) return undefined;
    const rows = this.fileRowsAt(position, space, file);
    return rows && this.slice(tableId(space, file), rows, start, count);
  }

  /** Rows of the physical blocks after a scroll. */
  blockRowsWindow(position: number, start: number, count: number): StorageRowWindow<PhysicalBlockRow> | undefined {
    if (!this.used || position < 0 || position >= this.run.steps.length) return undefined;
    return this.slice(tableId(null, null), this.blockRows(position), start, count);
  }

  private slice<Row>(id: string, rows: readonly Row[], start: number, count: number): StorageRowWindow<Row> {
    const first = Math.max(0, Math.min(start, rows.length));
    this.viewports.set(id, first);
    return { start: first, rows: rows.slice(first, first + count) };
  }

  private spacePanel(position: number, after: Storage, before: Storage, name: string, colour: number): SpacePanel {
    const volume = after.volume(name);
    const container = after.container(name);
    const isNew = before.volume(name) === undefined && before.container(name) === undefined;
    const files: FileTablePanel[] = [];
    for (const f of after.files(name)) {
      const resolved = after.resolve(name, f.name);
      const rows = this.fileRowsAt(position, name, f.name) ?? [];
      const changedRow = firstChanged(rows);
      const start = this.pick(tableId(name, f.name), rows.length, changedRow);
      const was = before.resolve(name, f.name);
      files.push({
        space: name, file: f.name, blocks: f.blocks, fs: resolved?.fs ?? 0,
        ...(f.layer !== undefined ? { layer: f.layer, copiedUp: f.copiedUp ?? false } : {}),
        rowCount: rows.length, window: { start, rows: rows.slice(start, start + STORAGE_WINDOW_ROWS) as FileBlockRow[] }, firstChangedRow: changedRow,
        isNew: was === undefined || was.layer !== resolved?.layer,
      });
    }
    if (container) {
      const upper = after.volume(container.upper);
      return {
        name, kind: 'container', fsType: upper?.fsType ?? 'ext4', fs: upper?.fs ?? 0, snapshotOf: null, lowerOf: [],
        lower: container.lower, upper: container.upper, copyUp: container.copyUp, colour, isNew, files,
      };
    }
    return { name, kind: 'volume', fsType: volume?.fsType ?? 'ext4', fs: volume?.fs ?? 0, snapshotOf: volume?.snapshotOf ?? null, lowerOf: volume?.lowerOf ?? [], colour, isNew, files };
  }

  private fileRowsAt(position: number, space: string, file: string): FileBlockRow[] | undefined {
    const key = `${position}\u0000${space}\u0000${file}`;
    const hit = this.rowCache.get(key);
    if (hit) return hit as FileBlockRow[];
    const after = this.after(position);
    const runs = this.scans.fileRuns(after, space, file);
    if (!runs) return undefined;
    const changed = this.scans.changedInFile(this.before(position), after, space, file, runs);
    const rows = fileRows(runs, changed, (v) => after.data.values.text(v));
    this.remember(key, rows);
    return rows;
  }

  private blockRows(position: number): PhysicalBlockRow[] {
    const key = `${position}\u0000\u0000blocks`;
    const hit = this.rowCache.get(key);
    if (hit) return hit as PhysicalBlockRow[];
    const after = this.after(position);
    const runs = this.scans.blockRuns(after).filter((r) => r.fs !== 0);
    const changed = this.scans.blocksChanged(this.before(position).data, after.data);
    const rows = physicalRows(runs, changed === null ? 'all' : toIntervals(changed), (v) => after.data.values.text(v));
    this.remember(key, rows);
    return rows;
  }

  private remember(key: string, rows: readonly (FileBlockRow | PhysicalBlockRow)[]): void {
    this.rowCache.set(key, rows);
    if (this.rowCache.size > 128) this.rowCache.delete(this.rowCache.keys().next().value as string);
  }

  /** The remembered scroll position of a table, moved only when the step's first change is out of view. */
  private pick(id: string, rowCount: number, changed: number | null): number {
    const latest = Math.max(0, rowCount - STORAGE_WINDOW_ROWS);
    let start = Math.min(this.viewports.get(id) ?? 0, latest);
    if (changed !== null && (changed < start || changed >= start + STORAGE_WINDOW_ROWS)) {
      start = Math.min(Math.max(0, changed - CONTEXT_ROWS), latest);
      this.viewports.set(id, start);
    }
    return start;
  }

  /**
   * The same storage operations on the other policy (cow ↔ eager), replayed as far as step
   * `position` on first need: a step forward replays one more operation, so no single step pays
   * for the whole run's full copies.
   */
  private comparison(position: number): StorageComparison {
    let c = this.comparisonRun;
    if (!c) {
      const policy = this.run.result.policy === 'cow' ? 'eager' : 'cow';
      c = { policy, timeline: new StorageTimeline(createStorage(policy)), stats: [], stopped: false };
      this.comparisonRun = c;
    }
    while (c.stats.length <= position && c.stats.length < this.run.steps.length) {
      const step = this.run.steps[c.stats.length];
      if (step?.storageOperation !== undefined && !c.stopped) c.stopped = !c.timeline.push(step.storageOperation).ok;
      c.stats.push(c.timeline.latest.stats);
    }
    return c;
  }
}

function tableId(space: string | null, file: string | null): string {
  return `${space ?? ''}\u0000${file ?? 'blocks'}`;
}

export function statsView(s: StorageStats): StorageStatsView {
  return { blocks: s.blocks, blocksCopied: s.blocksCopied, blocksWritten: s.blocksWritten, bytesCopied: s.bytesCopied, peakBlocks: s.peakBlocks, blocksKept: s.blocksKept };
}

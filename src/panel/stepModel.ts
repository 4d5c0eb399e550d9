// What the panel shows for one step, built from a scenario run: both machines' page tables
// (a window of rows each; the webview asks for more as it scrolls), frames, statistics, the
// explanation and a sentence for screen readers. Pure: no `vscode`.
import { stepCounts, timeNs, timeSplit, whoPays, type EngineEvent, type Machine, type Stats } from '../engine';
import { activeCostModel } from '../measure-vscode/activeModel';
import { timeRow } from '../tutorial/scenarioTime';
import type {
  MachineKey, MachinePanel, PolicyName, ProcessPanel, RegionTable, RowWindow, ScenarioView, StatsView, StepKind, StepTimeView, StepView,
} from '../protocol/messages';
import { frameColumn, frameTouches, pipePanels } from './frames';
import { memoryPanelView } from './memoryView';
import { comparisonAfter, comparisonBefore, machineAfter, machineBefore, statementText, type ScenarioRun } from './scenarioRun';
import { narrate, stepKind } from './narration';
import { memoryLimitLine } from './memoryLimit';
import { addInterval, firstChangedRow, rowOfPage, type PageInterval } from './runs';
import { StoragePanelModel } from './storageModel';
import { RowCache, regionRows, tableOwners } from './tables';

/** Rows sent with a step for each region; the webview asks for others as it scrolls. */
export const WINDOW_ROWS = 200;
/** Rows kept above the first changed row when a window is moved to show it. */
const CONTEXT_ROWS = 8;
/** Steps whose machines are kept (both policies): the current one and a few either side. */
const PAIRS_KEPT = 8;
/** Most pages one "expand" spells out (a longer run expands its first pages; expand again for more). */
export const EXPAND_PAGES = 4_096;
/** Most pages spelled out per table: expansions beyond it let the oldest ones collapse again. */
export const MAX_SPELLED_PAGES = 65_536;

/** A table the learner expanded a run of, or went to a page in. */
export interface TableTarget {
  readonly machine: MachineKey;
  readonly process: string;
  readonly region: string;
}

interface MachinePair {
  readonly key: MachineKey;
  readonly policy: PolicyName;
  readonly after: Machine;
  readonly before: Machine;
  readonly events: readonly EngineEvent[];
}

export class PanelModel {
  private readonly rows = new RowCache();
  /**
   * The machines of the steps in use, so that a step and the row requests that follow it read
   * the same Machine objects (scans and owner indexes are remembered per Machine). Long runs
   * rebuild a version from the Timeline on every read, as a new object.
   */
  private readonly pairs = new Map<string, MachinePair>();
  /** Where the learner last scrolled each table: the next step's window starts there. */
  private readonly viewports = new Map<string, number>();
  /**
   * Pages the learner asked to see one row each, by table (viewportKey), in page order: runs they
   * expanded and pages they went to. Kept across steps and re-runs, like the scroll positions.
   */
  private readonly spelled = new Map<string, { readonly intervals: readonly PageInterval[]; readonly version: number }>();
  private spelledVersion = 0;

  /** Volumes, containers, files and physical blocks (src/panel/storageModel.ts). */
  readonly storage: StoragePanelModel;

  constructor(readonly run: ScenarioRun) {
    this.storage = new StoragePanelModel(run);
  }

  get stepCount(): number {
    return this.run.steps.length;
  }

  /** Keeps the learner's scroll positions across a re-run of the edited scenario. */
  adoptViewports(from: PanelModel): void {
    for (const [key, start] of from.viewports) this.viewports.set(key, start);
    for (const [key, spelled] of from.spelled) this.spelled.set(key, spelled);
    this.spelledVersion = from.spelledVersion;
  }

  /** Spells out pages `first..` of a collapsed run, at most EXPAND_PAGES of them. */
  expand(target: TableTarget, first: number, last: number): void {
    this.spell(target, first, Math.min(last, first + EXPAND_PAGES - 1));
  }

  /** Collapses the expanded interval that holds `page` again. Returns whether there was one. */
  collapse(target: TableTarget, page: number): boolean {
    const key = viewportKey(target.machine, target.process, target.region);
    const intervals = this.spelled.get(key)?.intervals ?? [];
    const kept = intervals.filter((it) => page < it.first || page > it.last);
    if (kept.length === intervals.length) return false;
    this.spelled.set(key, { intervals: kept, version: ++this.spelledVersion });
    return true;
  }

  /** The pages of a table spelled out one row each. */
  spelledPages(target: TableTarget): readonly PageInterval[] {
    return this.spelled.get(viewportKey(target.machine, target.process, target.region))?.intervals ?? [];
  }

  /**
   * Goes to page `page` of `region` at step `position` in every table that has it (one process's,
   * or every process's when `process` is null), on the machines in `machines`: the page gets a row
   * of its own and the table's next window starts just above it. Returns where each one is.
   */
  findPage(position: number, machines: readonly MachineKey[], process: string | null, region: string, page: number): { readonly machine: MachineKey; readonly process: string; readonly row: number }[] {
    if (position < 0 || position >= this.run.steps.length) return [];
    const found = [];
    for (const key of machines) {
      if (key === 'comparison' && this.run.comparison.stoppedAt !== null) continue;
      const pair = this.pair(key, position);
      for (const name of tableOwners(pair.after)) {
        if (process !== null && name !== process) continue;
        const r = pair.after.regions(name).find((x) => x.name === region);
        if (!r || page >= r.pages) continue;
        this.spell({ machine: key, process: name, region }, page, page);
        const row = rowOfPage(this.regionRows(pair, position, name, region), page);
        if (row < 0) continue;
        this.viewports.set(viewportKey(key, name, region), Math.max(0, row - CONTEXT_ROWS));
        found.push({ machine: key, process: name, row });
      }
    }
    return found;
  }

  private spell(target: TableTarget, first: number, last: number): void {
    const key = viewportKey(target.machine, target.process, target.region);
    let intervals = addInterval(this.spelled.get(key)?.intervals ?? [], first, last);
    // Over the cap, the intervals furthest from this one collapse again.
    while (intervals.length > 1 && intervals.reduce((n, it) => n + it.last - it.first + 1, 0) > MAX_SPELLED_PAGES) {
      const far = intervals.reduce((a, b) => (Math.abs(b.first - first) > Math.abs(a.first - first) ? b : a));
      intervals = intervals.filter((it) => it !== far);
    }
    this.spelled.set(key, { intervals, version: ++this.spelledVersion });
  }

  scenarioView(): ScenarioView {
    const { run } = this;
    const model = activeCostModel().model;
    const point = (s: Stats) => ({ frames: s.frames, copies: s.copies, bytesCopied: s.bytesCopied, faults: s.faults, timeNs: timeNs(s, model) });
    const comparisonOk = run.comparison.stoppedAt === null;
    return {
      runId: run.id,
      fileName: run.fileName,
      policy: run.result.policy,
      comparisonPolicy: comparisonOk ? run.comparison.policy : null,
      steps: run.steps.map((s) => ({ line: s.range.line, kind: stepKind(s.events, s.expectation), ...(s.checkpoint !== undefined ? { checkpoint: s.checkpoint } : {}) })),
      series: { primary: run.stats.map(point), comparison: comparisonOk ? run.comparison.stats.map(point) : null },
      stoppedEarly: run.result.error !== undefined,
    };
  }

  stepView(position: number, compare: boolean): StepView {
    const { run } = this;
    const step = run.steps[position];
    if (!step) throw new RangeError(`no step ${position} in a run of ${run.steps.length}`);
    const machines = [this.machinePanel(this.pair('primary', position), position)];
    const comparisonOk = run.comparison.stoppedAt === null;
    if (compare && comparisonOk) machines.push(this.machinePanel(this.pair('comparison', position), position));
    const primary = statsView(run.stats[position] as Stats);
    const kind: StepKind = stepKind(step.events, step.expectation);
    const statement = statementText(run, position);
    const before = position > 0 ? statsView(run.stats[position - 1] as Stats) : null;
    return {
      runId: run.id,
      position,
      stepCount: run.steps.length,
      line: step.range.line,
      endLine: step.range.endLine,
      statement,
      kind,
      explanation: step.explanation,
      narration: narrate({ position, stepCount: run.steps.length, line: step.range.line, statement, explanation: step.explanation, before, after: primary }),
      machines,
      stats: { primary, comparison: comparisonOk ? statsView(run.comparison.stats[position] as Stats) : null },
      time: stepTime(run, position, comparisonOk),
      ...optionalMemoryLimit(memoryLimitLine(run, position, this.pair('primary', position).after)),
      memory: {
        primary: memoryPanelView(this.pair('primary', position).after),
        comparison: comparisonOk ? memoryPanelView(comparisonAfter(run, position)) : null,
      },
      ...storagePart(this.storage, position),
    };
  }

  /** Rows `start .. start + count - 1` of one table, for a webview that scrolled; undefined if it is gone. */
  rowsWindow(position: number, key: MachineKey, process: string, region: string, start: number, count: number) {
    if (position < 0 || position >= this.run.steps.length) return undefined;
    if (key === 'comparison' && this.run.comparison.stoppedAt !== null) return undefined;
    const pair = this.pair(key, position);
    if (!tableOwners(pair.after).includes(process) || !pair.after.regions(process).some((r) => r.name === region)) return undefined;
    const rows = this.regionRows(pair, position, process, region);
    const first = Math.max(0, Math.min(start, rows.length));
    this.viewports.set(viewportKey(key, process, region), first);
    const window: RowWindow = { start: first, rows: rows.slice(first, first + count) };
    const column = frameColumn(pair.after, pair.before, window.rows, null);
    return { window, frames: column.frames, spans: column.spans, zeroPageMapped: column.zeroPageMapped };
  }

  private pair(key: MachineKey, position: number): MachinePair {
    const id = `${key}:${position}`;
    const kept = this.pairs.get(id);
    if (kept) return kept;
    const { run } = this;
    const pair: MachinePair =
      key === 'primary'
        ? { key, policy: run.result.policy, after: machineAfter(run, position), before: machineBefore(run, position), events: run.steps[position]?.events ?? [] }
        : { key, policy: run.comparison.policy, after: comparisonAfter(run, position), before: comparisonBefore(run, position), events: run.comparison.events[position] ?? [] };
    this.pairs.set(id, pair);
    if (this.pairs.size > PAIRS_KEPT) this.pairs.delete(this.pairs.keys().next().value as string);
    return pair;
  }

  private regionRows(pair: MachinePair, position: number, process: string, region: string) {
    const spelled = this.spelled.get(viewportKey(pair.key, process, region));
    const key = `${pair.key}\u0000${position}\u0000${process}\u0000${region}\u0000${spelled?.version ?? 0}`;
    return this.rows.get(key, () => regionRows(pair.after, pair.before, process, region, spelled?.intervals ?? []));
  }

  private machinePanel(pair: MachinePair, position: number): MachinePanel {
    const { after, before } = pair;
    const all = after.processes();
    const hadTables = new Set(before.processes().filter((p) => p.status !== 'exited').map((p) => p.name));
    const sent = [];
    const processes: ProcessPanel[] = [];
    for (const [colour, p] of all.entries()) {
      if (p.status === 'exited') continue;
      const regions: RegionTable[] = [];
      if (p.borrowsFrom === null) {
        for (const r of after.regions(p.name)) {
          const rows = this.regionRows(pair, position, p.name, r.name);
          const window = this.pickWindow(pair.key, p.name, r.name, rows.length, firstChangedRow(rows));
          const windowRows = rows.slice(window, window + WINDOW_ROWS);
          sent.push(...windowRows);
          regions.push({
            process: p.name, region: r.name, pages: r.pages, kind: r.kind, rowCount: rows.length,
            window: { start: window, rows: windowRows }, firstChangedRow: firstChangedRow(rows),
            expanded: this.spelledPages({ machine: pair.key, process: p.name, region: r.name }),
          });
        }
      }
      processes.push({ name: p.name, pid: p.pid, status: p.status, parent: p.parent, borrowsFrom: p.borrowsFrom, colour, isNew: !hadTables.has(p.name), regions });
    }
    const column = frameColumn(after, before, sent, frameTouches(pair.events));
    return {
      key: pair.key,
      policy: pair.policy,
      processes,
      frames: column.frames,
      spans: column.spans,
      zeroPageMapped: column.zeroPageMapped,
      framesInUse: after.stats.frames,
      framesComplete: column.complete,
      exited: all.filter((p) => p.status === 'exited').map((p) => p.name),
      ...(after.pipes().size > 0 ? { pipes: pipePanels(after) } : {}),
    };
  }

  /** The remembered scroll position, moved only if the step's first change would be out of view. */
  private pickWindow(key: MachineKey, process: string, region: string, rowCount: number, changed: number | null): number {
    const latest = Math.max(0, rowCount - WINDOW_ROWS);
    let start = Math.min(this.viewports.get(viewportKey(key, process, region)) ?? 0, latest);
    if (changed !== null && (changed < start || changed >= start + WINDOW_ROWS)) {
      start = Math.min(Math.max(0, changed - CONTEXT_ROWS), latest);
      this.viewports.set(viewportKey(key, process, region), start);
    }
    return start;
  }
}

function storagePart(storage: StoragePanelModel, position: number): { storage?: NonNullable<StepView['storage']> } {
  const view = storage.view(position);
  return view ? { storage: view } : {};
}

function optionalMemoryLimit(line: string | undefined): { memoryLimit?: string } {
  return line === undefined ? {} : { memoryLimit: line };
}

function viewportKey(key: MachineKey, process: string, region: string): string {
  return `${key}\u0000${process}\u0000${region}`;
}

/** The time row (both policies when the comparison ran) and who pays for this step. */
function stepTime(run: ScenarioRun, position: number, comparisonOk: boolean): StepTimeView {
  const { model, source } = activeCostModel();
  const mine = timeSplit(run.stats[position] as Stats, model);
  const policy = run.result.policy;
  const rows = [timeRow(mine, policy)];
  if (comparisonOk) rows.push(timeRow(timeSplit(run.comparison.stats[position] as Stats, model), run.comparison.policy));
  if (policy === 'eager') rows.reverse();
  const op = run.steps[position]?.operation;
  const pays = op && position > 0 ? whoPays(op, stepCounts(run.stats[position - 1] as Stats, run.stats[position] as Stats), model, policy) : '';
  return { row: rows.join('; '), pays, model: source };
}

export function statsView(s: Stats): StatsView {
  return {
    frames: s.frames, copies: s.copies, bytesCopied: s.bytesCopied, faults: s.faults,
    reuses: s.reuses, zeroMaps: s.zeroMaps, ptesCopied: s.ptesCopied, peakFrames: s.peakFrames,
    zeroFills: s.zeroFills, bulkCopies: s.bulkCopies, forks: s.forks, tablePages: s.tablePages, ptesZapped: s.ptesZapped,
    timeNs: timeNs(s, activeCostModel().model),
  };
}

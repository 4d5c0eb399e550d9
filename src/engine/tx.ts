// One step's working copy of a machine. Everything a step changes goes through here:
// drafts of processes and regions with transient page-table editors, the frame table
// editor, statistics and events. `commit()` freezes it into the next immutable version;
// dropping it (on an error) leaves the old version untouched.

import { FrameEditor } from './frames';
import { PageTable, PageTableEditor } from './ptable';
import { newToken, PVec, PVecEditor } from './pvec';
import { Vma, wholeRegion } from './vma';
import { MachineData, ProcessState, ProcessTable, RegionState, ShmState } from './state';
import { DEFAULT_MODEL, timeNs } from './cost';
import { KernelVersion } from './kernel';
import { addressSpaceOf } from './life';
import { EngineError, EngineEvent, ErrorCode, HUGE_PAGES, MAX_EVENTS_PER_STEP, OomKill, PinView, ProcessStatus, RegionKind, Stats } from './types';

export interface RegionDraft {
  readonly name: string;
  readonly pages: number;
  readonly kind: RegionKind;
  table: PageTableEditor;
  gen: number;
  vmas: readonly Vma[];
  readonly shm: number;
  /** See RegionState.pmd; null for regions that are not huge. */
  pmd: PVecEditor | null;
}

export interface ProcessDraft {
  readonly name: string;
  readonly pid: number;
  status: ProcessStatus;
  readonly parent: string | null;
  borrowsFrom: string | null;
  waitsFor: string | null;
  regions: RegionDraft[];
}

export interface ShmDraft {
  readonly id: number;
  pages: PVecEditor;
  users: number;
}

/** Thrown inside a step to abandon it; caught by apply() and returned as a typed error. */
export class StepError extends Error {
  constructor(readonly error: EngineError) {
    super(error.message);
  }
}

export function fail(code: ErrorCode, message: string): never {
  throw new StepError({ code, message });
}

/** Abandons the step with `error`, when there is one. */
export function failWith(error: EngineError | null): void {
  if (error) throw new StepError(error);
}

type MutableStats = { -readonly [K in keyof Stats]: Stats[K] };

export class Tx {
  readonly token = newToken();
  // The frame table and share counts are opened for editing on first use: a read that hits
  // a present entry changes neither, and should not pay for copying their paths.
  private frameEditor: FrameEditor | null = null;
  private shareEditor: PVecEditor | null = null;
  nextLeafId: number;
  readonly stats: MutableStats;
  readonly events: EngineEvent[] = [];
  eventsOmitted = 0;
  /** The process whose statement this step runs (the OOM killer needs to know the faulting one). */
  actor = '';
  /** OOM kills in this step, in order (oom.ts). */
  readonly oomKills: OomKill[] = [];
  nextPid: number;
  nextGen: number;
  nextShm: number;
  nextAnon: number;
  /** Copied from the base on the first change; drafts replace entries in place. */
  private list: (ProcessState | ProcessDraft)[] | null = null;
  private index: ReadonlyMap<string, number> | null = null;
  private readonly drafts = new Set<string>();
  private readonly shm: Map<number, ShmState | ShmDraft>;
  private readonly shmDrafts = new Set<number>();
  /** Pipes and pins, copied on the first change. */
  private pipeMap: Map<string, number[]> | null = null;
  private pinList: PinView[] | null = null;

  /** `quiet`: a replay (apply.ts replay): no event is listed, only counted, and nothing is explained. */
  constructor(readonly base: MachineData, readonly quiet = false) {
    this.nextLeafId = base.nextLeafId;
    this.stats = { ...base.stats };
    this.nextPid = base.nextPid;
    this.nextGen = base.nextGen;
    this.nextShm = base.nextShm;
    this.nextAnon = base.nextAnon;
    this.shm = new Map(base.shm);
  }

  get policy(): 'cow' | 'eager' {
    return this.base.policy;
  }

  get kernel(): KernelVersion {
    return this.base.kernel;
  }

  /** The pages pipe `name` holds now (read-only look). */
  pipe(name: string): readonly number[] | undefined {
    return this.pipeMap ? this.pipeMap.get(name) : this.base.pipes.get(name);
  }

  /** The pipes, to change (copied from the base on first use). */
  pipesForEdit(): Map<string, number[]> {
    if (!this.pipeMap) this.pipeMap = new Map([...this.base.pipes].map(([k, v]) => [k, v.slice()]));
    return this.pipeMap;
  }

  get pins(): readonly PinView[] {
    return this.pinList ?? this.base.pins;
  }

  /** The pins, to change (copied from the base on first use). */
  pinsForEdit(): PinView[] {
    if (!this.pinList) this.pinList = this.base.pins.slice();
    return this.pinList;
  }

  get frames(): FrameEditor {
    if (!this.frameEditor) this.frameEditor = new FrameEditor(this.base.frames, this.token, this.base.rules.memory);
    return this.frameEditor;
  }

  get shares(): PVecEditor {
    if (!this.shareEditor) this.shareEditor = this.base.shares.edit(this.token);
    return this.shareEditor;
  }

  /** False once a step has reported as many events as it may; callers then only count. */
  get recording(): boolean {
    return !this.quiet && this.events.length < MAX_EVENTS_PER_STEP;
  }

  emit(e: EngineEvent): void {
    if (this.recording) this.events.push(e);
    else this.eventsOmitted++;
  }

  private slot(name: string): number | undefined {
    return this.index ? this.index.get(name) : this.base.processes.slot(name);
  }

  private writableList(): (ProcessState | ProcessDraft)[] {
    if (!this.list) this.list = this.base.processes.list.slice();
    return this.list;
  }

  has(name: string): boolean {
    return this.slot(name) !== undefined;
  }

  /** Every process's name, in creation order. */
  processNames(): string[] {
    return (this.list ?? this.base.processes.list).map((p) => p.name);
  }

  processCount(): number {
    return this.list ? this.list.length : this.base.processes.size;
  }

  /** Read-only look at a process (draft or committed). */
  peek(name: string): Readonly<ProcessState | ProcessDraft> | undefined {
    const i = this.slot(name);
    if (i === undefined) return undefined;
    return this.list ? this.list[i] : this.base.processes.list[i];
  }

  /**
   * How many address spaces have `entry` at `region[page]`. Fork keeps a private page at the
   * same region and page in every process that shares it, so for a private frame this is its
   * exact map count, found without scanning every page table.
   */
  mappingsAt(region: string, page: number, entry: number): number {
    let n = 0;
    for (const p of this.list ?? this.base.processes.list) {
      if (p.status === 'exited' || p.borrowsFrom !== null) continue;
      const r = (p.regions as readonly (RegionState | RegionDraft)[]).find((x) => x.name === region);
      if (r && page < r.pages && r.table.entry(page) === entry) n++;
    }
    return n;
  }

  /** A mutable draft of a process; its regions become drafts with editors. */
  draft(name: string): ProcessDraft {
    const i = this.slot(name);
    if (i === undefined) fail('unknown-process', `there is no process '${name}'`);
    const list = this.writableList();
    const p = list[i] as ProcessState | ProcessDraft;
    if (this.drafts.has(name)) return p as ProcessDraft;
    const d: ProcessDraft = {
      name: p.name,
      pid: p.pid,
      status: p.status,
      parent: p.parent,
      borrowsFrom: p.borrowsFrom,
      waitsFor: p.waitsFor,
      regions: (p.regions as RegionState[]).map((r) => this.regionDraft(r)),
    };
    list[i] = d;
    this.drafts.add(name);
    return d;
  }

  addProcess(d: ProcessDraft): void {
    const list = this.writableList();
    this.index = (this.index ? new ProcessTable([], this.index) : this.base.processes).indexWith(d.name, list.length);
    list.push(d);
    this.drafts.add(d.name);
  }

  /** The draft of the process whose address space `name` uses (follows vfork borrowing). */
  addressSpace(name: string): ProcessDraft {
    return addressSpaceOf(this.draft(name), (n) => this.draft(n), this.processCount());
  }

  newRegion(name: string, pages: number, kind: RegionKind, shm: number, huge = false): RegionDraft {
    return {
      name,
      pages,
      kind,
      table: PageTable.empty(pages).edit(this.token),
      gen: this.nextGen++,
      vmas: wholeRegion(pages),
      shm,
      pmd: huge ? PVec.zeros(Math.ceil(pages / HUGE_PAGES)).edit(this.token) : null,
    };
  }

  /**
   * Freezes an editor and hands back two independent editors on the same version, each
   * with a token of its own, so that neither can write nodes the other still reads.
   * Fork uses it to let parent and child share structure.
   */
  split(v: PVecEditor): [PVecEditor, PVecEditor] {
    const frozen = v.freeze();
    return [frozen.edit(newToken()), frozen.edit(newToken())];
  }

  splitTable(t: PageTableEditor): [PageTableEditor, PageTableEditor, PageTable] {
    const frozen = t.freeze();
    return [frozen.edit(newToken()), frozen.edit(newToken()), frozen];
  }

  newShm(pages: number): ShmDraft {
    const d: ShmDraft = { id: this.nextShm++, pages: PVec.zeros(pages).edit(this.token), users: 1 };
    this.shm.set(d.id, d);
    this.shmDrafts.add(d.id);
    return d;
  }

  shmDraft(id: number): ShmDraft {
    const s = this.shm.get(id);
    if (!s) throw new Error(`engine invariant broken: no shmem object ${id}`);
    if (this.shmDrafts.has(id)) return s as ShmDraft;
    const d: ShmDraft = { id, pages: (s as ShmState).pages.edit(this.token), users: s.users };
    this.shm.set(id, d);
    this.shmDrafts.add(id);
    return d;
  }

  dropShm(id: number): void {
    this.shm.delete(id);
    this.shmDrafts.delete(id);
  }

  /**
   * Between two steps replayed in this one transaction (apply.ts replaySteps): the per-step
   * bookkeeping commit() does, so that the steps after it see what a new transaction would.
   */
  endStep(): void {
    if (this.frameEditor) {
      this.stats.frames = this.frameEditor.allocated;
      this.frameEditor.endStep();
    }
    this.stats.peakFrames = Math.max(this.stats.peakFrames, this.stats.frames);
  }

  commit(): MachineData {
    let processes = this.base.processes;
    if (this.list) {
      const list = this.list;
      for (const name of this.drafts) {
        const i = this.slot(name) as number;
        list[i] = freezeProcess(list[i] as ProcessDraft);
      }
      processes = new ProcessTable(list as ProcessState[], this.index ?? this.base.processes.indexMap());
    }
    const shm = new Map<number, ShmState>();
    for (const [id, s] of this.shm) {
      shm.set(id, this.shmDrafts.has(id) ? { id, pages: (s as ShmDraft).pages.freeze(), users: s.users } : (s as ShmState));
    }
    if (this.frameEditor) this.stats.frames = this.frameEditor.allocated;
    this.stats.peakFrames = Math.max(this.stats.peakFrames, this.stats.frames);
    this.stats.timeNs = timeNs(this.stats, DEFAULT_MODEL.model);
    return {
      policy: this.base.policy,
      rules: this.base.rules,
      kernel: this.base.kernel,
      pipes: this.pipeMap ?? this.base.pipes,
      pins: this.pinList ?? this.base.pins,
      processes,
      shm,
      frames: this.frameEditor ? this.frameEditor.freeze() : this.base.frames,
      shares: this.shareEditor ? this.shareEditor.freeze() : this.base.shares,
      nextLeafId: this.nextLeafId,
      values: this.base.values,
      stats: { ...this.stats },
      oomKills: this.oomKills.length > 0 ? [...this.base.oomKills, ...this.oomKills] : this.base.oomKills,
      nextPid: this.nextPid,
      nextGen: this.nextGen,
      nextShm: this.nextShm,
      nextAnon: this.nextAnon,
    };
  }

  private regionDraft(r: RegionState): RegionDraft {
    return {
      name: r.name,
      pages: r.pages,
      kind: r.kind,
      table: r.table.edit(this.token),
      gen: r.gen,
      vmas: r.vmas,
      shm: r.shm,
      pmd: r.pmd ? r.pmd.edit(this.token) : null,
    };
  }
}

function freezeProcess(d: ProcessDraft): ProcessState {
  return {
    name: d.name,
    pid: d.pid,
    status: d.status,
    parent: d.parent,
    borrowsFrom: d.borrowsFrom,
    waitsFor: d.waitsFor,
    regions: d.regions.map((r) => ({
      name: r.name,
      pages: r.pages,
      kind: r.kind,
      table: r.table.freeze(),
      gen: r.gen,
      vmas: r.vmas,
      shm: r.shm,
      pmd: r.pmd ? r.pmd.freeze() : null,
    })),
  };
}

// One step's working copy of a machine. Everything a step changes goes through here:
// drafts of processes and regions with transient page-table editors, the frame table
// editor, statistics and events. `commit()` freezes it into the next immutable version;
// dropping it (on an error) leaves the old version untouched.

import { FrameEditor } from './frames';
import { newToken, PVec, PVecEditor } from './pvec';
import { MachineData, ProcessState, RegionState, ShmState } from './state';
import { EngineError, EngineEvent, ErrorCode, MAX_EVENTS_PER_STEP, ProcessStatus, RegionKind, Stats } from './types';

export interface RegionDraft {
  readonly name: string;
  readonly pages: number;
  readonly kind: RegionKind;
  ptes: PVecEditor;
  wgen: PVecEditor;
  gen: number;
  advice: PVecEditor | null;
  hasAnon: boolean;
  readonly shm: number;
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

type MutableStats = { -readonly [K in keyof Stats]: Stats[K] };

export class Tx {
  readonly token = newToken();
  readonly frames: FrameEditor;
  readonly stats: MutableStats;
  readonly events: EngineEvent[] = [];
  eventsOmitted = 0;
  nextPid: number;
  nextGen: number;
  nextShm: number;
  private readonly processes: Map<string, ProcessState | ProcessDraft>;
  private readonly drafts = new Set<string>();
  private readonly shm: Map<number, ShmState | ShmDraft>;
  private readonly shmDrafts = new Set<number>();

  constructor(readonly base: MachineData) {
    this.frames = new FrameEditor(base.frames, this.token);
    this.stats = { ...base.stats };
    this.nextPid = base.nextPid;
    this.nextGen = base.nextGen;
    this.nextShm = base.nextShm;
    this.processes = new Map(base.processes);
    this.shm = new Map(base.shm);
  }

  get policy(): 'cow' | 'eager' {
    return this.base.policy;
  }

  /** False once a step has reported as many events as it may; callers then only count. */
  get recording(): boolean {
    return this.events.length < MAX_EVENTS_PER_STEP;
  }

  emit(e: EngineEvent): void {
    if (this.events.length < MAX_EVENTS_PER_STEP) this.events.push(e);
    else this.eventsOmitted++;
  }

  has(name: string): boolean {
    return this.processes.has(name);
  }

  processCount(): number {
    return this.processes.size;
  }

  /** Read-only look at a process (draft or committed). */
  peek(name: string): Readonly<ProcessState | ProcessDraft> | undefined {
    return this.processes.get(name);
  }

  /** A mutable draft of a process; its regions become drafts with editors. */
  draft(name: string): ProcessDraft {
    const p = this.processes.get(name);
    if (!p) fail('unknown-process', `there is no process '${name}'`);
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
    this.processes.set(name, d);
    this.drafts.add(name);
    return d;
  }

  addProcess(d: ProcessDraft): void {
    this.processes.set(d.name, d);
    this.drafts.add(d.name);
  }

  /** The draft of the process whose address space `name` uses (follows vfork borrowing). */
  addressSpace(name: string): ProcessDraft {
    let cur = this.draft(name);
    for (let hops = 0; cur.borrowsFrom !== null && hops <= this.processes.size; hops++) cur = this.draft(cur.borrowsFrom);
    return cur;
  }

  newRegion(name: string, pages: number, kind: RegionKind, shm: number): RegionDraft {
    return {
      name,
      pages,
      kind,
      ptes: PVec.zeros(pages).edit(this.token),
      wgen: PVec.zeros(pages).edit(this.token),
      gen: this.nextGen++,
      advice: null,
      hasAnon: false,
      shm,
    };
  }

  /**
   * Freezes a draft's vectors and hands back two independent editors on the same version,
   * each with a token of its own, so that neither can write nodes the other still reads.
   * Fork uses it to let parent and child share page-table structure.
   */
  split(v: PVecEditor): [PVecEditor, PVecEditor, PVec] {
    const frozen = v.freeze();
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

  commit(): MachineData {
    const processes = new Map<string, ProcessState>();
    for (const [name, p] of this.processes) {
      processes.set(name, this.drafts.has(name) ? freezeProcess(p as ProcessDraft) : (p as ProcessState));
    }
    const shm = new Map<number, ShmState>();
    for (const [id, s] of this.shm) {
      shm.set(id, this.shmDrafts.has(id) ? { id, pages: (s as ShmDraft).pages.freeze(), users: s.users } : (s as ShmState));
    }
    this.stats.frames = this.frames.allocated;
    this.stats.peakFrames = Math.max(this.stats.peakFrames, this.stats.frames);
    return {
      policy: this.base.policy,
      processes,
      shm,
      frames: this.frames.freeze(),
      values: this.base.values,
      stats: { ...this.stats },
      nextPid: this.nextPid,
      nextGen: this.nextGen,
      nextShm: this.nextShm,
    };
  }

  private regionDraft(r: RegionState): RegionDraft {
    return {
      name: r.name,
      pages: r.pages,
      kind: r.kind,
      ptes: r.ptes.edit(this.token),
      wgen: r.wgen.edit(this.token),
      gen: r.gen,
      advice: r.advice ? r.advice.edit(this.token) : null,
      hasAnon: r.hasAnon,
      shm: r.shm,
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
      ptes: r.ptes.freeze(),
      wgen: r.wgen.freeze(),
      gen: r.gen,
      advice: r.advice ? r.advice.freeze() : null,
      hasAnon: r.hasAnon,
      shm: r.shm,
    })),
  };
}

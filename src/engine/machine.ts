// Read-only views of one machine version, in the terms a learner (and /proc/self/pagemap) uses.

import { describeEntry } from './entry';
import { emptyFrameTable, leafRefsOf, ValueTable, ZERO_FRAME } from './frames';
import { PVec } from './pvec';
import { MAX_LEAF_IDS, PteLeaf, slotOf } from './ptable';
import { EntryVisitor, scanRegion } from './scan';
import { indexAt } from './memoryIndex';
import { scanToken } from './scanToken';
import { vmaAt } from './vma';
import {
  addressSpaceOwner,
  frameOf,
  MachineData,
  ProcessTable,
  PTE_ABSENT,
  RegionState,
  ZERO_STATS,
} from './state';
import { KernelVersion, reuseRule, TODAY } from './kernel';
import { FrameView, HUGE_PAGES, LINUX_RULES, MachineRules, OomKill, PinView, Policy, ProcessView, PteView, RegionView, Stats } from './types';

const NOT_PRESENT: PteView = describeEntry(PTE_ABSENT, false, false, false);

export class Machine {
  private counts: { get(frame: number): number | undefined } | null = null;

  /** @internal */
  constructor(readonly data: MachineData) {}

  get policy(): Policy {
    return this.data.policy;
  }

  get rules(): MachineRules {
    return this.data.rules;
  }

  get stats(): Stats {
    return this.data.stats;
  }

  /** Every OOM kill so far, in order (the `memory N` header; oom.ts). */
  oomKills(): readonly OomKill[] {
    return this.data.oomKills;
  }

  /** Physical memory in frames when the scenario gave it (`memory N`), else undefined: unlimited. */
  get memory(): number | undefined {
    return this.data.rules.memory;
  }

  /** Which Linux release's rules this machine follows. */
  get kernel(): KernelVersion {
    return this.data.kernel;
  }

  /** Every pipe by name, with the value each page it holds reads now (a pipe holds pages, not copies). */
  pipes(): ReadonlyMap<string, readonly string[]> {
    const out = new Map<string, readonly string[]>();
    for (const [name, frames] of this.data.pipes) out.set(name, frames.map((f) => this.data.values.text(f === ZERO_FRAME ? 0 : this.data.frames.value.get(f))));
    return out;
  }

  /** The frames each pipe holds (0 = the zero page). */
  pipeFrames(name: string): readonly number[] | undefined {
    return this.data.pipes.get(name);
  }

  pins(): readonly PinView[] {
    return this.data.pins;
  }

  processes(): readonly ProcessView[] {
    return this.data.processes.list.map((p) => ({
      name: p.name,
      pid: p.pid,
      status: p.status,
      parent: p.parent,
      borrowsFrom: p.borrowsFrom,
    }));
  }

  process(name: string): ProcessView | undefined {
    const p = this.data.processes.get(name);
    return p && { name: p.name, pid: p.pid, status: p.status, parent: p.parent, borrowsFrom: p.borrowsFrom };
  }

  regions(process: string): readonly RegionView[] {
    return this.regionStates(process).map((r) => (r.pmd ? { name: r.name, pages: r.pages, kind: r.kind, huge: true } : { name: r.name, pages: r.pages, kind: r.kind }));
  }

  pte(process: string, region: string, page: number): PteView {
    const r = this.regionStates(process).find((x) => x.name === region);
    if (!r || !Number.isInteger(page) || page < 0 || page >= r.pages) return NOT_PRESENT;
    return pteView(this.data, r, page);
  }

  frame(n: number): FrameView | undefined {
    if (!Number.isInteger(n) || n <= ZERO_FRAME) return undefined;
    const s = this.data.frames.state.get(n);
    if (s === 0) return undefined;
    return this.frameView(n, this.mapCounts().get(n) ?? 0, s);
  }

  private frameView(n: number, mapCount: number, s: number): FrameView {
    const extra = this.data.frames.extra.get(n);
    const pins = extra === 0 ? 0 : this.data.pins.reduce((k, p) => k + (p.frame === n ? 1 : 0), 0);
    return {
      frame: n,
      mapCount,
      refCount: mapCount + extra,
      pipeRefs: extra - pins,
      pins,
      value: this.data.values.text(this.data.frames.value.get(n)),
      shmem: (s & 1) === 1,
    };
  }

  frames(): readonly FrameView[] {
    const out: FrameView[] = [];
    const counts = this.mapCounts();
    this.data.frames.state.forEachNonZero((n, s) => {
      out.push(this.frameView(n, counts.get(n) ?? 0, s));
    });
    return out;
  }

  /**
   * Exact map counts, worked out once per version: each distinct live leaf adds its share
   * count to every frame it maps. Fork and faults only keep the cheaper per-leaf counts.
   */
  private mapCounts(): { get(frame: number): number | undefined } {
    if (this.counts) return this.counts;
    const leaves = new Map<number, PteLeaf>();
    let highest = 0;
    for (const p of this.data.processes.list) {
      if (p.status === 'exited' || p.borrowsFrom !== null) continue;
      for (const r of p.regions) r.table.forEachLeaf((leaf) => leaves.set(leaf.id, leaf));
    }
    for (const leaf of leaves.values()) for (const e of leaf.entries) if (e - 1 > highest) highest = e - 1;
    const counts = new Int32Array(highest + 1);
    for (const leaf of leaves.values()) {
      const shares = this.data.shares.get(leaf.id);
      for (const e of leaf.entries) if (e > 1) counts[e - 1] = (counts[e - 1] as number) + shares;
    }
    this.counts = { get: (frame) => counts[frame] };
    return this.counts;
  }

  /**
   * Visits every entry of a region in page order, fast: stretches that map nothing (or the
   * zero page) come as ranges, and so do pages of one last-level table that map consecutive
   * frames and read alike (scan.ts). Returns false when `process` has no such region. Same
   * views as pte(), without a look-up per page.
   */
  scanEntries(process: string, region: string, visit: EntryVisitor): boolean {
    const r = this.regionStates(process).find((x) => x.name === region);
    if (!r) return false;
    scanRegion(this.data, r, visit, indexAt(this));
    return true;
  }

  /**
   * A token for what scanEntries reports for this region: the same object for a later version
   * means the same entries, flags and frames on every page, so a reader may keep a scan's result
   * under it (scanToken.ts). Undefined when `process` has no such region.
   */
  scanToken(process: string, region: string): object | undefined {
    const r = this.regionStates(process).find((x) => x.name === region);
    return r && scanToken(this, r);
  }

  /** A frame's value and whether shmem holds it, without working out map counts (see frame()). */
  frameContents(n: number): { readonly value: string; readonly shmem: boolean } | undefined {
    if (!Number.isInteger(n) || n <= ZERO_FRAME) return undefined;
    const s = this.data.frames.state.get(n);
    if (s === 0) return undefined;
    return { value: this.data.values.text(this.data.frames.value.get(n)), shmem: (s & 1) === 1 };
  }

  /** @internal The regions of the address space `process` uses (a vfork child's are its parent's). */
  regionStates(process: string): readonly RegionState[] {
    const p = this.data.processes.get(process);
    if (!p || p.status === 'exited') return [];
    return addressSpaceOwner(this.data.processes, p).regions;
  }
}

export function pteView(data: MachineData, r: RegionState, page: number): PteView {
  const leaf = r.table.leaf(page);
  const hole = vmaAt(r.vmas, page).hole;
  if (!leaf) return describeEntry(PTE_ABSENT, r.kind === 'shared', false, false, hole);
  const e = leaf.entries[slotOf(page)] as number;
  const only = e > 1 && leafRefsOf(data.frames.state.get(frameOf(e))) === 1 && data.shares.get(leaf.id) === 1;
  const view = describeEntry(e, r.kind === 'shared', leaf.wgen[slotOf(page)] === r.gen, only, hole, reuseRule(data.kernel) === 'exclusive');
  return r.pmd && r.pmd.get(Math.floor(page / HUGE_PAGES)) !== 0 && view.present ? { ...view, pmd: true } : view;
}

/** An empty machine. `rules` say what the modelled kernel does where kernels differ (types.ts), its release included. */
export function createMachine(policy: Policy, rules: MachineRules = LINUX_RULES): Machine {
  return new Machine({
    policy,
    rules,
    kernel: rules.kernel ?? TODAY,
    pipes: new Map(),
    pins: [],
    processes: ProcessTable.empty(),
    shm: new Map(),
    frames: emptyFrameTable(),
    shares: PVec.zeros(MAX_LEAF_IDS),
    nextLeafId: 1,
    values: new ValueTable(),
    stats: ZERO_STATS,
    oomKills: [],
    nextPid: 1,
    nextGen: 1,
    nextShm: 1,
    nextAnon: 1,
  });
}

/** A convenience for tests and views: every page of a region as PteViews. */
export function regionPtes(m: Machine, process: string, region: string): PteView[] {
  const r = m.regionStates(process).find((x) => x.name === region);
  if (!r) return [];
  const out: PteView[] = [];
  for (let i = 0; i < r.pages; i++) out.push(pteView(m.data, r, i));
  return out;
}


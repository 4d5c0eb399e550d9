// Read-only views of one machine version, in the terms a learner (and /proc/self/pagemap) uses.

import { describeEntry } from './entry';
import { emptyFrameTable, ValueTable, ZERO_FRAME } from './frames';
import { PVec } from './pvec';
import { MAX_LEAF_IDS, PteLeaf, slotOf } from './ptable';
import { EntryVisitor, scanRegion } from './scan';
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
import { FrameView, LINUX_RULES, MachineRules, Policy, ProcessView, PteView, RegionView, Stats } from './types';

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
    return this.regionStates(process).map((r) => ({ name: r.name, pages: r.pages, kind: r.kind }));
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
    return { frame: n, mapCount: this.mapCounts().get(n) ?? 0, value: this.data.values.text(this.data.frames.value.get(n)), shmem: (s & 1) === 1 };
  }

  frames(): readonly FrameView[] {
    const out: FrameView[] = [];
    const values = this.data.values;
    const valueVec = this.data.frames.value;
    const counts = this.mapCounts();
    this.data.frames.state.forEachNonZero((n, s) => {
      out.push({ frame: n, mapCount: counts.get(n) ?? 0, value: values.text(valueVec.get(n)), shmem: (s & 1) === 1 });
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
   * zero page) come as ranges, mapped pages one by one. Returns false when `process` has no
   * such region. Same views as pte(), without a look-up per page.
   */
  scanEntries(process: string, region: string, visit: EntryVisitor): boolean {
    const r = this.regionStates(process).find((x) => x.name === region);
    if (!r) return false;
    scanRegion(this.data, r, visit);
    return true;
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
  const only = e > 1 && data.frames.state.get(frameOf(e)) >>> 1 === 1 && data.shares.get(leaf.id) === 1;
  return describeEntry(e, r.kind === 'shared', leaf.wgen[slotOf(page)] === r.gen, only, hole);
}

/** An empty machine. `rules` say what the modelled kernel does where kernels differ (types.ts). */
export function createMachine(policy: Policy, rules: MachineRules = LINUX_RULES): Machine {
  return new Machine({
    policy,
    rules,
    processes: ProcessTable.empty(),
    shm: new Map(),
    frames: emptyFrameTable(),
    shares: PVec.zeros(MAX_LEAF_IDS),
    nextLeafId: 1,
    values: new ValueTable(),
    stats: ZERO_STATS,
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


// The checker's picture of a scenario while it reads it: which processes exist and in what
// state, which regions each address space holds, and which pages are MADV_DONTFORK holes.
// Enough to reject what the engine would refuse, before anything runs — never frames.
import type { ScenarioSymbol } from './symbols';

export interface RegionModel {
  readonly name: string;
  readonly pages: number;
  readonly kind: 'private' | 'shared';
  readonly symbol: ScenarioSymbol | undefined;
  /** Pages with MADV_DONTFORK set (VM_DONTCOPY): absent in a later fork child. */
  dontfork: PageSet;
  /** Pages inherited as MADV_DONTFORK holes: not mapped here, an access is SIGSEGV. */
  holes: PageSet;
  /** An unknown region already reported once: accept any use silently (no cascades). */
  readonly phantom: boolean;
}

/** One address space (an mm_struct). A vfork child and its parent hold the same object. */
export class AddressSpace {
  readonly regions = new Map<string, RegionModel>();
  /** Regions removed by unmap, with the line — for "heap was unmapped on line 13". */
  readonly unmapped = new Map<string, number>();

  constructor(
    /** How this space began: a new process, a fork copy, or an exec. */
    readonly origin: { readonly how: 'process' | 'fork' | 'exec'; readonly line: number },
  ) {}

  /** The child's copy at fork (dup_mmap): DONTFORK pages become holes, nothing else changes. */
  forkCopy(line: number): AddressSpace {
    const copy = new AddressSpace({ how: 'fork', line });
    for (const region of this.regions.values()) {
      copy.regions.set(region.name, { ...region, holes: region.holes.union(region.dontfork), dontfork: PageSet.empty() });
    }
    return copy;
  }
}

export type ProcessState = 'running' | 'suspended' | 'exited';

export interface ProcessModel {
  readonly name: string;
  readonly symbol: ScenarioSymbol | undefined;
  state: ProcessState;
  space: AddressSpace;
  /** vfork child: the parent whose space it borrows until exec or exit. */
  borrowsFrom?: ProcessModel;
  /** Suspended vfork parent: the child it waits for, and the line of the vfork. */
  waitingFor?: { readonly child: string; readonly line: number };
  /** Line of the exit, for "child exited on line 11". */
  exitedAt?: number;
  /** An unknown process already reported once: accept any use silently. */
  readonly phantom: boolean;
}

export class World {
  readonly processes = new Map<string, ProcessModel>();
  /** Every process ever created, exited and phantom ones excluded from the limit count. */
  created = 0;

  spawn(name: string, symbol: ScenarioSymbol | undefined, line: number, phantom = false): ProcessModel {
    const model: ProcessModel = { name, symbol, state: 'running', space: new AddressSpace({ how: 'process', line }), phantom };
    this.processes.set(name, model);
    if (!phantom) this.created += 1;
    return model;
  }

  fork(parent: ProcessModel, name: string, symbol: ScenarioSymbol | undefined, line: number): ProcessModel {
    const child = this.spawn(name, symbol, line);
    child.space = parent.space.forkCopy(line);
    return child;
  }

  vfork(parent: ProcessModel, name: string, symbol: ScenarioSymbol | undefined, line: number): ProcessModel {
    const child = this.spawn(name, symbol, line);
    child.space = parent.space;
    child.borrowsFrom = parent;
    parent.state = 'suspended';
    parent.waitingFor = { child: name, line };
    return child;
  }

  exec(proc: ProcessModel, line: number): void {
    proc.space = new AddressSpace({ how: 'exec', line });
    this.releaseVforkParent(proc);
  }

  exit(proc: ProcessModel, line: number): void {
    proc.state = 'exited';
    proc.exitedAt = line;
    this.releaseVforkParent(proc);
  }

  /** A vfork parent resumes when its child execs or exits (mm_release → complete_vfork_done). */
  private releaseVforkParent(child: ProcessModel): void {
    const parent = child.borrowsFrom;
    if (parent === undefined) return;
    delete child.borrowsFrom;
    if (parent.waitingFor?.child === child.name) {
      parent.state = 'running';
      delete parent.waitingFor;
    }
  }

  /** Live processes other than `except` that have a region of this name, for hints. */
  holdersOf(region: string, except: ProcessModel): string[] {
    const names: string[] = [];
    for (const p of this.processes.values()) {
      if (p !== except && p.state !== 'exited' && !p.phantom && p.space.regions.get(region)?.phantom === false) names.push(p.name);
    }
    return names;
  }
}

// A set of page numbers kept as sorted, disjoint, non-adjacent runs [first, last], so a 16 GiB
// region with a few madvise ranges costs a few numbers, not millions of booleans.

export interface Run {
  readonly first: number;
  readonly last: number;
}

export class PageSet {
  private constructor(private readonly runs: readonly Run[]) {}

  static empty(): PageSet {
    return new PageSet([]);
  }

  static of(first: number, last: number): PageSet {
    return new PageSet([{ first, last }]);
  }

  isEmpty(): boolean {
    return this.runs.length === 0;
  }

  toRuns(): readonly Run[] {
    return this.runs;
  }

  /** The set with [first, last] added. */
  add(first: number, last: number): PageSet {
    let lo = first;
    let hi = last;
    const kept: Run[] = [];
    for (const run of this.runs) {
      if (run.last + 1 < lo || run.first > hi + 1) {
        kept.push(run);
      } else {
        lo = Math.min(lo, run.first);
        hi = Math.max(hi, run.last);
      }
    }
    kept.push({ first: lo, last: hi });
    kept.sort((a, b) => a.first - b.first);
    return new PageSet(kept);
  }

  /** The set with [first, last] removed. */
  remove(first: number, last: number): PageSet {
    const kept: Run[] = [];
    for (const run of this.runs) {
      if (run.last < first || run.first > last) {
        kept.push(run);
        continue;
      }
      if (run.first < first) kept.push({ first: run.first, last: first - 1 });
      if (run.last > last) kept.push({ first: last + 1, last: run.last });
    }
    return new PageSet(kept);
  }

  union(other: PageSet): PageSet {
    let result: PageSet = this;
    for (const run of other.runs) result = result.add(run.first, run.last);
    return result;
  }

  has(page: number): boolean {
    return this.runs.some((r) => r.first <= page && page <= r.last);
  }

  /** The first page of [first, last] that is in the set, if any. */
  firstIn(first: number, last: number): number | undefined {
    for (const run of this.runs) {
      if (run.last >= first && run.first <= last) return Math.max(run.first, first);
    }
    return undefined;
  }
}

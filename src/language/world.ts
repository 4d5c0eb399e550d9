// The checker's picture of a scenario while it reads it: which processes exist and in what
// state, which regions each address space holds, and which pages are MADV_DONTFORK holes.
// Enough to reject what the engine would refuse, before anything runs — never frames.
import { PageSet } from './intervals';
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

  exec(process: ProcessModel, line: number): void {
    process.space = new AddressSpace({ how: 'exec', line });
    this.releaseVforkParent(process);
  }

  exit(process: ProcessModel, line: number): void {
    process.state = 'exited';
    process.exitedAt = line;
    this.releaseVforkParent(process);
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

// The checker's picture of a scenario while it reads it: which processes exist and in what
// state, which regions each address space holds, and which pages are MADV_DONTFORK holes.
// Which processes and regions exist comes from the engine's lifecycle rules (engine/lifeModel.ts),
// not from a copy of them; this file adds what only the checker needs: symbols, DONTFORK page
// sets, and "phantom" names already reported once. Never frames.
import { LifeModel, type EngineError, type LifeProcess, type LifeSpace, type ProcessStatus } from '../engine';
import { PageSet } from './pageSet';
import type { ScenarioSymbol } from './symbols';

export { PageSet } from './pageSet';

export interface RegionModel {
  readonly name: string;
  readonly pages: number;
  readonly kind: 'private' | 'shared';
  readonly huge?: boolean;
  readonly symbol: ScenarioSymbol | undefined;
  /** Pages with MADV_DONTFORK set (VM_DONTCOPY): absent in a later fork child. */
  dontfork: PageSet;
  /** Pages inherited as MADV_DONTFORK holes: not mapped here, an access is SIGSEGV. */
  holes: PageSet;
  /** An unknown region already reported once: accept any use silently (no cascades). */
  readonly phantom: boolean;
}

/** One address space (an mm_struct). A vfork child and its parent use the same one. */
export type AddressSpace = LifeSpace<RegionModel>;

/** The child's copy of a region at fork (dup_mmap): DONTFORK pages become holes, nothing else changes. */
function forkCopy(region: RegionModel): RegionModel {
  return { ...region, holes: region.holes.union(region.dontfork), dontfork: PageSet.empty() };
}

/** A process as the checker sees it: its name and symbol; its state and address space come from the lifecycle model. */
export class ProcessModel {
  constructor(
    private readonly life: LifeModel<RegionModel>,
    readonly name: string,
    readonly symbol: ScenarioSymbol | undefined,
    /** An unknown process already reported once: accept any use silently. */
    readonly phantom: boolean,
  ) {}

  private get record(): LifeProcess<RegionModel> | undefined {
    return this.life.get(this.name);
  }

  get state(): ProcessStatus {
    return this.record?.status ?? 'running';
  }

  /** The address space it uses now; a vfork child uses its parent's. */
  get space(): AddressSpace {
    const record = this.record;
    return record ? this.life.spaceOf(record) : PHANTOM_SPACE;
  }

  /** vfork child: the parent whose space it borrows until exec or exit. */
  get borrowsFrom(): string | undefined {
    return this.record?.borrowsFrom ?? undefined;
  }

  /** Suspended vfork parent: the child it waits for, and the line of the vfork. */
  get waitingFor(): { readonly child: string; readonly line: number } | undefined {
    const record = this.record;
    return record !== undefined && record.waitsFor !== null && record.suspendedAt !== null ? { child: record.waitsFor, line: record.suspendedAt } : undefined;
  }

  /** Line of the exit, for "child exited on line 11". */
  get exitedAt(): number | undefined {
    return this.record?.exitedAt ?? undefined;
  }
}

/** The space of a phantom process: nothing in it, and nothing ever added (phantoms never act). */
const PHANTOM_SPACE: AddressSpace = { regions: new Map(), origin: { how: 'spawn', at: 0 }, unmapped: new Map() };

export class World {
  readonly life = new LifeModel<RegionModel>(forkCopy);
  /** Every name used as a process, phantoms included. */
  readonly processes = new Map<string, ProcessModel>();

  /** Processes created (exited ones included, phantoms not): what the process limit counts. */
  get created(): number {
    return this.life.size;
  }

  /** Marks `name` as reported once: later uses of it stay quiet. */
  phantom(name: string): void {
    this.processes.set(name, new ProcessModel(this.life, name, undefined, true));
  }

  spawn(name: string, symbol: ScenarioSymbol | undefined, line: number): EngineError | null {
    return this.born(name, symbol, this.life.spawn(name, line));
  }

  fork(parent: ProcessModel, name: string, symbol: ScenarioSymbol | undefined, line: number, vfork = false): EngineError | null {
    return this.born(name, symbol, this.life.fork(parent.name, name, line, vfork));
  }

  exec(proc: ProcessModel, line: number): EngineError | null {
    return this.life.exec(proc.name, line);
  }

  exit(proc: ProcessModel, line: number): EngineError | null {
    return this.life.exit(proc.name, line);
  }

  map(proc: ProcessModel, region: RegionModel): EngineError | null {
    // A phantom of this name (an unknown region reported once) gives way to the real one.
    if (proc.space.regions.get(region.name)?.phantom === true) proc.space.regions.delete(region.name);
    return this.life.map(proc.name, region);
  }

  unmap(proc: ProcessModel, region: string, line: number): EngineError | null {
    return this.life.unmap(proc.name, region, line);
  }

  /** Live processes other than `except` that have a region of this name, for hints. */
  holdersOf(region: string, except: ProcessModel): string[] {
    const names: string[] = [];
    for (const p of this.processes.values()) {
      if (p !== except && p.state !== 'exited' && !p.phantom && p.space.regions.get(region)?.phantom === false) names.push(p.name);
    }
    return names;
  }

  private born(name: string, symbol: ScenarioSymbol | undefined, refused: EngineError | null): EngineError | null {
    this.processes.set(name, new ProcessModel(this.life, name, symbol, refused !== null));
    return refused;
  }
}

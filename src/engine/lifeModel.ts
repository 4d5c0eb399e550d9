// Which processes and regions exist, without running anything: the lifecycle rules of life.ts
// applied to names and regions only (no frames, no page tables). The checker reads it to know,
// at each line, who can act and which regions each address space holds; completion and the run
// budget read it too. For every statement the engine accepts, the model's processes and regions
// afterwards are the engine's (test/unit/language/lifecycle.test.ts checks it on random
// scenarios). What only a run can know, it cannot: an OOM kill under `memory N`, or a fork that
// fails with ENOMEM.

import { addressSpaceOf, born, leaveAddressSpace, Lifecycle, refuseAction, refuseMapping, refuseNewProcess, refuseUnmapping, suspendForVfork } from './life';
import { EngineError, Operation, RegionKind } from './types';

/** What the model needs of a region; a caller's regions may carry more (symbols, MADV_DONTFORK holes). */
export interface RegionShape {
  readonly name: string;
  readonly pages: number;
  readonly kind: RegionKind;
  readonly huge?: boolean;
}

/** One address space (an mm_struct): a vfork child and its parent use the same one. */
export interface LifeSpace<R> {
  readonly regions: Map<string, R>;
  /** How it began: a new process, a fork's copy, or an exec; `at` is the caller's position (a line). */
  readonly origin: { readonly how: 'spawn' | 'fork' | 'exec'; readonly at: number };
  /** Regions unmapped from it, with where. */
  readonly unmapped: Map<string, number>;
}

export interface LifeProcess<R> extends Lifecycle {
  /** Its own address space; while it borrows (vfork) it uses its parent's (`LifeModel.spaceOf`). */
  own: LifeSpace<R>;
  /** Where it was created, exited, and (a vfork parent) suspended. */
  readonly createdAt: number;
  exitedAt: number | null;
  suspendedAt: number | null;
}

/** The statements' lifecycle part, as engine operations. */
export type LifeOperation = Extract<Operation, { op: 'spawn' | 'map' | 'unmap' | 'fork' | 'vfork' | 'exec' | 'exit' }>;

function emptySpace<R>(how: LifeSpace<R>['origin']['how'], at: number): LifeSpace<R> {
  return { regions: new Map(), origin: { how, at }, unmapped: new Map() };
}

export class LifeModel<R extends RegionShape = RegionShape> {
  private readonly records = new Map<string, LifeProcess<R>>();

  /**
   * `forkCopy`: what a fork child gets of each region of its parent (dup_mmap copies every VMA;
   * the checker turns MADV_DONTFORK pages into holes here).
   */
  constructor(private readonly forkCopy: (region: R) => R = (region) => region) {}

  get(name: string): LifeProcess<R> | undefined {
    return this.records.get(name);
  }

  /** Every process ever created, in order of creation, exited ones included. */
  processes(): IterableIterator<LifeProcess<R>> {
    return this.records.values();
  }

  get size(): number {
    return this.records.size;
  }

  /** The address space `p` uses now: its own, or the one it borrows (vfork). */
  spaceOf(p: LifeProcess<R>): LifeSpace<R> {
    return addressSpaceOf(p, (name) => this.records.get(name), this.records.size).own;
  }

  /** Why `name` cannot act now, or null. */
  refusal(name: string): EngineError | null {
    return refuseAction(this.records.get(name), name);
  }

  spawn(name: string, at: number): EngineError | null {
    return this.create(name, null, 'spawn', at);
  }

  /** fork (`vfork` false) or vfork a child of `parent`, which must be able to act. */
  fork(parent: string, child: string, at: number, vfork = false): EngineError | null {
    const p = this.records.get(parent);
    const refused = refuseAction(p, parent);
    if (refused || !p) return refused;
    return this.create(child, p, vfork ? 'vfork' : 'fork', at);
  }

  exec(name: string, at: number): EngineError | null {
    const p = this.actor(name);
    if (!p) return this.refusal(name);
    this.leave(p);
    p.own = emptySpace('exec', at);
    return null;
  }

  exit(name: string, at: number): EngineError | null {
    const p = this.actor(name);
    if (!p) return this.refusal(name);
    this.leave(p);
    p.status = 'exited';
    p.exitedAt = at;
    return null;
  }

  map(name: string, region: R): EngineError | null {
    const p = this.actor(name);
    if (!p) return this.refusal(name);
    const space = this.spaceOf(p);
    const refused = refuseMapping(name, region.name, region.pages, region.kind, region.huge === true, space.regions.has(region.name));
    if (refused) return refused;
    space.regions.set(region.name, region);
    space.unmapped.delete(region.name);
    return null;
  }

  unmap(name: string, region: string, at: number): EngineError | null {
    const p = this.actor(name);
    if (!p) return this.refusal(name);
    const space = this.spaceOf(p);
    const refused = refuseUnmapping(name, region, space.regions.has(region));
    if (refused) return refused;
    space.regions.delete(region);
    space.unmapped.set(region, at);
    return null;
  }

  /** Applies one operation; `region` makes the region record of a `map`. Null when accepted. */
  apply(op: LifeOperation, at: number, region: (op: Extract<LifeOperation, { op: 'map' }>) => R): EngineError | null {
    switch (op.op) {
      case 'spawn':
        return this.spawn(op.process, at);
      case 'map':
        return this.map(op.process, region(op));
      case 'unmap':
        return this.unmap(op.process, op.region, at);
      case 'fork':
      case 'vfork':
        return this.fork(op.process, op.child, at, op.op === 'vfork');
      case 'exec':
        return this.exec(op.process, at);
      case 'exit':
        return this.exit(op.process, at);
    }
  }

  private actor(name: string): LifeProcess<R> | undefined {
    return this.refusal(name) === null ? this.records.get(name) : undefined;
  }

  private create(name: string, parent: LifeProcess<R> | null, how: 'spawn' | 'fork' | 'vfork', at: number): EngineError | null {
    const refused = refuseNewProcess(name, this.records.has(name), this.records.size);
    if (refused) return refused;
    const record: LifeProcess<R> = { ...born(name, parent?.name ?? null, how), own: emptySpace(how === 'fork' ? 'fork' : 'spawn', at), createdAt: at, exitedAt: null, suspendedAt: null };
    if (parent && how === 'fork') for (const r of this.spaceOf(parent).regions.values()) record.own.regions.set(r.name, this.forkCopy(r));
    this.records.set(name, record);
    if (parent && how === 'vfork') {
      suspendForVfork(parent, name);
      parent.suspendedAt = at;
    }
    return null;
  }

  private leave(p: LifeProcess<R>): void {
    const { resumed } = leaveAddressSpace(p, (name) => this.records.get(name) as LifeProcess<R>);
    if (resumed) resumed.suspendedAt = null;
    // The process's own space is dropped (exit_mmap); exec gives it a new one.
    p.own.regions.clear();
  }
}

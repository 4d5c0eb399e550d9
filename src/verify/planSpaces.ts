// The address spaces the driver's processes have, as the kernel sees them, while a scenario is
// planned. Which processes exist, who may act, what vfork suspends, what exec and exit give back
// and which regions each address space holds all come from the engine's lifecycle model
// (engine/lifeModel.ts, the rules of engine/life.ts), the one the checker, completion and the
// run budget read. This file adds only what the driver needs on top: each process's driver
// number and pin count, each region's driver number, and which pages of a shared region an
// address space has faulted in.

import { LifeModel, type EngineError, type LifeProcess, type LifeSpace, type RegionShape } from '../engine';
import { lifeOperation, type Statement } from '../language';
import type { PlannedReadout, PlannedRegion } from './plan';

/** A region as the driver plays it. */
export interface PlayRegion extends RegionShape {
  /** The driver's region number (one per region name in the scenario). */
  readonly id: number;
  /** Shared regions: pages a read, write, vmsplice or pin of this address space has faulted in. */
  readonly touched: Set<number>;
}

/** What a fork child gets of a region: the same mapping; shared pages are not copied at fork (vma_needs_copy), so none touched. */
function forkCopy(region: PlayRegion): PlayRegion {
  return { ...region, touched: new Set() };
}

/** A scenario process as the driver plays it. */
interface DriverProcess {
  /** The driver's process number, in order of creation. */
  readonly id: number;
  /** Pages it has pinned (its io_uring buffer slots in use). */
  pins: number;
}

export class PlaySpaces {
  private readonly life = new LifeModel<PlayRegion>(forkCopy);
  private readonly drivers = new Map<string, DriverProcess>();

  /** Processes created so far, exited ones included: the next one's driver number. */
  get created(): number {
    return this.life.size;
  }

  /** The driver process of `name`, when it may act now (the lifecycle rules say who may); otherwise why not. */
  actor(name: string): { readonly id: number; readonly space: LifeSpace<PlayRegion>; readonly driver: DriverProcess } | EngineError {
    const refused = this.life.refusal(name);
    const record = this.life.get(name);
    const driver = this.drivers.get(name);
    if (refused || !record || !driver) return refused ?? { code: 'unknown-process', message: `there is no process '${name}'` };
    return { id: driver.id, space: this.life.spaceOf(record), driver };
  }

  /**
   * Applies the lifecycle part of a statement (process, map, unmap, fork, vfork, exec, exit) by
   * the engine's rules; `region` makes the record of a mapped region. Null when accepted.
   */
  apply(s: Statement, region: (name: string, pages: number, kind: PlayRegion['kind'], huge: boolean) => PlayRegion): EngineError | null {
    const op = lifeOperation(s);
    if (op === undefined) return null;
    const id = this.life.size;
    const refused = this.life.apply(op, s.range.line, (m) => region(m.region, m.pages, m.kind, m.huge === true));
    if (refused) return refused;
    if (op.op === 'spawn' || op.op === 'fork' || op.op === 'vfork') this.drivers.set(op.op === 'spawn' ? op.process : op.child, { id, pins: 0 });
    // exec unregisters the io_uring buffers: its pins are gone.
    if (op.op === 'exec') {
      const driver = this.drivers.get(op.process);
      if (driver) driver.pins = 0;
    }
    return null;
  }

  /**
   * One readout per address space in use, in order of its first live member: a suspended vfork
   * parent and the child that borrows its memory share one, read by the member that runs.
   */
  readouts(): PlannedReadout[] {
    const groups = new Map<LifeSpace<PlayRegion>, LifeProcess<PlayRegion>[]>();
    for (const p of this.life.processes()) {
      if (p.status === 'exited') continue;
      const space = this.life.spaceOf(p);
      const group = groups.get(space);
      if (group) group.push(p);
      else groups.set(space, [p]);
    }
    return [...groups].map(([space, members]) => {
      // A suspended vfork parent cannot read anything; the child that borrows its memory can (one mm).
      const runner = members.find((p) => p.status === 'running') ?? members[0];
      const reader = this.drivers.get(runner?.name ?? '')?.id ?? 0;
      const regions = new Map<number, PlannedRegion>();
      let huge = false;
      for (const r of space.regions.values()) {
        regions.set(r.id, { name: r.name, pages: r.pages, shared: r.kind === 'shared', touched: new Set(r.touched), ...(r.huge === true ? { huge: true } : {}) });
        huge ||= r.huge === true;
      }
      return { reader, processes: members.map((p) => p.name), regions, command: `${reader} pagemap`, ...(huge ? { thpCommand: `${reader} thp` } : {}) };
    });
  }
}

// A deliberately naive model of what each process *sees*: every process owns a plain map
// of page values, fork copies it all, shared regions point at one common object. It knows
// nothing about frames or faults, so it is an independent oracle for the contents that
// copy-on-write must keep identical to a full copy.

import { Operation } from '../../../src/engine';

interface RefRegion {
  readonly pages: number;
  readonly shared: boolean;
  /** page → value; shared regions share this map between processes. */
  values: Map<number, string>;
  holes: Set<number>;
  /** Pages under MADV_DONTFORK and under MADV_WIPEONFORK: separate flags, as VM_DONTCOPY and VM_WIPEONFORK are. */
  dontfork: Set<number>;
  wipeonfork: Set<number>;
}

interface RefProcess {
  status: 'running' | 'suspended' | 'exited';
  regions: Map<string, RefRegion>;
  borrowsFrom: string | null;
  waitsFor: string | null;
}

export class ReferenceModel {
  readonly procs = new Map<string, RefProcess>();

  private space(name: string): Map<string, RefRegion> {
    let p = this.procs.get(name);
    while (p && p.borrowsFrom) p = this.procs.get(p.borrowsFrom);
    return p ? p.regions : new Map();
  }

  /** Applies an operation that the engine accepted. */
  apply(op: Operation): void {
    switch (op.op) {
      case 'spawn':
        this.procs.set(op.process, { status: 'running', regions: new Map(), borrowsFrom: null, waitsFor: null });
        return;
      case 'map':
        this.space(op.process).set(op.region, { pages: op.pages, shared: op.kind === 'shared', values: new Map(), holes: new Set(), dontfork: new Set(), wipeonfork: new Set() });
        return;
      case 'unmap':
        this.space(op.process).delete(op.region);
        return;
      case 'write': {
        const r = this.space(op.process).get(op.region)!;
        for (let i = op.first; i <= op.last; i++) r.values.set(i, op.value ?? op.process);
        return;
      }
      case 'read':
        return;
      case 'madvise': {
        const r = this.space(op.process).get(op.region)!;
        for (let i = op.first; i <= op.last; i++) {
          if (op.advice === 'normal') {
            r.dontfork.delete(i);
            r.wipeonfork.delete(i);
          } else r[op.advice].add(i);
        }
        return;
      }
      case 'fork': {
        const regions = new Map<string, RefRegion>();
        for (const [name, r] of this.space(op.process)) {
          const values = r.shared ? r.values : new Map<number, string>();
          const holes = new Set(r.holes);
          if (!r.shared) for (const [i, v] of r.values) values.set(i, v);
          for (const i of r.wipeonfork) if (!r.shared) values.delete(i);
          for (const i of r.dontfork) holes.add(i);
          regions.set(name, { pages: r.pages, shared: r.shared, values, holes, dontfork: new Set(), wipeonfork: new Set(r.wipeonfork) });
        }
        this.procs.set(op.child, { status: 'running', regions, borrowsFrom: null, waitsFor: null });
        return;
      }
      case 'vfork':
        this.procs.set(op.child, { status: 'running', regions: new Map(), borrowsFrom: op.process, waitsFor: null });
        this.procs.get(op.process)!.status = 'suspended';
        this.procs.get(op.process)!.waitsFor = op.child;
        return;
      case 'exec':
      case 'exit': {
        const p = this.procs.get(op.process)!;
        if (p.borrowsFrom) {
          const parent = this.procs.get(p.borrowsFrom)!;
          if (parent.waitsFor === op.process) {
            parent.status = 'running';
            parent.waitsFor = null;
          }
          p.borrowsFrom = null;
        }
        p.regions = new Map();
        if (op.op === 'exit') p.status = 'exited';
        return;
      }
    }
  }

  /** What `process` reads at region[page]: its value, '' for zero-filled, or 'SIGSEGV'. */
  read(process: string, region: string, page: number): string | undefined {
    const r = this.space(process).get(region);
    if (!r) return undefined;
    if (r.holes.has(page)) return 'SIGSEGV';
    return r.values.get(page) ?? '';
  }
}

// A deliberately naive model of the linux-cow.md rules, written from the document and not from
// the engine: every page-table entry is a plain object, every frame a reference count. It covers
// what generated exercises use (private and shared regions, read, write, fork in cow and eager
// mode, exec, exit, vmsplice into a pipe: one more reference per page, which a write fault counts
// as Linux 5.9 on does) and numbers frames the way the README documents: lowest free number first,
// starting at 1. Exercise answers are checked against it.
import type { Operation } from '../../../src/engine';

interface Pte {
  frame: number | 'zero' | null;
  writable: boolean;
}

interface Region {
  readonly kind: 'private' | 'shared';
  readonly ptes: Pte[];
  /** An anonymous page was ever allocated here (anon_vma): fork copies the entries only then. */
  hasAnon: boolean;
  /** MAP_SHARED: page → frame held by the shared object (shmem). */
  readonly shm?: Map<number, number>;
}

export class NaiveKernel {
  readonly stats = { copies: 0, faults: 0, reuses: 0 };
  private readonly refs = new Map<number, number>();
  private readonly values = new Map<number, string>();
  private readonly shmemFrames = new Set<number>();
  private readonly processes = new Map<string, Map<string, Region>>();
  /** Pipe → the frames of the pages it holds ('zero': the zero page, which nothing counts). */
  private readonly pipes = new Map<string, (number | 'zero')[]>();

  constructor(private readonly policy: 'cow' | 'eager') {}

  get frames(): number {
    return this.values.size;
  }

  frameOf(process: string, region: string, page: number): number | 'zero' | null {
    return this.processes.get(process)?.get(region)?.ptes[page]?.frame ?? null;
  }

  /** References to the frame the page maps: its mappings and the pages pipes hold. */
  refcountOf(process: string, region: string, page: number): number {
    const f = this.frameOf(process, region, page);
    return typeof f === 'number' ? (this.refs.get(f) ?? 0) : 0;
  }

  mapcountOf(process: string, region: string, page: number): number {
    const f = this.frameOf(process, region, page);
    if (typeof f !== 'number') return 0;
    let held = 0;
    for (const frames of this.pipes.values()) held += frames.filter((x) => x === f).length;
    return (this.refs.get(f) ?? 0) - held;
  }

  pipeValue(pipe: string, k: number): string | undefined {
    const f = this.pipes.get(pipe)?.[k];
    return f === undefined ? undefined : f === 'zero' ? '' : (this.values.get(f) ?? '');
  }

  valueOf(process: string, region: string, page: number): string {
    const f = this.frameOf(process, region, page);
    return typeof f === 'number' ? (this.values.get(f) ?? '') : '';
  }

  apply(op: Operation): void {
    switch (op.op) {
      case 'spawn':
        this.processes.set(op.process, new Map());
        return;
      case 'map':
        this.space(op.process).set(op.region, {
          kind: op.kind,
          ptes: Array.from({ length: op.pages }, () => ({ frame: null, writable: false })),
          hasAnon: false,
          ...(op.kind === 'shared' ? { shm: new Map<number, number>() } : {}),
        });
        return;
      case 'read':
      case 'write':
        for (let p = op.first; p <= op.last; p += 1) this.touch(op.process, op.region, p, op.op === 'write' ? (op.value ?? op.process) : undefined);
        return;
      case 'fork':
        this.fork(op.process, op.child);
        return;
      case 'vmsplice': {
        const held = this.pipes.get(op.pipe) ?? [];
        for (let p = op.first; p <= op.last; p += 1) {
          this.touch(op.process, op.region, p, undefined); // get_user_pages: a read fault if absent
          const f = this.frameOf(op.process, op.region, p);
          if (typeof f === 'number') this.refs.set(f, (this.refs.get(f) ?? 0) + 1);
          if (f !== null) held.push(f);
        }
        this.pipes.set(op.pipe, held);
        return;
      }
      case 'exec':
      case 'exit':
        for (const r of this.space(op.process).values()) {
          for (const pte of r.ptes) if (typeof pte.frame === 'number') this.unref(pte.frame);
        }
        if (op.op === 'exec') this.processes.set(op.process, new Map());
        else this.processes.delete(op.process);
        return;
      default:
        throw new Error(`the naive kernel does not model ${op.op}`);
    }
  }

  private space(process: string): Map<string, Region> {
    const s = this.processes.get(process);
    if (!s) throw new Error(`no process ${process}`);
    return s;
  }

  private allocate(value: string, shmem = false): number {
    let n = 1;
    while (this.values.has(n)) n += 1;
    this.values.set(n, value);
    this.refs.set(n, 1);
    if (shmem) this.shmemFrames.add(n);
    return n;
  }

  private unref(frame: number): void {
    const left = (this.refs.get(frame) ?? 0) - 1;
    this.refs.set(frame, left);
    // A shmem page belongs to the shared object, which outlives any one mapping.
    if (left === 0 && !this.shmemFrames.has(frame)) {
      this.refs.delete(frame);
      this.values.delete(frame);
    }
  }

  /** One page accessed; `value` undefined for a read. */
  private touch(process: string, region: string, page: number, value: string | undefined): void {
    const r = this.space(process).get(region);
    const pte = r?.ptes[page];
    if (!r || !pte) throw new Error(`no page ${region}[${page}] in ${process}`);
    if (r.kind === 'shared' && r.shm) {
      if (pte.frame === null) {
        // shmem_fault: the page in the shared object, or a new zeroed one there.
        this.stats.faults += 1;
        let f = r.shm.get(page);
        if (f === undefined) {
          f = this.allocate('', true);
          r.shm.set(page, f);
        } else this.refs.set(f, (this.refs.get(f) ?? 0) + 1);
        pte.frame = f;
        pte.writable = true;
      }
      if (value !== undefined) this.values.set(pte.frame as number, value);
      return;
    }
    if (value === undefined) {
      if (pte.frame === null) {
        this.stats.faults += 1; // do_anonymous_page, read: the zero page
        pte.frame = 'zero';
        pte.writable = false;
      }
      return;
    }
    if (pte.frame === null || pte.frame === 'zero') {
      // do_anonymous_page (write), or wp_page_copy from the zero page: a new zeroed frame.
      this.stats.faults += 1;
      pte.frame = this.allocate(value);
      pte.writable = true;
      r.hasAnon = true;
      return;
    }
    if (!pte.writable) {
      this.stats.faults += 1;
      if (this.refs.get(pte.frame) === 1) {
        this.stats.reuses += 1; // wp_page_reuse
      } else {
        this.unref(pte.frame); // wp_page_copy
        pte.frame = this.allocate(value);
        this.stats.copies += 1;
      }
      pte.writable = true;
    }
    this.values.set(pte.frame, value);
  }

  private fork(parent: string, child: string): void {
    const space = new Map<string, Region>();
    for (const [name, r] of this.space(parent)) {
      const ptes = r.ptes.map(() => ({ frame: null as Pte['frame'], writable: false }));
      if (r.kind === 'private' && (r.hasAnon || this.policy === 'eager')) {
        r.ptes.forEach((pte, i) => {
          const copy = ptes[i] as Pte;
          if (pte.frame === null) return;
          if (pte.frame === 'zero') {
            copy.frame = 'zero';
          } else if (this.policy === 'eager') {
            copy.frame = this.allocate(this.values.get(pte.frame) ?? '');
            copy.writable = true;
            this.stats.copies += 1;
          } else {
            // copy_present_ptes: same frame, write-protected in both.
            copy.frame = pte.frame;
            this.refs.set(pte.frame, (this.refs.get(pte.frame) ?? 0) + 1);
            pte.writable = false;
          }
        });
      }
      space.set(name, { kind: r.kind, ptes, hasAnon: r.hasAnon, ...(r.shm ? { shm: r.shm } : {}) });
    }
    this.processes.set(child, space);
  }
}

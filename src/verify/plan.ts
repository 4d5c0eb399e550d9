// Translates a checked scenario into the driver's command stream.
//
// Every action becomes one driver command for the process that performs it; every checkpoint
// (and the final "end") becomes one `pagemap` readout per address space. A small model of the
// address spaces is kept alongside, as the kernel sees them: fork copies the region list, a
// vfork child shares its parent's, exec starts an empty one. It says which process can read a
// suspended vfork parent's pages (the running child that borrows the same mm) and what a bare
// selector such as `heap` spans.

import type { Action, PageSelector, Program } from '../language/ast';
import { isAction } from '../language/ast';

/** One action statement, played by the driver as one command. */
export interface PlannedAction {
  readonly kind: 'action';
  readonly verb: Action['kind'];
  /** 1-based source line. */
  readonly line: number;
  /** The statement as written (for tables and messages). */
  readonly text: string;
  readonly process: string;
  readonly region?: string;
  readonly first?: number;
  readonly last?: number;
  /** The region is MAP_SHARED (read, write, madvise, map). */
  readonly shared?: boolean;
  /** read/write of a shared region: pages this address space had already faulted in. */
  readonly touchedBefore?: ReadonlySet<number>;
  /** vmsplice and drain: the pipe. */
  readonly pipe?: string;
  /** The exact driver command line. */
  readonly command: string;
}

/** Which driver process reads each scenario process's pages at a checkpoint. */
export interface PlannedReadout {
  /** Driver process number to ask (the running member of the address space). */
  readonly reader: number;
  /** Scenario processes whose pages this readout shows (a vfork parent and its borrowing child). */
  readonly processes: readonly string[];
  /** Region names of that address space, by driver region number. */
  readonly regions: ReadonlyMap<number, PlannedRegion>;
  /** The exact driver command line. */
  readonly command: string;
  /** When the address space has huge regions: the driver command that reads their THP backing (`P thp`). */
  readonly thpCommand?: string;
}

export interface PlannedRegion {
  readonly name: string;
  readonly pages: number;
  readonly shared: boolean;
  /** A `private huge` region (transparent huge pages). */
  readonly huge?: boolean;
  /**
   * Shared regions: pages a read or write of this address space has faulted in. Any other
   * present page can only come from fault-around, which the comparison tolerates.
   */
  readonly touched: ReadonlySet<number>;
}

export interface PlannedCheckpoint {
  readonly kind: 'checkpoint';
  readonly name: string;
  readonly line: number;
  readonly readouts: readonly PlannedReadout[];
  /** What every pipe made so far holds (the driver's `pipes`, read with tee): pipe names by driver number. */
  readonly pipes?: { readonly names: ReadonlyMap<number, string>; readonly command: string };
}

export type PlanStep = PlannedAction | PlannedCheckpoint | { readonly kind: 'spawn'; readonly line: number; readonly process: string; readonly command: string };

export interface Plan {
  readonly steps: readonly PlanStep[];
  /** How some statements are played or why they are not, for the report. */
  readonly notes: readonly string[];
  /** Why the scenario cannot be played on the kernel at all, when it cannot. */
  readonly unplayable?: string;
}

/** Driver limits (see kernel/driver.c); beyond them a scenario is reported as not checked. */
export const PLAY_LIMITS = {
  processes: 1000,
  regionsPerSpace: 250,
  /** Pages mapped by one address space at once (1 GiB of 4 KiB pages). */
  mappedPages: 262_144,
  /** Pages the scenario touches in total (256 MiB): what the kernel will really allocate. */
  touchedPages: 65_536,
  /** Bytes of one page value as UTF-8 (the driver's MAX_VALUE). */
  valueBytes: 1024,
  /** Pipes in one scenario (the driver's MAX_PIPES). */
  pipes: 64,
  /** Pages one process has pinned at once (the driver's MAX_PINS io_uring buffer slots). */
  pinsPerProcess: 1024,
} as const;

interface Space {
  /** Region name → driver region number and size. */
  readonly regions: Map<string, { readonly id: number; readonly pages: number; readonly shared: boolean; readonly huge?: boolean }>;
  /** Region name → pages accessed in this address space (kept for shared regions). */
  readonly touched: Map<string, Set<number>>;
}

function emptySpace(): Space {
  return { regions: new Map(), touched: new Map() };
}

interface ProcessModel {
  readonly id: number;
  space: Space;
  exited: boolean;
  /** vfork: the child this process waits for. */
  waitsFor: string | null;
  /** vfork: the parent whose address space this process borrows. */
  borrowsFrom: string | null;
  /** Pages this process has pinned (its io_uring buffer slots in use). */
  pins: number;
}

export const END_CHECKPOINT = 'end';

/**
 * Where regions go: every region of a scenario gets an address range of its own, far from
 * anything the loader or the stack uses, and never reused (see cmd_map in kernel/driver.c).
 */
const REGION_ARENA = 0x2000_0000_0000;
const PAGE = 4096;
/** A huge region's first page lies on a 2 MiB boundary (one PMD entry's worth). */
const HUGE_BYTES = 2 * 1024 * 1024;

export function planScenario(program: Program, source: string): Plan {
  if (program.mode?.policy.text === 'eager') {
    return { steps: [], notes: [], unplayable: 'mode eager is a teaching baseline: no kernel copies every page at fork, so there is nothing to compare' };
  }
  if (program.memory !== undefined) {
    return {
      steps: [],
      notes: [],
      unplayable: `\`memory ${program.memory.frames}\` gives the model a machine of ${program.memory.frames} frames; the driver plays on this machine's own memory and cannot shrink it to that (it would take a memory cgroup limit, whose OOM killer chooses among the cgroup's processes with its own accounting), so the OOM killer's choice and ENOMEM are not checked here`,
    };
  }
  const lines = source.split(/\r?\n/);
  const processes = new Map<string, ProcessModel>();
  const order: string[] = [];
  const regionIds = new Map<string, number>();
  const pipeIds = new Map<string, number>();
  const steps: PlanStep[] = [];
  const notes: string[] = [];
  let touched = 0;
  let nextAddress = REGION_ARENA;

  const regionId = (name: string): number => {
    let id = regionIds.get(name);
    if (id === undefined) {
      id = regionIds.size + 1;
      regionIds.set(name, id);
    }
    return id;
  };
  const pipeId = (name: string): number => {
    let id = pipeIds.get(name);
    if (id === undefined) {
      id = pipeIds.size;
      pipeIds.set(name, id);
    }
    return id;
  };
  const add = (name: string, model: ProcessModel): void => {
    processes.set(name, model);
    order.push(name);
  };
  /** The process that actually runs in `name`'s address space now (follows vfork borrowers). */
  const runner = (name: string): string => {
    let cur = name;
    for (let hops = 0; hops <= order.length; hops++) {
      const next = processes.get(cur)?.waitsFor;
      if (!next) return cur;
      cur = next;
    }
    return cur;
  };
  const release = (p: ProcessModel): void => {
    if (p.borrowsFrom !== null) {
      const parent = processes.get(p.borrowsFrom);
      if (parent) parent.waitsFor = null;
      p.borrowsFrom = null;
    }
  };
  const checkpoint = (name: string, line: number): PlannedCheckpoint => {
    const readouts: PlannedReadout[] = [];
    const seen = new Map<Space, string[]>();
    for (const p of order) {
      const model = processes.get(p);
      if (!model || model.exited) continue;
      const group = seen.get(model.space);
      if (group) {
        group.push(p);
        continue;
      }
      const members = [p];
      seen.set(model.space, members);
      const reader = processes.get(runner(p));
      const regions = new Map<number, PlannedRegion>();
      let huge = false;
      for (const [regionName, r] of model.space.regions) {
        regions.set(r.id, { name: regionName, pages: r.pages, shared: r.shared, touched: new Set(model.space.touched.get(regionName)), ...(r.huge ? { huge: true } : {}) });
        huge ||= r.huge === true;
      }
      const who = reader?.id ?? model.id;
      readouts.push({ reader: who, processes: members, regions, command: `${who} pagemap`, ...(huge ? { thpCommand: `${who} thp` } : {}) });
    }
    const pipes = pipeIds.size > 0 ? { pipes: { names: new Map([...pipeIds].map(([n, id]) => [id, n])), command: 'pipes' } } : {};
    return { kind: 'checkpoint', name, line, readouts, ...pipes };
  };

  const storageNames = new Set<string>();
  for (const s of program.statements) {
    if (s.kind === 'volume' || s.kind === 'container') storageNames.add(s.name.text);
    if (s.kind === 'snapshot') storageNames.add(s.snapshot.text);
  }
  const statements = program.statements;
  for (const s of statements) {
    const line = s.range.line;
    if (s.kind === 'process') {
      const id = order.length;
      add(s.name.text, { id, space: emptySpace(), exited: false, waitsFor: null, borrowsFrom: null, pins: 0 });
      steps.push({ kind: 'spawn', line, process: s.name.text, command: `spawn ${id}` });
      continue;
    }
    if (s.kind === 'checkpoint') {
      steps.push(checkpoint(s.name.text, line));
      continue;
    }
    if (!isAction(s)) continue;
    // read/write on a volume or container: the storage check plays those (src/verify/storage).
    if (storageNames.has(s.process.text)) continue;
    const p = processes.get(s.process.text);
    if (!p) return { steps, notes, unplayable: `line ${line}: unknown process '${s.process.text}' (run the checker first)` };
    const text = (lines[line - 1] ?? '').slice(s.range.col - 1, s.range.endLine === line ? s.range.endCol - 1 : undefined).trim();
    const base = { kind: 'action' as const, verb: s.kind, line, text, process: s.process.text };
    const span = (sel: PageSelector): { region: string; id: number; first: number; last: number; shared: boolean } | string => {
      const r = p.space.regions.get(sel.region.text);
      if (!r) return `line ${line}: ${s.process.text} has no region '${sel.region.text}'`;
      const first = sel.pages?.first ?? 0;
      const last = sel.pages?.last ?? r.pages - 1;
      if (first < 0 || last >= r.pages || first > last) return `line ${line}: page range outside '${sel.region.text}'`;
      return { region: sel.region.text, id: r.id, first, last, shared: r.shared };
    };
    switch (s.kind) {
      case 'vmsplice':
      case 'pin': {
        const sp = span(s.target);
        if (typeof sp === 'string') return { steps, notes, unplayable: sp };
        const n = sp.last - sp.first + 1;
        touched += n;
        if (touched > PLAY_LIMITS.touchedPages) return { steps, notes, unplayable: `line ${line}: the scenario touches more than ${PLAY_LIMITS.touchedPages} pages (256 MiB), too many to play for real here` };
        const range = { region: sp.region, first: sp.first, last: sp.last, shared: sp.shared, touchedBefore: new Set(p.space.touched.get(sp.region)) };
        // Both look the pages up with get_user_pages, which faults absent pages in.
        if (sp.shared) {
          const set = p.space.touched.get(sp.region) ?? new Set<number>();
          for (let page = sp.first; page <= sp.last; page++) set.add(page);
          p.space.touched.set(sp.region, set);
        }
        if (s.kind === 'vmsplice') {
          const pipe = pipeId(s.pipe.text);
          if (pipe >= PLAY_LIMITS.pipes) return { steps, notes, unplayable: `line ${line}: more than ${PLAY_LIMITS.pipes} pipes` };
          // A pipe holds 16 pages: the engine refuses more, and so does the kernel (the pipe is full).
          steps.push({ ...base, ...range, pipe: s.pipe.text, command: `${p.id} vmsplice ${sp.id} ${sp.first} ${sp.last} ${pipe}` });
        } else {
          p.pins += n;
          if (p.pins > PLAY_LIMITS.pinsPerProcess) return { steps, notes, unplayable: `line ${line}: more than ${PLAY_LIMITS.pinsPerProcess} pages pinned by one process` };
          steps.push({ ...base, ...range, command: `${p.id} pin ${sp.id} ${sp.first} ${sp.last}` });
        }
        break;
      }
      case 'unpin': {
        // Pins outlive munmap: the region may be gone from the address space by now.
        const id = regionIds.get(s.target.region.text);
        const r = p.space.regions.get(s.target.region.text);
        const first = s.target.pages?.first ?? 0;
        const last = s.target.pages?.last ?? (r ? r.pages - 1 : undefined);
        if (id === undefined || last === undefined) return { steps, notes, unplayable: `line ${line}: ${s.process.text} has no region '${s.target.region.text}'` };
        p.pins = Math.max(0, p.pins - (last - first + 1));
        steps.push({ ...base, region: s.target.region.text, first, last, command: `${p.id} unpin ${id} ${first} ${last}` });
        break;
      }
      case 'drain': {
        const pipe = pipeIds.get(s.pipe.text);
        // A pipe nobody spliced into does not exist: the engine refuses, and the driver answers "err".
        steps.push({ ...base, pipe: s.pipe.text, command: `drain ${pipe ?? PLAY_LIMITS.pipes - 1}` });
        break;
      }
      case 'map': {
        if (p.space.regions.size >= PLAY_LIMITS.regionsPerSpace) return { steps, notes, unplayable: `line ${line}: more than ${PLAY_LIMITS.regionsPerSpace} regions in one address space` };
        let mapped = s.pages;
        for (const r of p.space.regions.values()) mapped += r.pages;
        if (mapped > PLAY_LIMITS.mappedPages) return { steps, notes, unplayable: `line ${line}: more than ${PLAY_LIMITS.mappedPages} pages (1 GiB) mapped at once is too large to play for real here` };
        const id = regionId(s.region.text);
        const huge = s.huge !== undefined;
        p.space.regions.set(s.region.text, { id, pages: s.pages, shared: s.regionKind === 'shared', ...(huge ? { huge } : {}) });
        p.space.touched.set(s.region.text, new Set());
        // Guard page, region, guard page, then one unmapped page before the next region. A huge
        // region's first page (after its guard page) starts on a 2 MiB boundary.
        const at = huge ? Math.ceil((nextAddress + PAGE) / HUGE_BYTES) * HUGE_BYTES - PAGE : nextAddress;
        nextAddress = at + (s.pages + 3) * PAGE;
        steps.push({ ...base, region: s.region.text, shared: s.regionKind === 'shared', command: `${p.id} map ${id} ${s.pages} ${huge ? 'huge' : s.regionKind} ${at.toString(16)}` });
        break;
      }
      case 'unmap': {
        const r = p.space.regions.get(s.region.text);
        if (!r) return { steps, notes, unplayable: `line ${line}: ${s.process.text} has no region '${s.region.text}'` };
        p.space.regions.delete(s.region.text);
        p.space.touched.delete(s.region.text);
        steps.push({ ...base, region: s.region.text, command: `${p.id} unmap ${r.id}` });
        break;
      }
      case 'read':
      case 'write':
      case 'madvise': {
        const sp = span(s.target);
        if (typeof sp === 'string') return { steps, notes, unplayable: sp };
        const range = { region: sp.region, first: sp.first, last: sp.last, shared: sp.shared, touchedBefore: new Set(p.space.touched.get(sp.region)) };
        if (s.kind !== 'madvise') {
          touched += sp.last - sp.first + 1;
          if (touched > PLAY_LIMITS.touchedPages) return { steps, notes, unplayable: `line ${line}: the scenario touches more than ${PLAY_LIMITS.touchedPages} pages (256 MiB), too many to play for real here` };
          if (sp.shared) {
            const set = p.space.touched.get(sp.region) ?? new Set<number>();
            for (let page = sp.first; page <= sp.last; page++) set.add(page);
            p.space.touched.set(sp.region, set);
          }
        }
        if (s.kind === 'read') {
          steps.push({ ...base, ...range, command: `${p.id} read ${sp.id} ${sp.first} ${sp.last}` });
        } else if (s.kind === 'write') {
          // The engine stores the process's name when no value is given (apply.ts); so does the driver.
          const bytes = Buffer.from(s.value?.value ?? s.process.text, 'utf8');
          if (bytes.length > PLAY_LIMITS.valueBytes) return { steps, notes, unplayable: `line ${line}: value longer than ${PLAY_LIMITS.valueBytes} bytes` };
          steps.push({ ...base, ...range, command: `${p.id} write ${sp.id} ${sp.first} ${sp.last} ${bytes.length ? bytes.toString('hex') : '-'}` });
        } else {
          steps.push({ ...base, ...range, command: `${p.id} madvise ${sp.id} ${sp.first} ${sp.last} ${s.advice.text}` });
        }
        break;
      }
      case 'fork':
      case 'vfork': {
        if (order.length >= PLAY_LIMITS.processes) return { steps, notes, unplayable: `line ${line}: more than ${PLAY_LIMITS.processes} processes` };
        const id = order.length;
        const child: ProcessModel =
          s.kind === 'fork'
            ? // Shared regions are not copied at fork (vma_needs_copy): the child starts with none touched.
              { id, space: { regions: new Map(p.space.regions), touched: new Map([...p.space.regions.keys()].map((n) => [n, new Set<number>()])) }, exited: false, waitsFor: null, borrowsFrom: null, pins: 0 }
            : { id, space: p.space, exited: false, waitsFor: null, borrowsFrom: s.process.text, pins: 0 };
        if (s.kind === 'vfork') p.waitsFor = s.child.text;
        add(s.child.text, child);
        steps.push({ ...base, command: `${p.id} ${s.kind} ${id}` });
        break;
      }
      case 'exec':
        release(p);
        p.pins = 0;
        p.space = emptySpace();
        steps.push({ ...base, command: `${p.id} exec` });
        break;
      case 'exit':
        release(p);
        p.exited = true;
        steps.push({ ...base, command: `${p.id} exit` });
        break;
    }
  }
  steps.push(checkpoint(END_CHECKPOINT, lines.length));
  if (statements.some((s) => s.kind === 'vmsplice')) {
    notes.push('pipes are real pipes held by the driver (they outlive the processes that filled them); vmsplice is the real system call, one page-aligned buffer per page; drain reads the pipe empty, and checkpoints read what each pipe holds without taking it out (tee)');
  }
  if (statements.some((s) => s.kind === 'pin')) {
    notes.push('pins are io_uring fixed buffers (IORING_REGISTER_BUFFERS_UPDATE: pin_user_pages with FOLL_WRITE | FOLL_LONGTERM); unpin empties the buffer slot; exit and exec unregister the buffers first, which the kernel would otherwise do a little later from a workqueue');
  }
  if (statements.some((s) => s.kind === 'map' && s.huge !== undefined)) {
    notes.push('huge regions are 2 MiB-aligned with MADV_HUGEPAGE; at every checkpoint /proc/kpageflags (bit 22) says which pages are transparent huge pages and smaps AnonHugePages how many are PMD-mapped; after each access to a huge region the driver faults in and frees 64 small pages, which pushes a new huge page out of the CPU\'s LRU-add batch (do_huge_pmd_wp_page does not drain it)');
  }
  if (statements.some((s) => s.kind === 'vfork')) {
    notes.push('vfork is a real vfork(): the child runs in the address space it borrows, and while the parent is suspended its pages are read by the child (one mm)');
  }
  const claims = program.statements.filter((s) => s.kind === 'expect').length;
  if (claims > 0) notes.push(`${claims} expect line${claims === 1 ? ' is a claim' : 's are claims'} about the engine, evaluated by the engine, not played on the kernel`);
  return { steps, notes };
}

/** The driver command that reads a readout's RSS, PSS and USS from /proc/self/smaps. */
export function smapsCommand(readout: PlannedReadout): string {
  return `${readout.reader} smaps`;
}

/** The driver commands of a plan, in order: what runSession plays. */
export function planCommands(plan: Plan): string[] {
  const out: string[] = [];
  for (const step of plan.steps) {
    // Each readout: the pages (pagemap), then the smaps sums (src/verify/smaps.ts); then the pipes.
    if (step.kind === 'checkpoint') {
      out.push(...step.readouts.flatMap((r) => [r.command, smapsCommand(r), ...(r.thpCommand ? [r.thpCommand] : [])]));
      if (step.pipes) out.push(step.pipes.command);
    }
    else out.push(step.command);
  }
  return out;
}

// Translates a checked scenario into the driver's command stream.
//
// Every action becomes one driver command for the process that performs it; every checkpoint
// (and the final "end") becomes one `pagemap` readout per address space. Which processes and
// address spaces exist at each statement comes from the engine's lifecycle model (planSpaces.ts
// over engine/lifeModel.ts): fork copies the region list, a vfork child uses its parent's, exec
// starts an empty one. It says which process can read a suspended vfork parent's pages (the
// running child that borrows the same mm) and what a bare selector such as `heap` spans.

import type { Action, PageSelector, Program } from '../language/ast';
import { isAction } from '../language/ast';
import { END_CHECKPOINT } from '../language/checker';
import { PlaySpaces, type PlayRegion } from './planSpaces';

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
  const spaces = new PlaySpaces();
  const regionIds = new Map<string, number>();
  const pipeIds = new Map<string, number>();
  const steps: PlanStep[] = [];
  const notes: string[] = [];
  let touched = 0;
  let nextAddress = REGION_ARENA;

  const numbered = (ids: Map<string, number>, name: string, first: number): number => {
    let id = ids.get(name);
    if (id === undefined) {
      id = ids.size + first;
      ids.set(name, id);
    }
    return id;
  };
  const checkpoint = (name: string, line: number): PlannedCheckpoint => {
    const pipes = pipeIds.size > 0 ? { pipes: { names: new Map([...pipeIds].map(([n, id]) => [id, n])), command: 'pipes' } } : {};
    return { kind: 'checkpoint', name, line, readouts: spaces.readouts(), ...pipes };
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
      const id = spaces.created;
      const refused = spaces.apply(s, playRegion);
      if (refused) return { steps, notes, unplayable: `line ${line}: ${refused.message}` };
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
    const actor = spaces.actor(s.process.text);
    if ('code' in actor) return { steps, notes, unplayable: `line ${line}: ${actor.message}` };
    const { id: pid, space, driver } = actor;
    const text = (lines[line - 1] ?? '').slice(s.range.col - 1, s.range.endLine === line ? s.range.endCol - 1 : undefined).trim();
    const base = { kind: 'action' as const, verb: s.kind, line, text, process: s.process.text };
    const span = (sel: PageSelector): { region: PlayRegion; first: number; last: number } | string => {
      const region = space.regions.get(sel.region.text);
      if (!region) return `line ${line}: ${s.process.text} has no region '${sel.region.text}'`;
      const first = sel.pages?.first ?? 0;
      const last = sel.pages?.last ?? region.pages - 1;
      if (first < 0 || last >= region.pages || first > last) return `line ${line}: page range outside '${sel.region.text}'`;
      return { region, first, last };
    };
    /** The range an access names; one that faults pages in (`faults`) counts against the touched limit and is remembered for a shared region. */
    const access = (sp: { region: PlayRegion; first: number; last: number }, faults: boolean): { region: string; first: number; last: number; shared: boolean; touchedBefore: Set<number> } | string => {
      const range = { region: sp.region.name, first: sp.first, last: sp.last, shared: sp.region.kind === 'shared', touchedBefore: new Set(sp.region.touched) };
      if (!faults) return range;
      touched += sp.last - sp.first + 1;
      if (touched > PLAY_LIMITS.touchedPages) return `line ${line}: the scenario touches more than ${PLAY_LIMITS.touchedPages} pages (256 MiB), too many to play for real here`;
      if (range.shared) for (let page = sp.first; page <= sp.last; page++) sp.region.touched.add(page);
      return range;
    };
    switch (s.kind) {
      case 'vmsplice':
      case 'pin': {
        const sp = span(s.target);
        if (typeof sp === 'string') return { steps, notes, unplayable: sp };
        // Both look the pages up with get_user_pages, which faults absent pages in.
        const range = access(sp, true);
        if (typeof range === 'string') return { steps, notes, unplayable: range };
        const args = `${sp.region.id} ${sp.first} ${sp.last}`;
        if (s.kind === 'vmsplice') {
          const pipe = numbered(pipeIds, s.pipe.text, 0);
          if (pipe >= PLAY_LIMITS.pipes) return { steps, notes, unplayable: `line ${line}: more than ${PLAY_LIMITS.pipes} pipes` };
          // A pipe holds 16 pages: the engine refuses more, and so does the kernel (the pipe is full).
          steps.push({ ...base, ...range, pipe: s.pipe.text, command: `${pid} vmsplice ${args} ${pipe}` });
        } else {
          driver.pins += sp.last - sp.first + 1;
          if (driver.pins > PLAY_LIMITS.pinsPerProcess) return { steps, notes, unplayable: `line ${line}: more than ${PLAY_LIMITS.pinsPerProcess} pages pinned by one process` };
          steps.push({ ...base, ...range, command: `${pid} pin ${args}` });
        }
        break;
      }
      case 'unpin': {
        // Pins outlive munmap: the region may be gone from the address space by now.
        const id = regionIds.get(s.target.region.text);
        const r = space.regions.get(s.target.region.text);
        const first = s.target.pages?.first ?? 0;
        const last = s.target.pages?.last ?? (r ? r.pages - 1 : undefined);
        if (id === undefined || last === undefined) return { steps, notes, unplayable: `line ${line}: ${s.process.text} has no region '${s.target.region.text}'` };
        driver.pins = Math.max(0, driver.pins - (last - first + 1));
        steps.push({ ...base, region: s.target.region.text, first, last, command: `${pid} unpin ${id} ${first} ${last}` });
        break;
      }
      case 'drain': {
        const pipe = pipeIds.get(s.pipe.text);
        // A pipe nobody spliced into does not exist: the engine refuses, and the driver answers "err".
        steps.push({ ...base, pipe: s.pipe.text, command: `drain ${pipe ?? PLAY_LIMITS.pipes - 1}` });
        break;
      }
      case 'map': {
        if (space.regions.size >= PLAY_LIMITS.regionsPerSpace) return { steps, notes, unplayable: `line ${line}: more than ${PLAY_LIMITS.regionsPerSpace} regions in one address space` };
        let mapped = s.pages;
        for (const r of space.regions.values()) mapped += r.pages;
        if (mapped > PLAY_LIMITS.mappedPages) return { steps, notes, unplayable: `line ${line}: more than ${PLAY_LIMITS.mappedPages} pages (1 GiB) mapped at once is too large to play for real here` };
        const id = numbered(regionIds, s.region.text, 1);
        const refused = spaces.apply(s, (name, pages, kind, huge) => ({ ...playRegion(name, pages, kind, huge), id }));
        if (refused) return { steps, notes, unplayable: `line ${line}: ${refused.message}` };
        // Guard page, region, guard page, then one unmapped page before the next region. A huge
        // region's first page (after its guard page) starts on a 2 MiB boundary.
        const huge = s.huge !== undefined;
        const at = huge ? Math.ceil((nextAddress + PAGE) / HUGE_BYTES) * HUGE_BYTES - PAGE : nextAddress;
        nextAddress = at + (s.pages + 3) * PAGE;
        steps.push({ ...base, region: s.region.text, shared: s.regionKind === 'shared', command: `${pid} map ${id} ${s.pages} ${huge ? 'huge' : s.regionKind} ${at.toString(16)}` });
        break;
      }
      case 'unmap': {
        const r = space.regions.get(s.region.text);
        const refused = spaces.apply(s, playRegion);
        if (refused || !r) return { steps, notes, unplayable: `line ${line}: ${refused?.message ?? `${s.process.text} has no region '${s.region.text}'`}` };
        steps.push({ ...base, region: s.region.text, command: `${pid} unmap ${r.id}` });
        break;
      }
      case 'read':
      case 'write':
      case 'madvise': {
        const sp = span(s.target);
        if (typeof sp === 'string') return { steps, notes, unplayable: sp };
        const range = access(sp, s.kind !== 'madvise');
        if (typeof range === 'string') return { steps, notes, unplayable: range };
        const args = `${sp.region.id} ${sp.first} ${sp.last}`;
        if (s.kind === 'read') {
          steps.push({ ...base, ...range, command: `${pid} read ${args}` });
        } else if (s.kind === 'write') {
          // The engine stores the process's name when no value is given (apply.ts); so does the driver.
          const bytes = Buffer.from(s.value?.value ?? s.process.text, 'utf8');
          if (bytes.length > PLAY_LIMITS.valueBytes) return { steps, notes, unplayable: `line ${line}: value longer than ${PLAY_LIMITS.valueBytes} bytes` };
          steps.push({ ...base, ...range, command: `${pid} write ${args} ${bytes.length ? bytes.toString('hex') : '-'}` });
        } else {
          steps.push({ ...base, ...range, command: `${pid} madvise ${args} ${s.advice.text}` });
        }
        break;
      }
      case 'fork':
      case 'vfork':
      case 'exec':
      case 'exit': {
        if ((s.kind === 'fork' || s.kind === 'vfork') && spaces.created >= PLAY_LIMITS.processes) return { steps, notes, unplayable: `line ${line}: more than ${PLAY_LIMITS.processes} processes` };
        const child = spaces.created;
        const refused = spaces.apply(s, playRegion);
        if (refused) return { steps, notes, unplayable: `line ${line}: ${refused.message}` };
        steps.push({ ...base, command: s.kind === 'fork' || s.kind === 'vfork' ? `${pid} ${s.kind} ${child}` : `${pid} ${s.kind}` });
        break;
      }
    }
  }
  steps.push(checkpoint(END_CHECKPOINT, lines.length));
  return { steps, notes: planNotes(program) };
}

/** A new region's record before it has a driver number (map gives it one). */
function playRegion(name: string, pages: number, kind: PlayRegion['kind'], huge: boolean): PlayRegion {
  return { name, pages, kind, ...(huge ? { huge } : {}), id: 0, touched: new Set() };
}

/** How some statements are played, for the report. */
function planNotes(program: Program): string[] {
  const statements = program.statements;
  const notes: string[] = [];
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
  const claims = statements.filter((s) => s.kind === 'expect').length;
  if (claims > 0) notes.push(`${claims} expect line${claims === 1 ? ' is a claim' : 's are claims'} about the engine, evaluated by the engine, not played on the kernel`);
  return notes;
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

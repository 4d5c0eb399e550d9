// Plays a plan on the real kernel and turns the driver's replies into a KernelTrace: what every
// action did (values read, each written page's entry before and after) and, at every
// checkpoint, every live process's pages in the shape of the engine's `--json` checkpoints.

import { readFileSync } from 'node:fs';
import { decodePagemapReply, decodePipesReply, decodeReadReply, decodeTexts, decodeWriteReply, type KernelPte, type KernelWrite } from './pagemap';
import type { Plan, PlannedAction } from './plan';
import { planCommands } from './plan';
import { runSession, type DriverHello, type SessionOptions, type SessionResult } from './session';
import { readoutMemory, type KernelMemory } from './smaps';
import { decodeThpReply, type KernelThp } from './thp';

/** One page as the kernel shows it: `frame` in the engine's vocabulary plus the raw extras. */
export interface KernelPage {
  /** The frame number, "zero" for the shared zero page, null when not present. */
  readonly frame: number | 'zero' | null;
  /** pagemap bit 56. */
  readonly exclusive: boolean;
  /** /proc/kpagecount, when readable. */
  readonly count: number | null;
}

export interface KernelCheckpoint {
  readonly name: string;
  readonly line: number;
  readonly processes: Readonly<Record<string, Readonly<Record<string, readonly KernelPage[]>>>>;
  /** What each pipe holds: the text each of its pages starts with (read with tee, not taken out). */
  readonly pipes?: Readonly<Record<string, readonly string[]>>;
  /** Each process's smaps sums over its scenario regions (kB). */
  readonly memory: Readonly<Record<string, KernelMemory>>;
  /** Huge regions: which pages are transparent huge pages, and how many are PMD-mapped (`P thp`). */
  readonly thp?: Readonly<Record<string, Readonly<Record<string, KernelThp>>>>;
}

export interface KernelAction {
  readonly action: PlannedAction;
  /** "ok", or the driver's error ("err segv", "err madvise Invalid argument"). */
  readonly reply: string;
  readonly ok: boolean;
  /** read: the text each page held; drain: the text of each page the pipe held. */
  readonly values?: readonly string[];
  /** read and write: page faults each page's access took (getrusage minflt + majflt). */
  readonly faults?: readonly number[];
  /** write: each page's entry before and after the store; vmsplice and pin: before and after the lookup. */
  readonly writes?: readonly KernelWrite[];
}

export interface KernelTrace {
  readonly hello: DriverHello;
  /** Frame numbers are visible (CAP_SYS_ADMIN); otherwise only presence and bit 56 are. */
  readonly framesVisible: boolean;
  readonly actions: readonly KernelAction[];
  readonly checkpoints: readonly KernelCheckpoint[];
  /** Why the run stopped early, if it did. */
  readonly fatal?: string;
  /** khugepaged collapsed pages somewhere while the scenario ran (its pages_collapsed counter moved); undefined when unreadable. */
  readonly collapsed?: boolean;
}

export type { KernelPte };

export function toKernelPage(pte: KernelPte, zeroPfn: number): KernelPage {
  if (!pte.present) return { frame: null, exclusive: false, count: pte.count };
  const frame = zeroPfn > 0 && pte.pfn === zeroPfn ? 'zero' : pte.pfn;
  return { frame, exclusive: pte.exclusive, count: pte.count };
}

export async function playPlan(binary: string, plan: Plan, options: SessionOptions = {}): Promise<KernelTrace> {
  const before = pagesCollapsed();
  const trace = decodeSession(plan, await runSession(binary, planCommands(plan), options));
  const after = pagesCollapsed();
  return before === undefined || after === undefined ? trace : { ...trace, collapsed: after !== before };
}

/** khugepaged's count of huge pages it made by collapsing small ones (system-wide), when readable. */
function pagesCollapsed(): number | undefined {
  try {
    const n = Number(readFileSync('/sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed', 'utf8').trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The kernel trace of a session's replies to `planCommands(plan)`. Pure: unit tests feed it
 * sessions recorded on a real kernel (test/fixtures/kernel-traces/).
 */
export function decodeSession(plan: Plan, session: Pick<SessionResult, 'hello' | 'replies' | 'fatal'>): KernelTrace {
  const { hello } = session;
  const framesVisible = hello.framesVisible;
  const actions: KernelAction[] = [];
  const checkpoints: KernelCheckpoint[] = [];
  let next = 0;
  const reply = (): string | undefined => session.replies[next++];

  for (const step of plan.steps) {
    if (step.kind === 'spawn') {
      if (reply() === undefined) break;
      continue;
    }
    if (step.kind === 'action') {
      const r = reply();
      if (r === undefined) break;
      const ok = r === 'ok' || r.startsWith('ok ');
      let extra = {};
      if (ok && step.verb === 'read') extra = decodeReadReply(r);
      if (ok && step.verb === 'write') {
        const writes = decodeWriteReply(r, hello.kpagecount);
        extra = { writes, faults: writes.map((w) => w.faults) };
      }
      // get_user_pages faults count in the process's own counters too, but the lookup is one
      // system call for the whole range: only what each entry became is compared.
      if (ok && (step.verb === 'vmsplice' || step.verb === 'pin')) extra = { writes: decodeWriteReply(r, hello.kpagecount) };
      if (ok && step.verb === 'drain') extra = { values: decodeTexts(r.slice(3)) };
      actions.push({ action: step, reply: r, ok, ...extra });
      continue;
    }
    const processes: Record<string, Record<string, KernelPage[]>> = {};
    const memory: Record<string, KernelMemory> = {};
    const thp: Record<string, Record<string, KernelThp>> = {};
    let complete = true;
    for (const readout of step.readouts) {
      const r = reply();
      if (r === undefined || !r.startsWith('ok')) {
        complete = false;
        break;
      }
      const byId = decodePagemapReply(r, hello.kpagecount);
      const regions: Record<string, KernelPage[]> = {};
      for (const [id, region] of readout.regions) {
        const ptes = byId.get(id) ?? [];
        regions[region.name] = ptes.map((pte) => toKernelPage(pte, hello.zeroPfn));
      }
      for (const p of readout.processes) processes[p] = regions;
      const sums = readoutMemory(reply(), readout.regions.keys());
      if (sums === undefined) {
        complete = false;
        break;
      }
      for (const p of readout.processes) memory[p] = sums;
      if (readout.thpCommand) {
        const t = reply();
        if (t === undefined || !t.startsWith('ok')) {
          complete = false;
          break;
        }
        const byId = decodeThpReply(t);
        const huge: Record<string, KernelThp> = {};
        for (const [id, region] of readout.regions) {
          const k = byId.get(id);
          if (k) huge[region.name] = k;
        }
        for (const p of readout.processes) thp[p] = huge;
      }
    }
    let pipes: Record<string, string[]> | undefined;
    if (complete && step.pipes) {
      const r = reply();
      if (r === undefined || !r.startsWith('ok')) complete = false;
      else pipes = decodePipesReply(r, step.pipes.names);
    }
    if (!complete) break;
    checkpoints.push({ name: step.name, line: step.line, processes, memory, ...(pipes ? { pipes } : {}), ...(Object.keys(thp).length > 0 ? { thp } : {}) });
  }
  return { hello, framesVisible, actions, checkpoints, ...(session.fatal !== undefined ? { fatal: session.fatal } : {}) };
}

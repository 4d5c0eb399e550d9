// The comparer: holds the engine's checkpoints and actions against the kernel's.
//
// Frame numbers differ between the two, so a checkpoint compares sharing structure: which
// (process, region, page) entries map one frame together, which map a frame alone, which map the
// zero page, which map nothing. Formally, the pairs (engine frame, kernel frame) seen over all
// entries must form a bijection. Each action is compared too: both sides succeed or refuse it;
// each written page was copied, kept its frame, or got a new one; each access took a page fault
// or not (pagemap has no writable bit, so a fault is how a write-protected entry shows); each
// read saw the same text. Tolerated, as docs/kernel-model.md ("Comparing with the real kernel") says:
// - kernel copied where the engine reused (a page still in another CPU's LRU-add batch holds an
//   extra reference, and wp_can_reuse_anon_folio drains only the local batch) — accepted only
//   when the page was mapped once before the write, i.e. the sharing structure agrees, and no
//   pipe or pin held the page (then the copy is the reference count deciding, never an accident);
// - extra present pages in a MAP_SHARED region (shmem read faults map neighbours: fault-around),
//   and so no fault on a later first access of such a page — only for pages this address
//   space had not accessed itself;
// - without frame numbers (no CAP_SYS_ADMIN), pagemap bit 56 (mapped exactly once) stands in.

import type { JsonCheckpoint, JsonPage } from '../language';
import type { EngineAction, EngineTrace, WriteOutcome } from './engine-side';
import type { KernelPte } from './pagemap';
import type { KernelAction, KernelCheckpoint, KernelPage, KernelTrace } from './play';
import type { Plan, PlannedCheckpoint, PlannedRegion } from './plan';
import { compareMemory, figuresWithFaultAround } from './smaps';
import { compareThp, smallPagesReason } from './thp';

export type Mark = 'ok' | 'differs' | 'tolerated';

/** One row of a side-by-side table. */
export interface Row {
  readonly where: string;
  readonly engine: string;
  readonly kernel: string;
  readonly mark: Mark;
  readonly why?: string;
}

export interface Difference {
  readonly line: number;
  /** "checkpoint \"after fork\"", "line 12: child: write heap[1]" … */
  readonly title: string;
  readonly rows: readonly Row[];
}

export interface Tolerance {
  readonly line: number;
  readonly title: string;
  readonly why: string;
}

export interface Comparison {
  readonly differences: readonly Difference[];
  readonly tolerated: readonly Tolerance[];
  /** Statements or facts the comparison could not check, with the reason. */
  readonly notChecked: readonly string[];
  readonly checkpointsCompared: number;
  readonly pagesCompared: number;
  readonly actionsCompared: number;
  /** The kernel gave small pages where the engine has a huge page: why the run cannot be judged (see thp.ts). */
  readonly smallPages?: string;
}

export const TOLERANCE_LRU = 'kernel copied where the engine reused: the page was mapped once, but an LRU-add batch on another CPU still held a reference (wp_can_reuse_anon_folio drains only the local batch)';
export const TOLERANCE_FAULT_AROUND = 'extra present page in a shared region: shmem read faults map neighbouring pages already in the object (do_fault_around → filemap_map_pages)';

/** What judging a kernel entry needs to know about the run. */
interface Context {
  readonly zeroPfn: number;
  readonly framesVisible: boolean;
}

export function compareTraces(plan: Plan, engine: EngineTrace, kernel: KernelTrace): Comparison {
  const ctx: Context = { zeroPfn: kernel.hello.zeroPfn, framesVisible: kernel.framesVisible };
  const differences: Difference[] = [];
  const tolerated: Tolerance[] = [];
  const notChecked: string[] = [];
  let pagesCompared = 0;
  let actionsCompared = 0;
  let smallPages: string | undefined;

  if (kernel.fatal !== undefined) {
    differences.push({ line: 0, title: 'the kernel run stopped early', rows: [{ where: 'driver', engine: '', kernel: kernel.fatal, mark: 'differs' }] });
  }

  // Actions, in order: both sides must succeed or refuse the same statement; then what each
  // write did to each page, and what each read saw.
  const refusedLine = engine.refused?.line;
  const held = new HeldFrames(ctx);
  let e = 0;
  for (const k of kernel.actions) {
    if (refusedLine !== undefined && k.action.line === refusedLine) {
      actionsCompared++;
      if (k.ok) {
        differences.push({
          line: k.action.line,
          title: `line ${k.action.line}: ${k.action.text}`,
          rows: [{ where: 'outcome', engine: `refused: ${engine.refused?.message ?? ''}`, kernel: 'succeeded', mark: 'differs' }],
        });
      }
      break;
    }
    const ea = engine.actions[e++];
    if (!ea || ea.line !== k.action.line) break; // the engine stopped earlier; reported below
    actionsCompared++;
    if (!k.ok) {
      differences.push({
        line: k.action.line,
        title: `line ${k.action.line}: ${k.action.text}`,
        rows: [{ where: 'outcome', engine: 'succeeded', kernel: k.reply, mark: 'differs' }],
      });
      break;
    }
    compareAction(ea, k, ctx, differences, tolerated, held.all());
    held.after(k);
  }
  if (refusedLine !== undefined) notChecked.push(`statements after line ${refusedLine}: the engine stopped there`);

  // Checkpoints, by position (the engine records none after a refused statement).
  const planned = plan.steps.filter((s): s is PlannedCheckpoint => s.kind === 'checkpoint');
  let compared = 0;
  for (let i = 0; i < engine.checkpoints.length; i++) {
    const ec = engine.checkpoints[i] as JsonCheckpoint;
    const kc = kernel.checkpoints[i];
    const pc = planned[i];
    if (!kc || !pc) {
      if (kernel.fatal === undefined) differences.push({ line: ec.line, title: `checkpoint "${ec.name}"`, rows: [{ where: 'checkpoint', engine: 'recorded', kernel: 'not reached', mark: 'differs' }] });
      break;
    }
    if (kc.name !== ec.name) {
      differences.push({ line: ec.line, title: `checkpoint "${ec.name}"`, rows: [{ where: 'checkpoint', engine: ec.name, kernel: kc.name, mark: 'differs' }] });
      break;
    }
    compared++;
    if (kc.thp) {
      smallPages ??= smallPagesReason(ec, kc.thp);
      const rows = compareThp(ec, kc.thp, pc);
      if (rows.some((r) => r.mark === 'differs')) differences.push({ line: ec.line, title: `checkpoint "${ec.name}" (line ${ec.line}): transparent huge pages (smaps AnonHugePages)`, rows });
    }
    const result = compareCheckpoint(ec, kc, pc, ctx.framesVisible);
    pagesCompared += result.pages;
    if (result.rows.some((r) => r.mark === 'differs')) differences.push({ line: ec.line, title: `checkpoint "${ec.name}" (line ${ec.line})`, rows: result.rows });
    for (const r of result.rows) if (r.mark === 'tolerated') tolerated.push({ line: ec.line, title: `checkpoint "${ec.name}" ${r.where}`, why: r.why ?? '' });
    const extra = new Set(result.rows.filter((r) => r.mark === 'tolerated' && r.why === TOLERANCE_FAULT_AROUND).map((r) => r.where));
    const memory = compareMemory(ec, kc.memory, pc, extra.size > 0 ? figuresWithFaultAround(ec, kc, pc, extra) : undefined);
    if (memory.some((r) => r.mark === 'differs')) differences.push({ line: ec.line, title: `checkpoint "${ec.name}" (line ${ec.line}): RSS, PSS, USS from /proc/self/smaps`, rows: memory });
    for (const r of memory) if (r.mark === 'tolerated') tolerated.push({ line: ec.line, title: `checkpoint "${ec.name}" ${r.where}`, why: r.why ?? '' });
  }
  if (!kernel.framesVisible) notChecked.push('frame identity: frame numbers are hidden without CAP_SYS_ADMIN, so sharing is judged from pagemap bit 56 (mapped exactly once)');
  return { differences, tolerated, notChecked, checkpointsCompared: compared, pagesCompared, actionsCompared, ...(smallPages !== undefined ? { smallPages } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Actions

function kernelWriteOutcome(w: { before: KernelPte; after: KernelPte }, ctx: Context): WriteOutcome | 'unknown' {
  const isZero = (pte: KernelPte): boolean => pte.present && ctx.framesVisible && pte.pfn === ctx.zeroPfn;
  // A read lookup (vmsplice) of a zero-page entry leaves it on the zero page: nothing changed.
  if (isZero(w.before) && isZero(w.after)) return 'kept';
  const beforeIsFrame = w.before.present && !isZero(w.before);
  if (!beforeIsFrame) return 'fresh';
  if (!ctx.framesVisible) return 'unknown';
  return w.after.pfn === w.before.pfn ? 'kept' : 'copied';
}

const OUTCOME_WORDS: Record<WriteOutcome, string> = {
  fresh: 'new frame (was absent or zero page)',
  copied: 'copied (wp_page_copy)',
  kept: 'kept its frame (no copy)',
};

/**
 * Kernel frames a pipe or a pin holds a reference on, followed through the kernel's own replies
 * (what each vmsplice and pin looked up; drain, unpin, exit and exec let go). A copy of such a
 * frame is never the LRU-batch accident: it is the reference count at work, and an engine that
 * reused it there would be teaching the pre-5.8 rule.
 */
class HeldFrames {
  private readonly pipes = new Map<string, Set<number>>();
  private readonly pins = new Map<string, Map<string, number>>();

  constructor(private readonly ctx: Context) {}

  all(): ReadonlySet<number> {
    const out = new Set<number>();
    for (const frames of this.pipes.values()) for (const f of frames) out.add(f);
    for (const byPage of this.pins.values()) for (const f of byPage.values()) out.add(f);
    return out;
  }

  after(k: KernelAction): void {
    const a = k.action;
    if (!k.ok || !this.ctx.framesVisible) return;
    if (a.verb === 'vmsplice' && a.pipe !== undefined) {
      const set = this.pipes.get(a.pipe) ?? new Set<number>();
      for (const w of k.writes ?? []) if (w.after.present) set.add(w.after.pfn);
      this.pipes.set(a.pipe, set);
    } else if (a.verb === 'drain' && a.pipe !== undefined) {
      this.pipes.delete(a.pipe);
    } else if (a.verb === 'pin') {
      const byPage = this.pins.get(a.process) ?? new Map<string, number>();
      (k.writes ?? []).forEach((w, i) => {
        if (w.after.present) byPage.set(`${a.region ?? ''}/${(a.first ?? 0) + i}`, w.after.pfn);
      });
      this.pins.set(a.process, byPage);
    } else if (a.verb === 'unpin') {
      const byPage = this.pins.get(a.process);
      for (let page = a.first ?? 0; page <= (a.last ?? -1); page++) byPage?.delete(`${a.region ?? ''}/${page}`);
    } else if (a.verb === 'exit' || a.verb === 'exec') {
      this.pins.delete(a.process);
    }
  }
}

function compareAction(ea: EngineAction, k: KernelAction, ctx: Context, differences: Difference[], tolerated: Tolerance[], held: ReadonlySet<number> = new Set()): void {
  const a = k.action;
  const title = `line ${a.line}: ${a.text}`;
  const rows: Row[] = [];
  if (ea.values && k.values) {
    ea.values.forEach((value, i) => {
      const seen = k.values?.[i];
      if (value.includes('\u0000') || seen === undefined) return;
      const page = a.verb === 'drain' ? `pipe ${a.pipe ?? '?'}[${i}]` : `${a.process}/${a.region ?? '?'}/${(a.first ?? 0) + i}`;
      rows.push({ where: page, engine: JSON.stringify(value), kernel: JSON.stringify(seen), mark: value === seen ? 'ok' : 'differs' });
    });
    if (a.verb === 'drain' && ea.values.length !== (k.values?.length ?? 0)) {
      rows.push({ where: `pipe ${a.pipe ?? '?'}`, engine: `${ea.values.length} pages`, kernel: `${k.values?.length ?? 0} pages`, mark: 'differs' });
    }
  }
  if (ea.writes && k.writes) {
    ea.writes.forEach((engineOutcome, i) => {
      const w = k.writes?.[i];
      if (!w) return;
      const page = (a.first ?? 0) + i;
      const where = `${a.process}/${a.region ?? '?'}/${page}`;
      const kernelOutcome = kernelWriteOutcome(w, ctx);
      const kernelText = kernelOutcome === 'unknown' ? 'present before (frames hidden)' : `${OUTCOME_WORDS[kernelOutcome]}${describeBefore(w.before, ctx)}`;
      let mark: Mark = 'ok';
      let why: string | undefined;
      if (kernelOutcome === 'unknown') {
        mark = engineOutcome === 'fresh' ? 'differs' : 'ok';
      } else if (kernelOutcome !== engineOutcome) {
        mark = 'differs';
        if (engineOutcome === 'kept' && kernelOutcome === 'copied' && mappedOnce(w.before) && !held.has(w.before.pfn)) {
          mark = 'tolerated';
          why = TOLERANCE_LRU;
        } else if (a.shared === true && engineOutcome === 'fresh' && kernelOutcome === 'kept' && !(a.touchedBefore?.has(page) ?? false)) {
          mark = 'tolerated';
          why = TOLERANCE_FAULT_AROUND;
        }
      }
      rows.push({ where, engine: OUTCOME_WORDS[engineOutcome], kernel: kernelText, mark, ...(why ? { why } : {}) });
    });
  }
  // Whether each access faulted: the kernel's only sign of an entry that was absent or
  // write-protected (pagemap shows no writable bit).
  if (ea.faulted && k.faults) {
    ea.faulted.forEach((engineFaulted, i) => {
      const n = k.faults?.[i];
      if (n === undefined) return;
      const page = (a.first ?? 0) + i;
      const kernelFaulted = n > 0;
      if (engineFaulted === kernelFaulted) return;
      const where = `${a.process}/${a.region ?? '?'}/${page}`;
      const aroundFault = a.shared === true && engineFaulted && !(a.touchedBefore?.has(page) ?? false);
      rows.push({
        where: `${where} fault`,
        engine: engineFaulted ? 'page fault' : 'no fault',
        kernel: kernelFaulted ? `page fault${n > 1 ? ` ×${n}` : ''}` : 'no fault',
        mark: aroundFault ? 'tolerated' : 'differs',
        ...(aroundFault ? { why: TOLERANCE_FAULT_AROUND } : {}),
      });
    });
  }
  if (rows.some((r) => r.mark === 'differs')) differences.push({ line: a.line, title, rows });
  for (const r of rows) if (r.mark === 'tolerated') tolerated.push({ line: a.line, title: `${title} ${r.where}`, why: r.why ?? '' });
}

function mappedOnce(pte: KernelPte): boolean {
  return pte.count !== null ? pte.count === 1 : pte.exclusive;
}

function describeBefore(pte: KernelPte, ctx: Context): string {
  if (!pte.present) return '; absent before';
  if (ctx.framesVisible && pte.pfn === ctx.zeroPfn) return '; zero page before';
  return pte.count !== null ? `; mapped ${pte.count}× before` : pte.exclusive ? '; mapped once before' : '; mapped more than once before';
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

interface Entry {
  readonly where: string;
  readonly process: string;
  readonly region: string;
  readonly page: number;
  readonly engine: JsonPage | undefined;
  readonly kernel: KernelPage | undefined;
  /** First member of its address-space group (vfork parent and child show the same entries). */
  readonly primary: boolean;
  /** The region is MAP_SHARED in this process. */
  readonly shared: boolean;
  /** Shared region: a read or write of this address space faulted this page in. */
  readonly touched: boolean;
}

function engineText(p: JsonPage | undefined): string {
  if (!p) return '(no such page)';
  if (p.frame === null) return '-';
  return p.frame === 'zero' ? 'zero page' : `frame ${p.frame}`;
}

function kernelText(p: KernelPage | undefined, framesVisible: boolean): string {
  if (!p) return '(no such page)';
  if (p.frame === null) return '-';
  if (p.frame === 'zero') return 'zero page';
  const extra = p.count !== null ? ` ×${p.count}` : p.exclusive ? ' excl' : ' shared';
  return framesVisible ? `pfn ${p.frame.toString(16)}${extra}` : `present${extra}`;
}

export function compareCheckpoint(
  ec: JsonCheckpoint,
  kc: KernelCheckpoint,
  pc: PlannedCheckpoint,
  framesVisible: boolean,
): { rows: Row[]; pages: number } {
  const rows: Row[] = [];
  const primaries = new Set(pc.readouts.map((r) => r.processes[0]));
  const regionsOf = new Map<string, Map<string, PlannedRegion>>();
  for (const readout of pc.readouts) {
    const byName = new Map([...readout.regions.values()].map((r) => [r.name, r]));
    for (const p of readout.processes) regionsOf.set(p, byName);
  }
  const processes = [...new Set([...Object.keys(ec.processes), ...Object.keys(kc.processes)])];
  const entries: Entry[] = [];
  for (const process of processes) {
    const er = ec.processes[process];
    const kr = kc.processes[process];
    if (!er || !kr) {
      rows.push({ where: process, engine: er ? 'alive' : 'absent', kernel: kr ? 'alive' : 'absent', mark: 'differs' });
      continue;
    }
    for (const region of [...new Set([...Object.keys(er), ...Object.keys(kr)])]) {
      const ep = er[region];
      const kp = kr[region];
      if (!ep || !kp) {
        rows.push({ where: `${process}/${region}`, engine: ep ? 'mapped' : 'not mapped', kernel: kp ? 'mapped' : 'not mapped', mark: 'differs' });
        continue;
      }
      const planned = regionsOf.get(process)?.get(region);
      const shared = planned?.shared ?? false;
      const n = Math.max(ep.length, kp.length);
      for (let page = 0; page < n; page++) {
        const touched = planned?.touched.has(page) ?? false;
        entries.push({ where: `${process}/${region}/${page}`, process, region, page, engine: ep[page], kernel: kp[page], primary: primaries.has(process), shared, touched });
      }
    }
  }
  const marks = framesVisible ? judgeWithFrames(entries) : judgeWithExclusiveBit(entries);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as Entry;
    const m = marks[i] as { mark: Mark; why?: string };
    rows.push({ where: entry.where, engine: engineText(entry.engine), kernel: kernelText(entry.kernel, framesVisible), mark: m.mark, ...(m.why ? { why: m.why } : {}) });
  }
  rows.push(...comparePipes(ec.pipes, kc.pipes));
  return { rows, pages: entries.length };
}

/** What each pipe holds, page by page: the engine's `pipes` against what tee read from the real pipe. */
function comparePipes(engine: Readonly<Record<string, readonly string[]>> | undefined, kernel: Readonly<Record<string, readonly string[]>> | undefined): Row[] {
  const rows: Row[] = [];
  const names = [...new Set([...Object.keys(engine ?? {}), ...Object.keys(kernel ?? {})])].sort();
  for (const name of names) {
    const ev = engine?.[name] ?? [];
    const kv = kernel?.[name];
    if (kv === undefined) {
      rows.push({ where: `pipe ${name}`, engine: `${ev.length} pages`, kernel: '(not read)', mark: 'differs' });
      continue;
    }
    for (let i = 0; i < Math.max(ev.length, kv.length); i++) {
      const e = ev[i];
      const k = kv[i];
      rows.push({
        where: `pipe ${name}[${i}]`,
        engine: e === undefined ? '(no page)' : JSON.stringify(e),
        kernel: k === undefined ? '(no page)' : JSON.stringify(k),
        mark: e === k ? 'ok' : 'differs',
      });
    }
  }
  return rows;
}

function judgeWithFrames(entries: readonly Entry[]): { mark: Mark; why?: string }[] {
  const marks: { mark: Mark; why?: string }[] = [];
  const engineToKernel = new Map<number, Set<number>>();
  const kernelToEngine = new Map<number, Set<number>>();
  const pair = (ef: number, kf: number): void => {
    let k = engineToKernel.get(ef);
    if (!k) engineToKernel.set(ef, (k = new Set()));
    k.add(kf);
    let en = kernelToEngine.get(kf);
    if (!en) kernelToEngine.set(kf, (en = new Set()));
    en.add(ef);
  };
  for (const entry of entries) {
    const ep = entry.engine;
    const kp = entry.kernel;
    if (!ep || !kp) {
      marks.push({ mark: 'differs' });
      continue;
    }
    if (ep.frame === null && kp.frame === null) marks.push({ mark: 'ok' });
    else if (ep.frame === 'zero' && kp.frame === 'zero') marks.push({ mark: 'ok' });
    else if (typeof ep.frame === 'number' && typeof kp.frame === 'number') {
      pair(ep.frame, kp.frame);
      marks.push({ mark: 'ok' });
    } else if (ep.frame === null && typeof kp.frame === 'number' && entry.shared && !entry.touched) {
      marks.push({ mark: 'tolerated', why: TOLERANCE_FAULT_AROUND });
    } else {
      marks.push({ mark: 'differs' });
    }
  }
  // The pairing must be one-to-one: one engine frame is one kernel frame and back.
  entries.forEach((entry, i) => {
    const ep = entry.engine;
    const kp = entry.kernel;
    if (!ep || !kp || typeof ep.frame !== 'number' || typeof kp.frame !== 'number') return;
    const splits = (engineToKernel.get(ep.frame)?.size ?? 0) > 1;
    const merges = (kernelToEngine.get(kp.frame)?.size ?? 0) > 1;
    if (splits || merges) {
      marks[i] = {
        mark: 'differs',
        why: splits ? `engine frame ${ep.frame} is several kernel frames` : `kernel frame ${kp.frame.toString(16)} is several engine frames`,
      };
    }
  });
  return marks;
}

function judgeWithExclusiveBit(entries: readonly Entry[]): { mark: Mark; why?: string }[] {
  // Engine: how many entries (one per address space) map each frame.
  const mappers = new Map<number, number>();
  for (const entry of entries) {
    const f = entry.engine?.frame;
    if (entry.primary && typeof f === 'number') mappers.set(f, (mappers.get(f) ?? 0) + 1);
  }
  return entries.map((entry) => {
    const ep = entry.engine;
    const kp = entry.kernel;
    if (!ep || !kp) return { mark: 'differs' as Mark };
    const enginePresent = ep.frame !== null;
    const kernelPresent = kp.frame !== null;
    if (entry.shared) {
      if (enginePresent === kernelPresent) return { mark: 'ok' as Mark };
      return !enginePresent && !entry.touched ? { mark: 'tolerated' as Mark, why: TOLERANCE_FAULT_AROUND } : { mark: 'differs' as Mark };
    }
    if (enginePresent !== kernelPresent) return { mark: 'differs' as Mark };
    if (!enginePresent) return { mark: 'ok' as Mark };
    const engineExclusive = typeof ep.frame === 'number' && mappers.get(ep.frame) === 1;
    return { mark: (engineExclusive === kp.exclusive ? 'ok' : 'differs') as Mark };
  });
}

// The comparer, actions: both sides succeed or refuse each statement; each written page was copied,
// kept its frame, or got a new one; each read saw the same text (see compare.ts).

import type { EngineAction, WriteOutcome } from './engine-side';
import type { KernelPte } from './pagemap';
import type { KernelAction } from './play';
import { TOLERANCE_FAULT_AROUND, TOLERANCE_LRU, type Context, type Difference, type Mark, type Row, type Tolerance } from './comparison';

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
export class HeldFrames {
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

export function compareAction(ea: EngineAction, k: KernelAction, ctx: Context, differences: Difference[], tolerated: Tolerance[], held: ReadonlySet<number> = new Set()): void {
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

// The comparer, checkpoints: frame numbers differ between the engine and the kernel, so a
// checkpoint compares sharing structure (see compare.ts).

import type { JsonCheckpoint, JsonPage } from '../language';
import type { KernelCheckpoint, KernelPage } from './play';
import type { PlannedCheckpoint, PlannedRegion } from './plan';
import { TOLERANCE_FAULT_AROUND, type Mark, type Row } from './comparison';

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

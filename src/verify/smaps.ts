// RSS, PSS and USS on both sides. The driver's `smaps` reply sums, per region, the Rss, Pss and
// Private_Clean + Private_Dirty lines of /proc/self/smaps over the VMAs inside that region (the
// driver's own stack and libraries are not part of the scenario). The engine's figures come from
// the `--json` checkpoint's "memory" (src/engine/memory.ts).
//
// How they are held against each other:
// - RSS and USS exactly, in kB (pages × 4);
// - PSS within the kernel's truncation: smaps_account adds (PAGE_SIZE << PSS_SHIFT) / mapcount per
//   page in fixed point (PSS_SHIFT = 12, so each page loses under 2^-12 bytes), and __show_smap
//   prints each VMA's sum >> PSS_SHIFT in kB, rounding down. So the kernel shows at most the exact
//   figure, and less by under 1 kB per VMA summed (plus under 2^-22 kB per page). Three sharers
//   of 6 pages: exact 8 kB, the kernel prints floor(6 × floor(2^24 / 3) / 2^22) = 7 kB;
// - fault-around: where the page comparison tolerated extra present pages of a shared region
//   (TOLERANCE_FAULT_AROUND), those pages are mapped for real: they add to that process's RSS,
//   and they raise the map count of a shmem page other processes map too, which lowers their
//   PSS and USS. So at such a checkpoint a figure that differs is tolerated only when it equals
//   the engine's figures recomputed with exactly those extra mappings (figuresWithFaultAround);
//   at every other checkpoint, and for any other difference, nothing is tolerated.

import { compareRatio, parseDecimal, ratio, type Ratio } from '../engine';
import type { JsonCheckpoint, JsonMemory } from '../language';
import type { KernelCheckpoint } from './play';
import type { PlannedCheckpoint } from './plan';

/** One region's smaps sums, in kB. */
export interface SmapsRegion {
  readonly rss: number;
  readonly pss: number;
  /** Private_Clean + Private_Dirty. */
  readonly private: number;
  /** How many VMAs were summed (madvise splits a region into several). */
  readonly vmas: number;
}

/** A process's smaps sums over all its scenario regions, in kB. */
export interface KernelMemory extends SmapsRegion {}

/** `ok 1=24,7,0,1;2=…` → region id → sums. Throws on a malformed reply. */
export function decodeSmapsReply(reply: string): Map<number, SmapsRegion> {
  const out = new Map<number, SmapsRegion>();
  const body = reply.replace(/^ok ?/, '');
  if (body === '') return out;
  for (const part of body.split(';')) {
    const m = /^(\d+)=(\d+),(\d+),(\d+),(\d+)$/.exec(part);
    if (!m) throw new Error(`bad smaps item '${part}'`);
    out.set(Number(m[1]), { rss: Number(m[2]), pss: Number(m[3]), private: Number(m[4]), vmas: Number(m[5]) });
  }
  return out;
}

/** The smaps reply of one readout, summed over its regions; undefined when missing or an error. */
export function readoutMemory(reply: string | undefined, ids: Iterable<number>): KernelMemory | undefined {
  if (reply === undefined || !reply.startsWith('ok')) return undefined;
  try {
    return sumRegions(decodeSmapsReply(reply), ids);
  } catch {
    return undefined;
  }
}

/** Sums of the regions a readout covers. */
export function sumRegions(byId: ReadonlyMap<number, SmapsRegion>, ids: Iterable<number>): KernelMemory {
  let rss = 0;
  let pss = 0;
  let priv = 0;
  let vmas = 0;
  for (const id of ids) {
    const r = byId.get(id);
    if (!r) continue;
    rss += r.rss;
    pss += r.pss;
    priv += r.private;
    vmas += r.vmas;
  }
  return { rss, pss, private: priv, vmas };
}

export interface MemoryRow {
  readonly where: string;
  readonly engine: string;
  readonly kernel: string;
  readonly mark: 'ok' | 'differs' | 'tolerated';
  readonly why?: string;
}

export const TOLERANCE_FAULT_AROUND_MEMORY =
  'fault-around mapped extra shared pages (tolerated in the page comparison above); they count in RSS and change map counts, so the figures were recomputed with those mappings';

const KB_PER_PAGE = 4;

/** A process's figures in pages, PSS exact. */
export interface Figures {
  readonly rss: number;
  readonly pss: Ratio;
  readonly uss: number;
}

/**
 * Compares each process's RSS, PSS and USS with the kernel's. `adjusted` (see
 * figuresWithFaultAround) holds figures that include the extra mappings fault-around made, when
 * the page comparison tolerated any at this checkpoint: a figure that matches only those is
 * marked tolerated.
 */
export function compareMemory(
  ec: JsonCheckpoint,
  kernel: Readonly<Record<string, KernelMemory>>,
  pc: PlannedCheckpoint,
  adjusted?: ReadonlyMap<string, Figures>,
): MemoryRow[] {
  const rows: MemoryRow[] = [];
  for (const readout of pc.readouts) {
    for (const process of readout.processes) {
      const e: JsonMemory | undefined = ec.memory[process];
      const k = kernel[process];
      if (!e || !k) continue; // a process missing on one side is reported by the page comparison
      // The JSON rounds a PSS that does not end to 6 places: allow half a unit of that.
      const plain: Figures = { rss: e.rss, pss: parseDecimal(String(e.pss)) ?? ratio(0n, 1n), uss: e.uss };
      const adj = adjusted?.get(process);
      const judge = (where: string, holds: (f: Figures, rounded: boolean) => boolean, engineText: string, kernelText: string): MemoryRow => {
        const base = { where: `${process} ${where}`, engine: engineText, kernel: kernelText };
        if (holds(plain, true)) return { ...base, mark: 'ok' };
        if (adj && holds(adj, true)) return { ...base, mark: 'tolerated', why: TOLERANCE_FAULT_AROUND_MEMORY };
        return { ...base, mark: 'differs' };
      };
      rows.push(judge('RSS', (f) => f.rss * KB_PER_PAGE === k.rss, `${e.rss * KB_PER_PAGE} kB`, `${k.rss} kB`));
      rows.push(judge('PSS', (f, rounded) => pssHolds(f, k, rounded), `${formatKb(scale(plain.pss, KB_PER_PAGE))} kB`, `${k.pss} kB`));
      rows.push(judge('USS', (f) => f.uss * KB_PER_PAGE === k.private, `${e.uss * KB_PER_PAGE} kB`, `${k.private} kB`));
    }
  }
  return rows;
}

/**
 * PSS: the kernel's kB is at most the exact figure, and less by under (VMAs + pages / 2^22) kB:
 * __show_smap prints each VMA's sum >> PSS_SHIFT rounded down, and each page lost under 2^-12
 * bytes in smaps_account's fixed-point division.
 */
function pssHolds(f: Figures, k: KernelMemory, rounded: boolean): boolean {
  const exactKb = scale(f.pss, KB_PER_PAGE);
  const kernelKb = ratio(BigInt(k.pss), 1n);
  const rounding = rounded ? ratio(BigInt(KB_PER_PAGE), 2_000_000n) : ratio(0n, 1n);
  const slack = ratio(BigInt(Math.max(1, k.vmas)) * 4_194_304n + BigInt(f.rss), 4_194_304n);
  return compareRatio(kernelKb, add(exactKb, rounding)) <= 0 && compareRatio(sub(exactKb, kernelKb), add(slack, rounding)) < 0;
}

/**
 * What the kernel's fault-around mappings change in each process's figures: the checkpoint's
 * entries as the engine has them, then again with each tolerated extra page (`P/R/N` in `extra`)
 * added as a mapping of the frame it shows in the kernel — the engine frame paired with that
 * kernel frame elsewhere in the checkpoint, or a frame of its own. Without frame numbers, an
 * extra page pagemap marks as mapped more than once is taken to be the frame another process
 * maps at the same page of its region of that name (fork inherits the same shmem object).
 * Returns the engine's own figures (from "memory") plus that difference, so a wrong engine
 * figure stays wrong.
 */
export function figuresWithFaultAround(ec: JsonCheckpoint, kc: KernelCheckpoint, pc: PlannedCheckpoint, extra: ReadonlySet<string>): Map<string, Figures> {
  const groups = pc.readouts.map((r) => r.processes);
  const primaries = groups.map((members) => members[0] ?? '');
  const kernelToEngine = new Map<number, number>();
  for (const p of primaries) {
    for (const [region, pages] of Object.entries(ec.processes[p] ?? {})) {
      const kp = kc.processes[p]?.[region] ?? [];
      pages.forEach((page, i) => {
        const kf = kp[i]?.frame;
        if (typeof page.frame === 'number' && typeof kf === 'number') kernelToEngine.set(kf, page.frame);
      });
    }
  }
  /** The engine frame another primary maps at `region[page]`, for hidden frame numbers. */
  const samePlaceElsewhere = (self: string, region: string, page: number): number | undefined => {
    for (const p of primaries) {
      const f = p === self ? undefined : ec.processes[p]?.[region]?.[page]?.frame;
      if (typeof f === 'number') return f;
    }
    return undefined;
  };
  const keysOf = (withExtra: boolean): Map<string, string[]> => {
    const out = new Map<string, string[]>();
    for (const p of primaries) {
      const keys: string[] = [];
      for (const [region, pages] of Object.entries(ec.processes[p] ?? {})) {
        const kp = kc.processes[p]?.[region] ?? [];
        for (let i = 0; i < Math.max(pages.length, kp.length); i++) {
          const ef = pages[i]?.frame;
          if (typeof ef === 'number') {
            keys.push(`e${ef}`);
            continue;
          }
          const where = `${p}/${region}/${i}`;
          if (!withExtra || !extra.has(where)) continue;
          const kpage = kp[i];
          const kf = kpage?.frame;
          if (typeof kf === 'number' && kf !== 0) {
            // A frame no engine entry maps (only the shmem object holds it): its kernel pfn.
            const paired = kernelToEngine.get(kf);
            keys.push(paired !== undefined ? `e${paired}` : `k${kf}`);
          } else if (kpage && !kpage.exclusive) {
            // Hidden frame numbers, mapped more than once: the same page of a region of that name.
            const paired = samePlaceElsewhere(p, region, i);
            keys.push(paired !== undefined ? `e${paired}` : `s${region}/${i}`);
          } else {
            keys.push(`x${where}`);
          }
        }
      }
      out.set(p, keys);
    }
    return out;
  };
  const figures = (keys: Map<string, string[]>): Map<string, Figures> => {
    const mappers = new Map<string, number>();
    for (const list of keys.values()) for (const key of list) mappers.set(key, (mappers.get(key) ?? 0) + 1);
    const out = new Map<string, Figures>();
    for (const [p, list] of keys) {
      let pss = ratio(0n, 1n);
      let uss = 0;
      for (const key of list) {
        const k = mappers.get(key) ?? 1;
        if (k === 1) uss += 1;
        pss = add(pss, ratio(1n, BigInt(k)));
      }
      out.set(p, { rss: list.length, pss, uss });
    }
    return out;
  };
  const without = figures(keysOf(false));
  const withFaultAround = figures(keysOf(true));
  const out = new Map<string, Figures>();
  groups.forEach((members, i) => {
    const before = without.get(primaries[i] ?? '');
    const after = withFaultAround.get(primaries[i] ?? '');
    for (const p of members) {
      const e = ec.memory[p];
      if (!e || !before || !after) continue;
      const own = parseDecimal(String(e.pss)) ?? ratio(0n, 1n);
      // own + (after - before), kept exact; a negative PSS cannot happen (it is a sum of shares).
      const pss = ratio(own.num * after.pss.den * before.pss.den + (after.pss.num * before.pss.den - before.pss.num * after.pss.den) * own.den, own.den * after.pss.den * before.pss.den);
      out.set(p, { rss: e.rss + after.rss - before.rss, pss: pss.num < 0n ? ratio(0n, 1n) : pss, uss: e.uss + after.uss - before.uss });
    }
  });
  return out;
}

function scale(r: Ratio, k: number): Ratio {
  return ratio(r.num * BigInt(k), r.den);
}
function add(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den + b.num * a.den, a.den * b.den);
}
function sub(a: Ratio, b: Ratio): Ratio {
  const num = a.num * b.den - b.num * a.den;
  return num < 0n ? ratio(0n, 1n) : ratio(num, a.den * b.den);
}
function formatKb(r: Ratio): string {
  return String(Number((r.num * 1000n) / r.den) / 1000);
}

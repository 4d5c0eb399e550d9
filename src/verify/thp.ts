// Transparent huge pages on both sides. At every checkpoint of an address space with `huge`
// regions the driver answers `P thp`: per page whether its frame belongs to a transparent huge
// page (/proc/kpageflags bit 22, KPF_THP — true for every page of a THP folio, PMD-mapped or
// split), and smaps' AnonHugePages, which counts only PMD-mapped huge pages. The engine's side
// is its `--json` pages: `pmd: true` where one PMD entry maps the page.
//
// - Where the engine has a PMD-mapped huge page and the kernel backed that page with a small
//   page, the kernel did not give a huge page (no free 2 MiB block, THP disabled, the
//   allocation fell back): the comparison is "not checked", with that reason — the rest of the
//   scenario would differ for a reason the scenario does not describe.
// - Otherwise the number of PMD-mapped pages must agree: a kernel that split where the engine
//   did not (or the reverse) differs.

import type { JsonCheckpoint } from '../language';
import { expandRuns } from './pagemap';
import type { PlannedCheckpoint } from './plan';
import type { Row } from './compare';

/** One huge region as the kernel shows it. */
export interface KernelThp {
  /** Per page: 't' part of a transparent huge page, 's' a small page, '-' not present, '?' unreadable. */
  readonly pages: readonly string[];
  /** smaps AnonHugePages summed over the region's VMAs, in kB: PMD-mapped huge pages × 2048. */
  readonly anonHugeKb: number;
}

/** `ok 1=t*512,-*512,2048;3=…` → region id → KernelThp. */
export function decodeThpReply(reply: string): Map<number, KernelThp> {
  const out = new Map<number, KernelThp>();
  const body = reply.replace(/^ok ?/, '');
  if (body === '') return out;
  for (const part of body.split(';')) {
    const eq = part.indexOf('=');
    const items = part.slice(eq + 1).split(',');
    const kb = Number(items.pop());
    if (eq < 1 || !Number.isFinite(kb)) throw new Error(`bad thp item '${part}'`);
    out.set(Number(part.slice(0, eq)), { pages: expandRuns(items.join(',')), anonHugeKb: kb });
  }
  return out;
}

/** Why the kernel check cannot judge the huge regions of this checkpoint, when the kernel gave small pages. */
export function smallPagesReason(ec: JsonCheckpoint, thp: Readonly<Record<string, Readonly<Record<string, KernelThp>>>>): string | undefined {
  for (const [process, regions] of Object.entries(thp)) {
    for (const [region, k] of Object.entries(regions)) {
      const pages = ec.processes[process]?.[region] ?? [];
      const small = pages.findIndex((p, i) => p.pmd === true && typeof p.frame === 'number' && k.pages[i] === 's');
      if (small >= 0) {
        return `the kernel gave ${process}'s ${region}[${small}] a small page where the engine maps a transparent huge page (the huge page allocation fell back to 4 KiB pages: no free 2 MiB block, or THP is off for this region)`;
      }
    }
  }
  return undefined;
}

/** Rows comparing PMD-mapped huge pages per huge region: engine `pmd` pages against AnonHugePages. */
export function compareThp(ec: JsonCheckpoint, thp: Readonly<Record<string, Readonly<Record<string, KernelThp>>>>, pc: PlannedCheckpoint): Row[] {
  const rows: Row[] = [];
  for (const readout of pc.readouts) {
    for (const region of readout.regions.values()) {
      if (!region.huge) continue;
      for (const process of readout.processes) {
        const k = thp[process]?.[region.name];
        if (!k) continue;
        const pages = ec.processes[process]?.[region.name] ?? [];
        // The huge zero page is not counted in AnonHugePages: count PMD-mapped real frames only.
        const engineHuge = pages.filter((p) => p.pmd === true && typeof p.frame === 'number').length / 512;
        const kernelHuge = k.anonHugeKb / 2048;
        rows.push({
          where: `${process} ${region.name}: huge pages mapped by a PMD entry`,
          engine: String(engineHuge),
          kernel: `${kernelHuge} (AnonHugePages ${k.anonHugeKb} kB)`,
          mark: engineHuge === kernelHuge ? 'ok' : 'differs',
        });
      }
    }
  }
  return rows;
}

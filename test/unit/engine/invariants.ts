// Invariants every machine version must satisfy, computed from the public views only —
// independently of how the engine stores map counts.

import { Machine, regionPtes } from '../../../src/engine';

/** Returns the list of broken invariants (empty when all hold). */
export function brokenInvariants(m: Machine): string[] {
  const broken: string[] = [];
  const counted = new Map<number, number>();
  for (const p of m.processes()) {
    // A vfork child borrows its parent's page tables: count each address space once.
    if (p.status === 'exited' || p.borrowsFrom !== null) continue;
    for (const r of m.regions(p.name)) {
      for (const [page, pte] of regionPtes(m, p.name, r.name).entries()) {
        if (typeof pte.frame === 'number') counted.set(pte.frame, (counted.get(pte.frame) ?? 0) + 1);
        if (pte.present !== (pte.frame !== null)) broken.push(`${p.name} ${r.name}[${page}] present=${pte.present} frame=${pte.frame}`);
        if (pte.frame === 'zero' && pte.writable) broken.push(`${p.name} ${r.name}[${page}] maps the zero page writable`);
        if (pte.writable && !pte.shared && !pte.exclusive) broken.push(`${p.name} ${r.name}[${page}] is writable but frame ${pte.frame} is shared`);
      }
    }
  }
  const frames = m.frames();
  for (const f of frames) {
    const c = counted.get(f.frame) ?? 0;
    if (f.mapCount !== c) broken.push(`frame ${f.frame}: map count ${f.mapCount}, but ${c} entries point at it`);
    if (f.mapCount === 0 && !f.shmem) broken.push(`frame ${f.frame} is allocated with map count 0 and no shmem object holding it`);
  }
  for (const [frame, c] of counted) {
    if (!m.frame(frame)) broken.push(`${c} entries point at frame ${frame}, which is not allocated`);
  }
  if (m.stats.frames !== frames.length) broken.push(`stats.frames ${m.stats.frames} but ${frames.length} frames allocated`);
  if (m.processes().every((p) => p.status === 'exited') && frames.length > 0) {
    broken.push(`every process has exited but ${frames.length} frames are still allocated`);
  }
  return broken;
}

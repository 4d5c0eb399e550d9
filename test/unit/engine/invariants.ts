// Invariants every machine version must satisfy, computed from the public views only —
// independently of how the engine stores map counts.

import { Machine, regionPtes } from '../../../src/engine';

/** Returns the list of broken invariants (empty when all hold). */
export function brokenInvariants(m: Machine): string[] {
  const broken: string[] = [];
  const counted = new Map<number, number>();
  const marks = m.kernel.major > 5 || (m.kernel.major === 5 && m.kernel.minor >= 19);
  // References that are not mappings, counted from the pipes and pins.
  const held = new Map<number, { pipe: number; pin: number }>();
  const hold = (f: number, k: 'pipe' | 'pin'): void => {
    if (f === 0) return;
    const h = held.get(f) ?? { pipe: 0, pin: 0 };
    h[k]++;
    held.set(f, h);
  };
  for (const frames of m.pipes().keys()) for (const f of m.pipeFrames(frames) ?? []) hold(f, 'pipe');
  for (const p of m.pins()) hold(p.frame, 'pin');
  for (const [name, values] of m.pipes()) if (values.length > 16) broken.push(`pipe ${name} holds ${values.length} pages`);
  // A committed version is immutable: no directory chunk or leaf of its page tables may still be
  // owned by an edit token (an editor with that token would change it in place; ptable.ts freeze).
  for (const p of m.data.processes.list) {
    for (const r of p.regions) {
      for (const chunk of r.table.top) {
        if (chunk && chunk.owner !== 0) broken.push(`${p.name} ${r.name}: a directory chunk is still owned by edit token ${chunk.owner}`);
        for (const leaf of chunk?.leaves ?? []) if (leaf && leaf.owner !== 0) broken.push(`${p.name} ${r.name}: leaf ${leaf.id} is still owned by edit token ${leaf.owner}`);
      }
    }
  }
  for (const p of m.processes()) {
    // A vfork child borrows its parent's page tables: count each address space once.
    if (p.status === 'exited' || p.borrowsFrom !== null) continue;
    for (const r of m.regions(p.name)) {
      const ptes = regionPtes(m, p.name, r.name);
      // A PMD entry maps a whole 2 MiB slot: 512 consecutive frames from a multiple of 512 (or the huge zero page), one permission.
      for (let start = 0; start < ptes.length; start += 512) {
        const slot = ptes.slice(start, start + 512);
        const head = slot[0];
        if (!slot.some((x) => x.pmd)) continue;
        if (!r.huge) broken.push(`${p.name} ${r.name}[${start}] is PMD-mapped in a region that is not huge`);
        const ok = slot.every((x, i) => x.pmd === true && x.writable === head?.writable && (head?.frame === 'zero' ? x.frame === 'zero' : typeof head?.frame === 'number' && head.frame % 512 === 0 && x.frame === head.frame + i));
        if (!ok) broken.push(`${p.name} ${r.name}[${start}..${start + 511}] is not one whole PMD mapping`);
      }
      for (const [page, pte] of ptes.entries()) {
        if (typeof pte.frame === 'number') counted.set(pte.frame, (counted.get(pte.frame) ?? 0) + 1);
        if (pte.present !== (pte.frame !== null)) broken.push(`${p.name} ${r.name}[${page}] present=${pte.present} frame=${pte.frame}`);
        if (pte.frame === 'zero' && pte.writable) broken.push(`${p.name} ${r.name}[${page}] maps the zero page writable`);
        if (pte.writable && !pte.shared && !pte.exclusive) broken.push(`${p.name} ${r.name}[${page}] is writable but frame ${pte.frame} is shared`);
        // PageAnonExclusive: only on private anonymous pages mapped once, and never on a page another entry maps.
        if (pte.anonExclusive && (pte.shared || typeof pte.frame !== 'number' || !pte.exclusive)) broken.push(`${p.name} ${r.name}[${page}] is marked exclusive but ${pte.shared ? 'MAP_SHARED' : `frame ${String(pte.frame)} is not mapped once`}`);
        if (marks && !pte.shared && typeof pte.frame === 'number' && pte.writable !== pte.anonExclusive) broken.push(`${p.name} ${r.name}[${page}] writable=${pte.writable} but exclusive mark=${pte.anonExclusive}`);
        if (!marks && pte.anonExclusive) broken.push(`${p.name} ${r.name}[${page}] carries an exclusive mark on a kernel without one`);
      }
    }
  }
  const frames = m.frames();
  for (const f of frames) {
    const c = counted.get(f.frame) ?? 0;
    if (f.mapCount !== c) broken.push(`frame ${f.frame}: map count ${f.mapCount}, but ${c} entries point at it`);
    const h = held.get(f.frame) ?? { pipe: 0, pin: 0 };
    if (f.pipeRefs !== h.pipe || f.pins !== h.pin) broken.push(`frame ${f.frame}: ${f.pipeRefs} pipe refs and ${f.pins} pins, but pipes hold it ${h.pipe} times and pins ${h.pin}`);
    if (f.refCount !== f.mapCount + h.pipe + h.pin) broken.push(`frame ${f.frame}: refcount ${f.refCount} ≠ mapcount ${f.mapCount} + pipe refs ${h.pipe} + pins ${h.pin}`);
    if (f.refCount === 0 && !f.shmem) broken.push(`frame ${f.frame} is allocated with no reference and no shmem object holding it`);
  }
  for (const [frame, c] of counted) {
    if (!m.frame(frame)) broken.push(`${c} entries point at frame ${frame}, which is not allocated`);
  }
  for (const frame of held.keys()) {
    if (!m.frame(frame)) broken.push(`a pipe or pin holds frame ${frame}, which is not allocated`);
  }
  if (m.stats.frames !== frames.length) broken.push(`stats.frames ${m.stats.frames} but ${frames.length} frames allocated`);
  const pipesEmpty = [...m.pipes().values()].every((v) => v.length === 0);
  if (m.processes().every((p) => p.status === 'exited') && pipesEmpty && frames.length > 0) {
    broken.push(`every process has exited and every pipe is empty but ${frames.length} frames are still allocated`);
  }
  if (m.processes().every((p) => p.status === 'exited') && m.pins().length > 0) broken.push(`every process has exited but ${m.pins().length} pins remain`);
  return broken;
}

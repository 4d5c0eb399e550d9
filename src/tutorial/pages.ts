// Small readings of a machine state in the words the tutorial uses: who maps a frame, what a
// page is, how frames in use changed. Pure: no `vscode`.
import type { EngineEvent, Machine, Operation, PteView } from '../engine';
import { describePte } from '../language';
import { plural } from '../engine';

export { plural };

/** `child heap[1]` */
export function pageName(process: string, region: string, page: number): string {
  return `${process} ${region}[${page}]`;
}

/** The statement an operation came from, as a learner would write it. */
export function describeOperation(op: Operation): string {
  const pages = (first: number, last: number): string => (first === last ? `[${first}]` : `[${first}..${last}]`);
  switch (op.op) {
    case 'spawn':
      return `process ${op.process}`;
    case 'map':
      return `${op.process}: map ${op.region} ${op.pages} ${op.kind}`;
    case 'unmap':
      return `${op.process}: unmap ${op.region}`;
    case 'read':
      return `${op.process}: read ${op.region}${pages(op.first, op.last)}`;
    case 'write':
      return `${op.process}: write ${op.region}${pages(op.first, op.last)}${op.value !== undefined ? ` ${JSON.stringify(op.value)}` : ''}`;
    case 'fork':
    case 'vfork':
      return `${op.process}: ${op.op} ${op.child}`;
    case 'exec':
    case 'exit':
      return `${op.process}: ${op.op}`;
    case 'madvise':
      return `${op.process}: madvise ${op.region}${pages(op.first, op.last)} ${op.advice}`;
    case 'vmsplice':
      return `${op.process}: vmsplice ${op.region}${pages(op.first, op.last)} ${op.pipe}`;
    case 'drain':
      return `${op.process}: drain ${op.pipe}`;
    case 'pin':
    case 'unpin':
      return `${op.process}: ${op.op} ${op.region}${pages(op.first, op.last)}`;
  }
}

/**
 * The entries that map `frame`, looked for at the same region and page in every live process —
 * where fork puts them (a fork child inherits names and page numbers). A vfork child uses its
 * parent's entries and is not listed separately.
 */
export function mappersOf(m: Machine, frame: number, region: string, page: number): string[] {
  const out: string[] = [];
  for (const p of m.processes()) {
    if (p.status === 'exited' || p.borrowsFrom !== null) continue;
    if (m.pte(p.name, region, page).frame === frame) out.push(pageName(p.name, region, page));
  }
  return out;
}

/** "frame 3 (mapped by 2 entries, read-only, copy-on-write)" */
export function describePage(m: Machine, pte: PteView): string {
  return describePte(m, pte);
}

/** "a and b", "a, b and c" */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}


/** Frames this step allocated, as the engine reported them (copies included). */
export function allocatedFrames(events: readonly EngineEvent[]): Set<number> {
  const out = new Set<number>();
  for (const e of events) {
    if (e.kind === 'frame-allocated') out.add(e.frame);
    if (e.kind === 'frame-copied') out.add(e.to);
  }
  return out;
}

/**
 * "4 before, 1 allocated, 0 freed: 4 + 1 = 5" — the arithmetic behind frames in use. Frames
 * allocated are worked out from the change and the frames freed, so eager fork copies (which
 * the engine counts without an event per frame) are included. When a huge step's events were
 * capped, only before and after are given.
 */
export function framesArithmetic(before: Machine, after: Machine, events: readonly EngineEvent[], eventsOmitted = 0): string {
  const b = before.stats.frames;
  const a = after.stats.frames;
  if (eventsOmitted > 0) return `${b} before, ${a} after`;
  const freed = events.filter((e) => e.kind === 'frame-freed').length;
  const allocated = a - b + freed;
  return `${b} before, ${plural(allocated, 'frame')} allocated, ${plural(freed, 'frame')} freed: ${b}${allocated ? ` + ${allocated}` : ''}${freed ? ` − ${freed}` : ''} = ${a}`;
}

// The physical frames column: the frames the sent rows map (with value, map count and owners),
// the frames this step allocated, copied, reused or freed, and spans for collapsed runs.
// A small machine lists every frame; a large one only what the learner is looking at, because
// listing a million frames (Machine.frames()) costs seconds and shows nothing readable.
import type { EngineEvent, Machine } from '../engine';
import type { FrameChange, FrameInfo, FrameSpan, PipePanel, PteRow } from '../protocol/messages';
import { ownersOf } from './tables';

/** Machines with at most this many frames in use list all of them. */
export const LIST_ALL_FRAMES = 512;
/** At most this many frames touched by one step are listed beyond those the rows map. */
const MAX_TOUCHED = 256;

export interface FrameTouch {
  readonly change: FrameChange;
  readonly copiedFrom: number | null;
}

/** What the step did to each frame, from the engine's events (the last word wins: copy after alloc). */
export function frameTouches(events: readonly EngineEvent[]): Map<number, FrameTouch> {
  const touched = new Map<number, FrameTouch>();
  for (const e of events) {
    if (e.kind === 'frame-allocated') touched.set(e.frame, { change: 'allocated', copiedFrom: null });
    else if (e.kind === 'frame-copied') touched.set(e.to, { change: 'copied', copiedFrom: e.from });
    else if (e.kind === 'frame-reused') touched.set(e.frame, { change: 'reused', copiedFrom: null });
    else if (e.kind === 'frame-freed') touched.set(e.frame, { change: 'freed', copiedFrom: null });
  }
  return touched;
}

export interface FrameColumn {
  readonly frames: FrameInfo[];
  readonly spans: FrameSpan[];
  readonly zeroPageMapped: boolean;
  readonly complete: boolean;
}

/** Frames and spans mapped by `rows`, plus (when given) every touched frame and small machines' frames. */
export function frameColumn(
  after: Machine,
  before: Machine,
  rows: readonly PteRow[],
  touched: ReadonlyMap<number, FrameTouch> | null,
): FrameColumn {
  const wanted = new Set<number>();
  const spans: FrameSpan[] = [];
  let zeroPageMapped = false;
  for (const row of rows) {
    if (row.frame === 'zero') zeroPageMapped = true;
    if (typeof row.frame !== 'number') continue;
    if (row.first === row.last || row.frameStep === 0) {
      wanted.add(row.frame);
      continue;
    }
    const end = row.frame + (row.last - row.first) * row.frameStep;
    spans.push({ first: row.frame, last: end, step: row.frameStep, count: row.last - row.first + 1, owners: ownersOf(after, row.frame), changed: row.changed });
  }
  // A frame a collapsed run maps is shown by the run's span, not again on its own (the span is
  // marked when the run changed, so what the step did still shows).
  const inSpan = (f: number) => spans.some((s) => f >= Math.min(s.first, s.last) && f <= Math.max(s.first, s.last));
  let complete = false;
  if (touched) {
    let extra = 0;
    for (const frame of touched.keys()) {
      if (wanted.has(frame) || inSpan(frame)) continue;
      if (extra++ >= MAX_TOUCHED) break;
      wanted.add(frame);
    }
    if (after.stats.frames <= LIST_ALL_FRAMES) {
      for (const f of after.frames()) if (!inSpan(f.frame)) wanted.add(f.frame);
      complete = true;
    }
  }
  // Frames a pipe or a pin holds are listed too: a page a pipe holds may be mapped by nobody.
  const held = heldFrames(after);
  for (const frame of held.keys()) if (!inSpan(frame)) wanted.add(frame);
  const frames: FrameInfo[] = [];
  for (const n of [...wanted].sort((a, b) => a - b)) {
    const info = frameInfo(after, before, n, touched?.get(n) ?? null, held.get(n));
    if (info) frames.push(info);
  }
  return { frames, spans, zeroPageMapped, complete };
}

interface Held {
  readonly pipes: string[];
  pins: number;
}

/** Frames pipes and pins hold references on (the zero page left out: nothing counts it). */
function heldFrames(m: Machine): Map<number, Held> {
  const held = new Map<number, Held>();
  const entry = (frame: number): Held => {
    let h = held.get(frame);
    if (!h) held.set(frame, (h = { pipes: [], pins: 0 }));
    return h;
  };
  for (const name of m.pipes().keys()) for (const f of m.pipeFrames(name) ?? []) if (f > 0) entry(f).pipes.push(name);
  for (const p of m.pins()) if (p.frame > 0) entry(p.frame).pins += 1;
  return held;
}

/** Every pipe and what each page it holds reads now (frame 0: the zero page). */
export function pipePanels(m: Machine): PipePanel[] {
  const out: PipePanel[] = [];
  for (const [name, values] of m.pipes()) {
    const frames = m.pipeFrames(name) ?? [];
    out.push({ name, pages: frames.map((frame, i) => ({ frame, value: values[i] ?? '' })) });
  }
  return out;
}

function frameInfo(after: Machine, before: Machine, n: number, touch: FrameTouch | null, held: Held | undefined): FrameInfo | undefined {
  const now = after.frameContents(n);
  if (now) {
    const then = touch ? undefined : before.frameContents(n);
    const written = then !== undefined && then.value !== now.value;
    // Each process with tables maps a frame at most once, so its owners are its map count.
    const owners = ownersOf(after, n);
    // The engine's own count (Machine.frame works map counts out once per machine version).
    const refs = held ? { refCount: after.frame(n)?.refCount ?? owners.length + held.pipes.length + held.pins, ...(held.pipes.length > 0 ? { pipes: held.pipes } : {}), ...(held.pins > 0 ? { pins: held.pins } : {}) } : {};
    return {
      frame: n,
      mapCount: owners.length,
      ...refs,
      value: now.value,
      shmem: now.shmem,
      owners,
      change: touch && touch.change !== 'freed' ? touch.change : written ? 'written' : null,
      copiedFrom: touch?.copiedFrom ?? null,
    };
  }
  // Freed by this step: show what it held, with nobody mapping it any more.
  const then = before.frameContents(n);
  if (!then || touch?.change !== 'freed') return undefined;
  return { frame: n, mapCount: 0, value: then.value, shmem: then.shmem, owners: [], change: 'freed', copiedFrom: null };
}

// Predict mode: before a step runs, ask the learner what it will do — will this write copy a
// frame, how many pages will fork copy, which frame will this page use, how many frames will be
// in use — then let the engine's own result be the answer key and its explanation the why.
//
// The panel calls `predictStep(run, i)` for the step about to be shown, sends each
// `posed.question` to the webview, and grades the reply with `grade` (answers.ts).
import { apply, processMemory, whyFiguresDiffer, type EngineEvent, type Machine, type Operation } from '../engine';
import type { RunResult } from '../language';
import {
  FRAME_NEW, FRAME_NONE, FRAME_ZERO, frameId, frameIdToText, pagesSolution,
  type Choice, type Posed, type QuestionKind,
} from './answers';
import { predictStorageStep, STORAGE_PREDICT_KINDS } from './predictStorage';
import { allocatedFrames, describeOperation, framesArithmetic, listWords, mappersOf, pageName, plural } from './pages';

export interface PredictOptions {
  /** Which kinds to ask (default: every kind that fits the operation). */
  readonly kinds?: readonly QuestionKind[];
  /** At most this many choices for a which-frame question (default 6; the right one is always in). */
  readonly maxChoices?: number;
}

/** What the engine did in the step (a StepOutcome that succeeded, or an interpreter Step). */
export interface StepResult {
  readonly machine: Machine;
  readonly events: readonly EngineEvent[];
  readonly eventsOmitted: number;
  readonly explanation: string;
}

/** The kinds predict mode asks about, in the order it asks them. */
export const PREDICT_KINDS: readonly QuestionKind[] = ['will-copy', 'copies', 'which-frame', 'refcount', 'frames-after', 'rss-after', 'pss-after'];

/**
 * Questions about step `stepIndex` of a finished run (the interpreter's steps). Steps that are
 * not operations (expect, note, checkpoint) and operations with nothing to predict (process,
 * map, madvise) get none.
 */
export function predictStep(run: RunResult, stepIndex: number, options: PredictOptions = {}): Posed[] {
  const step = run.steps[stepIndex];
  if (step?.storageOperation !== undefined) return predictStorageStep(run, stepIndex, options.kinds ?? STORAGE_PREDICT_KINDS);
  if (step === undefined || step.operation === undefined || step.state < 1) return [];
  const before = run.timeline.at(step.state - 1);
  const after: StepResult = { machine: run.timeline.at(step.state), events: step.events, eventsOmitted: step.eventsOmitted, explanation: step.explanation };
  return predictQuestions(before, step.operation, after, `step-${stepIndex}`, options);
}

/** Questions about applying `op` to `before`; the engine runs it to know the answers. */
export function predictOperation(before: Machine, op: Operation, options: PredictOptions = {}, idPrefix = 'next'): Posed[] {
  const outcome = apply(before, op);
  if (!outcome.ok) return [];
  return predictQuestions(before, op, outcome, idPrefix, options);
}

export function predictQuestions(before: Machine, op: Operation, after: StepResult, idPrefix: string, options: PredictOptions = {}): Posed[] {
  const wanted = new Set(options.kinds ?? PREDICT_KINDS);
  const ctx: Context = { before, op, after, statement: `\`${describeOperation(op)}\``, idPrefix, maxChoices: Math.max(3, options.maxChoices ?? 6) };
  const posed: (Posed | undefined)[] = [];
  switch (op.op) {
    case 'write':
    case 'read':
      if (op.op === 'write') posed.push(op.first === op.last ? willCopy(ctx) : copies(ctx));
      posed.push(whichFrame(ctx, op.process, op.region, op.first));
      posed.push(framesAfter(ctx));
      // What top and smem will say of the writer, when the write copied a shared page (issue 17).
      if (op.op === 'write' && copiesMade(ctx) > 0) posed.push(...memoryAfter(ctx, op.process));
      break;
    case 'fork':
    case 'vfork': {
      posed.push(copies(ctx));
      const sample = samplePage(before, op.process);
      if (sample) posed.push(whichFrame(ctx, op.child, sample.region, sample.page));
      posed.push(framesAfter(ctx));
      // The child's RES and PSS: what `top` says right after fork (a vfork child borrows: not asked).
      if (op.op === 'fork') posed.push(...memoryAfter(ctx, op.child));
      break;
    }
    case 'exec':
    case 'exit':
    case 'unmap':
    case 'unpin':
    case 'drain':
      posed.push(framesAfter(ctx));
      break;
    // References that are not mappings: how many the page's frame has now is the question that
    // decides the next write fault (Linux 5.9 on).
    case 'vmsplice':
      posed.push(refcount(ctx, op.process, op.region, op.first));
      posed.push(framesAfter(ctx));
      break;
    case 'pin':
      posed.push(copies(ctx));
      posed.push(refcount(ctx, op.process, op.region, op.first));
      break;
    default:
      break;
  }
  return posed.filter((p): p is Posed => p !== undefined && wanted.has(p.question.kind));
}

interface Context {
  readonly before: Machine;
  readonly op: Operation;
  readonly after: StepResult;
  /** The statement in backquotes, for prompts. */
  readonly statement: string;
  readonly idPrefix: string;
  readonly maxChoices: number;
}

function copiesMade(ctx: Context): number {
  return ctx.after.machine.stats.copies - ctx.before.stats.copies;
}

function willCopy(ctx: Context): Posed {
  const n = copiesMade(ctx);
  const op = ctx.op as Extract<Operation, { op: 'write' }>;
  const why = [beforeTheWrite(ctx, op.process, op.region, op.first), ctx.after.explanation].filter(Boolean).join(' ');
  return {
    question: { id: `${ctx.idPrefix}/will-copy`, kind: 'will-copy', form: 'yes-no', prompt: `Will ${ctx.statement} copy a frame?`, choices: [] },
    solution: { answer: n > 0, alsoAccepted: [], answerText: n > 0 ? 'yes' : 'no', explanation: `${n > 0 ? 'Yes' : 'No'}. ${why}` },
  };
}

/** How many references the frame `process region[page]` maps will have after the step. */
function refcount(ctx: Context, process: string, region: string, page: number): Posed | undefined {
  const m = ctx.after.machine;
  const pte = m.pte(process, region, page);
  // The zero page is counted by nothing: no question to ask about it.
  const f = typeof pte.frame === 'number' ? m.frame(pte.frame) : undefined;
  if (!f) return undefined;
  const parts = [plural(f.mapCount, 'page-table entry', 'page-table entries')];
  if (f.pipeRefs > 0) parts.push(plural(f.pipeRefs, 'page', 'pages') + ' held by pipes');
  if (f.pins > 0) parts.push(plural(f.pins, 'long-term pin'));
  const at = pageName(process, region, page);
  return {
    question: {
      id: `${ctx.idPrefix}/refcount`,
      kind: 'refcount',
      form: 'count',
      prompt: `After ${ctx.statement}, how many references will the frame ${at} maps have (mappings, pages in pipes, pins)?`,
      choices: [],
    },
    solution: {
      answer: f.refCount,
      alsoAccepted: [],
      answerText: String(f.refCount),
      explanation: `${f.refCount}: frame ${f.frame} is referenced by ${listWords(parts)}. From Linux 5.9 a write fault reuses a page only when its reference count is 1 (from 5.19 also when it is marked exclusive); before 5.8 the map count decided. ${ctx.after.explanation}`,
    },
  };
}

function copies(ctx: Context): Posed {
  const n = copiesMade(ctx);
  const verb = ctx.op.op === 'fork' || ctx.op.op === 'vfork' ? `${ctx.op.op} copy` : ctx.op.op === 'pin' ? 'this pin copy' : 'this write copy';
  let why = ctx.after.explanation;
  if (ctx.op.op === 'fork' && n === 0 && ctx.after.machine.policy === 'cow') {
    why = `${why} fork copies page-table entries (copy_page_range → copy_present_ptes), never pages: the copying waits for the first write.`;
  }
  if (ctx.op.op === 'vfork') why = `${why} vfork shares the whole address space (CLONE_VM): not even an entry is copied.`;
  return {
    question: { id: `${ctx.idPrefix}/copies`, kind: 'copies', form: 'count', prompt: `How many pages will ${verb} (${ctx.statement})?`, choices: [] },
    solution: { answer: n, alsoAccepted: [], answerText: String(n), explanation: `${plural(n, 'page')} (${n * 4} KiB). ${why}` },
  };
}

function framesAfter(ctx: Context): Posed {
  const n = ctx.after.machine.stats.frames;
  const arithmetic = framesArithmetic(ctx.before, ctx.after.machine, ctx.after.events, ctx.after.eventsOmitted);
  return {
    question: { id: `${ctx.idPrefix}/frames-after`, kind: 'frames-after', form: 'count', prompt: `How many frames will be in use after ${ctx.statement}?`, choices: [] },
    solution: { answer: n, alsoAccepted: [], answerText: String(n), explanation: `${plural(n, 'frame')} (${arithmetic}; the shared zero page is not counted). ${ctx.after.explanation}` },
  };
}

/** top's RES and smem's PSS of `process` after the step, in pages (smaps_account, fs/proc/task_mmu.c). */
function memoryAfter(ctx: Context, process: string): Posed[] {
  const f = processMemory(ctx.after.machine, process);
  if (f === undefined) return [];
  const why = whyFiguresDiffer(f);
  const pss = pagesSolution(f.pss);
  const pages = (text: string) => `${text} ${text === '1' ? 'page' : 'pages'}`;
  return [
    {
      question: { id: `${ctx.idPrefix}/rss-after`, kind: 'rss-after', form: 'count', prompt: `After ${ctx.statement}, what will top show as ${process}'s RES, in pages?`, choices: [] },
      solution: { answer: f.rss, alsoAccepted: [], answerText: String(f.rss), explanation: `${pages(String(f.rss))}: RES counts every frame ${process} maps, a shared one in full. ${why}` },
    },
    {
      question: { id: `${ctx.idPrefix}/pss-after`, kind: 'pss-after', form: 'pages', prompt: `After ${ctx.statement}, what will smem show as ${process}'s PSS, in pages (2.5 or 7/3 is fine)?`, choices: [] },
      solution: { ...pss, explanation: `${pages(pss.answerText)}: PSS counts each frame ${process} maps divided by the number of entries that map it${f.rss === 0 ? '' : ` (${pssSum(f.byMapCount)})`}. ${why}` },
    },
  ];
}

/** "2 × 1/2 + 1 × 1" from pages by map count. */
function pssSum(byMapCount: readonly (readonly [number, number])[]): string {
  const terms = byMapCount.map(([k, n]) => `${n} × ${k === 1 ? '1' : `1/${k}`}`);
  return terms.join(' + ');
}

/** Which frame `process region[page]` uses after the step, offered as choices. */
function whichFrame(ctx: Context, process: string, region: string, page: number): Posed | undefined {
  const { before, after } = ctx;
  const pte = after.machine.pte(process, region, page);
  if (after.machine.regions(process).every((r) => r.name !== region)) return undefined;
  const fresh = typeof pte.frame === 'number' && (before.frame(pte.frame) === undefined || allocatedFrames(after.events).has(pte.frame));
  let answer: string;
  let answerText: string;
  const alsoAccepted: string[] = [];
  if (pte.frame === null) {
    answer = FRAME_NONE;
    answerText = frameIdToText(FRAME_NONE);
  } else if (pte.frame === 'zero') {
    answer = FRAME_ZERO;
    answerText = frameIdToText(FRAME_ZERO);
  } else if (fresh) {
    answer = FRAME_NEW;
    alsoAccepted.push(frameId(pte.frame));
    answerText = `a new frame (frame ${pte.frame})`;
  } else {
    answer = frameId(pte.frame);
    answerText = `frame ${pte.frame}`;
  }
  const choices = frameChoices(ctx, region, page, process, answer);
  const at = pageName(process, region, page);
  return {
    question: { id: `${ctx.idPrefix}/which-frame`, kind: 'which-frame', form: 'frame', prompt: `After ${ctx.statement}, which frame will ${at} use?`, choices },
    solution: { answer, alsoAccepted, answerText, explanation: `${capitalize(answerText)}. ${whichFrameWhy(ctx, process, region, page, pte.frame, fresh)}` },
  };
}

function whichFrameWhy(ctx: Context, process: string, region: string, page: number, frame: number | 'zero' | null, fresh: boolean): string {
  const { op, after } = ctx;
  if (op.op === 'fork' && process === op.child && typeof frame === 'number') {
    return fresh
      ? `In eager mode fork copies every resident private page before the child runs, so the child gets its own frame. ${after.explanation}`
      : `fork copied the parent's entry, not the page (copy_present_ptes): the child points at the very frame the parent uses, write-protected in both. ${after.explanation}`;
  }
  if (op.op === 'vfork' && process === op.child) {
    return `A vfork child borrows its parent's address space (CLONE_VM): it uses the parent's own entries. ${after.explanation}`;
  }
  if (op.op === 'write' && fresh) {
    const before = beforeTheWrite(ctx, process, region, page);
    return [before, after.explanation].filter(Boolean).join(' ');
  }
  return after.explanation;
}

/** "Before the write, frame 2 was mapped by parent heap[1] and child heap[1], write-protected." */
function beforeTheWrite(ctx: Context, process: string, region: string, page: number): string {
  const pte = ctx.before.pte(process, region, page);
  if (typeof pte.frame !== 'number') return '';
  const mappers = mappersOf(ctx.before, pte.frame, region, page);
  const count = ctx.before.frame(pte.frame)?.mapCount ?? mappers.length;
  const access = pte.writable ? 'writable' : 'write-protected';
  const who = mappers.length === count ? ` (${listWords(mappers)})` : '';
  const f = ctx.before.frame(pte.frame);
  const refs = f && f.refCount !== f.mapCount ? `, and ${plural(f.refCount, 'reference')} in all (${[f.pipeRefs ? `${plural(f.pipeRefs, 'page')} in pipes` : '', f.pins ? plural(f.pins, 'pin') : ''].filter(Boolean).join(', ')} besides the mappings)` : '';
  return `Before the write, ${pageName(process, region, page)} mapped frame ${pte.frame}, ${access}, mapped by ${plural(count, 'entry', 'entries')}${who}${refs}.`;
}

/** The frames a learner might reasonably pick, the right one always among them. */
function frameChoices(ctx: Context, region: string, page: number, process: string, answer: string): Choice[] {
  const labels = new Map<string, string>();
  const addFrame = (frame: number | 'zero' | null, owner: string): void => {
    if (typeof frame !== 'number') return;
    const id = frameId(frame);
    if (!labels.has(id)) labels.set(id, `frame ${frame} (what ${owner} uses now)`);
  };
  addFrame(ctx.before.pte(process, region, page).frame, pageName(process, region, page));
  for (const p of ctx.before.processes()) {
    if (p.status !== 'exited') addFrame(ctx.before.pte(p.name, region, page).frame, pageName(p.name, region, page));
  }
  const frames = [...labels.keys()].sort((a, b) => frameNumber(a) - frameNumber(b));
  const special: Choice[] = [
    { id: FRAME_NEW, label: 'a new frame' },
    { id: FRAME_ZERO, label: 'the shared zero page' },
    { id: FRAME_NONE, label: 'no frame (not present)' },
  ];
  const room = ctx.maxChoices - special.length;
  let kept = frames.slice(0, Math.max(0, room));
  if (answer.startsWith('frame:') && !kept.includes(answer)) {
    kept = [...kept.slice(0, Math.max(0, room - 1)), answer].sort((a, b) => frameNumber(a) - frameNumber(b));
    if (!labels.has(answer)) labels.set(answer, frameIdToText(answer));
  }
  return [...kept.map((id) => ({ id, label: labels.get(id) ?? frameIdToText(id) })), ...special];
}

function frameNumber(id: string): number {
  return Number(id.slice('frame:'.length));
}

/** A page of `process` worth asking about after a fork: the first that maps a real frame. */
function samplePage(m: Machine, process: string): { region: string; page: number } | undefined {
  let firstPresent: { region: string; page: number } | undefined;
  for (const r of m.regions(process)) {
    const limit = Math.min(r.pages, 4096);
    for (let page = 0; page < limit; page += 1) {
      const pte = m.pte(process, r.name, page);
      if (typeof pte.frame === 'number') return { region: r.name, page };
      if (pte.present) firstPresent ??= { region: r.name, page };
    }
  }
  return firstPresent;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

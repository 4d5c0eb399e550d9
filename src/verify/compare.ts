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

import type { JsonCheckpoint } from '../language';
import type { EngineTrace } from './engine-side';
import type { KernelTrace } from './play';
import type { Plan, PlannedCheckpoint } from './plan';
import { compareAction, HeldFrames } from './compareActions';
import { compareCheckpoint } from './compareCheckpoint';
import { TOLERANCE_FAULT_AROUND, type Comparison, type Context, type Difference, type Tolerance } from './comparison';
import { compareMemory, figuresWithFaultAround } from './smaps';
import { compareThp, smallPagesReason } from './thp';

export { TOLERANCE_FAULT_AROUND, TOLERANCE_LRU, type Comparison, type Difference, type Mark, type Row, type Tolerance } from './comparison';

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

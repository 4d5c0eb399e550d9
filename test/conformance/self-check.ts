// The comparer must be able to fail. These checks play one scenario on the kernel, then hand
// the comparer engine traces with one deliberate mistake each (a sharing split, a lost zero
// page, a missing copy, a wrong value…) and require a difference for every one of them — and
// none for the untouched trace. When running as root they repeat the key cases as an
// unprivileged user, where frame numbers are hidden and pagemap bit 56 must carry the check.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonCheckpoint, JsonMemory, JsonPage } from '../../src/language';
import { compareTraces, TOLERANCE_LRU, type Difference } from '../../src/verify/compare';
import { renderTable } from '../../src/verify/report';
import type { EngineAction, EngineTrace } from '../../src/verify/engine-side';
import type { KernelTrace } from '../../src/verify/play';
import { verifySource, type VerifyReport } from '../../src/verify/verify';

export interface SelfCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly message: string;
}

/** Also the scenario of the recorded traces in test/fixtures/kernel-traces/. */
export const SCENARIO = readFileSync(join(__dirname, '..', 'fixtures', 'kernel-traces', 'self-check.cow'), 'utf8');

type Tamper = (e: EngineTrace) => EngineTrace;

function editPage(checkpoint: string, process: string, region: string, page: number, edit: (p: JsonPage) => JsonPage): Tamper {
  return (e) => ({
    ...e,
    checkpoints: e.checkpoints.map((c): JsonCheckpoint => {
      if (c.name !== checkpoint) return c;
      const processes = structuredClone(c.processes);
      const pages = processes[process]?.[region];
      if (pages?.[page]) pages[page] = edit(pages[page] as JsonPage);
      return { ...c, processes };
    }),
  });
}

function editMemory(checkpoint: string, process: string, edit: (m: JsonMemory) => JsonMemory): Tamper {
  return (e) => ({
    ...e,
    checkpoints: e.checkpoints.map((c): JsonCheckpoint => {
      const mine = c.memory[process];
      if (c.name !== checkpoint || !mine) return c;
      return { ...c, memory: { ...c.memory, [process]: edit(mine) } };
    }),
  });
}

function editAction(line: number, edit: (a: EngineAction) => EngineAction): Tamper {
  return (e) => ({ ...e, actions: e.actions.map((a) => (a.line === line ? edit(a) : a)) });
}

export const TAMPERS: readonly { readonly name: string; readonly tamper: Tamper; readonly withoutFrames: boolean }[] = [
  { name: 'a shared frame split in two', tamper: editPage('after fork', 'c', 'heap', 0, (p) => ({ ...p, frame: 999 })), withoutFrames: true },
  { name: 'two private frames merged', tamper: editPage('after fork', 'p', 'heap', 1, (p) => ({ ...p, frame: (p.frame as number) - 1 })), withoutFrames: false },
  { name: 'a zero page lost', tamper: editPage('after fork', 'c', 'heap', 2, (p) => ({ ...p, frame: null })), withoutFrames: true },
  { name: 'an absent page made present', tamper: editPage('after fork', 'c', 'heap', 3, (p) => ({ ...p, frame: 'zero' })), withoutFrames: true },
  { name: 'a page the child read left out', tamper: editPage('after child', 'c', 'shm', 0, (p) => ({ ...p, frame: null })), withoutFrames: true },
  {
    name: 'a copy reported as a reuse',
    tamper: editAction(12, (a) => ({ ...a, writes: (a.writes ?? []).map(() => 'kept' as const) })),
    withoutFrames: false,
  },
  { name: 'a wrong value read', tamper: editAction(11, (a) => ({ ...a, values: (a.values ?? []).map(() => 'x') })), withoutFrames: true },
  {
    name: 'a process missing',
    tamper: (e) => ({
      ...e,
      checkpoints: e.checkpoints.map((c) => {
        if (c.name !== 'after fork') return c;
        const { c: _child, ...rest } = c.processes;
        return { ...c, processes: rest };
      }),
    }),
    withoutFrames: true,
  },
  // RSS, PSS and USS from /proc/self/smaps (issue 17). PSS is compared within the kernel's
  // rounding down, up to 1 kB per VMA summed (p has 2 VMAs here): a page (4 kB) off must show.
  { name: 'an RSS one page too high', tamper: editMemory('after fork', 'c', (m) => ({ ...m, rss: m.rss + 1 })), withoutFrames: true },
  { name: 'a PSS one page too low', tamper: editMemory('after child', 'p', (m) => ({ ...m, pss: m.pss - 1 })), withoutFrames: true },
  { name: 'a USS one page too low', tamper: editMemory('after child', 'c', (m) => ({ ...m, uss: Math.max(0, m.uss - 1) })), withoutFrames: true },
  { name: 'a statement the engine refused', tamper: (e) => ({ ...e, refused: { line: 9, message: 'tampered' } }), withoutFrames: true },
];

/** The self-check scenario for pipes and pins (also recorded in test/fixtures/kernel-traces/). */
export const REFS_SCENARIO = readFileSync(join(__dirname, '..', 'fixtures', 'kernel-traces', 'self-check-refs.cow'), 'utf8');

/** The 1-based line of the first statement of REFS_SCENARIO that reads exactly `text`. */
function refsLine(text: string): number {
  const i = REFS_SCENARIO.split('\n').findIndex((l) => l.trim() === text);
  if (i < 0) throw new Error(`self-check-refs.cow has no line '${text}'`);
  return i + 1;
}

function editPipe(checkpoint: string, pipe: string, values: string[]): Tamper {
  return (e) => ({ ...e, checkpoints: e.checkpoints.map((c): JsonCheckpoint => (c.name === checkpoint ? { ...c, pipes: { ...c.pipes, [pipe]: values } } : c)) });
}

/**
 * Mistakes about pipes and pins the comparer must catch: each would be the engine teaching the
 * old rule (the vmsplice leak), losing the pipe's reference, or sharing a pinned page at fork.
 */
export const REF_TAMPERS: readonly { readonly name: string; readonly tamper: Tamper; readonly withoutFrames: boolean }[] = [
  { name: 'the pipe reading what the parent wrote after the fork (the vmsplice leak)', tamper: editPipe('piped', 'pipe1', ['two', 'one']), withoutFrames: true },
  { name: 'a pipe page lost', tamper: editPipe('piped', 'pipe1', ['one']), withoutFrames: true },
  { name: 'a drained pipe still holding pages', tamper: editPipe('pinned', 'pipe1', ['one', 'one']), withoutFrames: true },
  { name: 'a wrong text drained', tamper: editAction(refsLine('p: drain pipe1'), (a) => ({ ...a, values: ['two', 'one'] })), withoutFrames: true },
  {
    name: 'a write to a page a pipe holds reported as a reuse',
    tamper: editAction(refsLine('p: write heap[0] "two"'), (a) => ({ ...a, writes: ['kept'] })),
    withoutFrames: false,
  },
  { name: 'a pin that copied the page', tamper: editAction(refsLine('p: pin heap[2..3]'), (a) => ({ ...a, writes: ['copied', 'kept'] })), withoutFrames: false },
  {
    name: 'a pinned page shared with the child at fork',
    tamper: (e) => {
      const pinned = e.checkpoints.find((c) => c.name === 'pinned');
      const frame = pinned?.processes['p']?.['heap']?.[2]?.frame ?? null;
      return editPage('pinned', 'd', 'heap', 2, (p) => ({ ...p, frame }))(e);
    },
    withoutFrames: true,
  },
];

/** Every difference with its side-by-side table, so a failed self-check says why. */
function describe(differences: readonly Difference[]): string {
  return differences.map((d) => `${d.title}\n${renderTable(d, '      ')}`).join('\n');
}

function judgeRefs(report: VerifyReport, label: string): SelfCheck[] {
  const { plan, kernel } = report;
  const engine = report.modelled ?? report.engine;
  if (report.verdict === 'not-checked' && kernel?.hello.pinsUnavailable !== undefined) return [];
  if (!plan || !engine || !kernel) return [{ name: `${label} (pipes and pins)`, ok: false, message: `could not play the pipes-and-pins self-check: ${report.reason ?? report.verdict}` }];
  const clean = compareTraces(plan, engine, kernel);
  const out: SelfCheck[] = [{ name: `${label}: the untouched pipes-and-pins trace agrees`, ok: clean.differences.length === 0, message: describe(clean.differences) }];
  for (const t of REF_TAMPERS) {
    if (!kernel.framesVisible && !t.withoutFrames) continue;
    const c = compareTraces(plan, t.tamper(engine), kernel);
    out.push({ name: `${label}: ${t.name} is caught`, ok: c.differences.length > 0, message: 'the comparer found no difference' });
  }
  return out;
}

function judge(report: VerifyReport, label: string): SelfCheck[] {
  // Compare with the engine under this kernel's rules (a kernel without a zero page, say).
  const { plan, kernel } = report;
  const engine = report.modelled ?? report.engine;
  if (!plan || !engine || !kernel) return [{ name: label, ok: false, message: `could not play the self-check scenario: ${report.reason ?? report.verdict}` }];
  const out: SelfCheck[] = [];
  const clean = compareTraces(plan, engine, kernel);
  out.push({
    name: `${label}: the untouched trace agrees`,
    ok: clean.differences.length === 0,
    message: describe(clean.differences),
  });
  for (const t of TAMPERS) {
    if (!kernel.framesVisible && !t.withoutFrames) continue;
    const c = compareTraces(plan, t.tamper(engine), kernel);
    out.push({ name: `${label}: ${t.name} is caught`, ok: c.differences.length > 0, message: 'the comparer found no difference' });
  }
  if (kernel.framesVisible) {
    // The LRU-batch tolerance: a kernel copy where the engine reused is accepted only when the
    // page was mapped once before the write (line 15: the parent's write after the child copied).
    const copiedAnyway = (count: number): KernelTrace => ({
      ...kernel,
      actions: kernel.actions.map((a) =>
        a.action.line !== 15
          ? a
          : { ...a, writes: (a.writes ?? []).map((w) => ({ ...w, before: { ...w.before, count }, after: { ...w.after, pfn: w.before.pfn + 1 } })) },
      ),
    });
    const once = compareTraces(plan, engine, copiedAnyway(1));
    out.push({
      name: `${label}: a kernel copy of a page mapped once is tolerated`,
      ok: once.differences.length === 0 && once.tolerated.some((t) => t.why === TOLERANCE_LRU),
      message: `${once.differences.length} differences, ${once.tolerated.length} tolerated\n${describe(once.differences)}`,
    });
    const twice = compareTraces(plan, engine, copiedAnyway(2));
    out.push({ name: `${label}: a kernel copy of a page mapped twice is not`, ok: twice.differences.length > 0, message: 'the comparer found no difference' });
  }
  return out;
}

export async function comparerSelfChecks(binary: string): Promise<SelfCheck[]> {
  const checks = judge(await verifySource(SCENARIO, { binary, cpu: 0 }), 'as root');
  checks.push(...judgeRefs(await verifySource(REFS_SCENARIO, { binary, cpu: 0 }), 'as root'));
  if (process.getuid?.() === 0) {
    // nobody:nogroup — no CAP_SYS_ADMIN, so pagemap hides frame numbers and kpagecount is closed.
    const report = await verifySource(SCENARIO, { binary, cpu: 0, user: { uid: 65534, gid: 65534 } });
    const hidden = report.kernel && !report.kernel.framesVisible;
    checks.push({ name: 'unprivileged: frame numbers are hidden', ok: hidden === true, message: report.reason ?? 'frames were visible' });
    if (hidden) checks.push(...judge(report, 'unprivileged'));
    if (hidden) checks.push(...judgeRefs(await verifySource(REFS_SCENARIO, { binary, cpu: 0, user: { uid: 65534, gid: 65534 } }), 'unprivileged'));
  }
  return checks;
}

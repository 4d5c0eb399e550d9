// Verifying one scenario against the running Linux kernel: run it on the engine (the language
// interpreter, as the product does), play it for real with the C driver, compare.

import { openSync, closeSync } from 'node:fs';
import { release } from 'node:os';
import { verifyStorageSource, type StorageReport } from './storage/check';
import { compareTraces, type Comparison } from './compare';
import { ensureDriver } from './driver';
import { LINUX_RULES } from '../engine';
import { engineTrace, type EngineTrace } from './engine-side';
import { planScenario, type Plan } from './plan';
import { playPlan, type KernelTrace } from './play';
import type { SessionOptions } from './session';

export type Verdict =
  /** Every compared action and checkpoint agrees (tolerances aside). */
  | 'agrees'
  | 'disagrees'
  /** The scenario is valid but cannot be played on a kernel (eager mode, too large). */
  | 'not-checked'
  /** The scenario has errors, so there is nothing to verify. */
  | 'invalid';

export interface VerifyReport {
  readonly verdict: Verdict;
  readonly reason?: string;
  /** The engine's run under mainline Linux's rules: what the scenario's `expect` lines describe. */
  readonly engine?: EngineTrace;
  /** The engine's run under this kernel's rules, when they differ (see `rules`): what was compared. */
  readonly modelled?: EngineTrace;
  readonly plan?: Plan;
  readonly kernel?: KernelTrace;
  readonly comparison?: Comparison;
  /** The storage half: volumes and containers played on real file systems. */
  readonly storage?: StorageReport;
  /** What no kernel run can show, always true of this method. */
  readonly notChecked?: readonly string[];
  /** Where this kernel's rules differ from mainline Linux's and the engine followed it. */
  readonly rules?: readonly string[];
}

/** Said with every report against a kernel that maps no shared zero page. */
export const NO_ZERO_PAGE =
  'this kernel maps no shared zero page: a read of untouched private memory gets a zeroed page of its own (as where mm_forbids_zeropage() holds), so the engine ran with that rule for this comparison';

/** Runs of a scenario with huge regions before giving up on a run khugepaged left alone. */
const COLLAPSE_ATTEMPTS = 3;

/** Facts the method never checks, listed with every report. */
export const NEVER_CHECKED: readonly string[] = [
  'the writable flag at checkpoints: /proc/self/pagemap has no writable bit (instead, every access is checked for whether it took a page fault)',
  'the stats counters (frames, copies, reuses, faults): the kernel keeps none per scenario (instead, every write is checked for copy, reuse or new frame)',
];

export type KernelSupport = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Whether this machine can play scenarios: Linux with a readable /proc/self/pagemap. */
export function kernelSupport(): KernelSupport {
  if (process.platform !== 'linux') return { ok: false, reason: `the kernel check needs Linux (/proc/self/pagemap); this is ${process.platform}` };
  try {
    closeSync(openSync('/proc/self/pagemap', 'r'));
  } catch (e) {
    return { ok: false, reason: `/proc/self/pagemap is not readable here (${e instanceof Error ? e.message : String(e)})` };
  }
  return { ok: true };
}

export interface VerifyOptions extends SessionOptions {
  /** A compiled driver; built from kernel/driver.c when absent. */
  readonly binary?: string;
}

export async function verifySource(source: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const engine = engineTrace(source);
  if (!engine.runnable) {
    const first = engine.diagnostics.find((d) => d.severity === 'error');
    return { verdict: 'invalid', reason: first ? `line ${first.range.line}: ${first.message}` : 'the scenario has errors', engine };
  }
  // Volumes and containers are played on real file systems (src/verify/storage); processes,
  // if any, on the kernel's page tables as below. A scenario with both gets both checks.
  const statements = engine.program.statements;
  if (statements.some((s) => s.kind === 'volume')) {
    const storage = verifyStorageSource(source);
    if (!statements.some((s) => s.kind === 'process')) {
      return { verdict: storage.verdict, ...(storage.reason !== undefined ? { reason: storage.reason } : {}), engine, storage };
    }
    const memory = await verifyMemory(source, engine, options);
    const verdict = memory.verdict === 'disagrees' || storage.verdict === 'disagrees' ? 'disagrees' : memory.verdict === 'agrees' && storage.verdict === 'agrees' ? 'agrees' : memory.verdict === 'agrees' ? storage.verdict : memory.verdict;
    const reason = memory.reason ?? storage.reason;
    return { ...memory, verdict, ...(reason !== undefined ? { reason } : {}), storage };
  }
  return verifyMemory(source, engine, options);
}

async function verifyMemory(source: string, engine: EngineTrace, options: VerifyOptions): Promise<VerifyReport> {
  const era = otherEra(engine.program.kernel?.version, release());
  if (era !== undefined) return { verdict: 'not-checked', reason: era, engine };
  const plan = planScenario(engine.program, source);
  if (plan.unplayable !== undefined) return { verdict: 'not-checked', reason: plan.unplayable, engine, plan };
  const binary = options.binary ?? (await ensureDriver());
  const huge = engine.program.statements.some((s) => s.kind === 'map' && s.huge !== undefined);
  let kernel = await playPlan(binary, plan, options);
  // khugepaged may collapse a MADV_HUGEPAGE range's small pages into a huge page between two
  // commands (it wakes every few seconds): that run shows the daemon, not the scenario. Replay.
  for (let attempt = 1; huge && attempt < COLLAPSE_ATTEMPTS && kernel.collapsed === true; attempt++) kernel = await playPlan(binary, plan, options);
  if (huge && kernel.collapsed === true) return { verdict: 'not-checked', reason: `khugepaged collapsed pages during each of ${COLLAPSE_ATTEMPTS} runs (its pages_collapsed counter moved), so the huge regions' pages were not the scenario's doing`, engine, plan, kernel };
  if (!kernel.hello.pagemap) return { verdict: 'not-checked', reason: `the driver cannot read /proc/self/pagemap: ${kernel.hello.error ?? 'unknown reason'}`, engine, plan, kernel };
  if (kernel.hello.pinsUnavailable !== undefined && engine.program.statements.some((s) => s.kind === 'pin')) {
    return { verdict: 'not-checked', reason: kernel.hello.pinsUnavailable, engine, plan, kernel };
  }
  // A kernel without a shared zero page (mm_forbids_zeropage(), or a guest booted without one)
  // is compared with the engine under the same rule; the report says so.
  const modelled = kernel.hello.zeroPage ? engine : engineTrace(source, { ...LINUX_RULES, zeroPage: false });
  const comparison = compareTraces(plan, modelled, kernel);
  if (comparison.smallPages !== undefined) return { verdict: 'not-checked', reason: comparison.smallPages, engine, plan, kernel, comparison };
  const verdict = comparison.differences.length === 0 ? 'agrees' : 'disagrees';
  const rules = kernel.hello.zeroPage ? [] : [NO_ZERO_PAGE];
  return { verdict, engine, ...(modelled !== engine ? { modelled } : {}), plan, kernel, comparison, notChecked: NEVER_CHECKED, rules };
}

/**
 * A scenario written for an older kernel's rules than the running one cannot be checked here:
 * the running kernel follows its own. "not checked (other era)" with the reason, never a pass.
 */
export function otherEra(header: { readonly major: number; readonly minor: number } | undefined, running: string): string | undefined {
  if (header === undefined) return undefined;
  const m = /^(\d+)\.(\d+)/.exec(running);
  if (!m) return `other era: the scenario asks for Linux ${header.major}.${header.minor}'s rules and the running kernel's release (${running}) cannot be read`;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const older = header.major < major || (header.major === major && header.minor < minor);
  return older ? `other era: the scenario asks for Linux ${header.major}.${header.minor}'s rules; this kernel is ${major}.${minor}` : undefined;
}

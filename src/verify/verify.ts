// Verifying one scenario against the running Linux kernel: run it on the engine (the language
// interpreter, as the product does), play it for real with the C driver, compare.

import { openSync, closeSync } from 'node:fs';
import { compareTraces, type Comparison } from './compare';
import { ensureDriver } from './driver';
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
  readonly engine?: EngineTrace;
  readonly plan?: Plan;
  readonly kernel?: KernelTrace;
  readonly comparison?: Comparison;
  /** What no kernel run can show, always true of this method. */
  readonly notChecked?: readonly string[];
}

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
  const plan = planScenario(engine.program, source);
  if (plan.unplayable !== undefined) return { verdict: 'not-checked', reason: plan.unplayable, engine, plan };
  const binary = options.binary ?? (await ensureDriver());
  const kernel = await playPlan(binary, plan, options);
  if (!kernel.hello.pagemap) return { verdict: 'not-checked', reason: `the driver cannot read /proc/self/pagemap: ${kernel.hello.error ?? 'unknown reason'}`, engine, plan, kernel };
  const comparison = compareTraces(plan, engine, kernel);
  const verdict = comparison.differences.length === 0 ? 'agrees' : 'disagrees';
  return { verdict, engine, plan, kernel, comparison, notChecked: NEVER_CHECKED };
}

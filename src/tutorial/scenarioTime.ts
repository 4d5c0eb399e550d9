// A scenario's estimated time under both policies: the same scenario run with copy-on-write and
// with a full copy, every step priced with one cost model (engine/cost.ts), and who pays for it.
import { stepCounts, thousands, timeSplit, whoPays, formatNs, type CostModel, type Stats, type TimeSplit } from '../engine';
import { runScenario, type Diagnostic, type RunResult } from '../language';
import { withMode } from './compareModes';

export interface StepTime {
  /** 1-based source line of the statement. */
  readonly line: number;
  readonly cowNs: number;
  readonly eagerNs: number;
  /** Who pays under copy-on-write, and when, in a sentence. */
  readonly cowPays: string;
  readonly eagerPays: string;
}

export type ScenarioTime =
  | { readonly ok: true; readonly cow: TimeSplit; readonly eager: TimeSplit; readonly steps: readonly StepTime[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

const ZERO_SPLIT: TimeSplit = { totalNs: 0, forkNs: 0, faultNs: 0, faults: 0, unmapNs: 0 };

export function scenarioTime(source: string, model: CostModel): ScenarioTime {
  // withMode adds a `mode` line at the top when the scenario has none: the eager run's lines
  // shift by one. The copy-on-write run is the scenario as written whenever it can be.
  const shift = withMode(source, 'eager').split('\n').length - source.split('\n').length;
  const cow = runScenario(shift > 0 ? source : withMode(source, 'cow'));
  if (!cow.ok) return { ok: false, diagnostics: cow.diagnostics };
  const eager = runScenario(withMode(source, 'eager'));
  if (!eager.ok) return { ok: false, diagnostics: eager.diagnostics };
  const steps: StepTime[] = [];
  const eagerByLine = new Map<number, { ns: number; pays: string }>();
  for (const s of actionSteps(eager.run, model)) eagerByLine.set(s.line - shift, s);
  for (const s of actionSteps(cow.run, model)) {
    const e = eagerByLine.get(s.line);
    steps.push({ line: s.line, cowNs: s.ns, eagerNs: e?.ns ?? 0, cowPays: s.pays, eagerPays: e?.pays ?? '' });
  }
  return { ok: true, cow: totals(cow.run, model), eager: totals(eager.run, model), steps };
}

/** Stats of a whole run, priced: the split by where the time goes. */
export function totals(run: RunResult, model: CostModel): TimeSplit {
  const last = run.timeline.latest.stats;
  return last ? timeSplit(last, model) : ZERO_SPLIT;
}

function* actionSteps(run: RunResult, model: CostModel): Generator<{ line: number; ns: number; pays: string }> {
  for (const step of run.steps) {
    if (!step.operation || step.state < 1) continue;
    const before: Stats = run.timeline.at(step.state - 1).stats;
    const after: Stats = run.timeline.at(step.state).stats;
    const counts = stepCounts(before, after);
    yield { line: step.range.line, ns: timeSplit(counts, model).totalNs, pays: whoPays(step.operation, counts, model, run.policy) };
  }
}

/**
 * The panel's and the CLI's time row: "copy-on-write 0.03 ms at fork + 28 faults 0.10 ms ≈ 0.13 ms".
 * Time spent unmapping (exit, exec, munmap) is added when there is some.
 */
export function timeRow(t: TimeSplit, policy: 'cow' | 'eager'): string {
  const name = policy === 'cow' ? 'copy-on-write' : 'full copy';
  const parts = [`${formatNs(t.forkNs)} at fork`];
  if (t.faults > 0) parts.push(`${thousands(t.faults)} fault${t.faults === 1 ? '' : 's'} ${formatNs(t.faultNs)}`);
  if (t.unmapNs > 0) parts.push(`unmapping ${formatNs(t.unmapNs)}`);
  return `${name} ${parts.join(' + ')} ≈ ${formatNs(t.totalNs)}`;
}

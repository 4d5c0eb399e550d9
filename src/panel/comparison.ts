// "Compare with full copy": the same scenario's operations replayed on a machine with the other
// policy (cow ↔ eager), one state per step, so both columns of the article's comparison table
// fill in as the learner steps.
//
// An adapter in the panel rather than a language feature: the interpreter takes its policy from
// the `mode` header, and the operations it produced (Step.operation, page ranges already
// resolved) are exactly what the other machine must run — re-interpreting the program would
// resolve `heap` (every page) against the wrong machine's regions anyway.
import { createMachine, LINUX_RULES, Timeline, type EngineEvent, type Machine, type Policy, type Stats } from '../engine';
import type { Step } from '../language';

export interface ComparisonRun {
  readonly policy: Policy;
  readonly timeline: Timeline;
  /** Timeline index after each step (the same position numbering as the scenario's steps). */
  readonly states: readonly number[];
  readonly stats: readonly Stats[];
  /** The machine after each step, when the run is short enough to keep them (see ScenarioRun.versions). */
  readonly versions: readonly Machine[] | null;
  /** The engine's events for each step on this machine. */
  readonly events: readonly (readonly EngineEvent[])[];
  /** Set when this machine refused an operation the scenario's own machine accepted. */
  readonly stoppedAt: { readonly position: number; readonly message: string } | null;
}

export function otherPolicy(policy: Policy): Policy {
  return policy === 'cow' ? 'eager' : 'cow';
}

/** Replays every step's operation on a fresh machine with `policy`. Never throws. */
export function replayWithPolicy(steps: readonly Step[], policy: Policy, keepVersions: boolean, memory?: number): ComparisonRun {
  const replay = replaySteps(steps, policy, keepVersions, memory);
  for (;;) {
    const next = replay.next();
    if (next.done) return next.value;
  }
}

/** The replay one step at a time: it yields after each step, and inside a large one (Timeline.pushInSlices). */
/** `memory`: the scenario's `memory N` header, so both machines have the same frames. */
export function* replaySteps(steps: readonly Step[], policy: Policy, keepVersions: boolean, memory?: number): Generator<void, ComparisonRun> {
  const timeline = new Timeline(createMachine(policy, memory !== undefined ? { ...LINUX_RULES, memory } : LINUX_RULES));
  const states: number[] = [];
  const stats: Stats[] = [];
  const events: (readonly EngineEvent[])[] = [];
  const versions: Machine[] = [];
  let stoppedAt: ComparisonRun['stoppedAt'] = null;
  for (const step of steps) {
    let stepEvents: readonly EngineEvent[] = [];
    if (step.operation !== undefined && stoppedAt === null) {
      try {
        const outcome = yield* timeline.pushInSlices(step.operation);
        if (outcome.ok) stepEvents = outcome.events;
        else stoppedAt = { position: step.index, message: outcome.error.message };
        // A full copy that did not fit: fork returned ENOMEM here, so the rest cannot be replayed.
        if (outcome.ok && outcome.events.some((e) => e.kind === 'fork-failed')) stoppedAt = { position: step.index, message: outcome.explanation };
      } catch (e) {
        stoppedAt = { position: step.index, message: e instanceof Error ? e.message : String(e) };
      }
    }
    states.push(timeline.length - 1);
    stats.push(timeline.latest.stats);
    events.push(stepEvents);
    if (keepVersions) versions.push(timeline.latest);
    yield;
  }
  return { policy, timeline, states, stats, events, versions: keepVersions ? versions : null, stoppedAt };
}

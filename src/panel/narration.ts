// Words about a step: its kind (for the badge and the step list) and one sentence for the
// panel's ARIA live region, so a screen reader hears where the timeline is and what it cost.
import type { EngineEvent } from '../engine';
import { bytes } from '../protocol/format';
import type { ExpectationResult } from '../language';
import type { StatsView, StepKind } from '../protocol/messages';

export function stepKind(events: readonly EngineEvent[], expectation: ExpectationResult | undefined): StepKind {
  if (expectation) return expectation.passed ? 'expect-pass' : 'expect-fail';
  // Out of memory outranks the copies made before it in the same step.
  if (events.some((e) => e.kind === 'oom-kill')) return 'oom-kill';
  if (events.some((e) => e.kind === 'fork-failed')) return 'fork-failed';
  let kind: StepKind = 'quiet';
  for (const e of events) {
    switch (e.kind) {
      case 'process-created':
        if (e.how !== 'spawn') return 'fork';
        break;
      case 'process-exec':
        return 'exec';
      case 'process-exited':
        kind = 'exit';
        break;
      case 'region-mapped':
        kind = 'map';
        break;
      case 'frame-copied':
        // A copy made by do_wp_page: the write fault copy-on-write exists for.
        return 'write-fault';
      case 'frame-reused':
        if (kind !== 'exit') kind = 'reuse';
        break;
      case 'fault':
        if (kind === 'quiet' || kind === 'map') kind = 'fault';
        break;
      default:
        break;
    }
  }
  return kind;
}

export interface NarrationInput {
  readonly position: number;
  readonly stepCount: number;
  readonly line: number;
  readonly statement: string;
  readonly explanation: string;
  readonly before: StatsView | null;
  readonly after: StatsView;
}

/** "Step 5 of 26, line 14: child: write heap[1] "mine". <explanation> Frames in use 4 → 5; copies 0 → 1 (4 KiB)." */
export function narrate(n: NarrationInput): string {
  const changes: string[] = [];
  const b = n.before;
  if (b && b.frames !== n.after.frames) changes.push(`frames in use ${b.frames} → ${n.after.frames}`);
  if (b && b.copies !== n.after.copies) changes.push(`copies ${b.copies} → ${n.after.copies} (${bytes(n.after.bytesCopied - b.bytesCopied)} copied)`);
  if (b && b.faults !== n.after.faults) changes.push(`faults ${b.faults} → ${n.after.faults}`);
  const cost = changes.length > 0 ? ` ${capitalise(changes.join('; '))}.` : '';
  const explanation = n.explanation.endsWith('.') ? n.explanation : `${n.explanation}.`;
  return `Step ${n.position + 1} of ${n.stepCount}, line ${n.line}: ${n.statement}. ${explanation}${cost}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

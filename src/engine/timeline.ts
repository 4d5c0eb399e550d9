// History: every earlier machine version, read back cheaply.
//
// Versions share structure (see pvec.ts), but keeping every one would still cost a few KiB
// a step. The timeline keeps one version every SNAPSHOT_EVERY steps — and after every step
// that did a lot of work (a write over thousands of pages), so that no replay repeats it —
// plus the operations in between, and rebuilds any other step by replaying at most
// SNAPSHOT_EVERY - 1 cheap operations from the snapshot before it (tens of microseconds), in
// one transaction (apply.ts replaySteps), so that what several of them change is copied once.
//
// There is deliberately no cache of rebuilt versions: a rebuilt version that is kept alive
// gets promoted to V8's old generation and dies there, and the major collections that
// follow cost more (milliseconds, measured by bench/history.ts) than the replay they save.

import { apply, applyInSlices, replay, replaySteps, SLICE_PAGES, StepOutcome } from './apply';
import { Machine } from './machine';
import { Operation } from './types';

export const SNAPSHOT_EVERY = 32;
/** A step that reported more events than this is kept as a snapshot of its own. */
const HEAVY_STEP_EVENTS = 256;

export class Timeline {
  private readonly ops: Operation[] = [];
  /** Snapshot step indexes, ascending, and the versions at them. */
  private readonly snapshotAt: number[] = [0];
  private readonly snapshots: Machine[];
  private last: Machine;

  constructor(initial: Machine) {
    this.snapshots = [initial];
    this.last = initial;
  }

  /** Number of versions, the initial one included. */
  get length(): number {
    return this.ops.length + 1;
  }

  get latest(): Machine {
    return this.last;
  }

  /** Applies `op` to the latest version; on success the new version is appended. */
  push(op: Operation): StepOutcome {
    return this.record(op, apply(this.last, op));
  }

  /**
   * push() in slices (see applyInSlices): the version is appended only when the last slice has
   * run; a caller that abandons the generator leaves the timeline as it was.
   */
  *pushInSlices(op: Operation, slicePages = SLICE_PAGES): Generator<void, StepOutcome> {
    const from = this.last;
    const outcome = yield* applyInSlices(from, op, slicePages);
    if (this.last !== from) throw new Error('the timeline changed while a step in slices was running');
    return this.record(op, outcome);
  }

  private record(op: Operation, outcome: StepOutcome): StepOutcome {
    if (outcome.ok) {
      this.ops.push(op);
      this.last = outcome.machine;
      const heavy = outcome.events.length + outcome.eventsOmitted > HEAVY_STEP_EVENTS;
      const sinceLast = this.ops.length - (this.snapshotAt[this.snapshotAt.length - 1] as number);
      if (heavy || sinceLast >= SNAPSHOT_EVERY) {
        this.snapshotAt.push(this.ops.length);
        this.snapshots.push(outcome.machine);
      }
    }
    return outcome;
  }

  /** The version after `index` operations (0 = initial). */
  at(index: number): Machine {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`step ${index} is outside 0..${this.length - 1}`);
    }
    if (index === this.ops.length) return this.last;
    const k = this.snapshotBefore(index);
    const base = this.snapshotAt[k] as number;
    if (base === index) return this.snapshots[k] as Machine;
    const fast = replaySteps(this.snapshots[k] as Machine, this.ops, base, index);
    if (fast) return fast;
    let m = this.snapshots[k] as Machine;
    for (let i = base; i < index; i++) {
      const outcome = replay(m, this.ops[i] as Operation);
      if (!outcome.ok) throw new Error(`replay of step ${i + 1} failed: ${outcome.error.message}`);
      m = outcome.machine;
    }
    return m;
  }

  /** Position in snapshotAt of the last snapshot at or before `index` (binary search). */
  private snapshotBefore(index: number): number {
    let lo = 0;
    let hi = this.snapshotAt.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.snapshotAt[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

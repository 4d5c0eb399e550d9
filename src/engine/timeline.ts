// History: every earlier machine version, read back cheaply.
//
// Versions share structure (see pvec.ts), but keeping every one would still cost a few KiB
// a step. The timeline keeps one version every SNAPSHOT_EVERY steps plus the operations in
// between, and rebuilds any other step by replaying at most SNAPSHOT_EVERY - 1 operations
// from the snapshot before it. A small cache keeps the versions read most recently, so
// stepping back and forth in the panel replays nothing.

import { apply, StepOutcome } from './apply';
import { Machine } from './machine';
import { Operation } from './types';

export const SNAPSHOT_EVERY = 32;
const CACHE_SIZE = 16;

export class Timeline {
  private readonly ops: Operation[] = [];
  private readonly snapshots: Machine[];
  private last: Machine;
  private readonly cache = new Map<number, Machine>();

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
    const outcome = apply(this.last, op);
    if (outcome.ok) {
      this.ops.push(op);
      this.last = outcome.machine;
      if (this.ops.length % SNAPSHOT_EVERY === 0) this.snapshots.push(outcome.machine);
    }
    return outcome;
  }

  /** The version after `index` operations (0 = initial). */
  at(index: number): Machine {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`step ${index} is outside 0..${this.length - 1}`);
    }
    if (index === this.ops.length) return this.last;
    if (index % SNAPSHOT_EVERY === 0) return this.snapshots[index / SNAPSHOT_EVERY] as Machine;
    const hit = this.cache.get(index);
    if (hit) {
      this.cache.delete(index);
      this.cache.set(index, hit);
      return hit;
    }
    const base = Math.floor(index / SNAPSHOT_EVERY) * SNAPSHOT_EVERY;
    let m = this.snapshots[base / SNAPSHOT_EVERY] as Machine;
    for (let i = base; i < index; i++) {
      const cached = this.cache.get(i + 1);
      if (cached) {
        m = cached;
        continue;
      }
      const outcome = apply(m, this.ops[i] as Operation);
      if (!outcome.ok) throw new Error(`replay of step ${i + 1} failed: ${outcome.error.message}`);
      m = outcome.machine;
    }
    this.remember(index, m);
    return m;
  }

  private remember(index: number, m: Machine): void {
    this.cache.set(index, m);
    if (this.cache.size > CACHE_SIZE) {
      const oldest = this.cache.keys().next().value as number;
      this.cache.delete(oldest);
    }
  }
}

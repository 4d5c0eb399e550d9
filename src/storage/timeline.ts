// Every storage version of a run. Versions share structure (persistent vectors and small maps),
// so keeping each one costs only what its step changed.
import { Storage } from './storage';
import type { StorageOutcome } from './apply';
import type { StorageOperation } from './types';

export class StorageTimeline {
  private readonly versions: Storage[];

  constructor(initial: Storage) {
    this.versions = [initial];
  }

  get length(): number {
    return this.versions.length;
  }

  get latest(): Storage {
    return this.versions[this.versions.length - 1] as Storage;
  }

  push(op: StorageOperation): StorageOutcome {
    const outcome = this.latest.apply(op);
    if (outcome.ok) this.versions.push(new Storage(outcome.data));
    return outcome;
  }

  at(index: number): Storage {
    const s = this.versions[index];
    if (s === undefined) throw new RangeError(`storage version ${index} is outside 0..${this.versions.length - 1}`);
    return s;
  }
}

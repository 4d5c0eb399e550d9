// A set of page numbers kept as sorted, disjoint, non-adjacent runs [first, last], so a 16 GiB
// region with a few madvise ranges costs a few numbers, not millions of booleans.

export interface Run {
  readonly first: number;
  readonly last: number;
}

export class PageSet {
  private constructor(private readonly runs: readonly Run[]) {}

  static empty(): PageSet {
    return new PageSet([]);
  }

  static of(first: number, last: number): PageSet {
    return new PageSet([{ first, last }]);
  }

  isEmpty(): boolean {
    return this.runs.length === 0;
  }

  toRuns(): readonly Run[] {
    return this.runs;
  }

  /** The set with [first, last] added. */
  add(first: number, last: number): PageSet {
    let lo = first;
    let hi = last;
    const kept: Run[] = [];
    for (const run of this.runs) {
      if (run.last + 1 < lo || run.first > hi + 1) {
        kept.push(run);
      } else {
        lo = Math.min(lo, run.first);
        hi = Math.max(hi, run.last);
      }
    }
    kept.push({ first: lo, last: hi });
    kept.sort((a, b) => a.first - b.first);
    return new PageSet(kept);
  }

  /** The set with [first, last] removed. */
  remove(first: number, last: number): PageSet {
    const kept: Run[] = [];
    for (const run of this.runs) {
      if (run.last < first || run.first > last) {
        kept.push(run);
        continue;
      }
      if (run.first < first) kept.push({ first: run.first, last: first - 1 });
      if (run.last > last) kept.push({ first: last + 1, last: run.last });
    }
    return new PageSet(kept);
  }

  union(other: PageSet): PageSet {
    let result: PageSet = this;
    for (const run of other.runs) result = result.add(run.first, run.last);
    return result;
  }

  has(page: number): boolean {
    return this.runs.some((r) => r.first <= page && page <= r.last);
  }

  /** The first page of [first, last] that is in the set, if any. */
  firstIn(first: number, last: number): number | undefined {
    for (const run of this.runs) {
      if (run.last >= first && run.first <= last) return Math.max(run.first, first);
    }
    return undefined;
  }
}

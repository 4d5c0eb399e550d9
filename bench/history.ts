// A 100,000-step history: how long any step takes to read back and how much memory it holds.

import { createMachine, Operation, SNAPSHOT_EVERY, Timeline } from '../src/engine';
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { gc, heapMiB, load, median, row, seeded, time } from './measure';

const STEPS = 100_000;
const PAGES = 4096;

export async function benchHistory(): Promise<void> {
  console.log(`\nHistory of ${STEPS.toLocaleString('en-US')} steps (a ${PAGES}-page process and its children writing at random; snapshot every ${SNAPSHOT_EVERY})`);
  gc();
  const heapBefore = heapMiB();
  const t = new Timeline(createMachine('cow'));
  const push = (op: Operation): void => {
    const out = t.push(op);
    if (!out.ok) throw new Error(`${op.op}: ${out.error.message}`);
  };
  const rnd = seeded(99);
  const buildMs = time(() => {
    push({ op: 'spawn', process: 'p' });
    push({ op: 'map', process: 'p', region: 'heap', pages: PAGES, kind: 'private' });
    push({ op: 'write', process: 'p', region: 'heap', first: 0, last: PAGES - 1 });
    let child = 0;
    push({ op: 'fork', process: 'p', child: `c${child}` });
    while (t.length <= STEPS) {
      const k = rnd(1000);
      const page = rnd(PAGES);
      if (k === 0) {
        push({ op: 'exit', process: `c${child}` });
        child++;
        push({ op: 'fork', process: 'p', child: `c${child}` });
      } else if (k < 600) {
        push({ op: 'write', process: k & 1 ? 'p' : `c${child}`, region: 'heap', first: page, last: page, value: `v${k}` });
      } else {
        push({ op: 'read', process: k & 1 ? 'p' : `c${child}`, region: 'heap', first: page, last: page });
      }
    }
  });
  gc();
  const heldMiB = heapMiB() - heapBefore;
  row('build the history', `${(buildMs / 1000).toFixed(2)} s (${Math.round((t.length / buildMs) * 1000).toLocaleString('en-US')} steps/s)`);
  const faults = t.at(t.length - 1).stats.faults;
  row('faults in the history (one access per step)', `${faults.toLocaleString('en-US')} (${(faults / t.length).toFixed(3)} per step)`);
  row('memory held by the history (heap + buffers, after gc)', `${heldMiB.toFixed(1)} MiB (target < 200 MB)`);

  // Cold reads at random steps (the cache cannot help), then a scrub backwards one step at a time.
  // Garbage collections during the reads (their pauses are what the worst read used to be).
  const pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push(e.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  const cold: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const step = rnd(t.length);
    cold.push(time(() => void t.at(step).stats));
  }
  // Node hands GC entries to observers a tick later: let them arrive.
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (const e of observer.takeRecords()) pauses.push(e.duration);
  observer.disconnect();
  const back: number[] = [];
  for (let step = t.length - 1; step > t.length - 500; step--) back.push(time(() => void t.at(step).stats));
  cold.sort((a, b) => a - b);
  row('read back a random step: median', `${(median(cold) * 1000).toFixed(1)} µs`);
  row('read back a random step: 99th percentile / worst', `${((cold[Math.floor(cold.length * 0.99)] ?? 0) * 1000).toFixed(1)} µs / ${((cold[cold.length - 1] ?? 0) * 1000).toFixed(1)} µs (target < 1 ms)`);
  row('garbage collections during the 2,000 reads: count / longest', `${pauses.length} / ${Math.max(0, ...pauses).toFixed(2)} ms (load ${load()})`);
  row('step back one at a time (scrubbing): median', `${(median(back) * 1000).toFixed(1)} µs`);
  row('heap allocated by one read of a random step: median', `${perRead(t, rnd).toFixed(1)} KB (batches of 50 reads no collection ran in)`);
}

/** The young generation's bytes in use (it only shrinks when a collection runs). */
function youngUsed(): number {
  return getHeapSpaceStatistics().find((x) => x.space_name === 'new_space')?.space_used_size ?? 0;
}

/**
 * KB allocated per read of a random step: heap growth over batches of 50 reads, counting only
 * batches during which no collection ran (the young generation did not shrink); the median.
 */
function perRead(t: Timeline, rnd: (n: number) => number): number {
  const kb: number[] = [];
  for (let batch = 0; batch < 40 && kb.length < 20; batch++) {
    const young0 = youngUsed();
    const heap0 = process.memoryUsage().heapUsed;
    for (let i = 0; i < 50; i++) void t.at(rnd(t.length)).stats;
    const grew = process.memoryUsage().heapUsed - heap0;
    if (youngUsed() >= young0 && grew > 0) kb.push(grew / 50 / 1000);
  }
  return median(kb);
}

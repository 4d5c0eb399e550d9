// Timing helpers for the benchmarks.

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Milliseconds taken by fn. */
export function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

export function heapMiB(): number {
  return process.memoryUsage().heapUsed / (1 << 20) + process.memoryUsage().arrayBuffers / (1 << 20);
}

export function row(label: string, value: string): void {
  console.log(`  ${label.padEnd(58)} ${value}`);
}

/** The machine's load average over 1, 5 and 15 minutes, as printed beside every figure. */
export function load(): string {
  return loadavg().map((x) => x.toFixed(2)).join(' / ');
}

/**
 * mulberry32, a seeded 32-bit generator in integer arithmetic (Math.imul, >>> 0): numbers in
 * 0..n-1. (A `(seed * 1103515245 + 12345) & 0x7fffffff` generator multiplies past 2^53 in
 * doubles, loses its low bits and falls into a short cycle.)
 */
export function seeded(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) % n;
  };
}

/**
 * This thread's time on a CPU so far, in ms (Linux: /proc/<pid>/task/<pid>/schedstat, in ns;
 * the main thread's task id is the process id). Undefined elsewhere.
 */
export function threadCpuMs(): number | undefined {
  try {
    return Number(readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

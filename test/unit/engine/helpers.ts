// Small helpers for hand-worked engine tests: run operations, fail loudly, read tables tersely.

import * as assert from 'node:assert/strict';
import { apply, createMachine, KernelVersion, LINUX_RULES, Machine, Operation, Policy, StepOutcome } from '../../../src/engine';
import { brokenInvariants } from './invariants';

export interface Run {
  readonly machine: Machine;
  readonly last: StepOutcome & { ok: true };
}

/** Applies `ops` in order; every one must succeed and leave the invariants intact. */
export function run(ops: readonly Operation[], policy: Policy = 'cow', from: Machine = createMachine(policy)): Run {
  return runOn(from, ops);
}

/** Like run, on a machine of the given kernel (e.g. { major: 4, minor: 19 }). */
export function runKernel(kernel: KernelVersion, ops: readonly Operation[]): Run {
  return runOn(createMachine('cow', { ...LINUX_RULES, kernel }), ops);
}

function runOn(from: Machine, ops: readonly Operation[]): Run {
  let m = from;
  let last: (StepOutcome & { ok: true }) | undefined;
  for (const op of ops) {
    const out = apply(m, op);
    if (!out.ok) assert.fail(`${JSON.stringify(op)} failed: ${out.error.message}`);
    assert.deepEqual(brokenInvariants(out.machine), [], `invariants after ${JSON.stringify(op)}`);
    m = out.machine;
    last = out;
  }
  if (!last) throw new Error('no operations');
  return { machine: m, last };
}

/**
 * A region's page table in one string: per page `frame` plus flags —
 * `w` writable, `x` exclusive — `-` for not present, `z` for the zero page, `#` for a hole.
 */
export function table(m: Machine, process: string, region: string): string {
  const r = m.regions(process).find((x) => x.name === region);
  if (!r) return '<no region>';
  const cells: string[] = [];
  for (let i = 0; i < r.pages; i++) {
    const p = m.pte(process, region, i);
    if (p.hole) cells.push('#');
    else if (p.frame === null) cells.push('-');
    else if (p.frame === 'zero') cells.push('z');
    else cells.push(`${p.frame}${p.writable ? 'w' : ''}${p.exclusive ? 'x' : ''}`);
  }
  return cells.join(' ');
}

export function mapCount(m: Machine, frame: number): number {
  return m.frame(frame)?.mapCount ?? 0;
}

// Terse operation builders, named after the .cow verbs.
export const spawn = (process: string): Operation => ({ op: 'spawn', process });
export const mapPrivate = (process: string, region: string, pages: number): Operation => ({ op: 'map', process, region, pages, kind: 'private' });
export const mapShared = (process: string, region: string, pages: number): Operation => ({ op: 'map', process, region, pages, kind: 'shared' });
export const write = (process: string, region: string, first: number, last = first, value?: string): Operation =>
  value === undefined ? { op: 'write', process, region, first, last } : { op: 'write', process, region, first, last, value };
export const read = (process: string, region: string, first: number, last = first): Operation => ({ op: 'read', process, region, first, last });
export const fork = (process: string, child: string): Operation => ({ op: 'fork', process, child });
export const vfork = (process: string, child: string): Operation => ({ op: 'vfork', process, child });
export const exec = (process: string): Operation => ({ op: 'exec', process });
export const exit = (process: string): Operation => ({ op: 'exit', process });
export const unmap = (process: string, region: string): Operation => ({ op: 'unmap', process, region });
export const madvise = (process: string, region: string, first: number, last: number, advice: 'dontfork' | 'wipeonfork' | 'normal'): Operation => ({
  op: 'madvise',
  process,
  region,
  first,
  last,
  advice,
});
export const vmsplice = (process: string, region: string, first: number, last: number, pipe: string): Operation => ({ op: 'vmsplice', process, region, first, last, pipe });
export const drain = (process: string, pipe: string): Operation => ({ op: 'drain', process, pipe });
export const pin = (process: string, region: string, first: number, last = first): Operation => ({ op: 'pin', process, region, first, last });
export const unpin = (process: string, region: string, first: number, last = first): Operation => ({ op: 'unpin', process, region, first, last });
export const mapHuge = (process: string, region: string, pages: number): Operation => ({ op: 'map', process, region, pages, kind: 'private', huge: true });

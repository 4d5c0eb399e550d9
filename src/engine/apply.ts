// The engine's one entry point for change: apply an operation to a machine version and get
// the next version, the events it caused and a one-sentence explanation — or a typed error
// with the old version untouched. Nothing throws past this function.

import { explainAccess, explainFork, explainSimple } from './explain';
import { explainDrain, explainPin, explainUnpin, explainVmsplice } from './explainRefs';
import { drain, pin, unpin, vmsplice } from './refs';
import { access, accessInSlices, AccessSummary } from './fault';
import { FaultingProcessKilled } from './oom';
import { explainForkFailed, explainOomKills, framesForFullCopy } from './explainOom';
import { fork, vfork } from './fork';
import { exec, exit, madvise, map, spawn, unmap } from './lifecycle';
import { Machine } from './machine';
import { refuseAction } from './life';
import { fail, failWith, RegionDraft, StepError, Tx } from './tx';
import { LEAF_SIZE } from './ptable';
import { EngineError, EngineEvent, MAX_VALUE_LENGTH, Operation } from './types';

export type StepOutcome =
  | { readonly ok: true; readonly machine: Machine; readonly events: readonly EngineEvent[]; readonly eventsOmitted: number; readonly explanation: string }
  | { readonly ok: false; readonly error: EngineError };

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export function apply(machine: Machine, op: Operation): StepOutcome {
  return step(machine, op, false);
}

/** Pages a step in slices (applyInSlices) handles between two pauses: a multiple of a leaf's 64. */
export const SLICE_PAGES = 1024;

/**
 * apply() in slices: the step pauses (yields) after every `slicePages` pages of a read or write
 * and of a full copy at fork, so that a caller can let other work run between slices; every
 * other operation runs in one slice. Nothing is committed before the last slice, so the step
 * stays atomic: the outcome (machine, events, omitted counts, explanation, error) is exactly
 * apply()'s. A caller that abandons the step (`return()` on the generator, e.g. because a newer
 * document version superseded it) leaves the machine it started from untouched.
 */
export function* applyInSlices(machine: Machine, op: Operation, slicePages: number = SLICE_PAGES): Generator<void, StepOutcome> {
  if (!Number.isFinite(slicePages)) return step(machine, op, false);
  const slice = Math.max(LEAF_SIZE, slicePages - (slicePages % LEAF_SIZE));
  const tx = new Tx(machine.data, false);
  const values = machine.data.values.size;
  let settled = false;
  try {
    tx.actor = actorOf(op);
    const done = yield* runInSlices(tx, op, slice);
    const outcome = committed(tx, done);
    settled = true;
    return outcome;
  } catch (e) {
    settled = true;
    return refused(machine, op, values, e);
  } finally {
    // Abandoned between two slices: the value it interned is in no committed version.
    if (!settled) machine.data.values.truncate(values);
  }
}

/** Runs a step generator to its end without pausing. */
export function allSlices<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * The next version only, as apply() makes it, for replaying a step already played once (the
 * history's read-back, timeline.ts): no event is listed (they are only counted) and no
 * explanation is written, so a replay leaves little garbage behind.
 */
export function replay(machine: Machine, op: Operation): StepOutcome {
  return step(machine, op, true);
}

/**
 * The version after replaying ops[from..to) on `machine`, every step already played once, in
 * one transaction: what replay() step after step makes, without the versions in between. Each
 * step's editors go on writing in place what an earlier step of the same replay copied, so a
 * trie path or a page-table leaf that several steps change is copied once, not once a step, and
 * the committed versions the replay started from are never written (their nodes belong to other
 * tokens, or to none). Null when a step throws (a fork that failed with ENOMEM, recorded by
 * forkFailed): the transaction is then half-changed and dropped, and the caller replays step by
 * step instead.
 */
export function replaySteps(machine: Machine, ops: readonly Operation[], from: number, to: number): Machine | null {
  const tx = new Tx(machine.data, true);
  try {
    for (let i = from; i < to; i++) {
      const op = ops[i] as Operation;
      tx.actor = actorOf(op);
      run(tx, op);
      tx.endStep();
    }
    return new Machine(tx.commit());
  } catch {
    return null;
  }
}

// The undivided step is plain code, not a generator: a generator's frame is allocated on the
// heap, and the history's read-back replays up to 31 steps per read (bench/history.ts).
function step(machine: Machine, op: Operation, quiet: boolean): StepOutcome {
  const tx = new Tx(machine.data, quiet);
  const values = machine.data.values.size;
  try {
    tx.actor = actorOf(op);
    return committed(tx, run(tx, op));
  } catch (e) {
    return refused(machine, op, values, e);
  }
}

function actorOf(op: Operation): string {
  return op !== null && typeof op === 'object' && typeof op.process === 'string' ? op.process : '';
}

function committed(tx: Tx, done: string): StepOutcome {
  const explanation = tx.oomKills.length > 0 && !tx.quiet ? `${done} ${explainOomKills(tx.oomKills)}` : done;
  const next = new Machine(tx.commit());
  return { ok: true, machine: next, events: tx.events, eventsOmitted: tx.eventsOmitted, explanation };
}

function refused(machine: Machine, op: Operation, values: number, e: unknown): StepOutcome {
  // The value a failed write interned is in no committed version: forget it.
  machine.data.values.truncate(values);
  // A full copy that does not fit: fork returns ENOMEM, a step that changes nothing but the count.
  if (e instanceof StepError && e.error.code === 'out-of-memory' && op.op === 'fork' && machine.data.rules.memory !== undefined) return forkFailed(machine, op);
  if (e instanceof StepError) return { ok: false, error: e.error };
  if (e instanceof RangeError) return { ok: false, error: { code: 'invalid-argument', message: e.message } };
  // A bug in the engine: report it as data rather than crash the caller.
  return { ok: false, error: { code: 'invalid-argument', message: `internal engine error: ${String(e)}` } };
}

type AccessOp = Extract<Operation, { op: 'read' | 'write' }>;

/** run() for a step in slices: reads, writes and forks pause; every other operation is run(). */
function* runInSlices(tx: Tx, op: Operation, slicePages: number): Generator<void, string> {
  if (op !== null && typeof op === 'object' && (op.op === 'read' || op.op === 'write')) {
    const r = accessed(tx, op);
    let accesses: AccessSummary;
    try {
      accesses = yield* accessInSlices(tx, op.process, r, op.first, op.last, op.op === 'write', valueOf(tx, op), slicePages);
    } catch (e) {
      return memoryRanOut(tx, op, e);
    }
    return say(tx, () => explainAccess(tx, op, r, accesses));
  }
  if (op !== null && typeof op === 'object' && op.op === 'fork') {
    forkable(tx, op);
    const summary = yield* fork(tx, op.process, op.child, slicePages);
    return say(tx, () => explainFork(tx, op.process, op.child, summary));
  }
  return run(tx, op);
}

/** A read or write's region, checked: the process can act, the pages lie inside the region. */
function accessed(tx: Tx, op: AccessOp): RegionDraft {
  runnable(tx, op.process);
  return pages(tx, op.process, op.region, op.first, op.last);
}

/** The value a write puts in each page ('' for a read), interned. */
function valueOf(tx: Tx, op: AccessOp): number {
  const value = op.op === 'write' ? (op.value ?? op.process) : '';
  if (value.length > MAX_VALUE_LENGTH) fail('too-large', `a page value may be at most ${MAX_VALUE_LENGTH} characters`);
  return tx.base.values.intern(value);
}

/** The OOM killer killed the faulting process part-way: what the step says (other errors go on up). */
function memoryRanOut(tx: Tx, op: AccessOp, e: unknown): string {
  if (!(e instanceof FaultingProcessKilled)) throw e;
  return say(tx, () => `${op.process} ${op.op}s ${op.region}[${op.first === op.last ? op.first : `${op.first}..${op.last}`}], but memory runs out before it is done.`);
}

function forkable(tx: Tx, op: Extract<Operation, { op: 'fork' }>): void {
  runnable(tx, op.process);
  checkName(op.child, 'process');
}

function run(tx: Tx, op: Operation): string {
  if (op === null || typeof op !== 'object') fail('invalid-argument', 'an operation must be an object');
  switch (op.op) {
    case 'spawn':
      checkName(op.process, 'process');
      spawn(tx, op.process);
      return say(tx, () => `${op.process} starts as a new process with an empty address space.`);
    case 'map':
      runnable(tx, op.process);
      checkName(op.region, 'region');
      map(tx, op.process, op.region, op.pages, op.kind === 'shared' ? 'shared' : 'private', op.huge === true);
      return say(tx, () => explainSimple(tx, op));
    case 'unmap':
      runnable(tx, op.process);
      return quietly(tx, op, () => unmap(tx, op.process, op.region));
    case 'read':
    case 'write': {
      const r = accessed(tx, op);
      let accesses: AccessSummary;
      try {
        accesses = access(tx, op.process, r, op.first, op.last, op.op === 'write', valueOf(tx, op));
      } catch (e) {
        return memoryRanOut(tx, op, e);
      }
      return say(tx, () => explainAccess(tx, op, r, accesses));
    }
    case 'fork': {
      forkable(tx, op);
      const summary = allSlices(fork(tx, op.process, op.child));
      return say(tx, () => explainFork(tx, op.process, op.child, summary));
    }
    case 'vfork':
      runnable(tx, op.process);
      checkName(op.child, 'process');
      vfork(tx, op.process, op.child);
      return say(tx, () => explainSimple(tx, op));
    case 'exec':
      runnable(tx, op.process);
      return quietly(tx, op, () => exec(tx, op.process));
    case 'exit':
      runnable(tx, op.process);
      return quietly(tx, op, () => exit(tx, op.process));
    case 'madvise': {
      runnable(tx, op.process);
      const r = pages(tx, op.process, op.region, op.first, op.last);
      if (op.advice !== 'dontfork' && op.advice !== 'wipeonfork' && op.advice !== 'normal') {
        fail('invalid-argument', `unknown advice '${String(op.advice)}' (dontfork | wipeonfork | normal)`);
      }
      madvise(tx, op.process, r, op.first, op.last, op.advice);
      return say(tx, () => explainSimple(tx, op));
    }
    case 'vmsplice': {
      runnable(tx, op.process);
      checkName(op.pipe, 'pipe');
      const r = pages(tx, op.process, op.region, op.first, op.last);
      const spliced = vmsplice(tx, op.process, r, op.first, op.last, op.pipe);
      return say(tx, () => explainVmsplice(tx, op, spliced));
    }
    case 'drain': {
      runnable(tx, op.process);
      const freedBefore = tx.frames.freed.length;
      const values = drain(tx, op.process, op.pipe);
      return say(tx, () => explainDrain(tx, op, values, tx.frames.freed.length - freedBefore));
    }
    case 'pin': {
      runnable(tx, op.process);
      const r = pages(tx, op.process, op.region, op.first, op.last);
      const pinned = pin(tx, op.process, r, op.first, op.last);
      return say(tx, () => explainPin(tx, op, pinned));
    }
    case 'unpin': {
      runnable(tx, op.process);
      // Pins outlive munmap: unpinning needs the pins, not the region.
      if (!Number.isInteger(op.first) || !Number.isInteger(op.last) || op.first < 0 || op.last < op.first) {
        fail('invalid-argument', `page range ${op.first}..${op.last} is not a range of page numbers`);
      }
      const freedBefore = tx.frames.freed.length;
      const n = unpin(tx, op.process, op.region, op.first, op.last);
      return say(tx, () => explainUnpin(op, n, tx.frames.freed.length - freedBefore));
    }
    default:
      return fail('invalid-argument', `unknown operation '${String((op as { op: unknown }).op)}'`);
  }
}

/** The explanation, unless the step is a quiet replay. */
function say(tx: Tx, explain: () => string): string {
  return tx.quiet ? '' : explain();
}

/** Runs `action` and explains it (explainSimple counts the frames it frees), or only runs it in a quiet replay. */
function quietly(tx: Tx, op: Operation, action: () => void): string {
  if (!tx.quiet) return explainSimple(tx, op, action);
  action();
  return '';
}

/** fork() returned ENOMEM: the machine as it was, one failed fork counted, the reason told. */
function forkFailed(machine: Machine, op: Extract<Operation, { op: 'fork' }>): StepOutcome {
  const tx = new Tx(machine.data);
  const memory = machine.data.rules.memory ?? 0;
  const free = memory - machine.data.stats.frames;
  // Copy-on-write copies only pinned pages at fork (copy_present_page); a full copy, every page.
  const pinned = new Set(machine.data.pins.filter((p) => p.process === op.process).map((p) => p.frame)).size;
  const needed = machine.policy === 'cow' ? pinned : framesForFullCopy(machine.data, op.process);
  tx.stats.failedForks++;
  tx.emit({ kind: 'fork-failed', process: op.process, child: op.child, needed, free });
  const explanation =
    machine.policy === 'cow'
      ? `${op.process}'s fork fails with ENOMEM: copy_present_page must copy its ${needed} pinned page${needed === 1 ? '' : 's'} for ${op.child} at once, and only ${free} of the machine's ${memory} frames are free. No ${op.child} is created and nothing changes.`
      : explainForkFailed(op.process, op.child, needed, free, memory);
  return { ok: true, machine: new Machine(tx.commit()), events: tx.events, eventsOmitted: 0, explanation };
}

function checkName(name: unknown, what: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    fail('invalid-argument', `a ${what} name is a letter or _ followed by up to 63 letters, digits, _ . or - (got ${JSON.stringify(name)})`);
  }
}

/** The process exists and can act now. */
function runnable(tx: Tx, name: string): void {
  const p = tx.peek(name);
  failWith(refuseAction(p, String(name), p?.status === 'exited' && tx.base.oomKills.some((k) => k.victim === name)));
}

/** The region exists in the address space `process` uses, and first..last lie inside it. */
function pages(tx: Tx, process: string, region: string, first: number, last: number): RegionDraft {
  const r = tx.addressSpace(process).regions.find((x) => x.name === region);
  if (!r) fail('unknown-region', `${process} has no region named '${String(region)}'`);
  if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last < first) {
    fail('invalid-argument', `page range ${first}..${last} is not a range of page numbers`);
  }
  if (last >= r.pages) fail('page-out-of-range', `${region} has pages 0..${r.pages - 1}; page ${last} is outside it`);
  return r;
}

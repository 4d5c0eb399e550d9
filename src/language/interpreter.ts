// The interpreter: runs a parsed (and checked) scenario on the engine, one step per statement.
// Each step keeps its source range, the engine's events and explanation, and a handle on the
// state after it (an index into the engine's Timeline, which reads any state back cheaply).
// The engine validates every operation again; if it refuses one the checker let through, the
// run stops there with a `runtime` diagnostic on that statement. Nothing throws.
import { allSlices, createMachine, LINUX_RULES, SLICE_PAGES, Timeline, type EngineEvent, type Machine, type MachineRules, type Operation } from '../engine';
import { createStorage, StorageTimeline, type Storage, type StorageEvent, type StorageOperation } from '../storage';
import type { Action, PageSelector, Program, Statement } from './ast';
import { isAction } from './ast';
import { toStorageOperation } from './storageRun';
import { END_CHECKPOINT } from './checker';
import { evaluate, type ExpectationResult } from './expectations';
import type { Diagnostic, Range } from './source';

export interface Step {
  /** 0-based position in the run. */
  readonly index: number;
  readonly statement: Statement;
  readonly range: Range;
  /** The engine operation the statement became; absent for expect, note and checkpoint. */
  readonly operation?: Operation;
  readonly events: readonly EngineEvent[];
  /** Events of one kind beyond the engine's per-step cap, counted but not listed. */
  readonly eventsOmitted: number;
  /** One plain sentence: the engine's explanation, the note, or the expectation's result. */
  readonly explanation: string;
  /** Timeline index of the state after this step (0 = the empty machine). */
  readonly state: number;
  readonly expectation?: ExpectationResult;
  readonly checkpoint?: string;
  /** Storage timeline index of the storage state after this step (0 = no volume yet). */
  readonly storage: number;
  /** The storage operation the statement became (volume, container and file statements). */
  readonly storageOperation?: StorageOperation;
  readonly storageEvents?: readonly StorageEvent[];
}

export interface CheckpointRecord {
  readonly name: string;
  /** The checkpoint statement's line; for the final "end" checkpoint, the line of the last statement (0 if none). */
  readonly line: number;
  /** Timeline index of the state it records. */
  readonly state: number;
  readonly machine: Machine;
  /** The storage state it records (volumes, containers, files). */
  readonly storage: Storage;
}

export interface RunResult {
  readonly policy: 'cow' | 'eager';
  readonly timeline: Timeline;
  /** Storage versions, indexed by Step.storage. */
  readonly storage: StorageTimeline;
  readonly steps: readonly Step[];
  readonly expectations: readonly ExpectationResult[];
  /** In order, the final "end" checkpoint last (absent when the run stopped on an error). */
  readonly checkpoints: readonly CheckpointRecord[];
  /** Set when the engine refused a statement: the run stopped there. */
  readonly error?: Diagnostic;
  /** Every statement ran. */
  readonly completed: boolean;
}

/** Runs a whole program. For step-at-a-time use (a debugger), drive an `Interpreter`. */
export function interpret(program: Program, rules: MachineRules = LINUX_RULES): RunResult {
  const interpreter = new Interpreter(program, rules);
  while (interpreter.step() !== undefined);
  return interpreter.result();
}

export class Interpreter {
  readonly timeline: Timeline;
  readonly storage: StorageTimeline;
  readonly policy: 'cow' | 'eager';
  private readonly statements: readonly Statement[];
  private readonly steps: Step[] = [];
  private readonly expectations: ExpectationResult[] = [];
  private readonly checkpoints: CheckpointRecord[] = [];
  private position = 0;
  private error: Diagnostic | undefined;
  private finished = false;

  constructor(program: Program, rules: MachineRules = LINUX_RULES) {
    this.policy = program.mode?.policy.text ?? 'cow';
    this.timeline = new Timeline(createMachine(this.policy, scenarioRules(program, rules)));
    this.storage = new StorageTimeline(createStorage(this.policy));
    this.statements = program.statements.filter((s) => s.kind !== 'mode' && s.kind !== 'kernel' && s.kind !== 'memory');
  }

  get done(): boolean {
    return this.finished;
  }

  /** Runs the next statement; undefined once every statement ran or the run stopped on an error. */
  step(): Step | undefined {
    return allSlices(this.stepInSlices(Infinity));
  }

  /**
   * step() in slices: the engine pauses (yields) every `slicePages` pages of a large statement
   * (Timeline.pushInSlices), so a caller can let other work run in between. The outcome is
   * step()'s. Abandoning the generator mid-statement abandons the whole run: the interpreter
   * must not be stepped again.
   */
  *stepInSlices(slicePages = SLICE_PAGES): Generator<void, Step | undefined> {
    if (this.finished) return undefined;
    const statement = this.statements[this.position];
    if (statement === undefined) {
      this.finish();
      return undefined;
    }
    this.position += 1;
    let step: Step | undefined;
    try {
      step = yield* this.run(statement, slicePages);
    } catch (e) {
      // A bug in CoW Lab, not in the scenario: stop, and say so on the statement.
      this.stop(statement.range, `internal error while running this statement (please report): ${e instanceof Error ? e.message : String(e)}`, 'internal');
      return undefined;
    }
    if (step === undefined) return undefined;
    this.steps.push(step);
    return step;
  }

  result(): RunResult {
    return {
      policy: this.policy,
      timeline: this.timeline,
      storage: this.storage,
      steps: this.steps,
      expectations: this.expectations,
      checkpoints: this.checkpoints,
      completed: this.finished && this.error === undefined,
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }

  private *run(statement: Statement, slicePages: number): Generator<void, Step | undefined> {
    const storage = this.storage.length - 1;
    const base = { index: this.steps.length, statement, range: statement.range, storage };
    const latest = this.timeline.latest;
    const state = this.timeline.length - 1;
    const storageOperation = toStorageOperation(statement, this.storage.latest);
    if (storageOperation !== undefined) {
      const outcome = this.storage.push(storageOperation);
      if (!outcome.ok) {
        this.stop(statement.range, `the storage model refused this statement (${outcome.error.code}): ${outcome.error.message}`, 'engine-error');
        return undefined;
      }
      return { ...base, storage: this.storage.length - 1, storageOperation, storageEvents: outcome.events, events: [], eventsOmitted: 0, explanation: outcome.explanation, state };
    }
    if (isAction(statement) || statement.kind === 'process') {
      const operation = toOperation(statement, latest);
      const outcome = yield* this.timeline.pushInSlices(operation, slicePages);
      if (!outcome.ok) {
        this.stop(statement.range, `the engine refused this statement (${outcome.error.code}): ${outcome.error.message}`, 'engine-error');
        return undefined;
      }
      const { events, eventsOmitted, explanation } = outcome;
      return { ...base, operation, events, eventsOmitted, explanation, state: this.timeline.length - 1 };
    }
    const quiet = { events: [], eventsOmitted: 0, state };
    switch (statement.kind) {
      case 'expect': {
        const expectation = evaluate(latest, statement, this.storage.latest);
        this.expectations.push(expectation);
        return { ...base, ...quiet, explanation: expectation.message, expectation };
      }
      case 'checkpoint':
        this.checkpoints.push({ name: statement.name.text, line: statement.range.line, state, machine: latest, storage: this.storage.latest });
        return { ...base, ...quiet, explanation: `Checkpoint "${statement.name.text}" records the page tables here.`, checkpoint: statement.name.text };
      case 'note':
        return { ...base, ...quiet, explanation: statement.text.value };
      default:
        return undefined;
    }
  }

  private stop(range: Range, message: string, code: 'engine-error' | 'internal'): void {
    this.error = { range, severity: 'error', message, source: 'runtime', code };
    this.finished = true;
  }

  private finish(): void {
    this.finished = true;
    const last = this.statements[this.statements.length - 1];
    this.checkpoints.push({ name: END_CHECKPOINT, line: last?.range.line ?? 0, state: this.timeline.length - 1, machine: this.timeline.latest, storage: this.storage.latest });
  }
}

/** The machine rules a scenario's headers ask for: `kernel 4.19`, `memory 2 GiB`, on top of `rules`. */
export function scenarioRules(program: Program, rules: MachineRules = LINUX_RULES): MachineRules {
  const kernel = program.kernel?.version;
  return {
    ...rules,
    ...(kernel !== undefined ? { kernel: { major: kernel.major, minor: kernel.minor } } : {}),
    ...(program.memory !== undefined ? { memory: program.memory.frames } : {}),
  };
}

/** The engine operation a `process` statement or an action stands for. */
export function toOperation(s: Action | Extract<Statement, { kind: 'process' }>, m: Machine): Operation {
  const actor = s.kind === 'process' ? s.name.text : s.process.text;
  switch (s.kind) {
    case 'process':
      return { op: 'spawn', process: actor };
    case 'map':
      return s.huge !== undefined
        ? { op: 'map', process: actor, region: s.region.text, pages: s.pages, kind: s.regionKind, huge: true }
        : { op: 'map', process: actor, region: s.region.text, pages: s.pages, kind: s.regionKind };
    case 'unmap':
      return { op: 'unmap', process: actor, region: s.region.text };
    case 'read':
      return { op: 'read', process: actor, region: s.target.region.text, ...pageRange(s.target, actor, m) };
    case 'write':
      return { op: 'write', process: actor, region: s.target.region.text, ...pageRange(s.target, actor, m), ...(s.value !== undefined ? { value: s.value.value } : {}) };
    case 'fork':
    case 'vfork':
      return { op: s.kind, process: actor, child: s.child.text };
    case 'exec':
    case 'exit':
      return { op: s.kind, process: actor };
    case 'madvise':
      return { op: 'madvise', process: actor, region: s.target.region.text, ...pageRange(s.target, actor, m), advice: s.advice.text };
    case 'vmsplice':
      return { op: 'vmsplice', process: actor, region: s.target.region.text, ...pageRange(s.target, actor, m), pipe: s.pipe.text };
    case 'drain':
      return { op: 'drain', process: actor, pipe: s.pipe.text };
    case 'pin':
    case 'unpin':
      return { op: s.kind, process: actor, region: s.target.region.text, ...pageRange(s.target, actor, m) };
  }
}

/** `heap[1..3]` → 1..3; `heap` → every page of the region as the process sees it now. */
function pageRange(selector: PageSelector, actor: string, m: Machine): { first: number; last: number } {
  if (selector.pages !== undefined) return { first: selector.pages.first, last: selector.pages.last };
  const region = m.regions(actor).find((r) => r.name === selector.region.text);
  return { first: 0, last: Math.max(0, (region?.pages ?? 1) - 1) };
}

// The engine's side of a comparison, taken from the scenario language exactly as the product
// runs it: the `--json` checkpoints (runToJson) and, per action, what each page access did
// according to the engine's events.

import { DEFAULT_LIMITS } from '../language/limits';
import { LINUX_RULES, type EngineEvent, type MachineRules } from '../engine';
import { isAction, runScenario, runToJson, type Diagnostic, type JsonCheckpoint, type JsonExpectation, type Program, type Step } from '../language';

/** What a write did to one page, in terms both sides can show. */
export type WriteOutcome =
  /** A new frame was mapped where there was none or the zero page (do_anonymous_page, wp_page_copy from the zero page, shmem_fault). */
  | 'fresh'
  /** The frame was copied into a new one (wp_page_copy). */
  | 'copied'
  /** The entry kept its frame (no fault, or wp_page_reuse / wp_page_shared). */
  | 'kept';

export interface EngineAction {
  readonly line: number;
  readonly verb: string;
  /** write: one outcome per page written; vmsplice and pin: what each page's lookup did. Absent when the engine left events out. */
  readonly writes?: readonly WriteOutcome[];
  /** read: the text each page held; drain: the text of each page the pipe held. */
  readonly values?: readonly string[];
  /** read and write: whether each page's access took a fault. */
  readonly faulted?: readonly boolean[];
}

export interface EngineTrace {
  readonly program: Program;
  readonly policy: 'cow' | 'eager';
  /** Errors found before running (syntax, checker): nothing ran. */
  readonly diagnostics: readonly Diagnostic[];
  readonly runnable: boolean;
  readonly checkpoints: readonly JsonCheckpoint[];
  /** Every action that ran, in order. */
  readonly actions: readonly EngineAction[];
  /** The scenario's own `expect` results on the engine (hand-worked claims, not checked by the kernel). */
  readonly expectations: readonly JsonExpectation[];
  /** The statement the engine refused, when it refused one (the run stopped there). */
  readonly refused?: { readonly line: number; readonly message: string };
}

/** The engine's run of `source`, under the rules of the kernel it is compared with. */
export function engineTrace(source: string, rules: MachineRules = LINUX_RULES): EngineTrace {
  const outcome = runScenario(source, DEFAULT_LIMITS, rules);
  const { analysis } = outcome;
  const base = { program: analysis.program, policy: analysis.policy, diagnostics: analysis.diagnostics, runnable: analysis.runnable };
  const run = outcome.run;
  if (!run) return { ...base, checkpoints: [], actions: [], expectations: [] };
  const json = runToJson(run);
  const actions = run.steps.filter((s) => isAction(s.statement) && s.storageOperation === undefined).map(toEngineAction);
  const refused = run.error ? { refused: { line: run.error.range.line, message: run.error.message } } : {};
  return { ...base, checkpoints: json.checkpoints, actions, expectations: json.expectations, ...refused };
}

function toEngineAction(step: Step): EngineAction {
  const op = step.operation;
  const base = { line: step.range.line, verb: step.statement.kind };
  if (step.eventsOmitted > 0) return base; // too many pages for a per-page account
  if (op?.op === 'drain') {
    const drained = step.events.find((e) => e.kind === 'pipe-drained');
    return drained?.kind === 'pipe-drained' ? { ...base, values: drained.values } : base;
  }
  if (op?.op === 'vmsplice' || op?.op === 'pin') {
    const lookups: WriteOutcome[] = [];
    for (let page = op.first; page <= op.last; page++) lookups.push(lookupOutcome(step.events, op.region, page));
    return { ...base, writes: lookups };
  }
  if (!op || (op.op !== 'write' && op.op !== 'read')) return base;
  const faulted: boolean[] = [];
  for (let page = op.first; page <= op.last; page++) {
    faulted.push(step.events.some((e) => e.kind === 'fault' && e.at.region === op.region && e.at.page === page));
  }
  if (op.op === 'read') {
    const values = step.events.flatMap((e) => (e.kind === 'read-value' ? [e.value] : []));
    return values.length === op.last - op.first + 1 ? { ...base, values, faulted } : { ...base, faulted };
  }
  const writes: WriteOutcome[] = [];
  for (let page = op.first; page <= op.last; page++) writes.push(writeOutcome(step.events, op.region, page));
  return { ...base, writes, faulted };
}

function writeOutcome(events: readonly EngineEvent[], region: string, page: number): WriteOutcome {
  let outcome: WriteOutcome = 'kept';
  for (const e of events) {
    if (e.kind === 'frame-copied' && e.for.region === region && e.for.page === page) return 'copied';
    if (e.kind === 'frame-allocated' && e.for.region === region && e.for.page === page) outcome = 'fresh';
    // shmem_fault that found the page in the shared object: no allocation, but a new mapping.
    if (e.kind === 'fault' && e.at.region === region && e.at.page === page && e.fault === 'shmem-write') outcome = 'fresh';
  }
  return outcome;
}

/**
 * What get_user_pages did to one page's entry: a read lookup of an absent page maps the zero page
 * or a new page (both 'fresh', as the kernel side sees an entry that was absent); a write lookup
 * (pin: FOLL_WRITE) breaks sharing like a write fault; an entry already there is 'kept'.
 */
function lookupOutcome(events: readonly EngineEvent[], region: string, page: number): WriteOutcome {
  const here = (at: { region: string; page: number }): boolean => at.region === region && at.page === page;
  if (events.some((e) => e.kind === 'fault' && here(e.at) && (e.fault === 'read-anonymous' || e.fault === 'shmem-read'))) return 'fresh';
  return writeOutcome(events, region, page);
}

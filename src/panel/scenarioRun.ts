// One run of a scenario as the panel needs it: the language's steps, the statistics after each
// one, and the same operations on the other policy's machine. Pure: no `vscode`.
import type { Machine, Stats } from '../engine';
import { analyze, Interpreter, splitLines, type Analysis, type Diagnostic, type RunResult, type Step } from '../language';
import { otherPolicy, replaySteps, type ComparisonRun } from './comparison';

export interface ScenarioRun {
  readonly id: number;
  readonly fileName: string;
  readonly lines: readonly string[];
  readonly analysis: RunnableAnalysis;
  readonly result: RunResult;
  readonly steps: readonly Step[];
  /** Statistics after each step on the scenario's own machine. */
  readonly stats: readonly Stats[];
  readonly comparison: ComparisonRun;
  /**
   * The machine after each step, kept while the run is short enough: stepping then never
   * replays an operation (a million-page write takes the engine most of a second to replay).
   * Long runs use the Timeline, which keeps a snapshot every 32 steps and replays from there.
   */
  readonly versions: readonly Machine[] | null;
  /** Warnings, and the engine's refusal when the run stopped early. */
  readonly problems: readonly Diagnostic[];
}

/** Runs of at most this many steps keep every machine version (see ScenarioRun.versions). */
const RETAIN_VERSIONS = 5_000;

/** What a run needs of the analysis (the symbol table stays where the analysis was made). */
export type RunnableAnalysis = Pick<Analysis, 'program' | 'diagnostics' | 'runnable'>;

export type RunAttempt =
  | { readonly ok: true; readonly run: ScenarioRun }
  /** Errors before running: nothing ran, the panel keeps its last good run. */
  | { readonly ok: false; readonly problems: readonly Diagnostic[] };

/**
 * Runs `source` (analysed first, unless its `analysis` is given). Never throws: a bug below
 * becomes an `internal` problem.
 */
export function runForPanel(source: string, fileName: string, id: number, given?: RunnableAnalysis): RunAttempt {
  const run = panelRunSteps(source, fileName, id, given);
  for (;;) {
    const next = run.next();
    if (next.done) return next.value;
  }
}

/** Longest stretch runForPanelSliced works before it lets the thread's other tasks run. */
const SLICE_MS = 8;

/**
 * runForPanel in slices of at most about SLICE_MS, letting the thread's other tasks run between
 * them: on the extension host, typing stays responsive while a long scenario runs. The run
 * pauses after each statement and each replayed operation, and inside a statement every
 * SLICE_PAGES pages it reads, writes or fully copies (applyInSlices: the step is committed only
 * after its last slice, with exactly apply()'s outcome). Undefined when `stop` said so between
 * two slices (a newer version superseded this one; the statement under way is abandoned).
 */
export async function runForPanelSliced(source: string, fileName: string, id: number, analysis: RunnableAnalysis, stop: () => boolean, sliceMs = SLICE_MS): Promise<RunAttempt | undefined> {
  const run = panelRunSteps(source, fileName, id, analysis);
  for (;;) {
    const started = Date.now();
    do {
      const next = run.next();
      if (next.done) return next.value;
    } while (Date.now() - started < sliceMs);
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    if (stop()) {
      // Abandon the statement under way: its step is never committed.
      run.return({ ok: false, problems: [] });
      return undefined;
    }
  }
}

/** The run, yielding after each statement and each replayed operation, and inside large ones. */
function* panelRunSteps(source: string, fileName: string, id: number, given?: RunnableAnalysis): Generator<void, RunAttempt> {
  try {
    const analysis = given ?? analyze(source);
    if (!analysis.runnable) return { ok: false, problems: analysis.diagnostics };
    const interpreter = new Interpreter(analysis.program);
    const stats: Stats[] = [];
    const versions: Machine[] = [];
    // A statement over many pages pauses inside the engine too (every SLICE_PAGES pages).
    while ((yield* interpreter.stepInSlices()) !== undefined) {
      const latest = interpreter.timeline.latest;
      stats.push(latest.stats);
      if (versions.length < RETAIN_VERSIONS) versions.push(latest);
      yield;
    }
    const result = interpreter.result();
    const steps = result.steps;
    const comparison = yield* replaySteps(steps, otherPolicy(result.policy), steps.length <= RETAIN_VERSIONS, interpreter.timeline.latest.memory);
    const problems = result.error ? [...analysis.diagnostics, result.error] : analysis.diagnostics;
    const kept = versions.length === steps.length ? versions : null;
    return { ok: true, run: { id, fileName, lines: splitLines(source), analysis, result, steps, stats, comparison, versions: kept, problems } };
  } catch (e) {
    const message = `CoW Lab could not run this scenario (please report): ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, problems: [{ range: { line: 1, col: 1, endLine: 1, endCol: 1 }, severity: 'error', message, source: 'runtime', code: 'internal' }] };
  }
}

/** The machine after step `position` (the primary machine). */
export function machineAfter(run: ScenarioRun, position: number): Machine {
  const kept = run.versions?.[position];
  if (kept) return kept;
  const step = run.steps[position];
  return run.result.timeline.at(step ? step.state : 0);
}

/** The primary machine before step `position` ran. */
export function machineBefore(run: ScenarioRun, position: number): Machine {
  const kept = position > 0 ? run.versions?.[position - 1] : undefined;
  if (kept) return kept;
  const previous = position > 0 ? run.steps[position - 1] : undefined;
  return run.result.timeline.at(previous ? previous.state : 0);
}

/** The comparison machine after / before step `position`. */
export function comparisonAfter(run: ScenarioRun, position: number): Machine {
  const kept = run.comparison.versions?.[position];
  if (kept) return kept;
  return run.comparison.timeline.at(run.comparison.states[position] ?? 0);
}

export function comparisonBefore(run: ScenarioRun, position: number): Machine {
  const kept = position > 0 ? run.comparison.versions?.[position - 1] : undefined;
  if (kept) return kept;
  return run.comparison.timeline.at(position > 0 ? (run.comparison.states[position - 1] ?? 0) : 0);
}

/** The statement's source text, on one line. */
export function statementText(run: ScenarioRun, position: number): string {
  const step = run.steps[position];
  if (!step) return '';
  const { line, col, endLine, endCol } = step.range;
  const parts: string[] = [];
  for (let l = line; l <= endLine; l++) {
    const text = run.lines[l - 1] ?? '';
    parts.push(text.slice(l === line ? col - 1 : 0, l === endLine ? endCol - 1 : text.length));
  }
  return parts.join(' ').trim();
}

/** The step whose statement covers `line` (1-based), else the last one that starts before it. */
export function positionForLine(run: ScenarioRun, line: number): number | undefined {
  let best: number | undefined;
  for (const step of run.steps) {
    if (step.range.line <= line && line <= step.range.endLine) return step.index;
    if (step.range.line <= line) best = step.index;
    else break;
  }
  return best;
}

// Everything the editor underlines in a scenario: parser and checker diagnostics as the learner
// types, then — when the scenario has no error — what running it says: an `expect` that does not
// hold gets a diagnostic on its claim carrying the actual value (except in exercises and quizzes,
// where that would give the answer away), and a statement the engine refused gets the engine's reason. The interpreter is pure and fast, so the editor runs it itself.
import {
  analyze,
  interpret,
  type Analysis,
  type DiagnosticCode,
  type ExpectStatement,
  type Range,
  type RunResult,
  type Severity,
} from '../../language';
import type { ExpectationResult } from '../../language';
import { thousands } from '../../protocol/format';
import { hidesAnswers } from '../../tutorial/exercise';
import { RUN_AS_YOU_TYPE_BUDGET } from './runBudget';
import { runCost } from './runCost';

export type EditorDiagnosticCode = DiagnosticCode | 'expect-failed' | 'not-run';

export interface EditorDiagnostic {
  readonly range: Range;
  readonly severity: Severity;
  readonly message: string;
  readonly code: EditorDiagnosticCode;
  /** parser, checker, runtime (the engine refused) or run (an expectation did not hold). */
  readonly source: 'parser' | 'checker' | 'runtime' | 'run';
  /** For a failed expectation: the value the run found. */
  readonly actual?: number | string;
  /** A replacement for `range` that a quick fix may offer ("did you mean 'heap'?"). */
  readonly suggestion?: string;
}

export interface DiagnosticOptions {
  /** Run the scenario and report failed expectations (on by default). */
  readonly runExpectations: boolean;
  /** Page operations a run may cost (runBudget.ts); a costlier scenario is not run as you type. */
  readonly runBudget?: number;
}

/** Diagnostics of a scenario; `analysis` may be passed when the caller already has it. */
export function scenarioDiagnostics(source: string, options: DiagnosticOptions = { runExpectations: true }, analysis: Analysis = analyze(source)): EditorDiagnostic[] {
  const found = staticDiagnostics(analysis);
  if (!options.runExpectations || !analysis.runnable) return found;
  const skipped = notRunNote(analysis, options.runBudget ?? RUN_AS_YOU_TYPE_BUDGET);
  if (skipped !== null) return skipped === undefined ? found : [...found, skipped];
  return [...found, ...runDiagnostics(source, analysis, interpret(analysis.program))];
}

/** The parser's and the checker's diagnostics. */
export function staticDiagnostics(analysis: Analysis): EditorDiagnostic[] {
  return analysis.diagnostics.map((d) => ({
    range: d.range,
    severity: d.severity,
    message: d.message,
    code: d.code,
    source: d.source,
    ...(d.suggestion !== undefined ? { suggestion: d.suggestion } : {}),
  }));
}

/**
 * Null when a run of the scenario fits the budget (run it). Otherwise it is not run as you type:
 * an info note on the first `expect` says why (undefined when there is no `expect` to carry it).
 */
export function notRunNote(analysis: Analysis, budget: number): EditorDiagnostic | undefined | null {
  const cost = runCost(analysis.program);
  if (cost <= budget) return null;
  const firstExpect = analysis.program.statements.find((s): s is ExpectStatement => s.kind === 'expect');
  if (firstExpect === undefined) return undefined;
  return {
    range: claimRange(firstExpect),
    severity: 'info',
    message: `expectations are not checked as you type: running this scenario takes about ${thousands(cost)} page operations (the editor runs up to ${thousands(budget)}); run it in the CoW Lab panel or with 'cow-lab run'`,
    code: 'not-run',
    source: 'run',
  };
}

/** What a run says: the engine's refusal, and every `expect` that did not hold. */
export function runDiagnostics(source: string, analysis: Pick<Analysis, 'program'>, run: RunResult): EditorDiagnostic[] {
  const found: EditorDiagnostic[] = [];
  if (run.error !== undefined) found.push({ range: run.error.range, severity: 'error', message: run.error.message, code: run.error.code, source: 'runtime' });
  // In an exercise or a quiz a failed `expect` would give the answer away before it is checked.
  if (hidesAnswers(source)) return found;
  const expects = new Map<number, ExpectStatement>();
  for (const s of analysis.program.statements) if (s.kind === 'expect') expects.set(s.range.line, s);
  for (const result of run.expectations) {
    if (result.passed) continue;
    const statement = expects.get(result.line);
    found.push({
      range: statement !== undefined ? claimRange(statement) : result.range,
      severity: 'error',
      message: failureMessage(result),
      code: 'expect-failed',
      source: 'run',
      actual: result.actual,
    });
  }
  return found;
}

/** "expected copies == 2, but copies is 1 (actual: 1)" — the actual value always written out. */
export function failureMessage(result: ExpectationResult): string {
  const actual = String(result.actual);
  return result.message.includes(actual) ? result.message : `${result.message} (actual: ${actual})`;
}

/** The claim after `expect`: from its first word to the end of the statement. */
function claimRange(s: ExpectStatement): Range {
  const claim = s.claim;
  const start =
    claim.kind === 'counter' ? claim.counter.range : claim.kind === 'status' || claim.kind === 'memory' ? claim.process.range : claim.kind === 'pipe-value' ? claim.pipe.range : claim.target.process.range;
  return { line: start.line, col: start.col, endLine: s.range.endLine, endCol: s.range.endCol };
}

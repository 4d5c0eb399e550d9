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
  type Severity,
} from '../../language';
import type { ExpectationResult } from '../../language';
import { thousands } from '../../protocol/format';
import { hidesAnswers } from '../../tutorial/exercise';
import { RUN_AS_YOU_TYPE_BUDGET, runCost } from './runBudget';

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
  const found: EditorDiagnostic[] = analysis.diagnostics.map((d) => ({
    range: d.range,
    severity: d.severity,
    message: d.message,
    code: d.code,
    source: d.source,
    ...(d.suggestion !== undefined ? { suggestion: d.suggestion } : {}),
  }));
  if (!options.runExpectations || !analysis.runnable) return found;
  const cost = runCost(analysis.program);
  const budget = options.runBudget ?? RUN_AS_YOU_TYPE_BUDGET;
  if (cost > budget) {
    const firstExpect = analysis.program.statements.find((s): s is ExpectStatement => s.kind === 'expect');
    if (firstExpect !== undefined) {
      found.push({
        range: claimRange(firstExpect),
        severity: 'info',
        message: `expectations are not checked as you type: running this scenario takes about ${thousands(cost)} page operations (the editor runs up to ${thousands(budget)}); run it in the CoW Lab panel or with 'cow-lab run'`,
        code: 'not-run',
        source: 'run',
      });
    }
    return found;
  }
  const run = interpret(analysis.program);
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

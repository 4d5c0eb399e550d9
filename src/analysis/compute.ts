// The work of one analysis, wherever it runs (the worker, or inline): parse and check, then, when
// asked and within budget, run the scenario for its failed expectations. Pure: no `vscode`, no
// Node APIs.
import { notRunNote, runDiagnostics, staticDiagnostics, type EditorDiagnostic } from '../features/model';
import { analyze, interpret, type Analysis } from '../language';

export interface Computed {
  readonly analysis: Analysis;
  readonly diagnostics: readonly EditorDiagnostic[];
  readonly ran: boolean;
}

/** Phase one: parse and check. */
export function analyseSource(source: string): Analysis {
  return analyze(source);
}

/** Phase two: the diagnostics, running the scenario when `run` and its cost fits `runBudget`. */
export function diagnose(source: string, analysis: Analysis, run: boolean, runBudget: number): Computed {
  const found = staticDiagnostics(analysis);
  if (!run || !analysis.runnable) return { analysis, diagnostics: found, ran: false };
  const note = notRunNote(analysis, runBudget);
  if (note !== null) return { analysis, diagnostics: note ? [...found, note] : found, ran: false };
  return { analysis, diagnostics: [...found, ...runDiagnostics(source, analysis, interpret(analysis.program))], ran: true };
}

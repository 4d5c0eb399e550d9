// The scenario language's public face: parse, check, run, and the `--json` contract.
// Pure TypeScript (no `vscode`, no Node APIs): the CLI, the extension, a debugger and a web
// worker all use it the same way.
import { LINUX_RULES, type MachineRules } from '../engine';
import type { Program } from './ast';
import { check, type CheckResult } from './checker';
import { interpret, type RunResult } from './interpreter';
import { DEFAULT_LIMITS, type Limits } from './limits';
import { parse } from './parser';
import { hasErrors, sortDiagnostics, type Diagnostic } from './source';
import type { SymbolTable } from './symbols';

export * from './ast';
export * from './source';
export * from './vocabulary';
export * from './symbols';
export { parse } from './parser';
export { splitLines, lexLine, type Token, type TokenKind, type LexedLine } from './lexer';
export { check, END_CHECKPOINT, type CheckResult } from './checker';
export { interpret, Interpreter, toOperation, scenarioRules, type RunResult, type Step, type CheckpointRecord } from './interpreter';
export { evaluate, describeClaim, describePte, counterValue, type ExpectationResult } from './expectations';
export { describeBlock } from './storageExpectations';
export { toStorageOperation, isSpace } from './storageRun';
export { runToJson, jsonPageCount, checkpointToJson, processesToJson, volumesToJson, type RunJson, type JsonCheckpoint, type JsonPage, type JsonBlock, type JsonStats, type JsonExpectation, type JsonMemory, memoryToJson } from './json';
export { DEFAULT_LIMITS, type Limits } from './limits';
export { applyStatement, lifeBefore, lifeOperation } from './lifecycle';
export { editDistance, closest, didYouMean } from './suggest';

export interface Analysis {
  readonly program: Program;
  /** Parser and checker diagnostics together, in reading order. */
  readonly diagnostics: readonly Diagnostic[];
  readonly symbols: SymbolTable;
  readonly policy: CheckResult['policy'];
  /** No error-level diagnostic: the scenario may run. */
  readonly runnable: boolean;
}

/** Parses and checks a scenario: everything an editor needs as the learner types. */
export function analyze(source: string, limits: Limits = DEFAULT_LIMITS): Analysis {
  const program = parse(source, limits);
  const checked = check(program, limits);
  const diagnostics = sortDiagnostics([...program.diagnostics, ...checked.diagnostics]);
  return { program, diagnostics, symbols: checked.symbols, policy: checked.policy, runnable: !hasErrors(diagnostics) };
}

export type ScenarioOutcome =
  | { readonly ok: true; readonly analysis: Analysis; readonly run: RunResult }
  /** The scenario has errors (found before running, or the engine refused a statement). */
  | { readonly ok: false; readonly analysis: Analysis; readonly diagnostics: readonly Diagnostic[]; readonly run?: RunResult };

/** Analyses and, when there is no error, runs a scenario. */
/** Runs a scenario; `rules` only for the kernel check, which models the kernel it found. */
export function runScenario(source: string, limits: Limits = DEFAULT_LIMITS, rules: MachineRules = LINUX_RULES): ScenarioOutcome {
  const analysis = analyze(source, limits);
  if (!analysis.runnable) return { ok: false, analysis, diagnostics: analysis.diagnostics };
  const run = interpret(analysis.program, rules);
  if (run.error !== undefined) return { ok: false, analysis, diagnostics: sortDiagnostics([...analysis.diagnostics, run.error]), run };
  return { ok: true, analysis, run };
}

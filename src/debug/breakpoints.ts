// Breakpoints of a scenario: where they land, and whether one stops the run at a step.
//
// A scenario has no loops, so execution reaches every statement once per run. That shapes
// what the kinds mean:
// - line breakpoints move onto the statement on that line, or the next statement below it
//   (the last one above it when there is none below): `verified` with the line they landed on;
// - their condition is an `expect` claim, checked in the state the statement would run in;
// - hit counts count arrivals; on a line that is one per run, so they matter most on
//   function breakpoints, which match many steps: a process name (every statement it runs),
//   a verb (`write`, `fork`, …) or a claim (the steps where the claim becomes true).
// Pure: no `vscode`, no Node APIs.
import type { Machine } from '../engine';
import type { Storage } from '../storage';
import { VERBS, isOneOf, type Statement } from '../language';
import { evaluateParsed, parseCondition, type ParsedExpression } from './expressions';

export interface BreakpointRequest {
  readonly line: number;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
}

export interface BreakpointResult {
  readonly id: number;
  readonly verified: boolean;
  readonly line?: number;
  readonly message?: string;
}

type HitTest = (hits: number) => boolean;

interface Common {
  readonly id: number;
  readonly condition: ParsedExpression | undefined;
  readonly hitTest: HitTest | undefined;
  readonly logMessage: string | undefined;
  hits: number;
}

export interface LineBreakpoint extends Common {
  readonly kind: 'line';
  /** Statement index (= step position) the breakpoint landed on. */
  readonly position: number;
}

export interface FunctionBreakpoint extends Common {
  readonly kind: 'function';
  readonly name: string;
  readonly match: { readonly by: 'process' | 'verb'; readonly word: string } | { readonly by: 'claim'; readonly claim: ParsedExpression };
}

export type Breakpoint = LineBreakpoint | FunctionBreakpoint;

/** `3`, `== 3`, `>= 3`, `> 3`, `< 3`, `<= 3`, `% 3` (every third). */
export function parseHitCondition(text: string): { readonly ok: true; readonly test: HitTest } | { readonly ok: false; readonly message: string } {
  const m = /^\s*(==|>=|<=|>|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) return { ok: false, message: `hit count '${text}' is not understood: write a number (stop at that hit) or ==N, >=N, >N, <N, <=N, %N` };
  const n = Number(m[2]);
  switch (m[1]) {
    case '>=':
      return { ok: true, test: (h) => h >= n };
    case '>':
      return { ok: true, test: (h) => h > n };
    case '<':
      return { ok: true, test: (h) => h < n };
    case '<=':
      return { ok: true, test: (h) => h <= n };
    case '%':
      return n === 0 ? { ok: false, message: 'hit count %0 would divide by zero' } : { ok: true, test: (h) => h % n === 0 };
    default:
      return { ok: true, test: (h) => h === n };
  }
}

/** The statement index a breakpoint on `line` lands on: the statement there, else the next one, else the last one before. */
export function landingPosition(statements: readonly Statement[], line: number): number | undefined {
  let before: number | undefined;
  for (let i = 0; i < statements.length; i++) {
    const r = (statements[i] as Statement).range;
    if (r.line <= line && line <= r.endLine) return i;
    if (r.line > line) return i;
    before = i;
  }
  return before;
}

let nextId = 1;

function common(request: { condition?: string; hitCondition?: string; logMessage?: string }): { ok: true; value: Omit<Common, 'id'> } | { ok: false; message: string } {
  let condition: ParsedExpression | undefined;
  if (request.condition !== undefined && request.condition.trim() !== '') {
    const parsed = parseCondition(request.condition);
    if (!parsed.ok) return { ok: false, message: `condition: ${parsed.message}` };
    condition = parsed.claim;
  }
  let hitTest: HitTest | undefined;
  if (request.hitCondition !== undefined && request.hitCondition.trim() !== '') {
    const parsed = parseHitCondition(request.hitCondition);
    if (!parsed.ok) return { ok: false, message: parsed.message };
    hitTest = parsed.test;
  }
  const logMessage = request.logMessage !== undefined && request.logMessage.trim() !== '' ? request.logMessage : undefined;
  return { ok: true, value: { condition, hitTest, logMessage, hits: 0 } };
}

export function makeLineBreakpoints(statements: readonly Statement[], requests: readonly BreakpointRequest[]): { breakpoints: LineBreakpoint[]; results: BreakpointResult[] } {
  const breakpoints: LineBreakpoint[] = [];
  const results: BreakpointResult[] = [];
  for (const request of requests) {
    const id = nextId++;
    const position = landingPosition(statements, request.line);
    if (position === undefined) {
      results.push({ id, verified: false, message: 'this scenario has no statement to stop at' });
      continue;
    }
    const line = (statements[position] as Statement).range.line;
    const parts = common(request);
    if (!parts.ok) {
      results.push({ id, verified: false, line, message: parts.message });
      continue;
    }
    breakpoints.push({ kind: 'line', id, position, ...parts.value });
    results.push({ id, verified: true, line });
  }
  return { breakpoints, results };
}

export function makeFunctionBreakpoints(requests: readonly { name: string; condition?: string; hitCondition?: string }[]): { breakpoints: FunctionBreakpoint[]; results: BreakpointResult[] } {
  const breakpoints: FunctionBreakpoint[] = [];
  const results: BreakpointResult[] = [];
  for (const request of requests) {
    const id = nextId++;
    const name = request.name.trim();
    const parts = common(request);
    if (!parts.ok) {
      results.push({ id, verified: false, message: parts.message });
      continue;
    }
    let match: FunctionBreakpoint['match'];
    if (isOneOf(VERBS, name)) match = { by: 'verb', word: name };
    else if (/^[A-Za-z_][\w-]*$/.test(name)) match = { by: 'process', word: name };
    else {
      const claim = parseCondition(name);
      if (!claim.ok) {
        results.push({ id, verified: false, message: `${claim.message} (a function breakpoint is a process name, a verb such as write, or an expect claim)` });
        continue;
      }
      match = { by: 'claim', claim: claim.claim };
    }
    breakpoints.push({ kind: 'function', id, name, match, ...parts.value });
    results.push({ id, verified: true });
  }
  return { breakpoints, results };
}

/** What a breakpoint needs to know about the step the run is about to take. */
export interface Arrival {
  readonly position: number;
  readonly statement: Statement | undefined;
  readonly actor: string | undefined;
  readonly machine: () => Machine;
  readonly previous: (() => Machine) | undefined;
  readonly other: () => Machine;
  readonly storage: () => Storage | undefined;
  readonly previousStorage: (() => Storage | undefined) | undefined;
}

/** Whether the breakpoint's location matches the arrival (before condition and hit count). */
export function matches(bp: Breakpoint, at: Arrival): boolean {
  if (bp.kind === 'line') return bp.position === at.position;
  switch (bp.match.by) {
    case 'process':
      return at.actor === bp.match.word;
    case 'verb':
      return at.statement?.kind === bp.match.word;
    case 'claim': {
      if (!holds(bp.match.claim, at.machine(), at.other, at.storage())) return false;
      // The step where the claim becomes true: it did not hold before the previous statement ran.
      return at.previous === undefined || !holds(bp.match.claim, at.previous(), at.other, at.previousStorage?.());
    }
  }
}

export function conditionHolds(bp: Breakpoint, at: Arrival): boolean {
  return bp.condition === undefined || holds(bp.condition, at.machine(), at.other, at.storage());
}

function holds(claim: ParsedExpression, machine: Machine, other: () => Machine, storage: Storage | undefined): boolean {
  const result = evaluateParsed(claim, machine, other, storage);
  return result.holds === true;
}

// What the debugger's Watch view, Debug Console, hovers and breakpoint conditions understand:
// the scenario language's own `expect` claims (parsed and evaluated by src/language, so a claim
// means exactly what it means in a scenario), plus a few read-outs that are not claims — a
// counter (`copies`), the other policy's counter (`eager.copies`), a page (`child heap[1]`) and
// a process (`child`). Pure: no `vscode`, no Node APIs.
import type { Machine } from '../engine';
import type { Storage } from '../storage';
import { COUNTERS, counterValue, describePte, evaluate, isOneOf, parse, type Counter, type ExpectStatement } from '../language';

export type ParsedExpression =
  | { readonly kind: 'counter'; readonly counter: Counter; readonly policy: 'own' | 'cow' | 'eager' }
  | { readonly kind: 'page'; readonly process: string; readonly region: string; readonly page: number }
  | { readonly kind: 'process'; readonly process: string }
  | { readonly kind: 'claim'; readonly statement: ExpectStatement; readonly text: string };

export type ParseOutcome = { readonly ok: true; readonly expression: ParsedExpression } | { readonly ok: false; readonly message: string };

export interface Evaluation {
  /** What the Watch view shows. */
  readonly text: string;
  /** For a claim: whether it holds (a `?` question always "holds": it is answered, never failed). */
  readonly holds?: boolean;
  readonly number?: number;
}

const PAGE = /^([A-Za-z_][\w-]*)\s+([A-Za-z_][\w-]*)\[(\d+)\]$/;
const NAME = /^[A-Za-z_][\w-]*$/;
const POLICY_COUNTER = /^(cow|eager)\.([A-Za-z]+)$/;

/** Parses once (breakpoint conditions are parsed when set, evaluated at every step). */
export function parseExpression(input: string): ParseOutcome {
  const text = input.trim().replace(/^expect\s+/, '');
  if (text === '') return { ok: false, message: 'nothing to evaluate: write a claim such as `copies > 3` or `child heap[1] shared with parent`' };
  if (/[\r\n]/.test(text)) return { ok: false, message: 'one claim at a time: the expression spans several lines' };
  if (isOneOf(COUNTERS, text)) return { ok: true, expression: { kind: 'counter', counter: text, policy: 'own' } };
  const policyCounter = POLICY_COUNTER.exec(text);
  if (policyCounter) {
    const [, policy, counter] = policyCounter as unknown as [string, 'cow' | 'eager', string];
    if (!isOneOf(COUNTERS, counter)) return { ok: false, message: `unknown counter '${counter}': ${COUNTERS.join(', ')}` };
    return { ok: true, expression: { kind: 'counter', counter, policy } };
  }
  const page = PAGE.exec(text);
  if (page) return { ok: true, expression: { kind: 'page', process: page[1] as string, region: page[2] as string, page: Number(page[3]) } };
  if (NAME.test(text)) return { ok: true, expression: { kind: 'process', process: text } };
  const program = parse(`expect ${text}`);
  const problem = program.diagnostics[0];
  if (problem) return { ok: false, message: problem.message };
  const statement = program.statements[0];
  if (statement?.kind !== 'expect' || program.statements.length !== 1) return { ok: false, message: 'not an `expect` claim' };
  return { ok: true, expression: { kind: 'claim', statement, text } };
}

/**
 * Evaluates against `machine` and `storage` (the state at the debugger's current step). `other`
 * is the same point on the other policy's machine, for `cow.copies` / `eager.copies` (memory
 * counters only: the storage model is not replayed with the other policy).
 */
export function evaluateParsed(expression: ParsedExpression, machine: Machine, other: () => Machine, storage?: Storage): Evaluation {
  switch (expression.kind) {
    case 'counter': {
      const own = expression.policy === 'own' || expression.policy === machine.policy;
      const value = own ? counterValue(machine, storage, expression.counter) : counterValue(other(), undefined, expression.counter);
      return { text: String(value), number: value };
    }
    case 'page': {
      const { process, region, page } = expression;
      if (!machine.process(process)) return { text: `no process named '${process}' at this step` };
      const view = machine.regions(process).find((r) => r.name === region);
      if (!view) return { text: `${process} has no region '${region}' at this step` };
      if (page >= view.pages) return { text: `${region} has pages 0..${view.pages - 1}` };
      const pte = machine.pte(process, region, page);
      const value = typeof pte.frame === 'number' ? machine.frame(pte.frame)?.value : undefined;
      return { text: `${describePte(machine, pte)}${value ? `, holds ${JSON.stringify(value)}` : ''}` };
    }
    case 'process': {
      const p = machine.process(expression.process);
      if (!p) return { text: `no process named '${expression.process}' at this step` };
      const parent = p.parent ? `, child of ${p.parent}` : '';
      const borrows = p.borrowsFrom ? `, borrowing ${p.borrowsFrom}'s memory (vfork)` : '';
      return { text: `${p.status}, pid ${p.pid}${parent}${borrows}` };
    }
    case 'claim': {
      const result = evaluate(machine, expression.statement, storage);
      const holds = result.passed;
      const text = result.question ? `${result.actual} (${result.message})` : `${holds ? 'true' : 'false'} — ${result.message}`;
      return { text, holds, ...(typeof result.actual === 'number' ? { number: result.actual } : {}) };
    }
  }
}

export function evaluateExpression(input: string, machine: Machine, other: () => Machine, storage?: Storage): Evaluation | { readonly error: string } {
  const parsed = parseExpression(input);
  if (!parsed.ok) return { error: parsed.message };
  return evaluateParsed(parsed.expression, machine, other, storage);
}

/** A breakpoint condition must be a claim (something that holds or not), not a read-out. */
export function parseCondition(input: string): { readonly ok: true; readonly claim: ParsedExpression } | { readonly ok: false; readonly message: string } {
  const parsed = parseExpression(input);
  if (!parsed.ok) return parsed;
  if (parsed.expression.kind !== 'claim') {
    return { ok: false, message: `'${input.trim()}' is a value; a condition is an \`expect\` claim that holds or not, such as \`copies > 3\` or \`child heap[1] shared with parent\`` };
  }
  return { ok: true, claim: parsed.expression };
}

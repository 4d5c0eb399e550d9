// The debugger's model of a scenario run. The whole scenario runs once when the session starts
// (the engine's Timeline keeps every version cheaply), and "executing" moves a position over
// that history: position p means statements 0..p-1 have run and statement p runs next, so the
// state shown is the one after step p-1. Stepping back is then as exact as stepping forward.
// Pure: no `vscode`, no Node APIs, no debug protocol.
import { createMachine, LINUX_RULES, Timeline, type Machine } from '../engine';
import type { Storage } from '../storage';
import { analyze, Interpreter, isAction, splitLines, type RunResult, type Statement, type Step } from '../language';
import { evaluateExpression as evaluateExpressionAt } from './expressions';
import { conditionHolds, makeFunctionBreakpoints, makeLineBreakpoints, matches, type Arrival, type Breakpoint, type BreakpointRequest, type BreakpointResult } from './breakpoints';

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'exception' | 'pause' | 'goto' | 'end';

export interface Stop {
  readonly position: number;
  readonly reason: StopReason;
  /** Shown by VS Code beside the paused thread ("Paused on …") and in the exception widget. */
  readonly description?: string;
  readonly text?: string;
  readonly breakpointIds?: readonly number[];
}

/** Exception-style stops the Breakpoints view offers. */
export const EXCEPTION_FILTERS = [
  { filter: 'failedExpect', label: 'Failed expect', description: 'Stop on an `expect` that does not hold, before it is checked', default: true },
] as const;

export type LoadOutcome = { readonly ok: true; readonly runtime: ScenarioRuntime } | { readonly ok: false; readonly message: string };

export class ScenarioRuntime {
  position = 0;
  private lineBreakpoints: Breakpoint[] = [];
  private functionBreakpoints: Breakpoint[] = [];
  private stopOnFailedExpect = true;
  private other: { timeline: Timeline; states: number[] } | undefined;

  private constructor(
    readonly run: RunResult,
    /** Every statement of the scenario (the `mode` header excepted), run or not. */
    readonly statements: readonly Statement[],
    private readonly lines: readonly string[],
  ) {}

  /** Parses, checks and runs `source`. A scenario with errors does not start. */
  static load(source: string): LoadOutcome {
    const analysis = analyze(source);
    if (!analysis.runnable) {
      const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
      const listed = errors.slice(0, 5).map((d) => `line ${d.range.line}: ${d.message}`).join('\n');
      const more = errors.length > 5 ? `\n…and ${errors.length - 5} more` : '';
      return { ok: false, message: `The scenario has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} to debug it:\n${listed}${more}` };
    }
    const interpreter = new Interpreter(analysis.program);
    while (interpreter.step() !== undefined);
    const statements = analysis.program.statements.filter((s) => s.kind !== 'mode' && s.kind !== 'kernel' && s.kind !== 'memory');
    return { ok: true, runtime: new ScenarioRuntime(interpreter.result(), statements, splitLines(source)) };
  }

  get steps(): readonly Step[] {
    return this.run.steps;
  }

  /** The last position: every step ran (or the engine refused the statement there). */
  get end(): number {
    return this.run.steps.length;
  }

  /** The line the position shows: the next statement, the refused one, or the last one. */
  lineAt(position: number): number {
    const step = this.run.steps[position];
    if (step) return step.range.line;
    if (this.run.error) return this.run.error.range.line;
    return this.statements[this.statements.length - 1]?.range.line ?? 1;
  }

  /** The statement at `position` (or the refused one at the end) as written, on one line. */
  statementText(position: number): string {
    const range = this.run.steps[position]?.range ?? (position === this.end ? this.run.error?.range : undefined);
    if (!range) return '';
    const parts: string[] = [];
    for (let l = range.line; l <= range.endLine; l++) {
      const text = this.lines[l - 1] ?? '';
      parts.push(text.slice(l === range.line ? range.col - 1 : 0, l === range.endLine ? range.endCol - 1 : text.length));
    }
    return parts.join(' ').trim();
  }

  /** The state at `position`: after step position-1 ran. */
  machineAt(position: number): Machine {
    const previous = position > 0 ? this.run.steps[position - 1] : undefined;
    return this.run.timeline.at(previous ? previous.state : 0);
  }

  /** The storage model's state at `position` (volumes, files), when the scenario has any. */
  storageAt(position: number): Storage {
    const previous = position > 0 ? this.run.steps[position - 1] : undefined;
    return this.run.storage.at(previous ? previous.storage : 0);
  }

  get machine(): Machine {
    return this.machineAt(this.position);
  }

  /** The same point on a machine with the other policy (cow ↔ eager), replayed on first use. */
  otherMachineAt(position: number): Machine {
    if (!this.other) {
      const memory = this.run.timeline.latest.memory;
      const timeline = new Timeline(createMachine(this.run.policy === 'cow' ? 'eager' : 'cow', memory !== undefined ? { ...LINUX_RULES, memory } : LINUX_RULES));
      const states: number[] = [];
      let refused = false;
      for (const step of this.run.steps) {
        if (step.operation && !refused) refused = !timeline.push(step.operation).ok;
        states.push(timeline.length - 1);
      }
      this.other = { timeline, states };
    }
    return this.other.timeline.at(position > 0 ? (this.other.states[position - 1] ?? 0) : 0);
  }

  /** The process that runs the statement at `position`, if it is a process's statement. */
  actorAt(position: number): string | undefined {
    const s = this.run.steps[position]?.statement;
    if (!s) return undefined;
    if (s.kind === 'process') return s.name.text;
    return isAction(s) ? s.process.text : undefined;
  }

  /** Where each process alive at `position` was created (for the Call Stack). */
  creationStep(process: string, position: number): Step | undefined {
    let found: Step | undefined;
    for (let i = 0; i < position && i < this.run.steps.length; i++) {
      const step = this.run.steps[i] as Step;
      if (step.events.some((e) => e.kind === 'process-created' && e.process === process)) found = step;
    }
    return found;
  }

  setLineBreakpoints(requests: readonly BreakpointRequest[]): readonly BreakpointResult[] {
    const { breakpoints, results } = makeLineBreakpoints(this.statements, requests);
    this.lineBreakpoints = breakpoints;
    return results;
  }

  setFunctionBreakpoints(requests: readonly { name: string; condition?: string; hitCondition?: string }[]): readonly BreakpointResult[] {
    const { breakpoints, results } = makeFunctionBreakpoints(requests);
    this.functionBreakpoints = breakpoints;
    return results;
  }

  setExceptionFilters(filters: readonly string[]): void {
    this.stopOnFailedExpect = filters.includes('failedExpect');
  }

  /** Back to the start: the position and every hit count. */
  reset(): void {
    this.position = 0;
    for (const bp of [...this.lineBreakpoints, ...this.functionBreakpoints]) bp.hits = 0;
  }

  /**
   * The run starts at position 0 without stepping onto it: a breakpoint or a failed expect on
   * the first statement stops here; otherwise continue with continueForward.
   */
  begin(log: (bp: number, message: string) => void): Stop | undefined {
    this.position = 0;
    if (this.end === 0) return this.endStop();
    return this.arrive(log) ?? this.failedExpectStop();
  }

  /** One statement forward (Step Over / Step In). */
  stepForward(log: (bp: number, message: string) => void): Stop {
    if (this.position >= this.end) return this.endStop();
    this.position += 1;
    // Logpoints print and hit counts count on every arrival; a step never stops on a breakpoint.
    this.arrive(log);
    return this.position >= this.end ? this.endStop() : this.failedExpectStop() ?? { position: this.position, reason: 'step' };
  }

  stepBack(): Stop {
    if (this.position > 0) this.position -= 1;
    return { position: this.position, reason: this.position === 0 ? 'entry' : 'step' };
  }

  /**
   * Runs forward until a breakpoint, a failed expect or the end, at most `budget` steps;
   * undefined when the budget ran out first (call again: lets a Pause request in between).
   */
  continueForward(budget: number, log: (bp: number, message: string) => void): Stop | undefined {
    for (let n = 0; n < budget; n++) {
      if (this.position >= this.end) return this.endStop();
      this.position += 1;
      const stop = this.arrive(log);
      if (stop) return stop;
      if (this.position >= this.end) return this.endStop();
      const failed = this.failedExpectStop();
      if (failed) return failed;
    }
    return undefined;
  }

  /** Runs backward until a breakpoint whose condition holds (hit counts and logpoints only count forward), or the start. */
  continueBackward(budget: number): Stop | undefined {
    for (let n = 0; n < budget; n++) {
      if (this.position <= 0) return { position: 0, reason: 'entry', description: 'Reverse Continue reached the start of the scenario' };
      this.position -= 1;
      const at = this.arrival(this.position);
      const hit = this.breakpoints().filter((bp) => !bp.logMessage && matches(bp, at) && conditionHolds(bp, at));
      if (hit.length > 0) return this.breakpointStop(hit);
    }
    return undefined;
  }

  goTo(position: number): Stop {
    this.position = Math.max(0, Math.min(this.end, Math.trunc(position)));
    return { position: this.position, reason: 'goto' };
  }

  private breakpoints(): Breakpoint[] {
    return [...this.lineBreakpoints, ...this.functionBreakpoints];
  }

  private arrival(position: number): Arrival {
    return {
      position,
      statement: this.run.steps[position]?.statement,
      actor: this.actorAt(position),
      machine: () => this.machineAt(position),
      previous: position > 0 ? () => this.machineAt(position - 1) : undefined,
      other: () => this.otherMachineAt(position),
      storage: () => this.storageAt(position),
      previousStorage: position > 0 ? () => this.storageAt(position - 1) : undefined,
    };
  }

  /** Counts hits at the new position, prints logpoints; returns the stop if a breakpoint stops here. */
  private arrive(log: (bp: number, message: string) => void): Stop | undefined {
    if (this.position >= this.end) return undefined;
    const at = this.arrival(this.position);
    const stopping: Breakpoint[] = [];
    for (const bp of this.breakpoints()) {
      if (!matches(bp, at) || !conditionHolds(bp, at)) continue;
      bp.hits += 1;
      if (bp.hitTest && !bp.hitTest(bp.hits)) continue;
      if (bp.logMessage !== undefined) log(bp.id, this.logText(bp.logMessage));
      else stopping.push(bp);
    }
    return stopping.length > 0 ? this.breakpointStop(stopping) : undefined;
  }

  private breakpointStop(hit: readonly Breakpoint[]): Stop {
    const line = hit.some((bp) => bp.kind === 'line');
    const names = hit.filter((bp) => bp.kind === 'function').map((bp) => (bp.kind === 'function' ? bp.name : ''));
    return {
      position: this.position,
      reason: line ? 'breakpoint' : 'function breakpoint',
      ...(names.length > 0 ? { description: `Paused on ${names.join(', ')}` } : {}),
      breakpointIds: hit.map((bp) => bp.id),
    };
  }

  private failedExpectStop(): Stop | undefined {
    if (!this.stopOnFailedExpect) return undefined;
    const expectation = this.run.steps[this.position]?.expectation;
    if (!expectation || expectation.passed) return undefined;
    return { position: this.position, reason: 'exception', description: 'This expect does not hold', text: expectation.message };
  }

  private endStop(): Stop {
    const error = this.run.error;
    if (error) return { position: this.end, reason: 'exception', description: 'The engine refused this statement', text: error.message };
    return { position: this.end, reason: 'end', description: `All ${this.end} statements ran: Step Back or Reverse Continue to go back, Continue to finish` };
  }

  /**
   * A logpoint's message: `{claim}` is replaced by its value at this step, `{explanation}` by
   * what the statement does; without `{explanation}` the explanation follows the message.
   */
  private logText(message: string): string {
    const explanation = this.run.steps[this.position]?.explanation ?? '';
    const position = this.position;
    let mentioned = false;
    const text = message.replace(/\{([^{}]+)\}/g, (_, inner: string) => {
      if (inner.trim() === 'explanation') {
        mentioned = true;
        return explanation;
      }
      return this.evaluateText(inner, position);
    });
    return mentioned ? text : `${text} — ${explanation}`;
  }

  evaluateText(expression: string, position = this.position): string {
    const result = evaluateExpressionAt(expression, this.machineAt(position), () => this.otherMachineAt(position), this.storageAt(position));
    return 'error' in result ? `<${result.error}>` : result.text;
  }
}

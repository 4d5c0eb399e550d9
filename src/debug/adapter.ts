// The `cow` debug adapter: the Debug Adapter Protocol over a ScenarioRuntime. It runs inline in
// the extension host (desktop, remote or the browser's web worker) and in unit tests over a
// socket. It reads the scenario through the ScenarioReader it is given, so it needs neither
// `vscode` nor Node.
import { Breakpoint, DebugSession, InitializedEvent, OutputEvent, Scope, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread, Event } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Machine } from '../engine';
import { EXCEPTION_FILTERS, ScenarioRuntime, type Stop } from './runtime';
import { References, variablesOf, type VariableSource } from './variables';

export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** The scenario: a file path, or a URI in a virtual workspace. */
  readonly program: string;
  readonly stopOnEntry?: boolean;
}

/** Reads a scenario's text (the editor's unsaved text first, in VS Code). */
export type ScenarioReader = (program: string) => Promise<string>;

/** Sent after every stop, for the CoW Lab panel: the step the session shows. */
export const POSITION_EVENT = 'cowLab.position';
/** The panel moved: move the session there (arguments: { position }). */
export const GOTO_REQUEST = 'cowLab.goTo';

/** The placeholder thread while no process is alive (before the first `process`). */
const SCENARIO_THREAD = 1;
/** Steps run between two looks at the event loop during Continue, so Pause can get in. */
const CONTINUE_SLICE = 2_000;

export class CowDebugSession extends DebugSession {
  private runtime: ScenarioRuntime | undefined;
  private program = '';
  private args: LaunchArguments | undefined;
  private readonly refs = new References();
  private lastStop: Stop | undefined;
  private pauseRequested = false;
  private running = false;
  private configured!: Promise<void>;
  private markConfigured!: () => void;
  private pendingLines: DebugProtocol.SourceBreakpoint[] = [];
  private pendingFunctions: DebugProtocol.FunctionBreakpoint[] = [];
  private exceptionFilters: string[] = EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter);

  constructor(private readonly read: ScenarioReader) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.configured = new Promise((resolve) => (this.markConfigured = resolve));
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsRestartRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      supportsEvaluateForHovers: false,
      supportsExceptionInfoRequest: true,
      supportsGotoTargetsRequest: true,
      supportsTerminateRequest: true,
      supportsSingleThreadExecutionRequests: false,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ ...f })),
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): void {
    this.launch(response, args).catch((e: unknown) => this.sendErrorResponse(response, 3005, `CoW Lab could not start the session: ${String(e)}`));
  }

  private async launch(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    this.args = args;
    if (typeof args.program !== 'string' || args.program.trim() === '') {
      this.sendErrorResponse(response, 3001, 'CoW Lab: the launch configuration names no scenario: set "program" to a .cow file.');
      return;
    }
    this.program = args.program;
    const failure = await this.load();
    if (failure !== undefined) {
      this.sendErrorResponse(response, 3002, failure);
      return;
    }
    // Now that the statements are known, breakpoints can be placed: ask for them.
    this.sendEvent(new InitializedEvent());
    await this.configured;
    this.sendResponse(response);
    const runtime = this.runtime as ScenarioRuntime;
    this.output(`Debugging ${baseName(this.program)}: ${runtime.end} statements, ${runtime.run.policy} policy.\n`);
    this.startRun(args.stopOnEntry === true);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.markConfigured();
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const requested = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    const path = args.source.path ?? '';
    if (!this.runtime || !sameSource(path, this.program)) {
      response.body = { breakpoints: requested.map(() => ({ verified: false, message: 'CoW Lab stops only in the scenario being debugged' })) };
      this.sendResponse(response);
      return;
    }
    this.pendingLines = requested;
    const results = this.runtime.setLineBreakpoints(requested.map((b) => ({ ...b, line: this.convertClientLineToDebugger(b.line) })));
    response.body = {
      breakpoints: results.map((r) => {
        const bp: DebugProtocol.Breakpoint = new Breakpoint(r.verified, r.line === undefined ? undefined : this.convertDebuggerLineToClient(r.line), undefined, this.source());
        bp.id = r.id;
        if (r.message) bp.message = r.message;
        return bp;
      }),
    };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.pendingFunctions = args.breakpoints;
    const results = this.runtime?.setFunctionBreakpoints(args.breakpoints) ?? [];
    response.body = { breakpoints: results.map((r) => ({ id: r.id, verified: r.verified, ...(r.message ? { message: r.message } : {}) })) };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.exceptionFilters = args.filters;
    this.runtime?.setExceptionFilters(args.filters);
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: this.threads().map((t) => new Thread(t.id, t.name)) };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const runtime = this.runtime;
    if (!runtime) return this.sendErrorResponse(response, 3003, 'no scenario is running');
    const process = this.threads().find((t) => t.id === args.threadId)?.process;
    const position = runtime.position;
    const frames: DebugProtocol.StackFrame[] = [];
    const line = this.convertDebuggerLineToClient(runtime.lineAt(position));
    const next = position < runtime.end ? `next: ${runtime.statementText(position)}` : runtime.run.error ? `refused: ${runtime.statementText(position)}` : 'end of scenario';
    frames.push(new StackFrame(args.threadId * 100, next, this.source(), line, 1));
    // Below it, how the process came to be: the fork that created it, its parent's, and so on.
    let name = process;
    for (let depth = 1; name !== undefined && depth < 100; depth++) {
      const created = runtime.creationStep(name, position);
      if (!created) break;
      const frame: DebugProtocol.StackFrame = new StackFrame(args.threadId * 100 + depth, `${name} created: ${runtime.statementText(created.index)}`, this.source(), this.convertDebuggerLineToClient(created.range.line), 1);
      frame.presentationHint = 'subtle';
      frames.push(frame);
      name = runtime.machineAt(position).process(name)?.parent ?? undefined;
    }
    const start = args.startFrame ?? 0;
    const levels = args.levels ?? frames.length;
    response.body = { stackFrames: frames.slice(start, start + levels), totalFrames: frames.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const threadId = Math.floor(args.frameId / 100);
    const process = this.threads().find((t) => t.id === threadId)?.process;
    const scopes: DebugProtocol.Scope[] = [];
    if (process) scopes.push(new Scope(`Process ${process}`, this.refs.add({ kind: 'process', process }), false));
    const frames = new Scope('Frames', this.refs.add({ kind: 'frames' }), false) as DebugProtocol.Scope;
    frames.indexedVariables = this.runtime?.machine.stats.frames ?? 0;
    scopes.push(frames, new Scope('Statistics', this.refs.add({ kind: 'stats' }), false), new Scope('Step', this.refs.add({ kind: 'step' }), false));
    response.body = { scopes };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const container = this.refs.get(args.variablesReference);
    const runtime = this.runtime;
    if (!container || !runtime) {
      response.body = { variables: [] };
      return this.sendResponse(response);
    }
    const variables = variablesOf(container, this.refs, this.variableSource(runtime), args.start ?? 0, args.count);
    response.body = { variables };
    this.sendResponse(response);
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const runtime = this.runtime;
    if (!runtime) return this.sendErrorResponse(response, 3003, 'no scenario is running');
    const text = runtime.evaluateText(args.expression);
    response.body = { result: text, variablesReference: 0 };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    if (this.runtime && this.runtime.position >= this.runtime.end && this.lastStop?.reason === 'end') return this.finish();
    this.runAsync((runtime) => runtime.continueForward(CONTINUE_SLICE, (_, message) => this.output(`${message}\n`)));
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.sendResponse(response);
    this.runAsync((runtime) => runtime.continueBackward(CONTINUE_SLICE));
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.sendResponse(response);
    this.stepOnce((r) => r.stepForward((_, message) => this.output(`${message}\n`)));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.sendResponse(response);
    this.stepOnce((r) => r.stepForward((_, message) => this.output(`${message}\n`)));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    // A scenario has no calls to step out of: one statement, as Step Over.
    this.sendResponse(response);
    this.stepOnce((r) => r.stepForward((_, message) => this.output(`${message}\n`)));
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.sendResponse(response);
    this.stepOnce((r) => r.stepBack());
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendResponse(response);
    if (this.running) this.pauseRequested = true;
    else if (this.runtime) this.stopped({ position: this.runtime.position, reason: 'pause' });
  }

  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    const runtime = this.runtime;
    const line = this.convertClientLineToDebugger(args.line);
    const step = runtime?.steps.find((s) => s.range.line <= line && line <= s.range.endLine) ?? runtime?.steps.find((s) => s.range.line > line);
    response.body = { targets: step ? [{ id: step.index + 1, label: `step ${step.index + 1}`, line: this.convertDebuggerLineToClient(step.range.line) }] : [] };
    this.sendResponse(response);
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    this.sendResponse(response);
    this.stepOnce((r) => r.goTo(args.targetId - 1));
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const stop = this.lastStop;
    const refused = stop?.description === 'The engine refused this statement';
    response.body = {
      exceptionId: refused ? 'engine refused' : 'expect failed',
      description: stop?.text ?? stop?.description ?? '',
      breakMode: refused ? 'always' : 'userUnhandled',
    };
    this.sendResponse(response);
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse): void {
    this.restart(response).catch((e: unknown) => this.sendErrorResponse(response, 3005, `CoW Lab could not restart: ${String(e)}`));
  }

  private async restart(response: DebugProtocol.RestartResponse): Promise<void> {
    // Read the scenario again (it may have been edited), keep the breakpoints, start over.
    const failure = await this.load();
    if (failure !== undefined) return this.sendErrorResponse(response, 3002, failure);
    this.sendResponse(response);
    this.startRun(this.args?.stopOnEntry === true);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.sendResponse(response);
    this.finish();
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command === GOTO_REQUEST && this.runtime) {
      const position = (args as { position?: unknown } | undefined)?.position;
      if (typeof position !== 'number' || !Number.isInteger(position)) return this.sendErrorResponse(response, 3004, `${GOTO_REQUEST} needs an integer position`);
      this.sendResponse(response);
      if (position !== this.runtime.position && !this.running) this.stopped(this.runtime.goTo(position));
      return;
    }
    super.customRequest(command, response, args);
  }

  private async load(): Promise<string | undefined> {
    let source: string;
    try {
      source = await this.read(this.program);
    } catch (e) {
      return `CoW Lab could not read ${this.program}: ${e instanceof Error ? e.message : String(e)}`;
    }
    const loaded = ScenarioRuntime.load(source);
    if (!loaded.ok) return loaded.message;
    this.runtime = loaded.runtime;
    this.runtime.setExceptionFilters(this.exceptionFilters);
    // A restart keeps the breakpoints the client already sent.
    if (this.pendingLines.length > 0) this.runtime.setLineBreakpoints(this.pendingLines);
    if (this.pendingFunctions.length > 0) this.runtime.setFunctionBreakpoints(this.pendingFunctions);
    return undefined;
  }

  private startRun(stopOnEntry: boolean): void {
    const runtime = this.runtime as ScenarioRuntime;
    runtime.reset();
    if (stopOnEntry) return this.stopped({ position: 0, reason: 'entry', description: 'Stopped before the first statement' });
    const first = runtime.begin((_, message) => this.output(`${message}\n`));
    if (first) return this.stopped(first);
    this.runAsync((r) => r.continueForward(CONTINUE_SLICE, (_, message) => this.output(`${message}\n`)));
  }

  private stepOnce(move: (runtime: ScenarioRuntime) => Stop): void {
    if (!this.runtime || this.running) return;
    this.stopped(move(this.runtime));
  }

  /** Runs `slice` until it stops, yielding to the event loop between slices (Pause gets in). */
  private runAsync(slice: (runtime: ScenarioRuntime) => Stop | undefined): void {
    const runtime = this.runtime;
    if (!runtime || this.running) return;
    this.running = true;
    this.pauseRequested = false;
    const tick = (): void => {
      if (this.runtime !== runtime) return;
      if (this.pauseRequested) {
        this.running = false;
        return this.stopped({ position: runtime.position, reason: 'pause' });
      }
      const stop = slice(runtime);
      if (stop) {
        this.running = false;
        return this.stopped(stop);
      }
      setTimeout(tick, 0);
    };
    tick();
  }

  private stopped(stop: Stop): void {
    this.lastStop = stop;
    this.refs.clear();
    const runtime = this.runtime as ScenarioRuntime;
    const event = new StoppedEvent(stop.reason, this.focusThread(), stop.text) as DebugProtocol.StoppedEvent;
    event.body.allThreadsStopped = true;
    if (stop.description) event.body.description = stop.description;
    if (stop.breakpointIds) event.body.hitBreakpointIds = [...stop.breakpointIds];
    this.sendEvent(event);
    this.sendEvent(new Event(POSITION_EVENT, { program: this.program, position: stop.position, stepCount: runtime.end, line: runtime.lineAt(stop.position) }));
  }

  private finish(): void {
    this.runtime = undefined;
    this.sendEvent(new TerminatedEvent());
  }

  private output(text: string): void {
    this.sendEvent(new OutputEvent(text, 'console'));
  }

  private source(): Source {
    return new Source(baseName(this.program), this.convertDebuggerPathToClient(this.program));
  }

  /** One thread per live process (exited ones are gone); a placeholder while there is none. */
  private threads(): { id: number; name: string; process?: string }[] {
    const m: Machine | undefined = this.runtime?.machine;
    const live = (m?.processes() ?? []).filter((p) => p.status !== 'exited');
    if (live.length === 0) return [{ id: SCENARIO_THREAD, name: 'scenario (no process yet)' }];
    return live.map((p) => ({ id: p.pid + 1, name: `${p.name} · pid ${p.pid}${p.status === 'suspended' ? ' · suspended (vfork)' : ''}`, process: p.name }));
  }

  /** The thread of the process that runs the next statement, else the first one. */
  private focusThread(): number {
    const threads = this.threads();
    const actor = this.runtime?.actorAt(this.runtime.position);
    return (threads.find((t) => t.process !== undefined && t.process === actor) ?? threads[0])?.id ?? SCENARIO_THREAD;
  }

  private variableSource(runtime: ScenarioRuntime): VariableSource {
    const position = runtime.position;
    const storage = runtime.storageAt(position);
    return {
      machine: runtime.machine,
      ...(storage.volumes().length > 0 ? { storage } : {}),
      other: () => runtime.otherMachineAt(position),
      step: {
        position,
        stepCount: runtime.end,
        statement: position < runtime.end ? runtime.statementText(position) : '(none: the scenario ended)',
        explanation: runtime.steps[position]?.explanation ?? runtime.run.error?.message ?? '',
        policy: runtime.run.policy,
      },
    };
  }
}

function baseName(program: string): string {
  return program.split(/[\\/]/).pop() ?? program;
}

/** A client path and the launched program name the same file (paths or URIs, encoded or not). */
export function sameSource(a: string, b: string): boolean {
  const norm = (s: string): string => {
    let t = s.replace(/^file:\/\//, '');
    try {
      t = decodeURIComponent(t);
    } catch {
      // not encoded
    }
    return t.replace(/\\/g, '/');
  };
  return norm(a) === norm(b);
}


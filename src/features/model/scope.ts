// What exists at a given line of a scenario: which processes, in which state, with which regions.
// Completion asks it "which regions can `child` touch here?". A deliberately lenient walk over
// the parsed statements (the checker reports what is wrong; this only has to guess what the
// learner means), following the same rules: fork copies the address space (dup_mmap), vfork
// borrows it and suspends the parent (CLONE_VFORK), exec empties it, exit ends the process.
import type { Program, Statement } from '../../language';

export interface RegionInScope {
  readonly name: string;
  readonly pages: number;
  readonly kind: 'private' | 'shared';
  /** Line of the `map` that made it. */
  readonly mappedOn: number;
}

export type ProcessState = 'running' | 'suspended' | 'exited';

export interface ProcessInScope {
  readonly name: string;
  state: ProcessState;
  /** The address space; a vfork child and its parent hold the very same map. */
  regions: Map<string, RegionInScope>;
  /** Line of the statement that created it. */
  readonly createdOn: number;
  /** The vfork parent this process borrows from, until it execs or exits. */
  borrowsFrom?: ProcessInScope;
}

export interface Scope {
  /** In order of creation. */
  readonly processes: ReadonlyMap<string, ProcessInScope>;
  /** Statements (the `mode` header included) on lines before the one asked about. */
  readonly statementsBefore: number;
}

/** The processes and regions as they are just before `line` (1-based) runs. */
export function scopeAt(program: Program, line: number): Scope {
  const processes = new Map<string, ProcessInScope>();
  let statementsBefore = 0;
  for (const statement of program.statements) {
    if (statement.range.line >= line) break;
    statementsBefore += 1;
    apply(processes, statement);
  }
  return { processes, statementsBefore };
}

function apply(processes: Map<string, ProcessInScope>, s: Statement): void {
  if (s.kind === 'process') {
    if (!processes.has(s.name.text)) processes.set(s.name.text, { name: s.name.text, state: 'running', regions: new Map(), createdOn: s.range.line });
    return;
  }
  if (s.kind === 'mode' || s.kind === 'kernel' || s.kind === 'memory' || s.kind === 'checkpoint' || s.kind === 'note' || s.kind === 'expect' || s.kind === 'volume' || s.kind === 'container') return;
  const actor = processes.get(s.process.text);
  if (actor === undefined || actor.state === 'exited') return;
  switch (s.kind) {
    case 'map':
      actor.regions.set(s.region.text, { name: s.region.text, pages: s.pages, kind: s.regionKind, mappedOn: s.range.line });
      return;
    case 'unmap':
      actor.regions.delete(s.region.text);
      return;
    case 'fork':
    case 'vfork': {
      if (processes.has(s.child.text)) return;
      const borrowed = s.kind === 'vfork';
      const child: ProcessInScope = {
        name: s.child.text,
        state: 'running',
        regions: borrowed ? actor.regions : new Map(actor.regions),
        createdOn: s.range.line,
        ...(borrowed ? { borrowsFrom: actor } : {}),
      };
      processes.set(child.name, child);
      if (borrowed) actor.state = 'suspended';
      return;
    }
    case 'exec':
      actor.regions = new Map();
      release(actor);
      return;
    case 'exit':
      actor.state = 'exited';
      release(actor);
      return;
    default:
      return;
  }
}

/** A vfork child that execs or exits gives the parent back its address space and wakes it. */
function release(child: ProcessInScope): void {
  const parent = child.borrowsFrom;
  if (parent === undefined) return;
  delete child.borrowsFrom;
  if (parent.state === 'suspended') parent.state = 'running';
}

/** Processes that can act at this point (running), most recently created last. */
export function actors(scope: Scope): ProcessInScope[] {
  return [...scope.processes.values()].filter((p) => p.state === 'running');
}

/** Processes with an address space to look at (not exited). */
export function livingProcesses(scope: Scope): ProcessInScope[] {
  return [...scope.processes.values()].filter((p) => p.state !== 'exited');
}

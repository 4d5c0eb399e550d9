// What exists at a given line of a scenario: which processes, in which state, with which regions.
// Completion asks it "which regions can `child` touch here?". It walks the parsed statements by
// the engine's own lifecycle rules (language/lifecycle.ts → engine/lifeModel.ts): fork copies the
// address space (dup_mmap), vfork borrows it and suspends the parent (CLONE_VFORK), exec empties
// it, exit ends the process; a statement the engine would refuse changes nothing.
import type { ProcessStatus } from '../../engine/types';
import type { Program } from '../../language';
import { lifeBefore } from '../../language/lifecycle';

export interface RegionInScope {
  readonly name: string;
  readonly pages: number;
  readonly kind: 'private' | 'shared';
  readonly huge?: boolean;
  /** Line of the `map` that made it. */
  readonly mappedOn: number;
}

export interface ProcessInScope {
  readonly name: string;
  readonly state: ProcessStatus;
  /** The address space it uses; a vfork child and its parent hold the very same map. */
  readonly regions: ReadonlyMap<string, RegionInScope>;
  /** Line of the statement that created it. */
  readonly createdOn: number;
  /** The vfork parent this process borrows from, until it execs or exits. */
  readonly borrowsFrom?: string;
}

export interface Scope {
  /** In order of creation. */
  readonly processes: ReadonlyMap<string, ProcessInScope>;
  /** Statements (the `mode` header included) on lines before the one asked about. */
  readonly statementsBefore: number;
}

/** The processes and regions as they are just before `line` (1-based) runs. */
export function scopeAt(program: Program, line: number): Scope {
  const { life, statementsBefore } = lifeBefore<RegionInScope>(program, line, (s) => ({
    name: s.region.text,
    pages: s.pages,
    kind: s.regionKind,
    ...(s.huge !== undefined ? { huge: true } : {}),
    mappedOn: s.range.line,
  }));
  const processes = new Map<string, ProcessInScope>();
  for (const p of life.processes()) {
    processes.set(p.name, { name: p.name, state: p.status, regions: life.spaceOf(p).regions, createdOn: p.createdAt, ...(p.borrowsFrom !== null ? { borrowsFrom: p.borrowsFrom } : {}) });
  }
  return { processes, statementsBefore };
}

/** Processes that can act at this point (running), most recently created last. */
export function actors(scope: Scope): ProcessInScope[] {
  return [...scope.processes.values()].filter((p) => p.state === 'running');
}

/** Processes with an address space to look at (not exited). */
export function livingProcesses(scope: Scope): ProcessInScope[] {
  return [...scope.processes.values()].filter((p) => p.state !== 'exited');
}

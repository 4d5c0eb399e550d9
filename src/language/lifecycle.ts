// Statements read as lifecycle steps: which processes and regions exist at a line, by the engine's
// own lifecycle rules (engine/lifeModel.ts), without running anything. Completion and the run
// budget walk a scenario with it; the checker keeps a model of its own (world.ts) on the same rules.
// The model module itself, not the engine's barrel: the run budget reads this from the extension's entry bundle.
import { LifeModel, type LifeOperation, type RegionShape } from '../engine/lifeModel';
import type { MapAction, Program, Statement } from './ast';

/** The lifecycle part of a statement as an engine operation, or undefined (accesses, expectations, storage…). */
export function lifeOperation(s: Statement): LifeOperation | undefined {
  switch (s.kind) {
    case 'process':
      return { op: 'spawn', process: s.name.text };
    case 'map':
      return { op: 'map', process: s.process.text, region: s.region.text, pages: s.pages, kind: s.regionKind, ...(s.huge !== undefined ? { huge: true } : {}) };
    case 'unmap':
      return { op: 'unmap', process: s.process.text, region: s.region.text };
    case 'fork':
    case 'vfork':
      return { op: s.kind, process: s.process.text, child: s.child.text };
    case 'exec':
    case 'exit':
      return { op: s.kind, process: s.process.text };
    default:
      return undefined;
  }
}

/**
 * Applies a statement's lifecycle part to `life` (a statement the engine would refuse changes
 * nothing); `region` makes the record of a mapped region. Returns the operation, if any.
 */
export function applyStatement<R extends RegionShape>(life: LifeModel<R>, s: Statement, region: (s: MapAction) => R): LifeOperation | undefined {
  const op = lifeOperation(s);
  if (op !== undefined) life.apply(op, s.range.line, () => region(s as MapAction));
  return op;
}

/** The processes and regions as they are just before `line` (1-based) runs, and how many statements come before it. */
export function lifeBefore<R extends RegionShape>(program: Program, line: number, region: (s: MapAction) => R): { readonly life: LifeModel<R>; readonly statementsBefore: number } {
  const life = new LifeModel<R>();
  let statementsBefore = 0;
  for (const statement of program.statements) {
    if (statement.range.line >= line) break;
    statementsBefore += 1;
    applyStatement(life, statement, region);
  }
  return { life, statementsBefore };
}

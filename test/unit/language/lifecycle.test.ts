// One lifecycle model: the checker's view of which processes and regions exist after each
// statement, and completion's (scopeAt), are what the engine's run actually has at that step.
// Random scenarios (fast-check) of process, map, unmap, fork, vfork, exec and exit, with accesses
// and MADV_DONTFORK in between, over few names so that duplicates, exited and suspended actors,
// borrowed address spaces and unknown regions all come up. The expected side is the engine's run
// (Machine.processes / Machine.regions), never the model under test.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { check, DEFAULT_LIMITS, interpret, isAction, parse, toOperation, type Program, type Statement } from '../../../src/language';
import { apply, createMachine, type LifeModel, type Machine, type RegionShape } from '../../../src/engine';
import { scopeAt } from '../../../src/features/model/scope';

const PROCESSES = ['a', 'b', 'c', 'd'];
const REGIONS = ['x', 'y', 'z'];

const proc = fc.constantFrom(...PROCESSES);
const region = fc.constantFrom(...REGIONS);
const page = fc.integer({ min: 0, max: 3 });

const statement: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: proc.map((p) => `process ${p}`) },
  { weight: 4, arbitrary: fc.tuple(proc, region, fc.integer({ min: 1, max: 4 }), fc.constantFrom('', ' private', ' shared')).map(([p, r, n, k]) => `${p}: map ${r} ${n}${k}`) },
  { weight: 1, arbitrary: fc.tuple(proc, region, fc.constantFrom(512, 1024)).map(([p, r, n]) => `${p}: map ${r} ${n} private huge`) },
  { weight: 2, arbitrary: fc.tuple(proc, region).map(([p, r]) => `${p}: unmap ${r}`) },
  { weight: 4, arbitrary: fc.tuple(proc, fc.constantFrom('fork', 'vfork'), proc).map(([p, verb, c]) => `${p}: ${verb} ${c}`) },
  { weight: 3, arbitrary: fc.tuple(proc, fc.constantFrom('exec', 'exit')).map(([p, verb]) => `${p}: ${verb}`) },
  { weight: 2, arbitrary: fc.tuple(proc, fc.constantFrom('read', 'write'), region, page).map(([p, verb, r, i]) => `${p}: ${verb} ${r}[${i}]`) },
  { weight: 1, arbitrary: fc.tuple(proc, region, page).map(([p, r, i]) => `${p}: madvise ${r}[${i}] dontfork`) },
);

const lines = fc.array(statement, { minLength: 1, maxLength: 40 });

/**
 * Keeps the lines the engine accepts, in order, dropping the others: a scenario that runs to the
 * end, deep enough to reach forks of forks, vforks inside vforks, exec'd and exited processes.
 */
function engineAccepted(candidates: readonly string[]): string[] {
  let m: Machine = createMachine('cow');
  const kept: string[] = [];
  for (const line of candidates) {
    const s = parse(line, DEFAULT_LIMITS).statements[0];
    if (s === undefined) continue;
    if (s.kind === 'process' || isAction(s)) {
      const outcome = apply(m, toOperation(s, m));
      if (!outcome.ok) continue;
      m = outcome.machine;
    }
    kept.push(line);
  }
  return kept;
}

interface ProcessSeen {
  readonly name: string;
  readonly status: string;
  readonly borrowsFrom: string | null;
  readonly regions: readonly RegionShape[];
}

const shape = (r: RegionShape): RegionShape => ({ name: r.name, pages: r.pages, kind: r.kind, ...(r.huge === true ? { huge: true } : {}) });

/** What the engine has: every process in creation order, with the regions of the address space it uses. */
function engineView(m: Machine): ProcessSeen[] {
  return m.processes().map((p) => ({ name: p.name, status: p.status, borrowsFrom: p.borrowsFrom, regions: m.regions(p.name).map(shape) }));
}

/** What the checker believes (phantoms, names already reported as unknown, left out). */
function checkerView<R extends RegionShape & { readonly phantom: boolean }>(life: LifeModel<R>): ProcessSeen[] {
  return [...life.processes()].map((p) => ({
    name: p.name,
    status: p.status,
    borrowsFrom: p.borrowsFrom,
    regions: p.status === 'exited' ? [] : [...life.spaceOf(p).regions.values()].filter((r) => !r.phantom).map(shape),
  }));
}

function scopeView(program: Program, line: number): ProcessSeen[] {
  return [...scopeAt(program, line).processes.values()].map((p) => ({
    name: p.name,
    status: p.state,
    borrowsFrom: p.borrowsFrom ?? null,
    regions: p.state === 'exited' ? [] : [...p.regions.values()].map(shape),
  }));
}

/** The scenario's statements up to (and including) the first one the checker reports an error on. */
function checked(text: string): { program: Program; views: Map<Statement, ProcessSeen[]>; firstError: number | undefined } {
  const program = parse(text, DEFAULT_LIMITS);
  const views = new Map<Statement, ProcessSeen[]>();
  const result = check(program, DEFAULT_LIMITS, (s, life) => views.set(s, checkerView(life)));
  const errors = [...program.diagnostics, ...result.diagnostics].filter((d) => d.severity === 'error').map((d) => d.range.line);
  return { program, views, firstError: errors.length > 0 ? Math.min(...errors) : undefined };
}

describe('one lifecycle model: the checker and completion see what the engine runs', () => {
  it('after every statement, the checker\'s processes and regions and scopeAt\'s are the engine\'s', () => {
    fc.assert(
      fc.property(lines, (candidates) => {
        const text = engineAccepted(candidates).join('\n');
        const { program, views, firstError } = checked(text);
        assert.equal(firstError, undefined, `the checker reports an error in a scenario the engine runs:\n${text}`);
        const run = interpret(program);
        assert.equal(run.error, undefined, `the engine refused:\n${text}\n${run.error?.message ?? ''}`);
        for (const step of run.steps) {
          const engine = engineView(run.timeline.at(step.state));
          assert.deepEqual(views.get(step.statement), engine, `checker, after line ${step.range.line}:\n${text}`);
          assert.deepEqual(scopeView(program, step.range.line + 1), engine, `scopeAt, before line ${step.range.line + 1}:\n${text}`);
        }
      }),
      { numRuns: 300, seed: 0x11fe },
    );
  });

  it('after a scenario that runs, the checker reports an error on the next statement exactly when the engine refuses it', () => {
    fc.assert(
      fc.property(lines, statement, (candidates, last) => {
        const prefix = engineAccepted(candidates);
        const text = [...prefix, last].join('\n');
        const line = prefix.length + 1;
        const { program, firstError } = checked(text);
        const run = interpret(program);
        assert.equal(firstError === line, run.error?.range.line === line, `checker ${firstError === line ? 'reports' : 'accepts'} line ${line}, engine ${run.error ? `refuses it: ${run.error.message}` : 'runs it'}:\n${text}`);
      }),
      { numRuns: 600, seed: 0x11ff },
    );
  });
});

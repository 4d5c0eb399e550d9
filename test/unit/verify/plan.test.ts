// The kernel check's plan without a kernel: which driver process plays each statement, and which
// address spaces each checkpoint reads, by whom. Expected values are worked by hand from the
// lifecycle rules (fork copies the region list, a vfork child uses its parent's memory and the
// parent sleeps until the child execs or exits, exec starts an empty address space, exit leaves
// nothing to read), and on generated scenarios they come from the engine's own run.
import * as assert from 'node:assert/strict';
import type { Machine } from '../../../src/engine';
import { analyze, parse, runScenario } from '../../../src/language';
import { planCommands, planScenario, type Plan, type PlannedCheckpoint } from '../../../src/verify/plan';
import { generateScenario } from '../../conformance/generate';

function plan(...lines: string[]): Plan {
  const source = `${lines.join('\n')}\n`;
  const analysis = analyze(source);
  assert.ok(analysis.runnable, analysis.diagnostics.map((d) => d.message).join('; '));
  const p = planScenario(analysis.program, source);
  assert.equal(p.unplayable, undefined);
  return p;
}

/** A checkpoint's readouts as `reader: members [region:driver id:pages …]`. */
function readouts(p: Plan, name = 'end'): string[] {
  const c = p.steps.find((s): s is PlannedCheckpoint => s.kind === 'checkpoint' && s.name === name);
  assert.ok(c, `no checkpoint ${name}`);
  return c.readouts.map((r) => `${r.reader}: ${r.processes.join(',')} [${[...r.regions].map(([id, x]) => `${x.name}:${id}:${x.pages}`).join(' ')}]`);
}

const actions = (p: Plan): string[] => planCommands(p).filter((c) => !/ (pagemap|smaps)$/.test(c));

describe('kernel check: the plan, worked by hand', () => {
  it('fork: the child gets driver process 1 and a copy of the region list; each reads its own pages', () => {
    const p = plan('process p', 'p: map h 2', 'p: map s 1 shared', 'p: fork c', 'c: write h[1]', 'checkpoint "after"', 'c: exit');
    assert.deepEqual(actions(p), ['spawn 0', '0 map 1 2 private 200000000000', '0 map 2 1 shared 200000005000', '0 fork 1', '1 write 1 1 1 63', '1 exit']);
    assert.deepEqual(readouts(p, 'after'), ['0: p [h:1:2 s:2:1]', '1: c [h:1:2 s:2:1]']);
    // After the child's exit there is nothing of it left to read.
    assert.deepEqual(readouts(p), ['0: p [h:1:2 s:2:1]']);
  });

  it('vfork: one address space, read by the child that borrows it while the parent sleeps', () => {
    const p = plan('process p', 'p: map h 1', 'p: vfork c', 'c: map t 2', 'c: write h[0]', 'checkpoint "borrowed"', 'c: exit', 'p: read t[1]');
    // The child's map and write land in p's memory (one mm): after the exit, p reads t.
    assert.deepEqual(actions(p), ['spawn 0', '0 map 1 1 private 200000000000', '0 vfork 1', '1 map 2 2 private 200000004000', '1 write 1 0 0 63', '1 exit', '0 read 2 1 1']);
    assert.deepEqual(readouts(p, 'borrowed'), ['1: p,c [h:1:1 t:2:2]']);
    assert.deepEqual(readouts(p), ['0: p [h:1:1 t:2:2]']);
  });

  it('vfork then exec: the child gets an empty address space of its own and the parent runs again', () => {
    const p = plan('process p', 'p: map h 1', 'p: vfork c', 'c: exec', 'c: map n 1', 'checkpoint "exec"', 'p: write h[0]');
    assert.deepEqual(readouts(p, 'exec'), ['0: p [h:1:1]', '1: c [n:2:1]']);
    assert.deepEqual(actions(p).slice(-3), ['1 exec', '1 map 2 1 private 200000004000', '0 write 1 0 0 70']);
  });

  it('vfork inside vfork: three processes, one address space, read by the innermost child until it leaves', () => {
    const p = plan('process p', 'p: map h 1', 'p: vfork c', 'c: vfork d', 'checkpoint "two deep"', 'd: exit', 'checkpoint "one deep"', 'c: exec');
    assert.deepEqual(readouts(p, 'two deep'), ['2: p,c,d [h:1:1]']);
    assert.deepEqual(readouts(p, 'one deep'), ['1: p,c [h:1:1]']);
    assert.deepEqual(readouts(p), ['0: p [h:1:1]', '1: c []']);
  });

  it('exec of a forked process: its regions are gone; its pins are released with the ring', () => {
    const p = plan('process p', 'p: map h 1024', 'p: fork c', 'c: pin h[0..1023]', 'c: exec', 'c: map h 1024', 'c: pin h[0..1023]');
    // 1,024 pins are the driver's limit per process: the second set fits only because exec freed the first.
    assert.deepEqual(readouts(p), ['0: p [h:1:1024]', '1: c [h:1:1024]']);
    assert.deepEqual(actions(p).filter((c) => c.startsWith('1 ')), ['1 pin 1 0 1023', '1 exec', '1 map 1 1024 private 200000403000', '1 pin 1 0 1023']);
  });

  it('shared regions: the pages each address space faulted in are its own, and a fork child starts with none', () => {
    const p = plan('process p', 'p: map s 4 shared', 'p: write s[1]', 'p: fork c', 'c: read s[2]', 'p: read s[3]');
    const end = p.steps.at(-1);
    assert.ok(end?.kind === 'checkpoint');
    assert.deepEqual(end.readouts.map((r) => [...(r.regions.get(1)?.touched ?? [])].sort()), [[1, 3], [2]]);
    const reads = p.steps.filter((s) => s.kind === 'action' && s.verb === 'read');
    assert.deepEqual(reads.map((s) => (s.kind === 'action' ? [...(s.touchedBefore ?? [])] : [])), [[], [1]]);
  });

  it('unmap in a vfork child unmaps it from the parent too (one mm)', () => {
    const p = plan('process p', 'p: map a 1', 'p: map b 1', 'p: vfork c', 'c: unmap a', 'c: exit');
    assert.deepEqual(readouts(p), ['0: p [b:2:1]']);
  });

  it('refuses to play what the lifecycle rules forbid, with the engine\'s reason (a plan of an unchecked program)', () => {
    const suspended = 'process p\np: map h 1\np: vfork c\np: write h[0]\n';
    assert.match(planScenario(parse(suspended), suspended).unplayable ?? '', /^line 4: p is suspended in vfork until c calls exec or exit/);
    const exited = 'process p\np: fork c\nc: exit\nc: fork d\n';
    assert.match(planScenario(parse(exited), exited).unplayable ?? '', /^line 4: c has exited/);
    const twice = 'process p\nprocess p\n';
    assert.match(planScenario(parse(twice), twice).unplayable ?? '', /^line 2: a process named 'p' already exists/);
  });
});

/** Engine processes that share an address space: a vfork child's is its lender's (followed to the owner). */
function owner(m: Machine, name: string): string {
  let cur = name;
  for (let hops = 0; hops < 64; hops++) {
    const next = m.process(cur)?.borrowsFrom;
    if (!next) return cur;
    cur = next;
  }
  return cur;
}

describe('kernel check: the plan agrees with the engine on generated scenarios', () => {
  it('every checkpoint reads each live process once, with the engine\'s regions, by a running member of its address space', () => {
    let checkpoints = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const source = generateScenario(seed, seed % 3 === 0 ? { references: true } : {});
      const out = runScenario(source);
      if (!out.ok) continue;
      const p = planScenario(out.analysis.program, source);
      assert.equal(p.unplayable, undefined, `seed ${seed}`);
      const planned = p.steps.filter((s): s is PlannedCheckpoint => s.kind === 'checkpoint');
      assert.equal(planned.length, out.run.checkpoints.length, `seed ${seed}`);
      out.run.checkpoints.forEach((c, i) => {
        const m = c.machine;
        const readouts = planned[i]?.readouts ?? [];
        const live = m.processes().filter((v) => v.status !== 'exited');
        assert.deepEqual(readouts.flatMap((r) => r.processes).sort(), live.map((v) => v.name).sort(), `seed ${seed} ${c.name}: live processes`);
        for (const r of readouts) {
          const regions = [...r.regions.values()].map((x) => `${x.name}:${x.pages}:${x.shared ? 'shared' : 'private'}${x.huge ? ':huge' : ''}`);
          const reader = live.find((v) => r.processes.includes(v.name) && v.status === 'running');
          assert.ok(reader, `seed ${seed} ${c.name}: nobody in ${r.processes.join(',')} runs`);
          assert.equal(new Set(r.processes.map((n) => owner(m, n))).size, 1, `seed ${seed} ${c.name}: ${r.processes.join(',')} are one address space`);
          for (const name of r.processes) {
            assert.deepEqual(regions, m.regions(name).map((x) => `${x.name}:${x.pages}:${x.kind}${x.huge ? ':huge' : ''}`), `seed ${seed} ${c.name} ${name}: regions`);
          }
        }
        checkpoints += 1;
      });
    }
    assert.ok(checkpoints > 60, `only ${checkpoints} checkpoints compared`);
  });
});

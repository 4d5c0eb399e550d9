// What the kernel check plays and what it must not claim: another era's rules, huge regions;
// pipes and pins as driver commands.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/language';
import { planCommands, planScenario } from '../../../src/verify/plan';
import { otherEra } from '../../../src/verify/verify';

describe('kernel check: what it does not claim', () => {
  it('reports an older kernel header as another era, and today\'s or a newer one as checkable', () => {
    assert.match(otherEra({ major: 4, minor: 19 }, '6.18.44-fc-v782') ?? '', /^other era: .*Linux 4\.19.*this kernel is 6\.18/);
    assert.match(otherEra({ major: 6, minor: 17 }, '6.18.44') ?? '', /other era/);
    assert.equal(otherEra({ major: 6, minor: 18 }, '6.18.44'), undefined);
    assert.equal(otherEra(undefined, '6.18.44'), undefined);
  });

  it('plays a huge region 2 MiB-aligned and reads its THP backing at each checkpoint', () => {
    const huge = 'process p\np: map a 1 private\np: map h 512 private huge\np: write h[0]\n';
    const plan = planScenario(analyze(huge).program, huge);
    assert.equal(plan.unplayable, undefined);
    const commands = planCommands(plan);
    // Region a: guard page at 0x200000000000, a at +4 KiB, guard, gap: the next region may start at
    // +16 KiB; h's first page must be on a 2 MiB boundary, so its guard page is 4 KiB below 0x200000200000.
    assert.deepEqual(commands.filter((c) => / map /.test(c)), ['0 map 1 1 private 200000000000', '0 map 2 512 huge 2000001ff000']);
    assert.deepEqual(commands.slice(-3), ['0 pagemap', '0 smaps', '0 thp']);
  });

  it('plays pins under vfork: the child pins in the memory it borrows, with a ring of its own', () => {
    const vfork = 'process p\np: map h 1\np: pin h[0]\np: vfork c\nc: pin h[0]\nc: exit\n';
    const plan = planScenario(analyze(vfork).program, vfork);
    assert.equal(plan.unplayable, undefined);
    assert.deepEqual(planCommands(plan).filter((c) => / (pin|vfork|exit)/.test(c)), ['0 pin 1 0 0', '0 vfork 1', '1 pin 1 0 0', '1 exit']);
  });

  it('plays vmsplice, drain, pin and unpin as driver commands, and reads every pipe at each checkpoint', () => {
    const source = [
      'process p',
      'p: map h 2',
      'p: write h[0..1]',
      'p: vmsplice h[0..1] q',
      'p: pin h[1]',
      'checkpoint "x"',
      'p: unpin h[1]',
      'p: drain q',
      'p: vmsplice h[0] r',
      '',
    ].join('\n');
    const plan = planScenario(analyze(source).program, source);
    assert.equal(plan.unplayable, undefined);
    // Region h is driver region 1; pipes are numbered in order of first use (q 0, r 1); the
    // drain is the coordinator's, which holds every pipe. Each checkpoint: pagemap, smaps, pipes.
    assert.deepEqual(planCommands(plan).filter((c) => !/ (map|write) /.test(c)), [
      'spawn 0',
      '0 vmsplice 1 0 1 0',
      '0 pin 1 1 1',
      '0 pagemap',
      '0 smaps',
      'pipes',
      '0 unpin 1 1 1',
      'drain 0',
      '0 vmsplice 1 0 0 1',
      '0 pagemap',
      '0 smaps',
      'pipes',
    ]);
    const last = plan.steps.at(-1);
    assert.ok(last?.kind === 'checkpoint');
    assert.deepEqual([...(last.pipes?.names ?? [])], [[0, 'q'], [1, 'r']]);
  });
});

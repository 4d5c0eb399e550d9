// Scenarios the kernel check must not claim: another era's rules, pipes, pins, huge regions.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/language';
import { planScenario } from '../../../src/verify/plan';
import { otherEra } from '../../../src/verify/verify';

describe('kernel check: what it does not claim', () => {
  it('reports an older kernel header as another era, and today\'s or a newer one as checkable', () => {
    assert.match(otherEra({ major: 4, minor: 19 }, '6.18.44-fc-v782') ?? '', /^other era: .*Linux 4\.19.*this kernel is 6\.18/);
    assert.match(otherEra({ major: 6, minor: 17 }, '6.18.44') ?? '', /other era/);
    assert.equal(otherEra({ major: 6, minor: 18 }, '6.18.44'), undefined);
    assert.equal(otherEra(undefined, '6.18.44'), undefined);
  });

  it('leaves scenarios with vmsplice, pins or huge regions unplayed rather than half played', () => {
    for (const [line, text] of [
      ['p: vmsplice h[0] q', 'vmsplice'],
      ['p: pin h[0]', 'pin'],
    ] as const) {
      const source = `process p\np: map h 1\np: write h[0]\n${line}\n`;
      const plan = planScenario(analyze(source).program, source);
      assert.match(plan.unplayable ?? '', new RegExp(`line 4: '${text}' is not played on the kernel yet`));
    }
    const huge = 'process p\np: map h 512 private huge\n';
    assert.match(planScenario(analyze(huge).program, huge).unplayable ?? '', /huge regions are not played/);
  });
});

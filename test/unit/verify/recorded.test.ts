// The comparer on kernel traces recorded on a real kernel (test/fixtures/kernel-traces/, made by
// test/conformance/record.ts), so src/verify is tested where no Linux kernel can be played. The
// recordings come from a kernel booted without the shared zero page (Linux 6.18 guest,
// pvm_no_zero_page=1), as root and as nobody. Each recorded trace must agree with the engine run
// under the rules the driver's hello reported, and each deliberate mistake the self-check makes
// must be caught on it.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LINUX_RULES } from '../../../src/engine';
import { compareTraces } from '../../../src/verify/compare';
import { engineTrace } from '../../../src/verify/engine-side';
import { planScenario } from '../../../src/verify/plan';
import { decodeSession } from '../../../src/verify/play';
import { parseHello, type SessionResult } from '../../../src/verify/session';
import { TAMPERS } from '../../conformance/self-check';

const DIR = join(__dirname, '..', '..', 'fixtures', 'kernel-traces');

interface Recording {
  readonly scenario: string;
  readonly source: string;
  readonly kernel: string;
  readonly user: 'root' | 'nobody';
  readonly session: Pick<SessionResult, 'hello' | 'replies' | 'fatal'>;
}

const recordings = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ file: f, ...(JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Recording) }));

function replay(r: Recording, zeroPage: boolean) {
  const engine = engineTrace(r.source, { ...LINUX_RULES, zeroPage });
  assert.ok(engine.runnable);
  const plan = planScenario(engine.program, r.source);
  return { engine, plan, kernel: decodeSession(plan, r.session) };
}

describe('verify: the driver hello', () => {
  it('reads a kernel without a zero page, as root (recorded: the probe read got a page of its own, bit 56 set)', () => {
    const hello = parseHello('hello pagemap=1 zero=2b25c0 kpagecount=1 entry=81000000002b25c0');
    assert.deepEqual(hello, { pagemap: true, zeroPfn: -1, framesVisible: true, zeroPage: false, kpagecount: true });
  });
  it('reads a kernel without a zero page, as nobody (recorded: frame hidden, bit 56 still set)', () => {
    const hello = parseHello('hello pagemap=1 zero=0 kpagecount=0 entry=8100000000000000');
    assert.deepEqual(hello, { pagemap: true, zeroPfn: -1, framesVisible: false, zeroPage: false, kpagecount: false });
  });
  it('reads a mainline kernel: present, not mapped exclusively (the zero page has no struct page mapping)', () => {
    // Bits as pagemap encodes them for the zero page: 63 present, 56 clear, the zero pfn below.
    const hello = parseHello('hello pagemap=1 zero=1a00 kpagecount=1 entry=8000000000001a00');
    assert.deepEqual(hello, { pagemap: true, zeroPfn: 0x1a00, framesVisible: true, zeroPage: true, kpagecount: true });
  });
  it('takes an error hello as no pagemap', () => {
    assert.equal(parseHello('hello pagemap=0 error=Permission denied')?.pagemap, false);
    assert.equal(parseHello('not a hello'), undefined);
  });
});

describe('verify: the comparer on recorded kernel traces', () => {
  it('has recordings as root and as nobody', () => {
    assert.ok(recordings.some((r) => r.user === 'root'));
    assert.ok(recordings.some((r) => r.user === 'nobody'));
  });

  for (const r of recordings) {
    describe(r.file, () => {
      it('agrees with the engine under the rules the kernel reported', () => {
        const { engine, plan, kernel } = replay(r, r.session.hello.zeroPage);
        const c = compareTraces(plan, engine, kernel);
        assert.deepEqual(c.differences.map((d) => d.title), []);
        assert.ok(c.checkpointsCompared > 0 && c.pagesCompared > 0);
      });

      // Only with frame numbers: bit 56 alone cannot tell the zero page from a page two
      // processes share (neither is "mapped exactly once"), so nobody's trace may agree with both.
      if (!r.session.hello.zeroPage && r.session.hello.framesVisible && /read /.test(r.source)) {
        it('disagrees with the engine under the mainline rule (reads would have mapped the zero page)', () => {
          const { engine, plan, kernel } = replay(r, true);
          assert.ok(compareTraces(plan, engine, kernel).differences.length > 0);
        });
      }
    });
  }

  const selfCheck = recordings.filter((r) => r.scenario.endsWith('self-check.cow'));
  for (const r of selfCheck) {
    for (const t of TAMPERS) {
      if (!r.session.hello.framesVisible && !t.withoutFrames) continue;
      it(`${r.file}: catches ${t.name}`, () => {
        const { engine, plan, kernel } = replay(r, r.session.hello.zeroPage);
        assert.ok(compareTraces(plan, t.tamper(engine), kernel).differences.length > 0);
      });
    }
  }
});

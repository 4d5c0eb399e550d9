// The THP half of the kernel comparison: the driver's `thp` reply, the small-pages verdict and
// the PMD count rows. Replies below are the shape kernel/driver.c prints (this machine's kernel
// gave `1=t*3,s,t*508,-*512,0` after a child's write split its huge page).
import * as assert from 'node:assert/strict';
import { analyze, runScenario, runToJson } from '../../../src/language';
import { planScenario, type PlannedCheckpoint } from '../../../src/verify/plan';
import { compareThp, decodeThpReply, smallPagesReason } from '../../../src/verify/thp';

const source = 'process p\np: map h 1024 private huge\np: write h[0]\np: fork c\nc: write h[3]\n';

function endCheckpoint(): { ec: ReturnType<typeof runToJson>['checkpoints'][number]; pc: PlannedCheckpoint } {
  const out = runScenario(source);
  assert.ok(out.ok);
  const ec = runToJson(out.run).checkpoints.at(-1);
  const pc = planScenario(analyze(source).program, source).steps.at(-1);
  assert.ok(ec && pc?.kind === 'checkpoint');
  return { ec, pc };
}

describe('kernel check: transparent huge pages', () => {
  it('decodes the driver\'s thp reply: per-page backing and AnonHugePages', () => {
    const m = decodeThpReply('ok 1=t*3,s,t*508,-*512,0;4=-*512,2048');
    assert.deepEqual(m.get(1)?.pages.slice(0, 5), ['t', 't', 't', 's', 't']);
    assert.equal(m.get(1)?.pages.length, 1024);
    assert.deepEqual([m.get(1)?.anonHugeKb, m.get(4)?.anonHugeKb], [0, 2048]);
  });

  it('agrees when the PMD-mapped counts match: p keeps its PMD entry, c split its own', () => {
    const { ec, pc } = endCheckpoint();
    const thp = { p: { h: { pages: [...Array<string>(512).fill('t'), ...Array<string>(512).fill('-')], anonHugeKb: 2048 } }, c: { h: { pages: ['t', 't', 't', 's', ...Array<string>(508).fill('t'), ...Array<string>(512).fill('-')], anonHugeKb: 0 } } };
    assert.equal(smallPagesReason(ec, thp), undefined);
    assert.deepEqual(compareThp(ec, thp, pc).map((r) => [r.where, r.engine, r.mark]), [
      ['p h: huge pages mapped by a PMD entry', '1', 'ok'],
      ['c h: huge pages mapped by a PMD entry', '0', 'ok'],
    ]);
    // A kernel that had not split c's PMD entry differs.
    assert.equal(compareThp(ec, { ...thp, c: { h: { ...thp.c.h, anonHugeKb: 2048 } } }, pc)[1]?.mark, 'differs');
  });

  it('says why it is not checked where the kernel gave small pages for a page the engine maps with a PMD entry', () => {
    const { ec } = endCheckpoint();
    const small = { p: { h: { pages: [...Array<string>(512).fill('s'), ...Array<string>(512).fill('-')], anonHugeKb: 0 } } };
    assert.match(smallPagesReason(ec, small) ?? '', /^the kernel gave p's h\[0\] a small page where the engine maps a transparent huge page/);
  });
});

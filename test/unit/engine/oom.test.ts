// The `memory N` model: an eager fork that does not fit fails with ENOMEM; copy-on-write forks
// and runs out later, at a write, where the OOM killer picks a victim the way mm/oom_kill.c does
// (oom_badness = resident pages + page-table pages; the highest wins, the later process on a
// tie). Every expected value is worked out by hand in the comments.
import * as assert from 'node:assert/strict';
import { apply, createMachine, LINUX_RULES, type Machine, type Operation, type Policy } from '../../../src/engine';
import { run, table } from './helpers';

function machine(memory: number, policy: Policy = 'cow'): Machine {
  return createMachine(policy, { ...LINUX_RULES, memory });
}

/** p has 6 pages written (6 frames); c forks and writes pages 0 and 1 (2 copies). */
const SIX_THEN_FORK: Operation[] = [
  { op: 'spawn', process: 'p' },
  { op: 'map', process: 'p', region: 'heap', pages: 6, kind: 'private' },
  { op: 'write', process: 'p', region: 'heap', first: 0, last: 5, value: 'p' },
  { op: 'fork', process: 'p', child: 'c' },
  { op: 'write', process: 'c', region: 'heap', first: 0, last: 1, value: 'c' },
];

describe('memory N: overcommit and the OOM killer', () => {
  it('copy-on-write forks on a full machine; the write that needs a 9th frame kills the later of two equal scores (the writer)', () => {
    // memory 8: after SIX_THEN_FORK, frames = 6 shared/parent + 2 copies = 8, all in use.
    const { machine: m } = run(SIX_THEN_FORK, 'cow', machine(8));
    assert.equal(m.stats.frames, 8);
    const out = apply(m, { op: 'write', process: 'c', region: 'heap', first: 2, last: 3, value: 'c' });
    assert.ok(out.ok);
    // Scores: p maps 6 real frames + 1 page-table page (pages 0..5 lie in one 512-page span) = 7;
    // c maps 6 (its 2 copies + 4 still shared) + 1 = 7. A tie: c, created later, is chosen.
    const kills = out.machine.oomKills();
    assert.equal(kills.length, 1);
    assert.deepEqual(kills[0]?.candidates, [
      { process: 'p', rss: 6, tablePages: 1, points: 7 },
      { process: 'c', rss: 6, tablePages: 1, points: 7 },
    ]);
    assert.equal(kills[0]?.victim, 'c');
    assert.equal(kills[0]?.faulting, 'c');
    // c held its 2 copies alone: they are freed; the 6 frames p maps stay. c's write stops at
    // page 2 (not written), so frames = 6 and c is gone.
    assert.equal(kills[0]?.freed, 2);
    assert.equal(out.machine.stats.frames, 6);
    assert.equal(out.machine.stats.oomKills, 1);
    assert.equal(out.machine.process('c')?.status, 'exited');
    // p's entries stay write-protected from the fork (its next write reuses the page), and each
    // frame is now mapped only by p.
    assert.equal(table(out.machine, 'p', 'heap'), '1x 2x 3x 4x 5x 6x');
    assert.match(out.explanation, /oom_badness/);
    assert.match(out.explanation, /kills c with SIGKILL/);
    assert.match(out.explanation, /later process winning the tie/);
    // The killed process can do nothing more, and says why.
    const after = apply(out.machine, { op: 'write', process: 'c', region: 'heap', first: 4, last: 4 });
    assert.ok(!after.ok);
    assert.match(after.error.message, /killed by the OOM killer/);
  });

  it('when the parent faults, the child (the later equal score) dies and the parent’s write goes through', () => {
    const { machine: m } = run(SIX_THEN_FORK, 'cow', machine(8));
    const out = apply(m, { op: 'write', process: 'p', region: 'heap', first: 2, last: 2, value: 'P' });
    assert.ok(out.ok);
    // Same scores 7 / 7: c is killed (freeing its 2 copies: 8 → 6 frames). p's fault had already
    // chosen wp_page_copy, so it copies page 2 into a new frame and the old one, now mapped by
    // nobody, is freed: 6 + 1 − 1 = 6 frames; copies 2 (c's) + 1 = 3.
    assert.equal(out.machine.oomKills()[0]?.victim, 'c');
    assert.equal(out.machine.stats.frames, 6);
    assert.equal(out.machine.stats.copies, 3);
    assert.equal(out.machine.process('p')?.status, 'running');
    assert.equal(out.machine.process('c')?.status, 'exited');
  });

  it('the largest process is killed, not the one faulting', () => {
    // memory 10: big writes 8 pages (8 frames); small writes 2 (10 frames, full). small's third
    // write needs an 11th: big scores 8 + 1 = 9, small 2 + 1 = 3 → big is killed, 8 frames freed,
    // and small's page is allocated: 2 + 1 = 3 frames.
    const { machine: m } = run(
      [
        { op: 'spawn', process: 'big' },
        { op: 'map', process: 'big', region: 'h', pages: 8, kind: 'private' },
        { op: 'write', process: 'big', region: 'h', first: 0, last: 7 },
        { op: 'spawn', process: 'small' },
        { op: 'map', process: 'small', region: 'h', pages: 3, kind: 'private' },
        { op: 'write', process: 'small', region: 'h', first: 0, last: 1 },
      ],
      'cow',
      machine(10),
    );
    const out = apply(m, { op: 'write', process: 'small', region: 'h', first: 2, last: 2 });
    assert.ok(out.ok);
    assert.deepEqual(
      out.machine.oomKills()[0]?.candidates.map((c) => [c.process, c.points]),
      [
        ['big', 9],
        ['small', 3],
      ],
    );
    assert.equal(out.machine.oomKills()[0]?.victim, 'big');
    assert.equal(out.machine.oomKills()[0]?.freed, 8);
    assert.equal(out.machine.stats.frames, 3);
  });

  it('page tables count: a region spread over two 512-page spans scores one page-table page more', () => {
    // a writes pages 0 and 512 (two spans: 2 + 2 = 4 points); b writes pages 0 and 1 (one span:
    // 2 + 1 = 3). memory 4 is full; b's next write kills a, though both hold 2 frames.
    const { machine: m } = run(
      [
        { op: 'spawn', process: 'a' },
        { op: 'map', process: 'a', region: 'h', pages: 1024, kind: 'private' },
        { op: 'write', process: 'a', region: 'h', first: 0, last: 0 },
        { op: 'write', process: 'a', region: 'h', first: 512, last: 512 },
        { op: 'spawn', process: 'b' },
        { op: 'map', process: 'b', region: 'h', pages: 4, kind: 'private' },
        { op: 'write', process: 'b', region: 'h', first: 0, last: 1 },
      ],
      'cow',
      machine(4),
    );
    const out = apply(m, { op: 'write', process: 'b', region: 'h', first: 2, last: 2 });
    assert.ok(out.ok);
    assert.deepEqual(out.machine.oomKills()[0]?.candidates, [
      { process: 'a', rss: 2, tablePages: 2, points: 4 },
      { process: 'b', rss: 2, tablePages: 1, points: 3 },
    ]);
    assert.equal(out.machine.oomKills()[0]?.victim, 'a');
  });

  it('a full copy that does not fit fails fork at once with ENOMEM and changes nothing else', () => {
    // memory 8, eager: p has 6 frames; a full copy needs 6 more, 2 are free → ENOMEM, no child.
    const { machine: m } = run(SIX_THEN_FORK.slice(0, 3), 'eager', machine(8, 'eager'));
    const out = apply(m, { op: 'fork', process: 'p', child: 'c' });
    assert.ok(out.ok);
    assert.equal(out.machine.process('c'), undefined);
    assert.equal(out.machine.stats.failedForks, 1);
    assert.equal(out.machine.stats.frames, 6);
    assert.equal(out.machine.stats.forks, 0);
    assert.deepEqual(
      out.events.filter((e) => e.kind === 'fork-failed'),
      [{ kind: 'fork-failed', process: 'p', child: 'c', needed: 6, free: 2 }],
    );
    assert.match(out.explanation, /ENOMEM/);
    assert.match(out.explanation, /__vm_enough_memory/);
    // With room for the copy (memory 12 = 6 + 6) the same fork succeeds and uses every frame.
    const roomy = run(SIX_THEN_FORK.slice(0, 4), 'eager', machine(12, 'eager')).machine;
    assert.equal(roomy.stats.frames, 12);
    assert.equal(roomy.stats.failedForks, 0);
  });

  it('copy-on-write on the same machine forks fine (overcommit): frames stay 6 until someone writes', () => {
    const { machine: m } = run(SIX_THEN_FORK.slice(0, 4), 'cow', machine(8));
    assert.equal(m.stats.frames, 6);
    assert.equal(m.process('c')?.status, 'running');
    assert.equal(m.stats.oomKills, 0);
  });

  it('a vfork child is no candidate; when its parent is chosen, both die', () => {
    // memory 1: p maps, vforks v; v writes h[0] (1 frame, full) then h[1]: candidates are p only
    // (v is in vfork): p 1 + 1 = 2 points. p is killed, and v with it (it uses p's memory).
    const { machine: m } = run(
      [
        { op: 'spawn', process: 'p' },
        { op: 'map', process: 'p', region: 'h', pages: 2, kind: 'private' },
        { op: 'vfork', process: 'p', child: 'v' },
        { op: 'write', process: 'v', region: 'h', first: 0, last: 0 },
      ],
      'cow',
      machine(1),
    );
    const out = apply(m, { op: 'write', process: 'v', region: 'h', first: 1, last: 1 });
    assert.ok(out.ok);
    assert.deepEqual(out.machine.oomKills()[0]?.candidates.map((c) => c.process), ['p']);
    assert.equal(out.machine.process('p')?.status, 'exited');
    assert.equal(out.machine.process('v')?.status, 'exited');
    assert.equal(out.machine.stats.frames, 0);
  });

  it('copy-on-write fork fails with ENOMEM only when a pinned page must be copied and no frame is free', () => {
    // memory 1: p writes h[0] (the one frame) and pins it; fork must give the child its own copy
    // of a pinned page (copy_present_page, 5.9 on): 1 frame needed, 0 free → ENOMEM, no child.
    const ops: Operation[] = [
      { op: 'spawn', process: 'p' },
      { op: 'map', process: 'p', region: 'h', pages: 2, kind: 'private' },
      { op: 'write', process: 'p', region: 'h', first: 0, last: 0 },
      { op: 'pin', process: 'p', region: 'h', first: 0, last: 0 },
    ];
    const { machine: m } = run(ops, 'cow', machine(1));
    const out = apply(m, { op: 'fork', process: 'p', child: 'c' });
    assert.ok(out.ok);
    assert.equal(out.machine.process('c'), undefined);
    assert.equal(out.machine.stats.failedForks, 1);
    assert.match(out.explanation, /copy_present_page must copy its 1 pinned page for c/);
    // With a second frame the fork copies the pinned page: 2 frames.
    assert.equal(run([...ops, { op: 'fork', process: 'p', child: 'c' }], 'cow', machine(2)).machine.stats.frames, 2);
  });

  it('without the header nothing changes: no limit, no kills', () => {
    const { machine: m } = run([...SIX_THEN_FORK, { op: 'write', process: 'c', region: 'heap', first: 2, last: 5 }]);
    assert.equal(m.stats.frames, 12);
    assert.equal(m.stats.oomKills, 0);
    assert.equal(m.memory, undefined);
  });
});

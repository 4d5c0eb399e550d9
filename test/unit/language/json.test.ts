// The `--json` contract of issue 3, field by field: exact keys in the documented order, the
// documented types, "end" last, exited processes absent, a vfork child showing what it borrows.
// The full expected object below is worked by hand.
import * as assert from 'node:assert/strict';
import { runScenario, runToJson, type RunJson } from '../../../src/language';
import { contractProblems } from './contract';

function json(source: string): RunJson {
  const outcome = runScenario(source);
  assert.ok(outcome.ok);
  // Through a string and back, as a consumer of `cow-lab run --json` sees it.
  return JSON.parse(JSON.stringify(runToJson(outcome.run))) as RunJson;
}

const SCENARIO = `process a
a: map h 3 private
a: write h[0] "x"
a: read h[1]
a: fork b
checkpoint "forked"
b: exit
a: vfork v
expect v h[0] shared with a
expect copies == 1
`;

describe('--json: the contract', () => {
  const j = json(SCENARIO);

  it('has exactly the documented fields and types', () => {
    assert.deepEqual(contractProblems(j), []);
  });

  it('matches the object worked by hand', () => {
    // a writes h[0]: frame 1. a reads h[1]: the zero page. h[2] is never touched: null.
    // fork: b's entries copy a's; h[0] is write-protected in both (writable false).
    // Frame 1 is mapped by a and b: refcount 2, mapcount 2. The zero page counts nothing (0, 0).
    // At the end b has exited; v borrows a's entries, so frame 1 is mapped once: 1, 1.
    const h = [
      { frame: 1, writable: false, refcount: 2, mapcount: 2 },
      { frame: 'zero', writable: false, refcount: 0, mapcount: 0 },
      { frame: null, writable: false },
    ];
    const hEnd = [{ frame: 1, writable: false, refcount: 1, mapcount: 1 }, h[1], h[2]];
    // No volume: "volumes" is empty and the storage counters are 0.
    const stats = { frames: 1, copies: 0, reuses: 0, faults: 2, blocks: 0, blocksCopied: 0 };
    assert.deepEqual(j, {
      checkpoints: [
        // Frame 1 is mapped by a and b: RSS 1 each, PSS 1/2, USS 0 (the zero page is not resident).
        { name: 'forked', line: 6, processes: { a: { h }, b: { h } }, volumes: {}, stats, pipes: {}, memory: { a: { rss: 1, pss: 0.5, uss: 0 }, b: { rss: 1, pss: 0.5, uss: 0 } } },
        // b exited: absent. v is a vfork child: it shows a's regions, which it borrows — and a's figures.
        { name: 'end', line: 10, processes: { a: { h: hEnd }, v: { h: hEnd } }, volumes: {}, stats, pipes: {}, memory: { a: { rss: 1, pss: 1, uss: 1 }, v: { rss: 1, pss: 1, uss: 1 } } },
      ],
      expectations: [
        { line: 9, passed: true, message: j.expectations[0]?.message },
        { line: 10, passed: false, message: 'expected copies == 1, but copies is 0' },
      ],
    });
  });

  it('keeps the key order of the issue in the serialised text', () => {
    const outcome = runScenario(SCENARIO);
    assert.ok(outcome.ok);
    const text = JSON.stringify(runToJson(outcome.run));
    assert.ok(text.startsWith('{"checkpoints":[{"name":"forked","line":6,"processes":{"a":{"h":[{"frame":1,"writable":false,"refcount":2,"mapcount":2}'));
    assert.ok(text.includes('"volumes":{},"stats":{"frames":1,"copies":0,"reuses":0,"faults":2,"blocks":0,"blocksCopied":0},"pipes":{},"memory":{"a":{"rss":1,"pss":0.5,"uss":0},"b":{"rss":1,"pss":0.5,"uss":0}}}'));
    assert.ok(text.endsWith('{"line":10,"passed":false,"message":"expected copies == 1, but copies is 0"}]}'));
  });

  it('shows a process after exec with no regions, and a writable fresh frame', () => {
    const r = json('process a\na: map h 1\na: write h[0]\na: fork b\nb: exec\nb: map m 1\nb: write m[0]');
    const end = r.checkpoints[r.checkpoints.length - 1]!;
    assert.deepEqual(end.processes.b, { m: [{ frame: 2, writable: true, refcount: 1, mapcount: 1 }] });
    assert.deepEqual(end.processes.a, { h: [{ frame: 1, writable: false, refcount: 1, mapcount: 1 }] });
  });

  it('counts eager fork-time copies in "copies"', () => {
    const r = json('mode eager\nprocess a\na: map h 2\na: write h[0..1]\na: fork b');
    const end = r.checkpoints[0]!;
    assert.deepEqual(end.stats, { frames: 4, copies: 2, reuses: 0, faults: 2, blocks: 0, blocksCopied: 0 });
    // Different frame numbers: eager gave b its own frames, writable at once.
    assert.deepEqual(end.processes.b?.h, [
      { frame: 3, writable: true, refcount: 1, mapcount: 1 },
      { frame: 4, writable: true, refcount: 1, mapcount: 1 },
    ]);
  });

  it('lists volumes and containers (merged view) block by block, worked by hand', () => {
    // xfs volume disk: a (2 blocks) → blocks 1, 2. reflink a b → b shares 1, 2. write b[1]
    // → b[1] was shared: a new block 3. Container web over disk with its upper on disk: its
    // merged view shows the lower files' blocks until a file is copied up. web writes a[0]:
    // copy-up clones a (blocks 1, 2), then block 1 is shared three ways → new block 4.
    const r = json('volume disk xfs\ndisk: create a 2\ndisk: reflink a b\ndisk: write b[1]\ncheckpoint "before"\ncontainer web disk disk\nweb: write a[0]');
    assert.deepEqual(contractProblems(r), []);
    const [before, end] = r.checkpoints;
    assert.deepEqual(before?.volumes, { disk: { a: [{ block: 1 }, { block: 2 }], b: [{ block: 1 }, { block: 3 }] } });
    assert.deepEqual(before?.stats, { frames: 0, copies: 0, reuses: 0, faults: 0, blocks: 3, blocksCopied: 0 });
    assert.deepEqual(end?.volumes, {
      disk: { a: [{ block: 1 }, { block: 2 }], b: [{ block: 1 }, { block: 3 }] },
      web: { a: [{ block: 4 }, { block: 2 }], b: [{ block: 1 }, { block: 3 }] },
    });
    assert.deepEqual(end?.stats.blocks, 4);
    const text = JSON.stringify(r);
    assert.ok(text.includes('"processes":{},"volumes":{"disk":{"a":[{"block":1},{"block":2}]'));
  });

  it('treats process names like __proto__ as plain keys', () => {
    const r = json('process __proto__\n__proto__: map constructor 1');
    assert.deepEqual(Object.keys(r.checkpoints[0]!.processes), ['__proto__']);
    assert.deepEqual(contractProblems(r), []);
  });

  it('lists expectations in order, questions as passed', () => {
    const r = json('process a\nexpect frames == ?\nexpect a running');
    assert.deepEqual(r.expectations.map((e) => [e.line, e.passed]), [[2, true], [3, true]]);
    assert.match(r.expectations[0]?.message ?? '', /^question: /);
  });
});

describe('--json: references and pipes', () => {
  it('gives each page its refcount and mapcount, and each checkpoint what the pipes read', () => {
    // p writes h[0] "old" (frame 1) and forks c; c splices h[0] into pipe `out` and exits.
    // Frame 1: mapped once (p), held by the pipe: refcount 2, mapcount 1. Then p writes "new":
    // the reference count is 2, so p gets a copy (frame 2, refcount 1); the pipe still reads "old".
    const r = json('process p\np: map h 1\np: write h[0] "old"\np: fork c\nc: vmsplice h[0] out\nc: exit\ncheckpoint "spliced"\np: write h[0] "new"');
    assert.deepEqual(contractProblems(r), []);
    const [spliced, end] = r.checkpoints;
    assert.deepEqual(spliced?.processes.p, { h: [{ frame: 1, writable: false, refcount: 2, mapcount: 1 }] });
    assert.deepEqual(spliced?.pipes, { out: ['old'] });
    assert.deepEqual(end?.processes.p, { h: [{ frame: 2, writable: true, refcount: 1, mapcount: 1 }] });
    assert.deepEqual(end?.pipes, { out: ['old'] });
    // The pipe's reference is no mapping: p alone maps frame 1, so it is p's private page (USS 1).
    assert.deepEqual(spliced?.memory, { p: { rss: 1, pss: 1, uss: 1 } });
  });
});

describe('--json: memory (issue 17)', () => {
  it('gives PSS exactly when it ends, rounded to 6 places when it does not', () => {
    // a writes 1 page, forks b and c: frame 1 mapped 3 times: PSS 1/3 = 0.333333 each.
    // Then c writes: c gets frame 2 (PSS 1); a and b share frame 1: 1/2 each.
    const r = json('process a\na: map h 1\na: write h[0]\na: fork b\na: fork c\ncheckpoint "three"\nc: write h[0] "c"');
    assert.deepEqual(r.checkpoints[0]?.memory, { a: { rss: 1, pss: 0.333333, uss: 0 }, b: { rss: 1, pss: 0.333333, uss: 0 }, c: { rss: 1, pss: 0.333333, uss: 0 } });
    assert.deepEqual(r.checkpoints[1]?.memory, { a: { rss: 1, pss: 0.5, uss: 0 }, b: { rss: 1, pss: 0.5, uss: 0 }, c: { rss: 1, pss: 1, uss: 1 } });
  });
});

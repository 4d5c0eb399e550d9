// The `cow` debug adapter through the Debug Adapter Protocol (@vscode/debugadapter-testsupport).
// Expected values are worked by hand from the scenario below (the model of do_wp_page the
// samples document): after the fork, heap[1] is one frame mapped by two write-protected
// entries; the child's write copies it (copies 0 → 1, frames 4 → 5) and the child's entry
// becomes private and writable; the parent keeps the original frame.
import * as assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { children, launch, scope, startAdapter, stopAfter, where, type Harness } from './client';

const PROGRAM = '/work/write-fault.cow';
const SCENARIO = [
  'process parent', //                          1
  'parent: map heap 4 private', //              2
  'parent: write heap[0..3] "original"', //     3
  'parent: fork child', //                      4
  '# the child writes one page', //             5 (a comment: breakpoints move to line 6)
  'child: write heap[1] "mine"', //             6
  'expect copies == 1', //                      7
  'expect copies == 2', //                      8 (fails: copies is 1)
  'child: exit', //                             9
  'parent: write heap[2] "again"', //           10
].join('\n');

// Thread ids are pid + 1: parent is pid 1, child pid 2; thread 1 stands for "no process yet".
const PARENT = 2;
const CHILD = 3;

describe('debug adapter (DAP)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startAdapter({ [PROGRAM]: SCENARIO, '/work/broken.cow': 'process p\np: frobnicate heap\n', '/work/big.cow': 'process p\np: map big 1048576 private\np: write big[1048575] "last"\nexpect frames == 1\n' });
  });
  afterEach(async () => h.close());

  it('announces step back, conditions, hit counts, logpoints and the failed-expect filter', async () => {
    const init = await h.dc.initializeRequest({ adapterID: 'cow', pathFormat: 'path' });
    const caps = init.body as DebugProtocol.Capabilities;
    assert.equal(caps.supportsStepBack, true);
    assert.equal(caps.supportsConditionalBreakpoints, true);
    assert.equal(caps.supportsHitConditionalBreakpoints, true);
    assert.equal(caps.supportsLogPoints, true);
    assert.deepEqual(caps.exceptionBreakpointFilters?.map((f) => f.filter), ['failedExpect']);
  });

  it('stops on entry at the first statement, with one placeholder thread', async () => {
    const stop = await launch(h.dc, { program: PROGRAM, stopOnEntry: true });
    assert.equal(stop.body.reason, 'entry');
    const threads = (await h.dc.threadsRequest()).body.threads;
    assert.deepEqual(threads.map((t) => t.id), [1]);
    assert.equal((await where(h.dc, 1)).line, 1);
  });

  it('verifies a breakpoint on a comment onto the next statement, stops there, lists processes as threads', async () => {
    let verified: DebugProtocol.Breakpoint[] = [];
    const stop = await launch(h.dc, { program: PROGRAM }, async () => {
      verified = (await h.dc.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [{ line: 5 }] })).body.breakpoints;
    });
    assert.equal(verified[0]?.verified, true);
    assert.equal(verified[0]?.line, 6);
    assert.equal(stop.body.reason, 'breakpoint');
    assert.equal(stop.body.threadId, CHILD, 'the child runs the next statement');
    const threads = (await h.dc.threadsRequest()).body.threads;
    assert.deepEqual(threads.map((t) => t.id).sort(), [PARENT, CHILD]);
    const top = await where(h.dc, CHILD);
    assert.equal(top.line, 6);
    assert.match(top.name, /child: write heap\[1\] "mine"/);
    // Below the top frame: the fork that created the child (line 4), then the parent's creation (line 1).
    const trace = (await h.dc.stackTraceRequest({ threadId: CHILD })).body.stackFrames.map((f) => f.line);
    assert.deepEqual(trace, [6, 4, 1]);
  });

  it('shows regions → pages with frame, flags, map count and value in Variables', async () => {
    await launch(h.dc, { program: PROGRAM }, () => h.dc.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [{ line: 6 }] }));
    const top = await where(h.dc, PARENT);
    const process = await scope(h.dc, top.frameId, 'Process parent');
    const heap = process.find((v) => v.name === 'heap') as DebugProtocol.Variable;
    assert.equal(heap.indexedVariables, 4);
    const pages = await children(h.dc, heap, 0, 4);
    assert.equal(pages.length, 4);
    // After the fork every page is mapped twice and write-protected (copy-on-write).
    for (const p of pages) assert.match(p.value, /mapped 2× · read-only, copy-on-write · "original"/);
    const details = await children(h.dc, pages[1] as DebugProtocol.Variable);
    const byName = Object.fromEntries(details.map((d) => [d.name, d.value]));
    assert.equal(byName.mapCount, '2');
    assert.match(byName.cow as string, /^true/);
    assert.match(byName.writable as string, /^false/);
    const frames = await scope(h.dc, top.frameId, 'Frames');
    assert.equal(frames.length, 4, 'four frames before the child writes');
    const stats = await scope(h.dc, top.frameId, 'Statistics');
    assert.deepEqual(stats.map((s) => s.name), ['cow (this scenario)', 'eager (same operations)']);
    // The eager machine copied all four resident pages at fork: 8 frames, 4 copies.
    assert.match(stats[1]?.value ?? '', /frames 8 · copies 4/);
    assert.match(stats[0]?.value ?? '', /frames 4 · copies 0/);
  });

  it('steps over one statement, steps back to the previous one, and the state follows', async () => {
    await launch(h.dc, { program: PROGRAM }, () => h.dc.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [{ line: 6 }] }));
    const after = await stopAfter(h.dc, () => h.dc.nextRequest({ threadId: CHILD }));
    assert.equal(after.body.reason, 'step');
    assert.equal((await where(h.dc, CHILD)).line, 7);
    assert.equal((await h.dc.evaluateRequest({ expression: 'copies', context: 'watch' })).body.result, '1');
    const back = await stopAfter(h.dc, () => h.dc.stepBackRequest({ threadId: CHILD }));
    assert.equal(back.body.reason, 'step');
    assert.equal((await where(h.dc, CHILD)).line, 6);
    assert.equal((await h.dc.evaluateRequest({ expression: 'copies', context: 'watch' })).body.result, '0');
    // Line 6 is the 5th of 9 statements (lines 1-4, 6-10). The session is before it; the panel
    // beside it draws that same step with its effect, and the Step scope says which is which.
    const step = new Map((await scope(h.dc, (await where(h.dc, CHILD)).frameId, 'Step')).map((v) => [v.name, v.value]));
    assert.equal(step.get('position'), 'before step 5 of 9');
    assert.equal(step.get('next'), 'child: write heap[1] "mine"');
    assert.match(step.get('panel') ?? '', /^shows step 5: the tables after the next statement runs/);
    const back2 = await stopAfter(h.dc, () => h.dc.stepBackRequest({ threadId: CHILD }));
    assert.equal(back2.body.reason, 'step');
    // Before the fork ran there is no child thread any more.
    const threads = (await h.dc.threadsRequest()).body.threads.map((t) => t.id);
    assert.deepEqual(threads, [PARENT]);
    assert.equal((await where(h.dc, PARENT)).line, 4);
  });

  it('evaluates expect claims, counters, pages and the other policy in Watch and the console', async () => {
    await launch(h.dc, { program: PROGRAM }, () => h.dc.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [{ line: 7 }] }));
    const ev = async (expression: string): Promise<string> => (await h.dc.evaluateRequest({ expression, context: 'repl' })).body.result;
    assert.match(await ev('child heap[1] shared with parent'), /^false/);
    assert.match(await ev('child heap[0] shared with parent'), /^true/);
    assert.match(await ev('expect child heap[1] private'), /^true/);
    assert.equal(await ev('frames'), '5');
    assert.equal(await ev('eager.copies'), '4');
    assert.match(await ev('child heap[1]'), /mapped by 1 entry, writable.*"mine"/);
    assert.match(await ev('child'), /running, pid 2, child of parent/);
    assert.match(await ev('child heap[1] sharde with parent'), /^<unknown page claim 'sharde'/);
  });

  it('a conditional breakpoint stops only where its expect claim holds', async () => {
    // `copies > 0` is false on line 6 (before the write) and true on line 7.
    const stop = await launch(h.dc, { program: PROGRAM }, () =>
      h.dc.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [{ line: 6, condition: 'copies > 0' }, { line: 7, condition: 'copies > 0' }] }),
    );
    assert.equal(stop.body.reason, 'breakpoint');
    assert.equal((await where(h.dc, CHILD)).line, 7);
  });

  it('rejects a condition that is not a claim, with the parser\'s message', async () => {
    let bps: DebugProtocol.Breakpoint[] = [];
    await launch(h.dc, { program: PROGRAM, stopOnEntry: true }, async () => {
      bps = (await h.dc.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [{ line: 6, condition: 'copies >' }, { line: 7, condition: 'copies' }] })).body.breakpoints;
    });
    assert.equal(bps[0]?.verified, false);
    assert.match(bps[0]?.message ?? '', /condition: /);
    assert.equal(bps[1]?.verified, false);
    assert.match(bps[1]?.message ?? '', /is a value/);
  });

  it('a claim as a function breakpoint stops at the first step where it becomes true', async () => {
    const stop = await launch(h.dc, { program: PROGRAM }, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'child heap[1] private' }] }));
    assert.equal(stop.body.reason, 'function breakpoint');
    // It holds once the child's write (line 6) ran: the session stands before line 7.
    assert.equal((await where(h.dc, CHILD)).line, 7);
  });

  it('hit counts: a process breakpoint with hit count 3 stops at that process\'s third statement', async () => {
    const stop = await launch(h.dc, { program: PROGRAM }, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'parent', hitCondition: '3' }] }));
    assert.equal(stop.body.reason, 'function breakpoint');
    // parent's statements: line 1 (`process parent`, 1st), line 2 (map, 2nd), line 3 (write, 3rd).
    assert.equal((await where(h.dc, PARENT)).line, 3);
    // `% 2` on the child: its statements are lines 6, 9 (and `fork` is the parent's): every second one is line 9.
    await h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'child', hitCondition: '%2' }] });
    await h.dc.setExceptionBreakpointsRequest({ filters: [] });
    await stopAfter(h.dc, () => h.dc.continueRequest({ threadId: PARENT }));
    assert.equal((await where(h.dc, CHILD)).line, 9);
  });

  it('a logpoint prints its message and the step\'s explanation without stopping', async () => {
    const stop = await launch(h.dc, { program: PROGRAM }, () =>
      h.dc.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [{ line: 6, logMessage: 'copies={copies}' }, { line: 9 }] }),
    );
    // The failed expect on line 8 stops first (the exception filter is on by default).
    assert.equal(stop.body.reason, 'exception');
    assert.equal((await where(h.dc, CHILD)).line, 8);
    assert.match(stop.body.text ?? '', /expected copies == 2, but copies is 1/);
    const logged = h.output.find((o) => o.startsWith('copies=0'));
    assert.ok(logged, `output was: ${h.output.join('|')}`);
    assert.match(logged, /copies=0 — .*cop/i);
    const next = await stopAfter(h.dc, () => h.dc.continueRequest({ threadId: CHILD }));
    assert.equal(next.body.reason, 'breakpoint');
    assert.equal((await where(h.dc, CHILD)).line, 9);
  });

  it('with the failed-expect filter off, runs to the end and stops there', async () => {
    const stop = await launch(h.dc, { program: PROGRAM }, () => h.dc.setExceptionBreakpointsRequest({ filters: [] }));
    assert.equal(stop.body.reason, 'end');
    assert.equal((await where(h.dc, PARENT)).line, 10);
    assert.equal((await h.dc.threadsRequest()).body.threads.length, 1, 'the child exited: one thread left');
    const terminated = h.dc.waitForEvent('terminated');
    await h.dc.continueRequest({ threadId: PARENT });
    await terminated;
  });

  it('reverse continue goes back to the last breakpoint, then to the start', async () => {
    await launch(h.dc, { program: PROGRAM }, async () => {
      await h.dc.setExceptionBreakpointsRequest({ filters: [] });
      await h.dc.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [{ line: 3 }, { line: 9 }] });
    });
    await stopAfter(h.dc, () => h.dc.continueRequest({ threadId: PARENT }));
    assert.equal((await where(h.dc, CHILD)).line, 9);
    await stopAfter(h.dc, () => h.dc.continueRequest({ threadId: CHILD }));
    assert.equal((await where(h.dc, PARENT)).line, 10, 'at the end');
    const back = await stopAfter(h.dc, () => h.dc.reverseContinueRequest({ threadId: PARENT }));
    assert.equal(back.body.reason, 'breakpoint');
    assert.equal((await where(h.dc, CHILD)).line, 9);
    await stopAfter(h.dc, () => h.dc.reverseContinueRequest({ threadId: CHILD }));
    assert.equal((await where(h.dc, PARENT)).line, 3);
    const start = await stopAfter(h.dc, () => h.dc.reverseContinueRequest({ threadId: PARENT }));
    assert.equal(start.body.reason, 'entry');
    assert.equal((await where(h.dc, 1)).line, 1);
  });

  it('restart starts over at the first breakpoint; the panel\'s goTo moves the session', async () => {
    await launch(h.dc, { program: PROGRAM }, () => h.dc.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [{ line: 4 }] }));
    await stopAfter(h.dc, () => h.dc.nextRequest({ threadId: PARENT }));
    assert.equal((await where(h.dc, PARENT)).line, 5 + 1);
    const positions: unknown[] = [];
    h.dc.on('cowLab.position', (e: DebugProtocol.Event) => positions.push(e.body));
    const restarted = await stopAfter(h.dc, () => h.dc.customRequest('restart', {}));
    assert.equal(restarted.body.reason, 'breakpoint');
    assert.equal((await where(h.dc, PARENT)).line, 4);
    const moved = await stopAfter(h.dc, () => h.dc.customRequest('cowLab.goTo', { position: 5 }));
    assert.equal(moved.body.reason, 'goto');
    assert.equal((await where(h.dc, CHILD)).line, 7);
    assert.deepEqual(positions.at(-1), { program: PROGRAM, position: 5, stepCount: 9, line: 7 });
  });

  it('pages a million-page region: VS Code asks for a slice and gets exactly that slice', async () => {
    await launch(h.dc, { program: '/work/big.cow' }, () => h.dc.setBreakpointsRequest({ source: { path: '/work/big.cow' }, breakpoints: [{ line: 4 }] }));
    const top = await where(h.dc, 2);
    const big = (await scope(h.dc, top.frameId, 'Process p')).find((v) => v.name === 'big') as DebugProtocol.Variable;
    assert.equal(big.indexedVariables, 1_048_576);
    const last = await children(h.dc, big, 1_048_570, 6);
    assert.deepEqual(last.map((v) => v.name), ['[1048570]', '[1048571]', '[1048572]', '[1048573]', '[1048574]', '[1048575]']);
    assert.equal(last[0]?.value, 'not present');
    assert.match(last[5]?.value ?? '', /^frame \d+ · mapped 1× · writable · "last"$/);
  });

  it('refuses to launch a scenario with errors, naming the line', async () => {
    await h.dc.initializeRequest({ adapterID: 'cow', pathFormat: 'path' });
    await assert.rejects(h.dc.launchRequest({ program: '/work/broken.cow' } as DebugProtocol.LaunchRequestArguments), /line 2: .*frobnicate/);
    await assert.rejects(h.dc.launchRequest({ program: '/work/missing.cow' } as DebugProtocol.LaunchRequestArguments), /could not read \/work\/missing.cow/);
  });
});

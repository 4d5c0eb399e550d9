// `cow-lab cost`: a scenario's estimated time under both policies with a measured model file,
// worked by hand, and its refusals.
import * as assert from 'node:assert/strict';
import { MemoryIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';

// The hand-worked measurement of test/unit/engine/cost.test.ts: it gives the model
// trap 1500, zeroed page 500, copy in a fault 1000, fork 100,000, entry 388.671875,
// table page 500, unmap 250, bulk copy 1000 (ns). (Its extra figures are part of the file.)
const MODEL = { mib: 1, pageSize: 4096, forkMs: 0.2, cowFaultUs: 2.5, anonFaultUs: 2, copyGBs: 8.192, fullCopyMs: 0.256, curve: [{ fraction: 0, cowMs: 1, eagerMs: 2 }], crossover: null, forkBaseMs: 0.1, unmapUs: 0.25 };

const SCENARIO = 'process a\na: map h 4 private\na: write h[0..3]\na: fork b\nb: write h[0]\nb: exit\n';

async function cli(files: Record<string, string>, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = new MemoryIo(files);
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('cow-lab cost', () => {
  it('prices every step under both policies (hand-worked)', async () => {
    const { code, out, err } = await cli({ 's.cow': SCENARIO, 'm.json': JSON.stringify(MODEL) }, 'cost', 's.cow', '--model', 'm.json', '--json');
    assert.equal(code, 0, err);
    const r = JSON.parse(out) as { cow: Record<string, number>; eager: Record<string, number>; steps: { line: number; cowNs: number; eagerNs: number; cowPays: string }[]; model: { source: string } };
    // copy-on-write: write h[0..3] 4 × (1500 + 500) = 8000; fork 100,000 + 4 × 388.671875 + 1 × 500
    // = 102,054.6875; b's write copies: 1500 + 1000 = 2500; b exits: 4 entries × 250 = 1000.
    assert.deepEqual(r.cow, { totalNs: 113_554.6875, forkNs: 102_054.6875, faultNs: 10_500, faults: 5, unmapNs: 1000 });
    // full copy: the same, but fork also copies 4 pages in bulk (4 × 1000) and b's write is free.
    assert.deepEqual(r.eager, { totalNs: 115_054.6875, forkNs: 106_054.6875, faultNs: 8000, faults: 4, unmapNs: 1000 });
    assert.deepEqual(r.steps.map((s) => [s.line, s.cowNs, s.eagerNs]), [
      [1, 0, 0],
      [2, 0, 0],
      [3, 8000, 8000],
      [4, 102_054.6875, 106_054.6875],
      [5, 2500, 0],
      [6, 1000, 1000],
    ]);
    assert.match(r.steps[4]?.cowPays ?? '', /^b pays 2\.50 µs now: 1 page fault, 1 of them copying a page\.$/);
    assert.match(r.model.source, /measured: m\.json/);
  });

  it('prints the time rows as text with the default model', async () => {
    const { code, out } = await cli({ 's.cow': SCENARIO }, 'cost', 's.cow');
    assert.equal(code, 0);
    assert.match(out, /^ {2}copy-on-write [\d.]+ ms at fork \+ 5 faults [\d.]+ ms \+ unmapping [\d.]+ (ms|µs) ≈ [\d.]+ ms$/m);
    assert.match(out, /^ {2}full copy [\d.]+ ms at fork \+ 4 faults/m);
    assert.match(out, /CoW Lab's defaults/);
  });

  it('refuses a model that is not a measurement, a broken scenario and a missing file', async () => {
    assert.equal((await cli({ 's.cow': SCENARIO, 'm.json': '{"mib": 1}' }, 'cost', 's.cow', '--model', 'm.json')).code, 65);
    assert.equal((await cli({ 's.cow': SCENARIO, 'm.json': 'not json' }, 'cost', 's.cow', '--model', 'm.json')).code, 65);
    const broken = await cli({ 's.cow': 'process a\na: wrte h[0]\n' }, 'cost', 's.cow');
    assert.equal(broken.code, 2);
    assert.match(broken.err, /^s\.cow:2:4: error:/m); // the line as written, not shifted by a `mode` line
    assert.equal((await cli({}, 'cost', 'nope.cow')).code, 66);
    assert.equal((await cli({}, 'cost')).code, 64);
  });
});

// The panel's fast page-table scan reads engine internals; here it is compared, page by page
// and frame by frame, with the engine's public views (Machine.pte, Machine.frame) after every
// step of every sample, the kernel-conformance corpus and seeded random scenarios. If the
// engine's layout changes, this fails instead of the panel drawing a wrong table.
//
// What it costs: the public reading asks Machine.pte once per page. A state is read once (a note
// or an expect line leaves the machine as it was: the same version), and the 1 GiB database
// sample is read as its twin at 1/16 of the size (SCALED below): the same statements over the
// same table shapes, where the full sample alone cost 20 million page look-ups, 80% of the test.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Machine } from '../../../src/engine';
import * as fc from 'fast-check';
import { setIndexPageBits } from '../../../src/engine/memoryIndex';
import { opSeeds } from '../engine/scenario-gen';
import { wideVersionsFromSeeds } from '../engine/wide-gen';
import { scanRegion, scanRegionFast, scanRegionPublic } from '../../../src/panel/fastScan';
import { machineAfter, comparisonAfter, runForPanel } from '../../../src/panel/scenarioRun';
import { ownersOf, tableOwners } from '../../../src/panel/tables';
import { generateScenario } from '../../conformance/generate';

const root = join(__dirname, '..', '..', '..');

/**
 * samples/24-database-snapshot-1gib.cow at 1/16 of the size. The engine's page tables are leaves
 * of 64 entries in chunks of 4,096 pages (ptable.ts); the sample's region is 64 chunks, and its
 * writes (1%, to 30%, to 90%) start and end inside leaves and cross chunk boundaries. Here the
 * region is 4 chunks (16,384 pages) and the writes again start and end inside leaves (163|164,
 * 4,914|4,915, 14,745) and cross chunk boundaries (4,096, 8,192, 12,288), after the same whole-region
 * write and fork, before the same exit.
 */
const SCALED: Readonly<Record<string, string>> = {
  '24-database-snapshot-1gib.cow': [
    'process db',
    'db: map data 64 MiB private',
    'db: write data "row"',
    'db: fork snapshot',
    'db: write data[0..163] "v2"',
    'db: write data[164..4914] "v2"',
    'db: write data[4915..14745] "v2"',
    'snapshot: exit',
    '',
  ].join('\n'),
};

function scenarios(): { name: string; source: string }[] {
  const out: { name: string; source: string }[] = [];
  for (const dir of ['samples', join('test', 'conformance', 'corpus')]) {
    for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith('.cow')).sort()) {
      const scaled = dir === 'samples' ? SCALED[file] : undefined;
      out.push({ name: `${dir}/${file}${scaled !== undefined ? ' (1/16 size)' : ''}`, source: scaled ?? readFileSync(join(root, dir, file), 'utf8') });
    }
  }
  for (let seed = 1; seed <= 150; seed++) out.push({ name: `generated seed ${seed}`, source: generateScenario(seed) });
  return out;
}

/** Every difference between the fast and the public reading of one machine, as sentences. */
function differences(m: Machine): string[] {
  const found: string[] = [];
  for (const process of tableOwners(m)) {
    for (const r of m.regions(process)) {
      const fast = scanRegionFast(m, process, r.name);
      const reference = scanRegionPublic(m, process, r.name, r.pages);
      if (JSON.stringify(fast) !== JSON.stringify(reference)) found.push(`${process} ${r.name}: fast ${JSON.stringify(fast)} public ${JSON.stringify(reference)}`);
      if (scanRegion(m, process, r.name)?.fellBack !== false) found.push(`${process} ${r.name}: the self-check fell back`);
    }
  }
  for (const f of m.frames()) {
    const contents = m.frameContents(f.frame);
    if (contents?.value !== f.value || contents.shmem !== f.shmem) found.push(`frame ${f.frame}: ${JSON.stringify(contents)} vs ${JSON.stringify(f)}`);
    const owners = ownersOf(m, f.frame);
    if (owners.length !== f.mapCount) found.push(`frame ${f.frame}: owners ${owners.join(',')} but map count ${f.mapCount}`);
  }
  return found;
}

describe('panel: the fast page-table scan agrees with Machine.pte() and Machine.frame()', () => {
  it('after every step of every sample, corpus scenario and 150 generated ones, on both machines', function () {
    this.timeout(120_000);
    let machines = 0;
    let runnable = 0;
    const all = scenarios();
    // A sample renamed away from its twin would be read at full size again: say so instead.
    for (const file of Object.keys(SCALED)) assert.ok(all.some((c) => c.name === `samples/${file} (1/16 size)`), `no sample ${file} for its 1/16 twin`);
    for (const { name, source } of all) {
      const attempt = runForPanel(source, name, 1);
      if (!attempt.ok) continue;
      runnable += 1;
      const { run } = attempt;
      // A step that changes nothing (note, expect, checkpoint) shows the same version: read it once.
      const read = new Set<unknown>();
      for (let position = 0; position < run.steps.length; position++) {
        for (const m of [machineAfter(run, position), comparisonAfter(run, position)]) {
          if (read.has(m.data)) continue;
          read.add(m.data);
          machines += 1;
          const found = differences(m);
          assert.deepEqual(found, [], `${name}, step ${position + 1} (${m.policy}): ${found.slice(0, 3).join('\n')}`);
        }
      }
    }
    assert.ok(runnable > 150, `only ${runnable} scenarios ran`);
    assert.ok(machines > 5_000, `only ${machines} machine states compared`);
  });

  it('steps that write, fork and drop whole last-level tables, with the memory index in pages of 8 frames (the scan asks it which frames one entry alone maps)', () => {
    setIndexPageBits(3);
    try {
      fc.assert(
        fc.property(opSeeds(20), fc.array(fc.nat(1000), { minLength: 1, maxLength: 20 }), (seeds, order) => {
          const versions = wideVersionsFromSeeds(seeds);
          for (const i of order) {
            const m = versions[i % versions.length];
            if (!m) return;
            const found = differences(m);
            assert.deepEqual(found, [], found.slice(0, 3).join('\n'));
          }
        }),
        { numRuns: 200, seed: 1515 },
      );
    } finally {
      setIndexPageBits(12);
    }
  });

  it('reads a million-page region that was only mapped without a look-up per page', () => {
    const attempt = runForPanel('process p\np: map heap 1000000 private\np: write heap[10..12] "x"\np: read heap[500000]\n', 'big.cow', 1);
    assert.ok(attempt.ok);
    const m = machineAfter(attempt.run, 3);
    let calls = 0;
    const counting = new Proxy(m, { get: (t, k, r) => (k === 'pte' ? (...a: [string, string, number]) => { calls += 1; return t.pte(...a); } : Reflect.get(t, k, r)) });
    const scan = scanRegion(counting, 'p', 'heap');
    assert.deepEqual(scan?.runs.map((x) => [x.first, x.last, x.frame]), [[0, 9, null], [10, 12, 1], [13, 499_999, null], [500_000, 500_000, 'zero'], [500_001, 999_999, null]]);
    assert.equal(scan?.fellBack, false);
    // The self-check reads the first and last page of each run: 2 per run, nothing per page.
    assert.equal(calls, 10);
  });
});

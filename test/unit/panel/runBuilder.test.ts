// The panel's RunBuilder (src/panel/fastScan.ts) is fed by Machine.scanEntries, which reports
// consecutive frames within one last-level table as one call (page first + k maps frame + k).
// The runs must be exactly those a page-by-page feed makes: the expected value here is the
// builder fed one page at a time, the way scanRegionPublic feeds it from Machine.pte().
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { FrameRef } from '../../../src/protocol/messages';
import { RunBuilder } from '../../../src/panel/fastScan';

type Flags = Parameters<RunBuilder['add']>[3];

const base = { present: true, writable: true, cow: false, shared: false, exclusive: true, anonExclusive: true, hole: false };
/** A few ways an entry reads, PMD-mapped ones among them (their rows end where each 512 pages begin). */
const PALETTE: readonly Flags[] = [base, { ...base, exclusive: false }, { ...base, writable: false, cow: true, anonExclusive: false }, { ...base, pmd: true }, { ...base, exclusive: false, pmd: true }];
const ABSENT: Flags = { ...base, present: false, writable: false, exclusive: false, anonExclusive: false };

interface Page {
  readonly frame: FrameRef;
  readonly flags: Flags;
}

/** A page's entry from the previous one: mostly the next frame (ascending), sometimes descending, a jump, the zero page or nothing. */
const step = fc.record({ how: fc.constantFrom('next', 'next', 'next', 'previous', 'jump', 'zero', 'none'), jump: fc.integer({ min: 1, max: 5000 }), flags: fc.integer({ min: 0, max: PALETTE.length - 1 }), keepFlags: fc.boolean() });

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function pagesOf(steps: readonly Step[]): Page[] {
  const out: Page[] = [];
  let frame = 100;
  let flags = PALETTE[0] as Flags;
  for (const s of steps) {
    if (!s.keepFlags) flags = PALETTE[s.flags] as Flags;
    if (s.how === 'zero') out.push({ frame: 'zero', flags });
    else if (s.how === 'none') out.push({ frame: null, flags: ABSENT });
    else {
      frame = s.how === 'next' ? frame + 1 : s.how === 'previous' ? Math.max(1, frame - 1) : s.jump;
      out.push({ frame, flags });
    }
  }
  return out;
}

/** Page by page: the reference. */
function oneByOne(pages: readonly Page[]): unknown {
  const b = new RunBuilder();
  pages.forEach((p, i) => b.add(i, i, p.frame, p.flags));
  return b.finish();
}

/** As scanEntries reports them: stretches of consecutive frames (or of one non-numeric frame) that read alike, never across a 64-page table. */
function chunked(pages: readonly Page[]): unknown {
  const b = new RunBuilder();
  for (let i = 0; i < pages.length; ) {
    const p = pages[i] as Page;
    let k = i + 1;
    while (k < pages.length && k % 64 !== 0) {
      const q = pages[k] as Page;
      if (q.flags !== p.flags) break;
      if (typeof p.frame === 'number' ? q.frame !== p.frame + (k - i) : q.frame !== p.frame) break;
      k++;
    }
    b.add(i, k - 1, p.frame, p.flags);
    i = k;
  }
  return b.finish();
}

describe('panel: runs from stretches of consecutive frames are the page-by-page runs', () => {
  it('hand-worked: a descending run, then an ascending stretch whose first page continues it', () => {
    // Pages 0..2 map frames 5, 4, 3 (one descending run); pages 3..5 map 2, 3, 4 in one call.
    // Page by page, page 3 (frame 2) continues the descent; pages 4..5 (3, 4) start a new run.
    const b = new RunBuilder();
    b.add(0, 0, 5, base);
    b.add(1, 1, 4, base);
    b.add(2, 2, 3, base);
    b.add(3, 5, 2, base);
    assert.deepEqual(b.finish().map((r) => [r.first, r.last, r.frame, r.frameStep]), [[0, 3, 5, -1], [4, 5, 3, 1]]);
  });

  it('hand-worked: PMD-mapped stretches split where each 512 pages begin', () => {
    // Pages 448..511 and 512..575 map frames 1000.. consecutively through PMD entries: two rows.
    const pmd = { ...base, pmd: true };
    const b = new RunBuilder();
    b.add(448, 511, 1000, pmd);
    b.add(512, 575, 1064, pmd);
    assert.deepEqual(b.finish().map((r) => [r.first, r.last, r.frame, r.frameStep]), [[448, 511, 1000, 1], [512, 575, 1064, 1]]);
  });

  it('over random pages (up to 1,500: several 512-page edges)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 1500 }), (steps) => {
        const pages = pagesOf(steps);
        assert.deepEqual(chunked(pages), oneByOne(pages));
      }),
      { numRuns: 300, seed: 15 },
    );
  });
});

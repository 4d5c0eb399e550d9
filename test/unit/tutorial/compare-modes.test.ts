// The comparison table: the learner's scenario run as copy-on-write and as a full copy. Figures
// worked by hand for samples 11 (one write after fork) and 04 (a shell running ls).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../../../src/language';
import { compareModes, comparisonMarkdown, withMode } from '../../../src/tutorial';

const sample = (name: string): string => readFileSync(join(resolve(__dirname, '..', '..', '..'), 'samples', name), 'utf8');

describe('comparison of copy-on-write with a full copy', () => {
  it('runs 11-cow-mode both ways: 1 page copied against 16', () => {
    // cow: fork copies 16 entries and no page; the child's write copies 1; peak 17 frames.
    // eager: fork copies all 16 pages (32 frames); the child's write then needs no copy.
    const c = compareModes(sample('11-cow-mode.cow'));
    assert.ok(c.ok);
    assert.deepEqual(c.cow, { copiedAtFork: 0, ptesAtFork: 16, copies: 1, bytesCopied: 4096, framesAtEnd: 16, peakFrames: 17, faults: 17 });
    assert.deepEqual(c.eager, { copiedAtFork: 16, ptesAtFork: 16, copies: 16, bytesCopied: 65536, framesAtEnd: 16, peakFrames: 32, faults: 16 });
    const md = comparisonMarkdown('11-cow-mode.cow', c);
    assert.match(md, /^\| Cost at fork \(your scenario\) \| 0 pages \(0 bytes\) copied; 16 page-table entries \| 16 pages \(64 KiB\) copied \|$/m);
    assert.match(md, /Copy-on-write saved 60 KiB of copying here: 15 pages \(60 KiB\)/);
  });

  it('runs 04-shell-runs-ls both ways: the shell\'s 66 pages copied eagerly, 1 with copy-on-write', () => {
    const c = compareModes(sample('04-shell-runs-ls.cow'));
    assert.ok(c.ok);
    assert.equal(c.cow.copies, 1);
    assert.equal(c.eager.copiedAtFork, 66);
    assert.equal(c.eager.peakFrames, 132);
  });

  it('says so when a scenario never forks, and reports errors instead of figures', () => {
    const c = compareModes('process a\na: map h 2 private\na: write h[0]\n');
    assert.ok(c.ok);
    assert.match(comparisonMarkdown('x', c), /never forks/);
    assert.equal(compareModes('process a\na: write h[0]\n').ok, false);
  });

  it('sets the mode header in place, or adds it', () => {
    assert.equal(withMode('process a\n', 'eager'), 'mode eager\nprocess a\n');
    const replaced = withMode('# note\nmode eager\nprocess a\n', 'cow');
    assert.equal(replaced, '# note\nmode cow\nprocess a\n');
    assert.equal(analyze(replaced).policy, 'cow');
  });
});

// A kernel that maps no shared zero page (MachineRules.zeroPage = false): what the kernel check
// meets on guests booted without one, and what mm_forbids_zeropage() does in do_anonymous_page.
// Expected tables worked out by hand; frames are handed out lowest free first from 1.

import * as assert from 'node:assert/strict';
import { createMachine, LINUX_RULES } from '../../../src/engine';
import { fork, mapPrivate, read, run, spawn, table, write } from './helpers';

const NO_ZERO = createMachine('cow', { ...LINUX_RULES, zeroPage: false });

describe('kernel behaviours without a shared zero page', () => {
  it('a read fault allocates a zeroed frame of its own, writable and exclusive', () => {
    // p reads buf[0..1]: do_anonymous_page allocates frames 1 and 2, maps them writable.
    const { machine: m, last } = run([spawn('p'), mapPrivate('p', 'buf', 3), read('p', 'buf', 0, 1)], 'cow', NO_ZERO);
    assert.equal(table(m, 'p', 'buf'), '1wx 2wx -');
    assert.equal(m.stats.frames, 2);
    assert.equal(m.stats.zeroMaps, 0);
    assert.equal(m.stats.faults, 2);
    assert.match(last.explanation, /2 new zeroed frames for reads \(do_anonymous_page; this kernel maps no shared zero page\)/);
  });

  it('a write after the read takes no fault and copies nothing', () => {
    // The frame is already writable: the write lands in frame 1, no fault.
    const { machine: m, last } = run([spawn('p'), mapPrivate('p', 'buf', 1), read('p', 'buf', 0), write('p', 'buf', 0, 0, 'v')], 'cow', NO_ZERO);
    assert.equal(table(m, 'p', 'buf'), '1wx');
    assert.equal(m.stats.faults, 1);
    assert.equal(m.stats.copies, 0);
    assert.match(last.explanation, /already writable/);
  });

  it('reads give the region an anon_vma, so fork copies their entries (mainline would not)', () => {
    // p reads buf[0]: frame 1 and an anon_vma. fork: vma_needs_copy says yes, c maps frame 1 too,
    // both write-protected. On mainline only the zero page was mapped and there was no anon_vma,
    // so the child got no entry at all.
    const steps = [spawn('p'), mapPrivate('p', 'buf', 2), read('p', 'buf', 0), fork('p', 'c')];
    const { machine: m } = run(steps, 'cow', NO_ZERO);
    assert.equal(table(m, 'p', 'buf'), '1 -');
    assert.equal(table(m, 'c', 'buf'), '1 -');
    const mainline = run(steps).machine;
    assert.equal(table(mainline, 'p', 'buf'), 'z -');
    assert.equal(table(mainline, 'c', 'buf'), '- -');
  });

  it('a write to a read page shared by fork copies it (there is no zero page to start from)', () => {
    // After the fork, c writes buf[0]: frame 1 is mapped twice → wp_page_copy into frame 2.
    const steps = [spawn('p'), mapPrivate('p', 'buf', 1), read('p', 'buf', 0), fork('p', 'c'), write('c', 'buf', 0, 0, 'x')];
    const { machine: m } = run(steps, 'cow', NO_ZERO);
    assert.equal(table(m, 'c', 'buf'), '2wx');
    // p keeps frame 1, read-only, now mapped by p alone.
    assert.equal(table(m, 'p', 'buf'), '1x');
    assert.equal(m.stats.copies, 1);
  });
});

// How one encoded page-table entry reads to a learner — one rule for views and events alike.

import { ZERO_FRAME } from './frames';
import { frameOf, PTE_ABSENT } from './state';
import { PteView } from './types';

/**
 * @param entry the encoded entry (see state.pteOf)
 * @param shared the region is MAP_SHARED
 * @param current the entry was made writable in the region's current generation
 * @param only this is the one entry in the machine that maps the entry's frame
 * @param hole the page lies in a range the process does not map (a MADV_DONTFORK hole)
 * @param marks the kernel keeps PageAnonExclusive (5.19 on)
 *
 * The exclusive mark needs no storage of its own here: every way this model makes a private
 * entry writable (a fresh, copied or reused page) also sets the mark, and the one way it
 * write-protects entries (fork's wrprotect of the pages it shares) also clears it. So a
 * private anonymous page carries the mark exactly while its entry is writable.
 */
export function describeEntry(entry: number, shared: boolean, current: boolean, only: boolean, hole = false, marks = true): PteView {
  if (entry === PTE_ABSENT || hole) {
    return { present: false, frame: null, writable: false, cow: false, shared, exclusive: false, anonExclusive: false, hole };
  }
  const frame = frameOf(entry);
  if (frame === ZERO_FRAME) {
    return { present: true, frame: 'zero', writable: false, cow: false, shared, exclusive: false, anonExclusive: false, hole: false };
  }
  const writable = shared || current;
  return { present: true, frame, writable, cow: !writable, shared, exclusive: only, anonExclusive: marks && !shared && writable, hole: false };
}

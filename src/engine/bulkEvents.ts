// The events of a last-level table written in bulk (bulk.ts) while the step still lists events:
// for each page, in page order, exactly the events fault.ts's page-at-a-time path emits for it
// (fault, frame allocated / copied / reused, entry changed, the value read by a write that keeps
// values), each listed while the step records and only counted once it has listed
// MAX_EVENTS_PER_STEP, as Tx.emit does. bulk.test.ts compares both paths event for event.
//
// The entry views before and after each change are those viewOf() would show at that moment
// of the page-at-a-time path; what they depend on is worked out once, before the table changed:
// - `writable` (the entry's generation is the region's) comes from the old table; after the
//   change every entry written is writable;
// - `exclusive` (mappedOnlyHere: one leaf maps the frame and one region the leaf): a table
//   shared with another region is unshared by the first page's change, which takes one more
//   reference on every frame it maps, so no page of it reads exclusive before its own change;
//   in a table this region alone maps, each frame's count is its own (bulk.ts handles a table
//   only when the frames written in it are distinct), noted by classify in `onlyBefore`; after
//   the change, the page maps a frame allocated for it (one reference) or the one it reused
//   (one reference), through a table of this region alone.

import { describeEntry } from './entry';
import { LEAF_SIZE, PteLeaf } from './ptable';
import { frameOf } from './state';
import { reuseRule } from './kernel';
import { RegionDraft, Tx } from './tx';
import { PageRef } from './types';

/** bulk.ts's page kinds (see classify there). */
export const FRESH = 0;
export const ZERO = 1;
export const COPY = 2;
export const REUSE = 3;
export const HIT = 4;

/**
 * Lists the events of the table of `region` starting at `first`, written by `process`: `kinds`
 * per page, `old` the table before (null: there was none) with `shares` sharers, `entries` the
 * entries after, `onlyBefore` (tables of one region) whether each page's old frame had one
 * reference; `keep`: a write that keeps values (each page's value is read).
 */
export function listLeafEvents(
  tx: Tx,
  process: string,
  r: RegionDraft,
  first: number,
  kinds: Int8Array,
  old: PteLeaf | null,
  shares: number,
  entries: readonly number[],
  onlyBefore: Int8Array,
  keep: boolean,
): void {
  const marks = reuseRule(tx.kernel) === 'exclusive';
  const sharedTable = old !== null && shares > 1;
  const afterOnly = sharedTable || old === null || shares === 1;
  for (let j = 0; j < LEAF_SIZE; j++) {
    const k = kinds[j];
    if (k === HIT && !keep) continue;
    const page = first + j;
    const at: PageRef = { process, region: r.name, page };
    if (k !== HIT) {
      const before = old ? (old.entries[j] as number) : 0;
      const after = entries[j] as number;
      tx.emit({ kind: 'fault', at, fault: k === FRESH ? 'write-anonymous' : 'write-protect', kernelFunction: k === FRESH ? 'do_anonymous_page' : 'do_wp_page' });
      if (k !== REUSE) tx.emit({ kind: 'frame-allocated', frame: frameOf(after), zeroed: k !== COPY, for: at });
      if (k === COPY) tx.emit({ kind: 'frame-copied', from: frameOf(before), to: frameOf(after), for: at });
      if (tx.recording) {
        const current = old !== null && old.wgen[j] === r.gen;
        const only = before > 1 && !sharedTable && onlyBefore[j] === 1;
        tx.emit({
          kind: 'pte-changed',
          at,
          before: describeEntry(before, false, current, only, false, marks),
          after: describeEntry(after, false, true, afterOnly, false, marks),
        });
      } else tx.eventsOmitted++;
      if (k === REUSE) tx.emit({ kind: 'frame-reused', frame: frameOf(before), for: at });
    }
    if (keep) tx.emit({ kind: 'read-value', at, value: tx.base.values.text(tx.frames.valueOf(frameOf(entries[j] as number))) });
  }
}

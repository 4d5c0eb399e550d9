// Who shares which last-level page table. A leaf's share count is the number of live
// regions whose table points at it; a frame's reference count (FrameEditor) is the number
// of distinct live leaves that map it. A frame's real map count is therefore the sum of
// the share counts of the leaves that map it — 1 exactly when one unshared leaf maps it.

import { copyLeaf, MAX_LEAF_IDS, newLeaf, PageTable, PageTableEditor, PteLeaf } from './ptable';
import { frameOf } from './state';
import { fail, Tx } from './tx';

function nextId(tx: Tx): number {
  if (tx.nextLeafId >= MAX_LEAF_IDS) fail('too-large', 'this scenario has made more page tables than the engine can number');
  return tx.nextLeafId++;
}

function NO_NEW_ID(): number {
  throw new Error('engine invariant broken: a new leaf identity asked for a leaf that exists');
}

/**
 * The leaf holding `page`, safe to write for this region alone: a fresh leaf if there was
 * none, a version copy if an earlier version owns it, and — if another live region shares
 * it — a private copy of the whole leaf that takes one more reference on each frame it maps
 * (what On-Demand-Fork does on the first write fault through a shared table).
 */
export function exclusiveLeaf(tx: Tx, table: PageTableEditor, page: number): PteLeaf {
  const leaf = table.leaf(page);
  if (!leaf) {
    const fresh = newLeaf(nextId(tx), table.token);
    tx.shares.set(fresh.id, 1);
    table.setLeaf(page, fresh);
    return fresh;
  }
  const shares = tx.shares.get(leaf.id);
  // The leaf exists: ownLeaf keeps its identity and never asks for a new one.
  if (shares <= 1) return table.ownLeaf(page, NO_NEW_ID);
  const copy = copyLeaf(leaf, table.token, nextId(tx));
  tx.shares.set(leaf.id, shares - 1);
  tx.shares.set(copy.id, 1);
  // Indexed loops over entries here and below: code V8 has not optimised (yet, or any more)
  // allocates an iterator result per element of a for-of.
  const entries = copy.entries;
  for (let j = 0; j < entries.length; j++) {
    const e = entries[j] as number;
    if (e > 1) tx.frames.map(frameOf(e));
  }
  table.setLeaf(page, copy);
  return copy;
}

/** One more region shares every leaf of `table` (fork). Returns the entries it now shares. */
export function shareTable(tx: Tx, table: PageTable): { present: number; frames: number } {
  let present = 0;
  let frames = 0;
  table.forEachLeaf((leaf) => {
    tx.shares.add(leaf.id, 1);
    present += leaf.present;
    frames += leaf.frames;
  });
  return { present, frames };
}

/** A region lets go of every leaf of `table`; leaves nobody shares any more release their frames. */
export function dropTable(tx: Tx, table: PageTable | PageTableEditor, freed: (frame: number) => void): void {
  table.forEachLeaf((leaf) => {
    tx.stats.ptesZapped += leaf.present;
    const shares = tx.shares.add(leaf.id, -1);
    if (shares > 0) return;
    const entries = leaf.entries;
    for (let j = 0; j < entries.length; j++) {
      const e = entries[j] as number;
      if (e > 1 && tx.frames.unmap(frameOf(e))) freed(frameOf(e));
    }
  });
}

/** True when exactly one entry in the whole machine maps `frame`, namely the one in `leaf`. */
export function mappedOnlyHere(tx: Tx, leaf: PteLeaf | null, frame: number): boolean {
  return leaf !== null && tx.frames.refs(frame) === 1 && tx.shares.get(leaf.id) === 1;
}

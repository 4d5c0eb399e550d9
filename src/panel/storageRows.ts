// Runs of blocks as the rows a learner sees: runs split where the step's changes begin and end,
// short runs spelled out one block per row (a 16-block file shows 16 rows, each with its line to
// its physical block), long runs collapsed into one row. Pure: no `vscode`.
import type { FileBlockRow, PhysicalBlockRow } from '../protocol/storage';
import type { BlockRun, Interval } from './storageScan';

/** Runs of at least this many blocks show as one row (as page tables collapse runs of entries). */
export const COLLAPSE_BLOCKS = 64;

interface Piece {
  readonly run: BlockRun;
  readonly first: number;
  readonly last: number;
  readonly changed: boolean;
}

/** Splits runs at the edges of `changed` (sorted, disjoint; 'all': every block changed). */
function pieces(runs: readonly BlockRun[], changed: readonly Interval[] | 'all'): Piece[] {
  if (changed === 'all') return runs.map((run) => ({ run, first: run.first, last: run.last, changed: true }));
  const out: Piece[] = [];
  let c = 0;
  for (const run of runs) {
    let pos = run.first;
    while (pos <= run.last) {
      while (c < changed.length && (changed[c] as Interval).last < pos) c++;
      const iv = changed[c];
      if (!iv || iv.first > run.last) {
        out.push({ run, first: pos, last: run.last, changed: false });
        break;
      }
      if (iv.first > pos) {
        out.push({ run, first: pos, last: iv.first - 1, changed: false });
        pos = iv.first;
      }
      const end = Math.min(iv.last, run.last);
      out.push({ run, first: pos, last: end, changed: true });
      pos = end + 1;
    }
  }
  return out;
}

/** Pieces shorter than COLLAPSE_BLOCKS spelled out, one block each. */
function spelled(list: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of list) {
    if (p.last - p.first + 1 >= COLLAPSE_BLOCKS) out.push(p);
    else for (let i = p.first; i <= p.last; i++) out.push({ ...p, first: i, last: i });
  }
  return out;
}

export function fileRows(runs: readonly BlockRun[], changed: readonly Interval[] | 'all', text: (value: number) => string): FileBlockRow[] {
  return spelled(pieces(runs, changed)).map((p) => ({
    first: p.first,
    last: p.last,
    block: p.run.block + (p.first - p.run.first) * p.run.step,
    blockStep: p.first === p.last ? 0 : 1,
    refs: p.run.refs,
    value: text(p.run.value),
    extent: p.run.extent,
    changed: p.changed,
  }));
}

export function physicalRows(runs: readonly BlockRun[], changed: readonly Interval[] | 'all', text: (value: number) => string): PhysicalBlockRow[] {
  return spelled(pieces(runs, changed)).map((p) => ({
    first: p.first,
    last: p.last,
    fs: p.run.fs,
    refs: p.run.refs,
    value: text(p.run.value),
    extent: p.run.extent,
    changed: p.changed,
  }));
}

export function firstChanged(rows: readonly { readonly changed: boolean }[]): number | null {
  const i = rows.findIndex((r) => r.changed);
  return i < 0 ? null : i;
}

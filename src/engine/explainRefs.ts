// One sentence per pipe or pin step, naming the kernel path that did the work.

import { bytes, plural } from './explain';
import { reuseRule } from './kernel';
import { RefSummary } from './refs';
import { Tx } from './tx';
import { Operation, PAGE_SIZE } from './types';

type Op<K extends Operation['op']> = Extract<Operation, { op: K }>;

function range(op: { region: string; first: number; last: number }): string {
  return op.first === op.last ? `${op.region}[${op.first}]` : `${op.region}[${op.first}..${op.last}]`;
}

function faults(s: RefSummary, what: string): string {
  if (s.faulted === 0) return '';
  const copied = s.copied ? `, ${plural(s.copied, 'shared page')} copied first (${bytes(s.copied * PAGE_SIZE)})` : '';
  return ` ${what} faulted in ${plural(s.faulted, 'page')}${copied}.`;
}

export function explainVmsplice(tx: Tx, op: Op<'vmsplice'>, s: RefSummary): string {
  const n = s.frames.length;
  const held = tx.pipe(op.pipe)?.length ?? n;
  const zero = s.frames.filter((f) => f === 0).length;
  const zeroNote = zero ? ` (${plural(zero, 'page')} of them the shared zero page, which nothing counts)` : '';
  const era =
    reuseRule(tx.kernel) === 'gup-unshare'
      ? ' On Linux 5.8, get_user_pages first broke the sharing of copy-on-write pages (a write fault that keeps the contents), so the pipe holds pages only this process maps.'
      : '';
  return (
    `${op.process} vmspliced ${range(op)} into pipe ${op.pipe}: get_user_pages took a reference on ${n === 1 ? 'the page' : `each of the ${plural(n, 'page')}`}${zeroNote}, ` +
    `and the pipe holds ${n === 1 ? 'the page itself, not a copy' : 'the pages themselves, not copies'} — it reads whatever ${n === 1 ? 'it holds' : 'they hold'} when it is read (${held} of 16 pipe buffers in use).` +
    faults(s, 'get_user_pages') +
    era
  );
}

export function explainDrain(tx: Tx, op: Op<'drain'>, values: readonly string[], freed: number): string {
  if (values.length === 0) return `${op.process} read pipe ${op.pipe}, which was empty.`;
  void tx;
  const shown = values.map((v) => JSON.stringify(v)).join(', ');
  const freedText = freed ? `${plural(freed, 'frame')} nothing else held ${freed === 1 ? 'was' : 'were'} freed` : 'no frame freed';
  return `${op.process} read pipe ${op.pipe} empty: ${shown}. The pipe dropped its ${plural(values.length, 'page reference')} (put_page); ${freedText}.`;
}

export function explainPin(tx: Tx, op: Op<'pin'>, s: RefSummary): string {
  void tx;
  return (
    `${op.process} pinned ${range(op)} for DMA (pin_user_pages with FOLL_WRITE | FOLL_LONGTERM, as io_uring buffer registration does): ` +
    `${plural(s.frames.length, 'page')} now ${s.frames.length === 1 ? 'has' : 'have'} one more reference, which lasts until unpin.` +
    faults(s, 'The pin (a write access)')
  );
}

export function explainUnpin(op: Op<'unpin'>, pins: number, freed: number): string {
  const freedText = freed ? `; ${plural(freed, 'frame')} nothing else held ${freed === 1 ? 'was' : 'were'} freed` : '';
  return `${op.process} unpinned ${range(op)} (unpin_user_pages): ${plural(pins, 'pin')} dropped${freedText}.`;
}

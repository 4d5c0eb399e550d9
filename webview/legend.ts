// "How to read this": what each column, colour and line means, folded away until asked for.
import { h } from './dom';

const ENTRIES: readonly (readonly [string, string])[] = [
  ['P', 'present: the entry maps a frame (or the zero page). Without it, an access faults.'],
  ['W', 'writable: a write goes straight to the frame, no fault.'],
  ['CoW', 'copy-on-write: present, private and write-protected. The next write faults; do_wp_page reuses the frame if it is marked exclusive or its reference count is 1 (only this mapping: no other mapping, pipe or pin holds it), and copies it otherwise. Before Linux 5.9 the map count decided (docs/kernel-model.md).'],
  ['S', 'shared mapping (MAP_SHARED): writes are seen by every process that maps it; never copied.'],
  ['Z', 'the zero page: an untouched page that was only read. A write allocates a fresh frame.'],
  ['X', 'the exclusive mark (PageAnonExclusive, Linux 5.19 on): set when a fault allocates, copies or reuses the page, cleared by fork on the pages it shares. A write to a marked page reuses it without counting.'],
  ['×2', 'map count: how many page-table entries map the frame. A frame mapped more than once is shared.'],
  ['3 refs', 'reference count, shown when it differs from the map count: pages a pipe holds (vmsplice) and long-term pins (io_uring fixed buffers) count too. A write fault on a page that is not marked exclusive copies unless the count is 1.'],
  ['Pipes', 'what each pipe holds: references to frames, not copies. Reading the pipe reads whatever the frame holds then.'],
  ['colours', 'each process has a colour; a frame shows a stripe for every process that maps it.'],
  ['lines', 'solid: a writable entry; dashed: a write-protected (copy-on-write) one; thick: changed by this step.'],
  ['●', 'marks an entry or a frame this step changed.'],
];

export function legend(doc: Document): HTMLElement {
  const list = h(doc, 'dl', { class: 'legend-list' });
  for (const [term, meaning] of ENTRIES) list.append(h(doc, 'dt', {}, term), h(doc, 'dd', {}, meaning));
  return h(doc, 'vscode-collapsible', { class: 'legend', heading: 'How to read this' }, list);
}

// The physical frames column: one box per frame with its number, value, map count and a colour
// stripe per process that maps it; a span box for the frames of a collapsed run; the zero page.
// A virtual list like the tables, because a big machine's rows can name thousands of frames.
import type { FrameInfo, FrameSpan, PipePanel, ProcessPanel } from '../src/protocol/messages';
import { h } from './dom';
import { frameRange, plural, thousands } from './format';
import type { FrameItem, MachineData } from './machineData';
import { leadAndRest } from './pageTable';
import { VirtualList } from './virtualList';
import { describeFrame, references } from './words';

export const FRAME_HEIGHT = 22;
const VISIBLE_FRAMES = 20;

export class FramesView {
  readonly element: HTMLElement;
  readonly list: VirtualList;
  private items: readonly FrameItem[] = [];
  private readonly summary: HTMLElement;
  private readonly pipes: HTMLElement;

  constructor(
    private readonly doc: Document,
    private data: MachineData,
    private readonly colours: ReadonlyMap<string, number>,
    onRendered: () => void,
  ) {
    this.list = new VirtualList(doc, {
      rowHeight: FRAME_HEIGHT,
      maxVisibleRows: VISIBLE_FRAMES,
      className: 'frames-body',
      label: 'physical frames',
      renderRow: (i) => this.renderItem(i),
      rowKey: (i) => itemKey(this.items[i]),
      // A box shows its item only (the key says all of it), not its index: move it as it is.
      moveRow: () => undefined,
      onRendered: () => onRendered(),
      describe: (i) => this.describeItem(i),
    });
    this.list.element.setAttribute('role', 'list');
    this.summary = h(doc, 'div', { class: 'frames-summary' });
    this.pipes = h(doc, 'section', { class: 'pipes', 'aria-label': 'pipes' });
    this.element = h(doc, 'section', { class: 'frames', 'aria-label': 'physical frames' }, h(doc, 'div', { class: 'frames-title' }, 'Physical frames'), this.summary, this.list.element, this.list.peek, this.pipes);
  }

  /** A frame box in words, whole (its value and badge may be shortened in the box). */
  private describeItem(i: number): string {
    const item = this.items[i];
    if (!item) return '';
    if (item.kind === 'zero') return 'frame #0: the shared zero page';
    if (item.kind === 'span') return `frames ${frameRange(item.span.first, item.span.last)}: ${plural(item.span.count, 'frame')} mapped by one run of entries (${item.span.owners.join(', ') || 'nobody'})${alsoListedWords(item.alsoListed)}`;
    return describeFrame(item.frame);
  }

  /** The frames of another step (same processes, so the same colours). */
  setData(data: MachineData): void {
    this.data = data;
  }

  /** Re-reads the frames (a step arrived: bring its first change into view; or rows that name new frames). */
  update(revealChange: boolean): void {
    this.items = this.data.frameItems();
    const panel = this.data.panel;
    const shown = panel.framesComplete ? '' : ' · those in view';
    this.summary.textContent = panel.framesInUse === 0 && this.items.length === 0 ? 'No frames in use yet' : `${plural(panel.framesInUse, 'frame')} in use${shown}`;
    this.summary.title = panel.framesComplete ? '' : 'A big machine lists only the frames mapped by the page-table rows loaded so far, and those this step touched.';
    this.list.element.hidden = this.items.length === 0;
    this.list.setCount(this.items.length);
    this.renderPipes(panel.pipes ?? []);
    if (!revealChange) return;
    const firstChanged = this.items.findIndex((it) => it.kind === 'frame' && it.frame.change !== null);
    if (firstChanged >= 0) this.list.reveal(firstChanged);
  }

  /** The rendered element for frame `n` (or the span holding it, or the zero page). */
  elementFor(frame: number | 'zero'): HTMLElement | null {
    if (frame === 'zero') return this.list.element.querySelector<HTMLElement>('[data-zero]');
    const exact = this.list.element.querySelector<HTMLElement>(`[data-frame="${frame}"]`);
    if (exact) return exact;
    for (const el of this.list.element.querySelectorAll<HTMLElement>('[data-span-first]')) {
      const lo = Number(el.dataset.spanFirst);
      const hi = Number(el.dataset.spanLast);
      if (frame >= lo && frame <= hi) return el;
    }
    return null;
  }

  private renderItem(i: number): HTMLElement {
    const item = this.items[i];
    if (!item) return h(this.doc, 'div', { class: 'frame-box' });
    switch (item.kind) {
      case 'zero':
        return h(
          this.doc,
          'div',
          { class: 'frame-box zero', role: 'listitem', 'data-zero': '', title: 'the shared zero page: every read of an untouched private page maps it; a write allocates a fresh frame' },
          h(this.doc, 'span', { class: 'frame-no' }, '#0'),
          h(this.doc, 'span', { class: 'frame-value' }, 'zero page'),
        );
      case 'span':
        return this.renderSpan(item.span, item.alsoListed);
      case 'frame':
        return this.renderFrame(item.frame);
    }
  }

  private renderFrame(f: FrameInfo): HTMLElement {
    const classes = ['frame-box'];
    if (f.change) classes.push('changed', `change-${f.change}`);
    if (f.mapCount > 1) classes.push('shared');
    const refs = f.refCount ?? f.mapCount;
    if (refs !== f.mapCount) classes.push('held');
    const badge =
      f.change === 'copied' ? `copy of #${thousands(f.copiedFrom ?? 0)}`
      : f.change === 'allocated' ? 'new'
      : f.change === 'reused' ? 'reused'
      : f.change === 'freed' ? 'freed'
      : f.change === 'written' ? 'written'
      : null;
    return h(
      this.doc,
      'div',
      { class: classes.join(' '), role: 'listitem', 'data-frame': f.frame, title: describeFrame(f) },
      this.ownerStripes(f.owners),
      h(this.doc, 'span', { class: 'frame-no' }, `#${thousands(f.frame)}`),
      h(this.doc, 'span', { class: 'frame-value' }, f.value === '' ? '(zeros)' : `"${f.value}"`),
      badge ? h(this.doc, 'span', { class: 'frame-badge' }, badge) : null,
      h(this.doc, 'span', { class: 'frame-count', title: 'map count: page-table entries mapping this frame' }, `×${f.mapCount}`),
      refs !== f.mapCount ? h(this.doc, 'span', { class: 'frame-refs', title: `reference count${references(f)}` }, `${refs} ref${refs === 1 ? '' : 's'}`) : null,
    );
  }

  private renderSpan(s: FrameSpan, alsoListed: number): HTMLElement {
    return h(
      this.doc,
      'div',
      { class: `frame-box span${s.changed ? ' changed' : ''}${alsoListed > 0 ? ' overlaps' : ''}`, role: 'listitem', 'data-span-first': Math.min(s.first, s.last), 'data-span-last': Math.max(s.first, s.last), title: `${plural(s.count, 'frame')} mapped by one run of entries${alsoListedWords(alsoListed)}` },
      this.ownerStripes(s.owners),
      h(this.doc, 'span', { class: 'frame-no' }, ...leadAndRest(this.doc, frameRange(s.first, s.last))),
      h(this.doc, 'span', { class: 'frame-value' }, plural(s.count, 'frame')),
      alsoListed > 0 ? h(this.doc, 'span', { class: 'frame-badge also-listed', 'data-also-listed': alsoListed }, `${thousands(alsoListed)} also listed`) : null,
    );
  }

  /** Each pipe and the frames it holds, with what reading the pipe now would give. */
  private renderPipes(pipes: readonly PipePanel[]): void {
    this.pipes.hidden = pipes.length === 0;
    this.pipes.replaceChildren();
    if (pipes.length === 0) return;
    this.pipes.appendChild(h(this.doc, 'div', { class: 'pipes-title', title: 'a pipe holds references to frames, not copies: reading it reads what each frame holds then' }, 'Pipes'));
    for (const pipe of pipes) {
      const pages = pipe.pages.map((p) => `${p.frame > 0 ? `#${thousands(p.frame)}` : 'zero page'} ${p.value === '' ? '(zeros)' : `"${p.value}"`}`);
      this.pipes.appendChild(
        h(
          this.doc,
          'p',
          { class: 'pipe', 'data-pipe': pipe.name, title: `pipe ${pipe.name}: ${pipe.pages.length === 0 ? 'empty (read, or never filled)' : `${plural(pipe.pages.length, 'page')}; reading it now gives ${pages.join(', ')}`}` },
          h(this.doc, 'span', { class: 'pipe-name' }, pipe.name),
          ': ',
          pipe.pages.length === 0 ? h(this.doc, 'span', { class: 'pipe-empty' }, 'empty') : pages.join(', '),
        ),
      );
    }
  }

  private ownerStripes(owners: readonly string[]): HTMLElement {
    const stripes = h(this.doc, 'span', { class: 'owners', 'aria-label': owners.length > 0 ? `mapped by ${owners.join(' and ')}` : 'mapped by nobody' });
    for (const owner of owners) {
      stripes.appendChild(h(this.doc, 'span', { class: `owner owner-${(this.colours.get(owner) ?? 0) % PALETTE_SIZE}`, title: owner }));
    }
    return stripes;
  }
}

/** A span's frames another box shows too, in words (empty when none): why the boxes add up to more than the frames in use. */
function alsoListedWords(n: number): string {
  if (n === 0) return '';
  return `; ${n === 1 ? '1 of them is' : `${thousands(n)} of them are`} also listed in another box, because other page-table entries map ${n === 1 ? 'it' : 'them'} too (the frames in use count each frame once)`;
}

/** Everything a frame box shows: equal keys, equal boxes. */
function itemKey(item: FrameItem | undefined): string {
  if (!item) return '';
  if (item.kind === 'zero') return 'zero';
  if (item.kind === 'span') {
    const s = item.span;
    return `span:${s.first}:${s.last}:${s.count}:${s.owners.join(',')}:${s.changed}:${item.alsoListed}`;
  }
  const f = item.frame;
  return JSON.stringify([f.frame, f.mapCount, f.refCount, f.pipes, f.pins, f.value, f.shmem, f.owners, f.change, f.copiedFrom]);
}

/** Number of owner colours in media/panel.css (--owner-0 … --owner-7). */
export const PALETTE_SIZE = 8;

/** Colour index of each process of a machine, by name. */
export function processColours(processes: readonly ProcessPanel[]): Map<string, number> {
  return new Map(processes.map((p) => [p.name, p.colour]));
}

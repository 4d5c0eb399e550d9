// Lines from page-table entries to the frames they map, drawn in one SVG over a machine's
// diagram: a table left of the frames links from its right edge, a table right of them from
// its left edge (wherever the layout put it). Only rows and frames both in view are linked. Dashed: write-protected
// (copy-on-write) entries; thick: entries this step changed.
import { svg } from './dom';
import type { FramesView } from './framesView';
import type { RegionTableView } from './pageTable';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Link {
  readonly from: Point;
  readonly to: Point;
  readonly colour: number;
  readonly cow: boolean;
  readonly changed: boolean;
}

/** A smooth S-curve from an entry to a frame. */
export function linkPath(from: Point, to: Point): string {
  const bend = (to.x - from.x) / 2;
  const r = (n: number) => Math.round(n * 10) / 10;
  return `M${r(from.x)},${r(from.y)} C${r(from.x + bend)},${r(from.y)} ${r(to.x - bend)},${r(to.y)} ${r(to.x)},${r(to.y)}`;
}

export interface PlacedTable {
  readonly view: RegionTableView;
  readonly colour: number;
}

function within(inner: DOMRect, outer: DOMRect): boolean {
  const middle = inner.top + inner.height / 2;
  return middle >= outer.top && middle <= outer.bottom;
}

/** The links between rendered, visible rows of `tables` and rendered, visible frames. */
export function collectLinks(container: HTMLElement, tables: readonly PlacedTable[], frames: FramesView): Link[] {
  const origin = container.getBoundingClientRect();
  const framesBox = frames.list.element.getBoundingClientRect();
  const links: Link[] = [];
  for (const { view, colour } of tables) {
    const box = view.list.element.getBoundingClientRect();
    for (const row of view.list.element.querySelectorAll<HTMLElement>('[data-frame]')) {
      const rowBox = row.getBoundingClientRect();
      if (!within(rowBox, box)) continue;
      const raw = row.dataset.frame;
      const target = frames.elementFor(raw === 'zero' ? 'zero' : Number(raw));
      if (!target) continue;
      const frameBox = target.getBoundingClientRect();
      if (!within(frameBox, framesBox)) continue;
      const y = rowBox.top + rowBox.height / 2 - origin.top;
      const to = frameBox.top + frameBox.height / 2 - origin.top;
      // The layout decides the side (a narrow panel stacks both tables left of the frames).
      const leftOfFrames = rowBox.left + rowBox.width / 2 < frameBox.left + frameBox.width / 2;
      const from = leftOfFrames ? { x: rowBox.right - origin.left, y } : { x: rowBox.left - origin.left, y };
      const end = leftOfFrames ? { x: frameBox.left - origin.left, y: to } : { x: frameBox.right - origin.left, y: to };
      links.push({ from, to: end, colour, cow: row.classList.contains('cow'), changed: row.classList.contains('changed') });
    }
  }
  return links;
}

/** What the overlay is sized to: the container's scrollable size (read before any line is written). */
export function overlaySize(container: HTMLElement): { readonly width: number; readonly height: number } {
  return { width: container.scrollWidth, height: container.scrollHeight };
}

/**
 * Makes the SVG's paths draw `links`, sized `size` (overlaySize of the container, measured with
 * the links: reading it after a write here would lay the document out again). Paths already
 * there are kept and only their changed attributes written (most lines of a step are the last
 * step's), so the browser re-paints what moved, not every line.
 */
export function drawLinks(overlay: SVGSVGElement, size: { readonly width: number; readonly height: number }, links: readonly Link[], paletteSize: number): void {
  const doc = overlay.ownerDocument;
  setIfChanged(overlay, 'width', String(size.width));
  setIfChanged(overlay, 'height', String(size.height));
  // Changed links last, so they are drawn over the others.
  const ordered = [...links].sort((a, b) => Number(a.changed) - Number(b.changed));
  let path = overlay.firstElementChild;
  for (const link of ordered) {
    const classes = ['link', `owner-stroke-${link.colour % paletteSize}`];
    if (link.cow) classes.push('cow');
    if (link.changed) classes.push('changed');
    const d = linkPath(link.from, link.to);
    const className = classes.join(' ');
    if (path) {
      setIfChanged(path, 'd', d);
      setIfChanged(path, 'class', className);
      path = path.nextElementSibling;
    } else {
      overlay.appendChild(svg(doc, 'path', { d, class: className }));
    }
  }
  while (path) {
    const next = path.nextElementSibling;
    path.remove();
    path = next;
  }
}

/** Writes an attribute only when it changes: an unchanged write still invalidates layout. */
export function setIfChanged(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/**
 * One drawing of lines (a machine's diagram, the storage view), in the phases a frame runs them:
 * every drawing's scroll offsets are written first (the first write lays the document out: the
 * layout the frame was going to do anyway), then every drawing reads its geometry, then every
 * drawing writes its lines. Reading after another drawing's writes would lay the document out
 * once more per drawing.
 */
export interface LinkPass {
  /** Writes the lists' scroll offsets. */
  readonly scroll: () => void;
  /** Reads what the lines need; returns what to write (null: nothing to draw). */
  readonly measure: () => (() => void) | null;
}

interface Batch {
  frame: number;
  readonly passes: Set<LinkPass>;
}

/** The drawings waiting for the next animation frame, per document: one frame callback draws them all. */
const batches = new WeakMap<Document, Batch>();

/**
 * Draws the lines on the next animation frame, once however often it is asked before then, so
 * that scrolls and resizes settle first; with every other drawing asked for in the same frame
 * (see LinkPass). Without animation frames (a test DOM without them) it never draws.
 */
export class LinkScheduler {
  constructor(
    private readonly doc: Document,
    private readonly pass: LinkPass,
  ) {}

  schedule(): void {
    const view = this.doc.defaultView;
    if (!view?.requestAnimationFrame) return;
    let batch = batches.get(this.doc);
    if (!batch) {
      batch = { frame: 0, passes: new Set() };
      batches.set(this.doc, batch);
    }
    batch.passes.add(this.pass);
    if (batch.frame !== 0) return;
    const due = batch;
    due.frame = view.requestAnimationFrame(() => {
      due.frame = 0;
      const passes = [...due.passes];
      due.passes.clear();
      runPasses(passes);
    });
  }
}

/** Scrolls every drawing, then measures every one, then writes every one. */
export function runPasses(passes: readonly LinkPass[]): void {
  for (const p of passes) p.scroll();
  const writes = passes.map((p) => p.measure());
  for (const write of writes) write?.();
}

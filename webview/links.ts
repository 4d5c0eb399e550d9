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

/**
 * Makes the SVG's paths draw `links`, sized to the container. Paths already there are kept and
 * only their changed attributes written (most lines of a step are the last step's), so the
 * browser re-paints what moved, not every line.
 */
export function drawLinks(overlay: SVGSVGElement, container: HTMLElement, links: readonly Link[], paletteSize: number): void {
  const doc = overlay.ownerDocument;
  setIfChanged(overlay, 'width', String(container.scrollWidth));
  setIfChanged(overlay, 'height', String(container.scrollHeight));
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
 * Draws the lines on the next animation frame, once however often it is asked before then, so
 * that scrolls and resizes settle first. Without animation frames (a test DOM) it never draws.
 */
export class LinkScheduler {
  private frame = 0;

  constructor(
    private readonly doc: Document,
    private readonly draw: () => void,
  ) {}

  schedule(): void {
    if (this.frame !== 0) return;
    const view = this.doc.defaultView;
    if (!view?.requestAnimationFrame) return;
    this.frame = view.requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }
}

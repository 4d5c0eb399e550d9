// A fixed-row-height virtual list: however many rows a table has (a million-page region), only
// the rows in view plus a few either side exist in the DOM. Positions come from the row index,
// never from layout, so it renders the same under jsdom as in a browser.
//
// The list keeps its own scroll offset and never reads scrollTop while rendering: reading it
// right after building DOM forces a synchronous layout, once per table per step (measured:
// most of a step's time). The offset is written to the element in applyScroll(), called in
// the next animation frame once every list of the step is built, so the browser lays out once.

export interface VirtualListOptions {
  readonly rowHeight: number;
  /** The viewport shows at most this many rows; more scroll. */
  readonly maxVisibleRows: number;
  /** Rows rendered beyond each edge of the viewport. */
  readonly overscan?: number;
  /** Class of the scroll container. */
  readonly className: string;
  /** Builds row `index`. Called only for rows in (or near) view. */
  readonly renderRow: (index: number) => HTMLElement;
  /**
   * What row `index` shows, as a string: a rendered row whose key did not change is kept as it
   * is, so a step that changed one entry re-creates one row, and the browser re-lays out one.
   */
  readonly rowKey: (index: number) => string;
  /**
   * Moves a rendered row to index `index` (its index-dependent attributes). When given, a row
   * whose key is unchanged but whose index moved (a change above it split a run into more rows)
   * is kept and moved, not rebuilt: without it, one split rebuilds every row below it.
   */
  readonly moveRow?: (el: HTMLElement, index: number) => void;
  /** Called after every render with the rows in the viewport (scrolls included). */
  readonly onRendered?: (first: number, last: number) => void;
  /** Accessible label and role of the scroll container. */
  readonly label?: string;
  /**
   * Row `index` in words, whole: shown in the list's peek for the active row while the list has
   * the keyboard focus (a value the row shortens with an ellipsis is read there in full).
   */
  readonly describe?: (index: number) => string;
  /** Enter (or a click) on row `index`: e.g. expand a collapsed run. */
  readonly onActivate?: (index: number) => void;
}

let lists = 0;

export class VirtualList {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private count = 0;
  private frame = 0;
  /** Rendered rows by index, with the key they were rendered from, in index order. */
  private rendered = new Map<number, { key: string; el: HTMLElement }>();
  private offset = 0;
  private offsetDirty = false;
  /** A render that built the rows in view only: the overscan is built after the next paint (frame, then task). */
  private fillFrame = 0;
  private fillTask = 0;
  /** The row the keyboard is on (aria-activedescendant); -1: none yet. */
  private active = -1;
  private readonly id = `vl${++lists}`;
  /**
   * The active row's words while the list has the focus: the owner places it after the list,
   * inside a positioned parent (the list itself clips and scrolls).
   */
  readonly peek: HTMLElement;

  constructor(
    private readonly doc: Document,
    private readonly options: VirtualListOptions,
  ) {
    this.element = doc.createElement('div');
    this.element.className = options.className;
    // A scroll container must be reachable by keyboard to be scrolled without a mouse.
    this.element.tabIndex = 0;
    if (options.label) this.element.setAttribute('aria-label', options.label);
    this.spacer = doc.createElement('div');
    this.spacer.className = 'vl-spacer';
    this.element.appendChild(this.spacer);
    this.element.addEventListener('scroll', () => this.scheduleRender(), { passive: true });
    this.peek = doc.createElement('div');
    this.peek.className = 'vl-peek';
    this.peek.hidden = true;
    this.peek.setAttribute('aria-hidden', 'true');
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.element.addEventListener('focus', () => this.setActive(this.active >= 0 && this.active < this.count ? this.active : this.visibleRange().first));
    this.element.addEventListener('blur', () => {
      this.peek.hidden = true;
    });
    this.element.addEventListener('click', (e) => {
      const row = (e.target as Element | null)?.closest?.('[data-vl-index]');
      if (!row || row.parentElement !== this.element) return;
      const index = Number((row as HTMLElement).dataset.vlIndex);
      this.setActive(index);
      this.options.onActivate?.(index);
    });
  }

  /** The row the keyboard is on, or -1. */
  get activeIndex(): number {
    return this.active;
  }

  /** Puts the keyboard on row `index` (brought into view), and shows its words in the peek. */
  setActive(index: number): void {
    if (this.count === 0) return;
    this.active = Math.max(0, Math.min(index, this.count - 1));
    this.reveal(this.active);
    this.applyScroll();
    this.markActive();
    this.showPeek();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const page = this.options.maxVisibleRows - 1;
    const from = this.active < 0 ? this.visibleRange().first : this.active;
    const to =
      e.key === 'ArrowDown' ? from + 1
      : e.key === 'ArrowUp' ? from - 1
      : e.key === 'PageDown' ? from + page
      : e.key === 'PageUp' ? from - page
      : e.key === 'Home' ? 0
      : e.key === 'End' ? this.count - 1
      : null;
    if (to !== null) {
      e.preventDefault();
      this.setActive(to);
      return;
    }
    if ((e.key === 'Enter' || e.key === ' ') && this.active >= 0 && this.options.onActivate) {
      e.preventDefault();
      this.options.onActivate(this.active);
    }
  }

  private markActive(): void {
    for (const [i, row] of this.rendered) {
      const on = i === this.active;
      if (row.el.classList.contains('active') !== on) row.el.classList.toggle('active', on);
      if (on) row.el.id = `${this.id}-active`;
      else if (row.el.id === `${this.id}-active`) row.el.removeAttribute('id');
    }
    if (this.active >= 0 && this.rendered.has(this.active)) this.element.setAttribute('aria-activedescendant', `${this.id}-active`);
    else this.element.removeAttribute('aria-activedescendant');
  }

  private showPeek(): void {
    const describe = this.options.describe;
    if (!describe || this.active < 0 || this.doc.activeElement !== this.element) {
      this.peek.hidden = true;
      return;
    }
    const text = describe(this.active);
    if (this.peek.textContent !== text) this.peek.textContent = text;
    // Under the active row, inside the list's positioned parent.
    const top = this.element.offsetTop + (this.active + 1) * this.options.rowHeight - this.offset;
    this.peek.style.top = `${top}px`;
    this.peek.hidden = false;
  }

  /** The scroll offset in pixels, as the list last rendered it. */
  get scrollOffset(): number {
    return this.offset;
  }

  /** Starts at `px` (a table that scrolled before the step changed keeps its place). */
  restoreScroll(px: number): void {
    const offset = Math.max(0, px);
    if (offset === this.offset) return;
    this.offset = offset;
    this.offsetDirty = true;
  }

  /** Writes the list's offset to the element, if it changed since the last write. */
  applyScroll(): void {
    if (!this.offsetDirty) return;
    this.offsetDirty = false;
    this.element.scrollTop = this.offset;
  }

  get rowCount(): number {
    return this.count;
  }

  /** Sets the number of rows and renders what is in view. */
  setCount(count: number): void {
    this.count = count;
    const { rowHeight, maxVisibleRows } = this.options;
    this.spacer.style.height = `${count * rowHeight}px`;
    this.element.style.height = `${Math.max(1, Math.min(count, maxVisibleRows)) * rowHeight}px`;
    this.offset = Math.min(this.offset, Math.max(0, count - maxVisibleRows) * rowHeight);
    this.render(true);
  }

  /** Rows currently in the viewport (not the overscan). */
  visibleRange(): { first: number; last: number } {
    const { rowHeight, maxVisibleRows } = this.options;
    const first = Math.max(0, Math.floor(this.offset / rowHeight));
    const last = Math.min(this.count - 1, first + Math.min(this.count, maxVisibleRows) - 1);
    return { first, last };
  }

  /** Scrolls so that row `index` is in view (near the top, with a little context), if it is not. */
  reveal(index: number): void {
    const { first, last } = this.visibleRange();
    if (index >= first && index <= last) return;
    const { rowHeight, maxVisibleRows } = this.options;
    this.offset = Math.min(Math.max(0, index - 2), Math.max(0, this.count - maxVisibleRows)) * rowHeight;
    this.offsetDirty = true;
    this.render(true);
  }

  /**
   * Renders the rows in range: a row whose key is unchanged is kept (moved if its index changed
   * and the list can move rows), others are rebuilt. `inViewFirst` (a step arrived, or a jump):
   * only rows in the viewport are built now, and the overscan (rows kept ready for a scroll) once
   * the browser has painted, so the step's paint waits for the rows the learner sees only.
   */
  render(inViewFirst = false): void {
    cancelFrame(this.doc, this.frame);
    this.frame = 0;
    const defer = inViewFirst && canDefer(this.doc);
    if (!defer) this.cancelFill();
    const { rowHeight, moveRow } = this.options;
    const overscan = this.options.overscan ?? 6;
    const { first, last } = this.visibleRange();
    const from = Math.max(0, first - overscan);
    const to = Math.min(this.count - 1, last + overscan);
    const keys: string[] = [];
    for (let i = from; i <= to; i++) keys.push(this.options.rowKey(i));
    // Rendered rows that stay where they are; the rest may be reused elsewhere by key.
    const spare = new Map<string, HTMLElement[]>();
    for (const [i, row] of this.rendered) {
      if (i >= from && i <= to && keys[i - from] === row.key) continue;
      if (!moveRow) {
        row.el.remove();
        continue;
      }
      const list = spare.get(row.key);
      if (list) list.push(row.el);
      else spare.set(row.key, [row.el]);
    }
    const next = new Map<number, { key: string; el: HTMLElement }>();
    let deferred = false;
    for (let i = from; i <= to; i++) {
      const key = keys[i - from] as string;
      let row = this.rendered.get(i);
      if (!row || row.key !== key) {
        if (defer && (i < first || i > last) && !spare.get(key)?.length) {
          deferred = true;
          continue;
        }
        const reused = moveRow ? spare.get(key)?.shift() : undefined;
        let el: HTMLElement;
        if (reused && moveRow) {
          moveRow(reused, i);
          el = reused;
        } else {
          el = this.options.renderRow(i);
        }
        el.style.transform = `translateY(${i * rowHeight}px)`;
        el.dataset.vlIndex = String(i);
        row = { key, el };
      }
      next.set(i, row);
    }
    // Rows not reused go first, so that rows which only moved keep their order in the DOM.
    for (const els of spare.values()) for (const el of els) el.remove();
    // Walk the range in order, keeping DOM order = row order (what a screen reader reads).
    let after: Element = this.spacer;
    for (const row of next.values()) {
      if (row.el.previousElementSibling !== after || row.el.parentElement !== this.element) after.after(row.el);
      after = row.el;
    }
    this.rendered = next;
    if (this.active >= 0) this.markActive();
    if (deferred) this.scheduleFill();
    this.options.onRendered?.(first, last);
  }

  /** Builds the overscan a render left out, after the next frame is painted (a task queued from its animation callback). */
  private scheduleFill(): void {
    if (this.fillFrame !== 0 || this.fillTask !== 0) return;
    const view = this.doc.defaultView as Window;
    this.fillFrame = view.requestAnimationFrame(() => {
      this.fillFrame = 0;
      this.fillTask = view.setTimeout(() => {
        this.fillTask = 0;
        this.render();
      }, 0);
    });
  }

  private cancelFill(): void {
    const view = this.doc.defaultView as Window;
    if (this.fillFrame !== 0) view.cancelAnimationFrame(this.fillFrame);
    if (this.fillTask !== 0) view.clearTimeout(this.fillTask);
    this.fillFrame = 0;
    this.fillTask = 0;
  }

  private scheduleRender(): void {
    if (this.frame !== 0) return;
    this.frame = requestFrame(this.doc, () => {
      this.frame = 0;
      // A scroll the learner made (or applyScroll's own): the element is the truth now.
      if (this.offsetDirty || this.element.scrollTop === this.offset) return;
      this.offset = this.element.scrollTop;
      this.render();
    });
  }
}

/** Whether the overscan can wait for a painted frame (a browser; jsdom without animation frames builds it at once). */
function canDefer(doc: Document): boolean {
  const view = doc.defaultView;
  return typeof view?.requestAnimationFrame === 'function' && typeof view.setTimeout === 'function';
}

function requestFrame(doc: Document, fn: () => void): number {
  const view = doc.defaultView;
  if (view?.requestAnimationFrame) return view.requestAnimationFrame(fn);
  fn();
  return 0;
}

function cancelFrame(doc: Document, id: number): void {
  if (id !== 0) doc.defaultView?.cancelAnimationFrame?.(id);
}

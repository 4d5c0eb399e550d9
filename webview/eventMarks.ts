// The marks under the scrubber: one for every step where something happens that a learner looks
// for — a fork, a copy (a write fault that copied a page), a checkpoint, an expectation that
// fails. Each says what it is on hover and on keyboard focus, and moves the panel there on click
// (or Enter). One tab stop for all of them: ← → Home End move between marks (a toolbar).
import type { StepKind, StepOutline } from '../src/protocol/messages';
import { h } from './dom';
import { thousands } from './format';
import { STEP_KIND_LABELS } from './words';

/** Step kinds that get a mark (a checkpoint gets one whatever its kind). */
const MARKED: ReadonlySet<StepKind> = new Set(['write-fault', 'fork', 'expect-fail', 'oom-kill', 'fork-failed']);
/** Most marks drawn: beyond that they would sit on top of each other anyway. */
export const MAX_MARKS = 400;

export interface EventMark {
  readonly step: number;
  /** Class suffix: the step's kind, or 'checkpoint'. */
  readonly kind: StepKind | 'checkpoint';
  /** What the mark says: "Step 4 · fork · line 12". */
  readonly text: string;
}

/** The marks of a run's steps, in step order. */
export function eventMarks(steps: readonly StepOutline[]): EventMark[] {
  const marks: EventMark[] = [];
  for (const [i, s] of steps.entries()) {
    if (marks.length >= MAX_MARKS) break;
    const checkpoint = s.checkpoint;
    if (checkpoint === undefined && !MARKED.has(s.kind)) continue;
    const what = checkpoint !== undefined ? `checkpoint “${checkpoint}”` : STEP_KIND_LABELS[s.kind];
    marks.push({ step: i, kind: checkpoint !== undefined ? 'checkpoint' : s.kind, text: `Step ${thousands(i + 1)} · ${what} · line ${s.line}` });
  }
  return marks;
}

export class EventMarksView {
  readonly element: HTMLElement;
  private readonly tip: HTMLElement;
  private buttons: HTMLButtonElement[] = [];

  constructor(private readonly doc: Document, private readonly goTo: (step: number) => void) {
    this.tip = h(doc, 'div', { class: 'mark-tip', role: 'tooltip', id: 'mark-tip', hidden: true });
    this.element = h(doc, 'div', { class: 'marks', role: 'toolbar', 'aria-label': 'Events: forks, copies, checkpoints' });
    this.element.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** Draws the marks of a run with `stepCount` steps; `current` decides which mark takes the tab stop. */
  draw(marks: readonly EventMark[], stepCount: number, current: number): void {
    const last = Math.max(1, stepCount - 1);
    this.buttons = marks.map((m) => {
      const button = h(this.doc, 'button', { type: 'button', class: `mark mark-${m.kind}`, tabindex: -1, 'data-step': m.step, 'aria-label': m.text });
      button.style.left = `${(m.step / last) * 100}%`;
      button.addEventListener('click', () => this.goTo(m.step));
      button.addEventListener('mouseenter', () => this.showTip(button, m.text));
      button.addEventListener('mouseleave', () => this.hideTip(button));
      button.addEventListener('focus', () => this.showTip(button, m.text));
      button.addEventListener('blur', () => this.hideTip(button));
      return button;
    });
    this.element.replaceChildren(...this.buttons, this.tip);
    this.element.hidden = this.buttons.length === 0;
    this.follow(current);
  }

  /** The tab stop goes to the last mark at or before the current step (the first mark otherwise). */
  follow(current: number): void {
    let stop = 0;
    this.buttons.forEach((b, i) => {
      if (Number(b.dataset.step) <= current) stop = i;
    });
    this.buttons.forEach((b, i) => b.setAttribute('tabindex', i === stop ? '0' : '-1'));
  }

  private onKey(e: KeyboardEvent): void {
    const at = this.buttons.indexOf(e.target as HTMLButtonElement);
    if (at < 0) return;
    const to = e.key === 'ArrowRight' ? at + 1 : e.key === 'ArrowLeft' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? this.buttons.length - 1 : -1;
    if (to < 0 || to >= this.buttons.length) {
      // The panel's own arrow keys (stepping) must not fire while the learner walks the marks.
      if (['ArrowRight', 'ArrowLeft', 'Home', 'End'].includes(e.key)) e.preventDefault();
      return;
    }
    e.preventDefault();
    this.buttons.forEach((b, i) => b.setAttribute('tabindex', i === to ? '0' : '-1'));
    this.buttons[to]?.focus();
  }

  private showTip(button: HTMLElement, text: string): void {
    this.tip.textContent = text;
    this.tip.hidden = false;
    const left = parseFloat(button.style.left) || 0;
    // Near either end the tip is anchored to that end, so it stays inside the panel.
    this.tip.dataset.anchor = left < 20 ? 'start' : left > 80 ? 'end' : 'middle';
    this.tip.style.left = this.tip.dataset.anchor === 'end' ? '' : `${left}%`;
    this.tip.style.right = this.tip.dataset.anchor === 'end' ? `${100 - left}%` : '';
  }

  private hideTip(button: HTMLElement): void {
    // Leaving with the mouse while the mark keeps the focus keeps its tip.
    if (this.doc.activeElement === button) return;
    this.tip.hidden = true;
  }
}

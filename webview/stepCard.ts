// The current step in words: its line (a link back to the editor), the statement, a badge for
// what kind of moment it is, and the engine's one-sentence explanation naming the kernel
// function. Also the problems banner shown when the edited scenario does not run.
import type { PanelSnapshot, ProblemsView } from '../src/protocol/messages';
import { h, replaceChildren } from './dom';
import { plural } from './format';
import { STEP_KIND_LABELS } from './words';

export class StepCard {
  readonly element: HTMLElement;
  private readonly line: HTMLButtonElement;
  private readonly statement: HTMLElement;
  private readonly kind: HTMLElement;
  private readonly explanation: HTMLElement;
  private position = 0;

  constructor(doc: Document, revealStatement: (position: number) => void) {
    this.line = h(doc, 'button', { class: 'line-link', type: 'button', title: 'Show this statement in the editor' });
    this.line.addEventListener('click', () => revealStatement(this.position));
    this.statement = h(doc, 'code', { class: 'statement' });
    this.kind = h(doc, 'vscode-badge', { class: 'kind' });
    this.explanation = h(doc, 'p', { class: 'explanation' });
    this.element = h(
      doc,
      'section',
      { class: 'step-card', 'aria-label': 'Current step' },
      h(doc, 'div', { class: 'step-line' }, this.line, this.statement, this.kind),
      this.explanation,
    );
  }

  update(snapshot: PanelSnapshot): void {
    const step = snapshot.step;
    this.element.hidden = !step;
    if (!step) return;
    this.position = step.position;
    this.line.textContent = `line ${step.line}`;
    this.statement.textContent = step.statement;
    this.kind.textContent = STEP_KIND_LABELS[step.kind];
    this.element.dataset.kind = step.kind;
    this.explanation.textContent = step.explanation;
  }
}

export class ProblemsBanner {
  readonly element: HTMLElement;

  constructor(private readonly doc: Document) {
    this.element = h(doc, 'section', { class: 'problems', role: 'status', 'aria-label': 'Problems in the scenario' });
  }

  update(snapshot: PanelSnapshot): void {
    const view: ProblemsView | null = snapshot.problems;
    const shown = view !== null && view.problems.length > 0;
    this.element.hidden = !shown;
    if (!view || !shown) {
      this.element.replaceChildren();
      return;
    }
    const errors = view.problems.filter((p) => p.severity === 'error').length;
    const headline = errors > 0
      ? `${view.fileName} has ${plural(errors, 'error')}${view.showingLastGood ? ': showing the last run that worked' : ': the run stopped there'}.`
      : `${view.fileName}: ${plural(view.problems.length, 'warning')}.`;
    const list = h(this.doc, 'ul', { class: 'problem-list' });
    for (const p of view.problems.slice(0, 20)) {
      list.appendChild(h(this.doc, 'li', { class: `problem ${p.severity}` }, h(this.doc, 'span', { class: 'where' }, `line ${p.line}:${p.col}`), ` ${p.severity}: ${p.message}`));
    }
    if (view.problems.length > 20) list.appendChild(h(this.doc, 'li', { class: 'problem more' }, `… and ${view.problems.length - 20} more (see the Problems view)`));
    replaceChildren(this.element, h(this.doc, 'p', { class: 'headline' }, headline), list);
    this.element.classList.toggle('has-errors', errors > 0);
  }
}

/** The screen-reader narration: one polite live region, re-announced on every step. */
export class Narrator {
  readonly element: HTMLElement;

  constructor(doc: Document) {
    this.element = h(doc, 'div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-narration': '' });
  }

  update(snapshot: PanelSnapshot): void {
    const text = snapshot.step?.narration ?? '';
    if (this.element.textContent !== text) this.element.textContent = text;
  }
}

// Predict mode in the panel: a "Predict" checkbox and the score in the toolbar, and a section
// that asks the questions about the statement about to run (the tables still show the step
// before it), sends the learner's answers, and shows each grade — right or wrong, what they
// said, the right answer and why. The host grades; this only shows what the host sends.
import type { PanelSnapshot, PredictAnswer, PredictGrade, PredictQuestionView, PredictView } from '../src/protocol/messages';
import { h, isChecked, replaceChildren, setChecked, type Child } from './dom';

export interface PredictActions {
  readonly setPredict: (on: boolean) => void;
  readonly answer: (step: number, questionId: string, answer: PredictAnswer) => void;
  /** Skips a question: counted as skipped, not wrong. */
  readonly skip: (step: number, questionId: string) => void;
}

export class PredictSection {
  readonly element: HTMLElement;
  /** The checkbox and the score, for the toolbar. */
  readonly toolbar: HTMLElement;
  private readonly toggle: HTMLElement;
  private readonly score: HTMLElement;
  private readonly heading: HTMLElement;
  /** After the step ran: folds the questions away (and back) to make room for the tables. */
  private readonly fold: HTMLButtonElement;
  private readonly next: HTMLElement;
  private readonly list: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly live: HTMLElement;
  /** Which step's questions are on show (run, step); items are rebuilt when it changes. */
  private shown = '';
  private readonly items = new Map<string, { element: HTMLElement; state: QuestionState }>();

  constructor(private readonly doc: Document, private readonly actions: PredictActions) {
    this.toggle = h(doc, 'vscode-checkbox', { class: 'predict-toggle', title: 'Before each step runs, predict what it will do (CoW Lab: Predict Mode)' }, 'Predict');
    this.toggle.addEventListener('change', () => actions.setPredict(isChecked(this.toggle)));
    this.score = h(doc, 'span', { class: 'predict-score', 'aria-label': 'Predict score' });
    this.toolbar = h(doc, 'span', { class: 'predict-tools' }, this.toggle, this.score);
    this.heading = h(doc, 'h2', { class: 'predict-heading', tabindex: -1 });
    this.fold = h(doc, 'button', { class: 'line-link predict-fold', type: 'button', 'aria-controls': 'predict-questions', 'aria-expanded': 'true' }, 'Hide');
    this.fold.addEventListener('click', () => this.setFolded(!this.list.hidden));
    this.next = h(doc, 'p', { class: 'predict-next' });
    this.list = h(doc, 'ol', { class: 'predict-questions', id: 'predict-questions' });
    this.hint = h(doc, 'p', { class: 'predict-hint' });
    this.live = h(doc, 'div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-predict-live': '' });
    this.element = h(doc, 'section', { class: 'predict', 'aria-label': 'Predict' }, h(doc, 'div', { class: 'predict-title' }, this.heading, this.fold), this.next, this.list, this.hint, this.live);
    this.element.hidden = true;
  }

  update(snapshot: PanelSnapshot): void {
    const view = snapshot.predict;
    const on = view?.on ?? false;
    setChecked(this.toggle, on);
    this.toggle.toggleAttribute('disabled', !snapshot.scenario);
    this.score.hidden = !on;
    if (view) this.score.textContent = `${view.score.correct} / ${view.score.asked} right${view.score.skipped > 0 ? ` · ${view.score.skipped} skipped` : ''}`;
    if (!view || !on || view.step === null) {
      this.element.hidden = true;
      this.shown = '';
      this.items.clear();
      this.list.replaceChildren();
      return;
    }
    this.element.hidden = false;
    this.render(view, view.step);
  }

  private render(view: PredictView, step: number): void {
    const key = `${view.runId}:${step}`;
    const fresh = key !== this.shown;
    if (fresh) {
      this.shown = key;
      this.items.clear();
      this.list.replaceChildren();
      // A step the learner comes back to shows folded; questions waiting for answers never are.
      this.setFolded(!view.pending);
    } else if (view.pending) {
      this.setFolded(false);
    }
    this.fold.hidden = view.pending;
    this.heading.textContent = view.pending ? `Predict step ${step + 1} before it runs` : `Your predictions for step ${step + 1}`;
    replaceChildren(this.next, view.pending ? 'About to run: ' : 'Ran: ', h(this.doc, 'span', { class: 'where' }, `line ${view.line} `), h(this.doc, 'code', { class: 'predict-statement' }, view.statement));
    const newGrades: PredictGrade[] = [];
    let newSkips = 0;
    for (const q of view.questions) {
      const item = this.items.get(q.id);
      const state = stateOf(q);
      if (item && item.state === state) continue;
      const element = this.item(q, step);
      if (item) item.element.replaceWith(element);
      else this.list.appendChild(element);
      this.items.set(q.id, { element, state });
      if (q.grade && item) newGrades.push(q.grade);
      if (q.skipped && item) newSkips += 1;
    }
    const waiting = view.questions.filter((q) => stateOf(q) === 'open').length;
    this.hint.textContent = view.pending
      ? `Answer ${waiting === 1 ? 'the question' : `all ${waiting} questions`} (or skip ${waiting === 1 ? 'it' : 'them'}) to see the step run. Forward waits until then.`
      : 'The step ran: compare your predictions with the tables below.';
    // Announce the question when it first shows, and each grade as it arrives.
    if (fresh && view.pending) {
      this.live.textContent = `Predict step ${step + 1}, ${view.statement}: ${view.questions.find((q) => stateOf(q) === 'open')?.prompt ?? ''}`;
      this.focusFirst();
    } else if (newGrades.length > 0 || newSkips > 0) {
      const next = view.pending ? view.questions.find((q) => stateOf(q) === 'open') : undefined;
      const skipped = newSkips > 0 ? [`Skipped ${newSkips === 1 ? 'a question' : `${newSkips} questions`}.`] : [];
      this.live.textContent = [...newGrades.map(gradeSentence), ...skipped, next ? `Next: ${next.prompt}` : view.pending ? '' : 'The step ran.'].filter(Boolean).join(' ');
      if (next) this.focusFirst();
      else this.heading.focus();
    }
  }

  private setFolded(folded: boolean): void {
    this.list.hidden = folded;
    this.hint.hidden = folded;
    this.fold.textContent = folded ? 'Show the questions' : 'Hide';
    this.fold.setAttribute('aria-expanded', String(!folded));
  }

  private focusFirst(): void {
    const control = this.list.querySelector<HTMLElement>('[data-answer], input');
    control?.focus();
  }

  private item(q: PredictQuestionView, step: number): HTMLElement {
    const promptId = `predict-${q.id.replace(/[^a-z0-9]+/gi, '-')}`;
    const li = h(this.doc, 'li', { class: 'predict-question', 'data-question-id': q.id, 'data-kind': q.kind }, h(this.doc, 'p', { class: 'prompt', id: promptId }, ...withCode(this.doc, q.prompt)));
    if (q.grade) {
      li.appendChild(gradeBox(this.doc, q.grade));
      return li;
    }
    if (q.skipped) {
      li.appendChild(h(this.doc, 'p', { class: 'grade skipped', 'data-skipped': '' }, h(this.doc, 'span', { class: 'mark', 'aria-hidden': 'true' }, '–'), h(this.doc, 'strong', {}, ' Skipped'), ' — not counted. The tables show the answer once the step runs.'));
      return li;
    }
    const group = h(this.doc, 'div', { class: 'answers', role: 'group', 'aria-labelledby': promptId });
    const send = (answer: PredictAnswer) => this.actions.answer(step, q.id, answer);
    if (q.form === 'count' || q.form === 'pages') {
      // A PSS may be a fraction of a page: typed as text (2.5, 7/3), sent as typed, read exactly by the host.
      const pages = q.form === 'pages';
      const input = pages
        ? h(this.doc, 'input', { type: 'text', inputmode: 'decimal', placeholder: '2.5 or 7/3', maxlength: 19, class: 'count-input pages-input', 'aria-labelledby': promptId })
        : h(this.doc, 'input', { type: 'number', min: 0, step: 1, inputmode: 'numeric', class: 'count-input', 'aria-labelledby': promptId });
      const check = h(this.doc, 'vscode-button', { class: 'check', tabindex: 0, 'data-check': '' }, 'Check');
      const submit = () => {
        const text = input.value.trim();
        if (pages && /^(?:\d{1,9}(?:\.\d{1,9})?|\d{1,9}\/\d{1,9})$/.test(text)) send(text);
        else if (!pages && /^\d{1,9}$/.test(text)) send(Number(text));
        else input.setAttribute('aria-invalid', 'true');
      };
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          submit();
        }
      });
      check.addEventListener('click', submit);
      group.append(input, check);
    } else {
      const choices = q.form === 'yes-no' ? [{ id: 'yes', label: 'Yes', answer: true }, { id: 'no', label: 'No', answer: false }] : q.choices.map((c) => ({ ...c, answer: c.id }));
      for (const c of choices) {
        const button = h(this.doc, 'vscode-button', { secondary: true, tabindex: 0, 'data-answer': c.id }, c.label);
        button.addEventListener('click', () => send(c.answer));
        group.appendChild(button);
      }
    }
    const skip = h(this.doc, 'vscode-button', { class: 'skip', secondary: true, tabindex: 0, 'data-skip': '', icon: 'debug-step-over', title: 'Skip this question: it counts as skipped, not wrong' }, 'Skip');
    skip.addEventListener('click', () => this.actions.skip(step, q.id));
    group.appendChild(skip);
    li.appendChild(group);
    return li;
  }
}

function gradeSentence(g: PredictGrade): string {
  return g.correct ? `Right: ${g.answerText}.` : `Not quite: you said ${g.givenText}; the answer is ${g.answerText}.`;
}

function gradeBox(doc: Document, g: PredictGrade): HTMLElement {
  return h(
    doc,
    'div',
    { class: `grade ${g.correct ? 'right' : 'wrong'}`, 'data-correct': String(g.correct) },
    h(doc, 'p', { class: 'verdict' }, h(doc, 'span', { class: 'mark', 'aria-hidden': 'true' }, g.correct ? '✓' : '✗'), h(doc, 'strong', {}, g.correct ? ' Right' : ' Not quite'),
      ` — you said ${g.givenText}${g.correct ? '.' : `; the answer is ${g.answerText}.`}`),
    h(doc, 'p', { class: 'why' }, ...withCode(doc, g.explanation)),
  );
}

/** Text with `backquoted` statements as code: "Will `child: write heap[1]` copy a frame?". */
function withCode(doc: Document, text: string): Child[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? h(doc, 'code', { class: 'predict-code' }, part) : part));
}

type QuestionState = 'open' | 'graded' | 'skipped';

function stateOf(q: PredictQuestionView): QuestionState {
  return q.grade !== null ? 'graded' : q.skipped ? 'skipped' : 'open';
}

// The panel's header and timeline: the scenario's name and policy, "Compare with full copy",
// first / back / forward / last, the position, and a scrubber over every step with a mark for
// each fork, copy and checkpoint (eventMarks.ts). Controls only ask the host; what shows is what the host sends.
import type { NavigationTarget, PanelSnapshot } from '../src/protocol/messages';
import { h, isChecked, setChecked } from './dom';
import { thousands } from './format';
import { EventMarksView, eventMarks } from './eventMarks';

export interface TimelineActions {
  readonly navigate: (to: NavigationTarget) => void;
  readonly goTo: (position: number) => void;
  readonly setCompare: (on: boolean) => void;
}

const FORWARD_TITLE = 'Step forward (→ in the panel, F10 in the editor)';

/** Icons are codicons (the debugger's: reverse-continue, step back, step over, continue). */
const BUTTONS: readonly { to: NavigationTarget; label: string; icon: string; title: string; secondary: boolean }[] = [
  { to: 'first', label: 'First', icon: 'debug-reverse-continue', title: 'First step (Home)', secondary: true },
  { to: 'back', label: 'Back', icon: 'debug-step-back', title: 'Step back (← in the panel, Ctrl+F10 in the editor)', secondary: true },
  { to: 'forward', label: 'Forward', icon: 'debug-step-over', title: FORWARD_TITLE, secondary: false },
  { to: 'last', label: 'Last', icon: 'debug-continue', title: 'Last step (End)', secondary: true },
];

export class TimelineView {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly policy: HTMLElement;
  private readonly compare: HTMLElement;
  private readonly position: HTMLElement;
  private readonly scrubber: HTMLInputElement;
  private readonly marks: EventMarksView;
  private readonly buttons = new Map<NavigationTarget, HTMLElement>();
  private tickedRun = -1;

  constructor(doc: Document, actions: TimelineActions) {
    this.title = h(doc, 'h1', { class: 'scenario-name' }, 'CoW Lab');
    this.policy = h(doc, 'vscode-badge', { class: 'policy' });
    this.compare = h(doc, 'vscode-checkbox', { class: 'compare', title: 'Show the same scenario on a machine that copies every page at fork' }, 'Compare with full copy');
    this.compare.addEventListener('change', () => actions.setCompare(isChecked(this.compare)));
    const nav = h(doc, 'div', { class: 'nav', role: 'toolbar', 'aria-label': 'Timeline' });
    this.position = h(doc, 'span', { class: 'position' }, '');
    for (const b of BUTTONS) {
      // The label hides on a narrow panel (CSS); the accessible name stays.
      const button = h(doc, 'vscode-button', { 'data-nav': b.to, title: b.title, 'aria-label': b.title, secondary: b.secondary, icon: b.icon }, h(doc, 'span', { class: 'label' }, b.label));
      button.addEventListener('click', () => {
        if (!button.hasAttribute('disabled')) actions.navigate(b.to);
      });
      this.buttons.set(b.to, button);
      nav.appendChild(button);
      if (b.to === 'back') nav.appendChild(this.position);
    }
    this.scrubber = h(doc, 'input', { type: 'range', class: 'scrubber', min: 0, max: 0, value: 0, step: 1, 'aria-label': 'Step' });
    this.scrubber.addEventListener('input', () => actions.goTo(Number(this.scrubber.value)));
    this.marks = new EventMarksView(doc, (step) => actions.goTo(step));
    this.element = h(
      doc,
      'header',
      { class: 'panel-header' },
      h(doc, 'div', { class: 'title-row' }, this.title, this.policy, h(doc, 'span', { class: 'spacer' }), this.compare),
      nav,
      h(doc, 'div', { class: 'scrubber-wrap' }, this.scrubber, this.marks.element),
    );
  }

  update(snapshot: PanelSnapshot): void {
    const { scenario, step } = snapshot;
    this.title.textContent = scenario ? scenario.fileName : 'CoW Lab';
    this.policy.textContent = scenario ? (scenario.policy === 'cow' ? 'copy-on-write' : 'eager full copy') : '';
    this.policy.hidden = !scenario;
    setChecked(this.compare, snapshot.compare);
    this.compare.toggleAttribute('disabled', !scenario || scenario.comparisonPolicy === null);
    const count = scenario?.steps.length ?? 0;
    const position = step?.position ?? 0;
    this.position.textContent = count > 0 ? `Step ${thousands(position + 1)} of ${thousands(count)}` : 'No steps';
    this.scrubber.max = String(Math.max(0, count - 1));
    this.scrubber.value = String(position);
    this.scrubber.disabled = count < 2;
    this.scrubber.setAttribute('aria-valuetext', step ? `Step ${position + 1} of ${count}: ${step.statement}` : 'No steps');
    this.setEnabled('first', position > 0);
    this.setEnabled('back', position > 0);
    // Predict mode holds the next step back until its questions are answered or skipped.
    const waiting = snapshot.predict?.on === true && snapshot.predict.pending;
    this.setEnabled('forward', position < count - 1 && !waiting);
    this.setEnabled('last', position < count - 1 && !waiting);
    const forward = this.buttons.get('forward');
    const title = waiting ? 'Answer or skip the questions first: the step runs once they are done' : FORWARD_TITLE;
    if (forward && forward.title !== title) forward.title = title;
    if (scenario && scenario.runId !== this.tickedRun) {
      this.tickedRun = scenario.runId;
      this.marks.draw(eventMarks(scenario.steps), scenario.steps.length, position);
    } else {
      this.marks.follow(position);
    }
  }

  private setEnabled(to: NavigationTarget, enabled: boolean): void {
    this.buttons.get(to)?.toggleAttribute('disabled', !enabled);
  }
}

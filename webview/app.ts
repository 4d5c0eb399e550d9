// The panel's front end: holds the latest snapshot from the host, renders it, and turns the
// learner's input into messages. Pure DOM (no `vscode` module, no globals): main.ts gives it a
// document and a port to the host, the unit tests give it jsdom and a recording port.
//
// Sections render in order from the snapshot; a later mode (the tutorial's predict mode) adds
// its own section with addSection() and its own message types, without touching the others.
import {
  PANEL_STATE_VERSION,
  type HostMessage, type MachineKey, type MachinePanel, type NavigationTarget, type PanelSnapshot, type PersistedPanelState, type StepView, type WebviewMessage,
} from '../src/protocol/messages';
import { MachineDiagram } from './diagram';
import { h } from './dom';
import { GoToPageBox } from './goToPage';
import { legend } from './legend';
import { MachineData } from './machineData';
import { MemorySection } from './memoryView';
import { PredictSection } from './predictView';
import { StatsPanel } from './statsView';
import { StorageSection } from './storageView';
import { Narrator, ProblemsBanner, StepCard } from './stepCard';
import { TimelineView } from './timeline';

export interface HostPort {
  post(message: WebviewMessage): void;
  /** getState/setState: what a reload gives back to the serializer. */
  saveState(state: PersistedPanelState): void;
}

export interface PanelSection {
  readonly element: HTMLElement;
  update(snapshot: PanelSnapshot): void;
}

export class PanelApp {
  private snapshot: PanelSnapshot;
  private readonly sections: PanelSection[] = [];
  private readonly diagramsHost: HTMLElement;
  private readonly empty: HTMLElement;
  private diagrams: MachineDiagram[] = [];
  /** Scroll offsets of every table and frames list, kept across steps. */
  private readonly scrolls = new Map<string, number>();
  private readonly goToPage: GoToPageBox;
  private readonly storage: StorageSection;

  constructor(
    private readonly doc: Document,
    readonly root: HTMLElement,
    private readonly port: HostPort,
    snapshot: PanelSnapshot,
  ) {
    this.snapshot = snapshot;
    const timeline = new TimelineView(doc, {
      navigate: (to) => this.navigate(to),
      goTo: (position) => port.post({ type: 'goTo', position }),
      setCompare: (on) => port.post({ type: 'setCompare', on }),
    });
    this.empty = h(doc, 'p', { class: 'empty' }, 'Open a .cow scenario and run “CoW Lab: Run Scenario” (the ▶ button above the editor, or the CodeLens on its first line).');
    this.diagramsHost = h(doc, 'div', { class: 'diagrams' });
    const narrator = new Narrator(doc);
    this.sections.push(timeline, new ProblemsBanner(doc), new StepCard(doc, (position) => port.post({ type: 'revealStatement', position })));
    root.append(...this.sections.map((s) => s.element), this.empty, this.diagramsHost);
    const stats = new StatsPanel(doc);
    this.sections.push(stats, narrator);
    root.append(stats.element, legend(doc), narrator.element);
    // Predict mode: its checkbox and score in the toolbar, its questions above the tables.
    const predict = new PredictSection(doc, {
      setPredict: (on) => port.post({ type: 'setPredict', on }),
      answer: (step, questionId, answer) => port.post({ type: 'predictAnswer', step, questionId, answer }),
      skip: (step, questionId) => port.post({ type: 'predictSkip', step, questionId }),
    });
    timeline.element.querySelector('.title-row .spacer')?.after(predict.toolbar);
    this.addSection(predict);
    this.goToPage = new GoToPageBox(doc, (r) => port.post({ type: 'goToPage', process: r.process, region: r.region, page: r.page }));
    this.addSection(this.goToPage);
    // RES / PSS / USS per process (issue 17): below the tables, above the cost table.
    this.addSection(new MemorySection(doc), false);
    // Volumes, containers, files and blocks: right below the memory diagrams (above RES / PSS / USS).
    this.storage = new StorageSection(doc, { requestRows: (space, file, start, count) => this.requestStorageRows(space, file, start, count) });
    this.addSection(this.storage, false);
    doc.addEventListener('keydown', (e) => this.onKey(e));
    this.render(true);
  }

  /** Adds a section (before the diagrams unless told otherwise) that follows every snapshot. */
  addSection(section: PanelSection, beforeDiagrams = true): void {
    this.sections.push(section);
    this.root.insertBefore(section.element, beforeDiagrams ? this.empty : this.diagramsHost.nextSibling);
    section.update(this.snapshot);
  }

  get current(): PanelSnapshot {
    return this.snapshot;
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'snapshot':
        this.snapshot = message.snapshot;
        this.render(true);
        break;
      case 'step':
        this.snapshot = { ...this.snapshot, step: message.step };
        this.render(true);
        break;
      case 'predict':
        this.snapshot = { ...this.snapshot, predict: message.predict };
        this.render(false);
        break;
      case 'compare':
        this.snapshot = { ...this.snapshot, compare: message.on, step: message.step ?? this.snapshot.step };
        this.render(true);
        break;
      case 'pageFound': {
        const step = this.snapshot.step;
        if (!step || step.runId !== message.runId || step.position !== message.position) return;
        for (const f of message.found) this.diagrams.find((d) => d.data.panel.key === f.machine)?.table(f.process, message.region)?.list.setActive(f.row);
        this.goToPage.found(message.region, message.page, message.found);
        break;
      }
      case 'rows': {
        const step = this.snapshot.step;
        if (!step || step.runId !== message.runId || step.position !== message.position) return;
        const diagram = this.diagrams.find((d) => d.data.panel.key === message.machine);
        if (!diagram) return;
        diagram.data.addFrames(message.frames, message.spans, message.zeroPageMapped);
        diagram.addRows(message.process, message.region, message.window);
        break;
      }
      case 'fileRows':
      case 'blockRows':
        this.storage.receive(message);
        break;
      default:
        // A message from a newer host: nothing to do with it.
        break;
    }
  }

  private render(stepChanged: boolean): void {
    for (const s of this.sections) s.update(this.snapshot);
    const step = this.snapshot.step;
    this.empty.hidden = step !== null || this.snapshot.problems !== null;
    if (stepChanged) this.renderDiagrams(step);
    this.persist();
  }

  /** Asks the host for rows of the step on show now (a diagram kept across steps asks for the current one). */
  private requestRows(machine: MachineKey, process: string, region: string, start: number, count: number): void {
    const step = this.snapshot.step;
    if (step) this.port.post({ type: 'requestRows', runId: step.runId, position: step.position, machine, process, region, start, count });
  }

  private requestStorageRows(space: string | null, file: string | null, start: number, count: number): void {
    const step = this.snapshot.step;
    if (step) this.port.post({ type: 'requestStorageRows', runId: step.runId, position: step.position, space, file, start, count });
  }

  private renderDiagrams(step: StepView | null): void {
    // A storage-only scenario has no memory to draw: its empty machines are left out.
    const machines = (step?.machines ?? []).filter((m) => !step?.storage || m.processes.length > 0 || m.exited.length > 0 || m.framesInUse > 0);
    // Same machines, same shape: update the elements in place (cheap for the browser).
    const data = (m: MachinePanel) => new MachineData(m, (m.key === 'primary' ? step?.stats.primary : step?.stats.comparison)?.peakFrames ?? 0);
    if (machines.length === this.diagrams.length && machines.every((m, i) => this.diagrams[i]?.update(data(m)))) return;
    this.diagrams = machines.map((m) => new MachineDiagram(this.doc, data(m), machineTitle(m.policy, m.key), {
        requestRows: (...args) => this.requestRows(...args),
        expand: (machine, process, region, first, last) => this.port.post({ type: 'expandRun', machine, process, region, first, last }),
        collapse: (machine, process, region, page) => this.port.post({ type: 'collapseRun', machine, process, region, page }),
      }, this.scrolls));
    this.diagramsHost.replaceChildren(...this.diagrams.map((d) => d.element));
    for (const d of this.diagrams) d.mount();
  }

  /** Lines between entries and frames need layout: redraw them all now (resize, theme change). */
  redrawLinks(): void {
    for (const d of this.diagrams) d.scheduleLinks();
    this.storage.scheduleLinks();
  }

  private persist(): void {
    const document = this.snapshot.document;
    if (!document) return;
    const saved = this.snapshot.predict?.saved;
    const predict = saved && (saved.on || saved.graded.length > 0) ? { predict: saved } : {};
    this.port.saveState({ version: PANEL_STATE_VERSION, document, position: this.snapshot.step?.position ?? 0, compare: this.snapshot.compare, ...predict });
  }

  private navigate(to: NavigationTarget): void {
    this.port.post({ type: 'navigate', to });
  }

  /** ← → Home End step through the timeline, unless focus is somewhere those keys mean something else. */
  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.defaultPrevented) return;
    const target = e.target as HTMLElement | null;
    if (target && (target.closest('input, textarea, select, [role="rowgroup"], [role="list"], .marks') !== null)) return;
    const to: NavigationTarget | undefined = { ArrowRight: 'forward', ArrowLeft: 'back', Home: 'first', End: 'last' }[e.key] as NavigationTarget | undefined;
    if (!to) return;
    e.preventDefault();
    this.navigate(to);
  }
}

function machineTitle(policy: 'cow' | 'eager', key: MachineKey): string {
  const name = policy === 'cow' ? 'Copy-on-write (what Linux does)' : 'Full copy (every page copied at fork)';
  return key === 'comparison' ? `${name}: the same scenario, for comparison` : name;
}

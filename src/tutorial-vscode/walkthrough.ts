// The walkthrough's links that act on a step's scenario, and the steps' ticks.
//
// cowLab.walkthroughAction [sample, action, text?] acts on the learner's copy of `sample` whatever
// editor or page is active (the Welcome page, usually): it opens the copy (the one the step's first
// link opened, or a new one), makes the panel show it (running it if the panel shows something
// else), then does `action`: run (nothing more), stepForward, stepBack, compare, or goTo (puts the
// cursor on the first line starting with `text`; the panel follows the cursor).
//
// A step ticks on a context key set only when its action worked, read from what the panel shows
// (whichever way the learner got there: a link, F10, the play button): WalkthroughProgress.
import * as vscode from 'vscode';
import type { LearnerCopies } from './copies';

export const WALKTHROUGH_ACTION = 'cowLab.walkthroughAction';

/** What the tutorial reads of the panel (src/panel's controller provides it). */
export interface PanelWatch {
  readonly onDidChange: vscode.Event<void>;
  inspect(): { readonly open: boolean; readonly document: string | null; readonly position: number; readonly stepCount: number; readonly compare: boolean };
}

type Action = 'run' | 'stepForward' | 'stepBack' | 'compare' | 'goTo';
const ACTIONS: readonly Action[] = ['run', 'stepForward', 'stepBack', 'compare', 'goTo'];

export function registerWalkthrough(context: vscode.ExtensionContext, copies: LearnerCopies, panel: PanelWatch): WalkthroughProgress {
  const progress = new WalkthroughProgress(copies, panel);
  context.subscriptions.push(
    progress,
    vscode.commands.registerCommand(WALKTHROUGH_ACTION, async (sample?: unknown, action?: unknown, text?: unknown) => {
      const done = await act(copies, panel, sample, action, text);
      // The rule-change step: the panel now shows the old rules' leaking write.
      if (done && sample === '20-vmsplice-kernel-4-19.cow' && action === 'goTo') await markDone(DONE.leak20);
      return done;
    }),
  );
  return progress;
}

async function act(copies: LearnerCopies, panel: PanelWatch, sample: unknown, action: unknown, text: unknown): Promise<boolean> {
  if (typeof sample !== 'string' || !ACTIONS.includes(action as Action)) return false;
  const document = await copies.open(sample, 'sample');
  if (!document) return false;
  const uri = document.uri.toString();
  const shown = (): boolean => {
    const s = panel.inspect();
    return s.open && s.document === uri && s.stepCount > 0;
  };
  if (!shown()) await vscode.commands.executeCommand('cowLab.run', document.uri);
  if (!shown()) return false; // the scenario has errors: the panel lists them
  switch (action as Action) {
    case 'run':
      return true;
    case 'stepForward':
    case 'stepBack':
      await vscode.commands.executeCommand(`cowLab.${action as string}`);
      return true;
    case 'compare':
      await vscode.commands.executeCommand('cowLab.compare', document.uri);
      return panel.inspect().compare;
    case 'goTo': {
      const index = typeof text === 'string' ? document.getText().split(/\r?\n/).findIndex((l) => l.trimStart().startsWith(text)) : -1;
      if (index < 0) return false;
      const editor = await vscode.window.showTextDocument(document, { preview: false });
      const at = new vscode.Position(index, 0);
      editor.selection = new vscode.Selection(at, at);
      editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      return true;
    }
  }
}

/** Context keys the walkthrough's completionEvents wait for (onContext:cowLab.tutorial.…). */
export const DONE = {
  ran11: 'cowLab.tutorial.ran11',
  stepped01: 'cowLab.tutorial.stepped01',
  back03: 'cowLab.tutorial.back03',
  compared: 'cowLab.tutorial.compared',
  table: 'cowLab.tutorial.tableShown',
  exercise: 'cowLab.tutorial.exerciseOpened',
  verified: 'cowLab.tutorial.verified',
  measured: 'cowLab.tutorial.measured',
  leak20: 'cowLab.tutorial.leak20',
} as const;

export async function markDone(key: string): Promise<void> {
  await vscode.commands.executeCommand('setContext', key, true);
}

/** Ticks the panel's steps from what the panel shows, each time it changes. */
export class WalkthroughProgress implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private last: { document: string | null; position: number } = { document: null, position: 0 };
  private readonly done = new Set<string>();

  constructor(
    private readonly copies: LearnerCopies,
    private readonly panel: PanelWatch,
  ) {
    this.subscription = panel.onDidChange(() => this.check());
  }

  private check(): void {
    const s = this.panel.inspect();
    const previous = this.last;
    this.last = { document: s.document, position: s.position };
    if (!s.open || s.document === null || s.stepCount === 0) return;
    const same = previous.document === s.document;
    if (this.copies.isCopyOf(s.document, '11-cow-mode.cow')) this.tick(DONE.ran11);
    if (same && s.position > previous.position && this.copies.isCopyOf(s.document, '01-first-fork.cow')) this.tick(DONE.stepped01);
    if (same && s.position < previous.position && this.copies.isCopyOf(s.document, '03-page-granularity.cow')) this.tick(DONE.back03);
    if (s.compare) this.tick(DONE.compared);
  }

  private tick(key: string): void {
    if (this.done.has(key)) return;
    this.done.add(key);
    void markDone(key);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

// The link between a `cow` debug session and the CoW Lab panel, behind a small interface so the
// debugger does not depend on how the panel is built. The panel shows the statement the session
// is stopped on (the one about to run) and what it does; stepping in the panel moves the session.
import * as vscode from 'vscode';
import { GOTO_REQUEST, POSITION_EVENT } from './adapter';
import { programUri } from './program';

/** What the debugger needs from the panel. */
export interface StepPanel {
  /** Shows step `position` of the scenario `uri` (running it in the panel first if needed). */
  show(uri: vscode.Uri, position: number): Promise<void>;
  /** The scenario and step the panel shows, or null when it shows none. */
  current(): { readonly document: string; readonly position: number; readonly stepCount: number } | null;
  /** Fires after the panel changed what it shows. */
  readonly onDidChange: vscode.Event<void>;
}

interface PositionBody {
  readonly program: string;
  readonly position: number;
  readonly stepCount: number;
}

export function linkPanel(panel: StepPanel): vscode.Disposable {
  /** Per session: the panel position we last asked for (so our own moves are not sent back). */
  const shown = new Map<string, { uri: string; position: number; stepCount: number }>();
  let active: vscode.DebugSession | undefined;
  let showing = 0;
  const subscriptions = [
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== 'cow' || e.event !== POSITION_EVENT) return;
      const body = e.body as PositionBody;
      const uri = programUri(body.program);
      // At the end (every statement ran) the panel stays on the last step.
      const position = Math.max(0, Math.min(body.position, body.stepCount - 1));
      shown.set(e.session.id, { uri: uri.toString(), position, stepCount: body.stepCount });
      active = e.session;
      if (body.stepCount === 0) return;
      // While the panel opens and moves, its intermediate states are ours, not the learner's.
      showing += 1;
      panel.show(uri, position).then(
        () => (showing -= 1),
        () => (showing -= 1),
      );
    }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      shown.delete(s.id);
      if (active?.id === s.id) active = undefined;
    }),
    panel.onDidChange(() => {
      if (showing > 0) return;
      const session = active ?? vscode.debug.activeDebugSession;
      const now = panel.current();
      const expected = session && shown.get(session.id);
      if (!session || !now || !expected || now.document !== expected.uri || now.stepCount !== expected.stepCount) return;
      if (now.position === expected.position) return;
      // The learner stepped in the panel: the session goes there too.
      shown.set(session.id, { ...expected, position: now.position });
      void Promise.resolve(session.customRequest(GOTO_REQUEST, { position: now.position })).catch(() => undefined);
    }),
  ];
  return vscode.Disposable.from(...subscriptions);
}

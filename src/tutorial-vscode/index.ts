// The tutorial in VS Code: commands behind the walkthrough's links (open a sample or a quiz as
// the learner's own copy, act on it in the panel, new exercise, check answers, the comparison
// table, verify on the kernel), the steps' ticks, and the `cow-lab` command on the PATH of VS
// Code's terminals. Thin glue over the pure src/tutorial; the composition root calls
// registerTutorial(context, panel) once.
import * as vscode from 'vscode';
import { registerComparison } from './comparison';
import { LearnerCopies } from './copies';
import { registerExercises } from './exercises';
import type { registerKernelCheck } from './kernel';
import { registerSamples, Samples } from './samples';
import { DONE, markDone, registerWalkthrough, type PanelWatch } from './walkthrough';

export type { PanelWatch } from './walkthrough';

/**
 * What only the Node build has: the kernel check's terminal. (`cow-lab` on the terminals' PATH is
 * put there at activation by src/extension.ts, before this part loads.)
 */
export interface NodeTutorial {
  readonly registerKernelCheck: typeof registerKernelCheck;
}

/** `node` is left out in the browser build, which has no terminal or compiler to check with. */
export function registerTutorial(context: vscode.ExtensionContext, panel: PanelWatch, node?: NodeTutorial): void {
  const samples = new Samples(context.extensionUri);
  const copies = new LearnerCopies(samples);
  const output = vscode.window.createOutputChannel('CoW Lab Exercises');
  context.subscriptions.push(output);
  registerSamples(context, samples, copies);
  registerExercises(context, samples, copies, output);
  registerComparison(context, copies, () => void markDone(DONE.table));
  registerWalkthrough(context, copies, panel);
  if (!node) return;
  node.registerKernelCheck(context, copies, () => void markDone(DONE.verified));
}

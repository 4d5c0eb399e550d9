// The tutorial in VS Code: commands behind the walkthrough's buttons (open a sample or a quiz,
// new exercise, check answers, the comparison table, verify on the kernel). Thin glue over the
// pure src/tutorial; the composition root calls registerTutorial(context) once.
import * as vscode from 'vscode';
import { registerComparison } from './comparison';
import { registerExercises } from './exercises';
import { registerKernelCheck } from './kernel';
import { registerSamples, Samples } from './samples';

export function registerTutorial(context: vscode.ExtensionContext): void {
  const samples = new Samples(context.extensionUri);
  const output = vscode.window.createOutputChannel('CoW Lab Exercises');
  context.subscriptions.push(output);
  registerSamples(context, samples);
  registerExercises(context, samples, output);
  registerComparison(context);
  registerKernelCheck(context, samples);
}

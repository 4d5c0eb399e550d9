// The tutorial in VS Code: commands behind the walkthrough's buttons (open a sample or a quiz,
// new exercise, check answers, the comparison table, verify on the kernel). Thin glue over the
// pure src/tutorial; the composition root calls registerTutorial(context) once.
import * as vscode from 'vscode';
import { registerComparison } from './comparison';
import { registerExercises } from './exercises';
import { registerKernelCheck } from './kernel';
import { registerSamples, Samples } from './samples';

/** `kernelCheck: false` in the browser build, which has no terminal or compiler to check with. */
export function registerTutorial(context: vscode.ExtensionContext, options: { readonly kernelCheck: boolean } = { kernelCheck: true }): void {
  const samples = new Samples(context.extensionUri);
  const output = vscode.window.createOutputChannel('CoW Lab Exercises');
  context.subscriptions.push(output);
  registerSamples(context, samples);
  registerExercises(context, samples, output);
  registerComparison(context);
  if (options.kernelCheck) registerKernelCheck(context, samples);
}

// cowLab.openSample: opens the learner's own copy of a sample shipped in the extension's samples/
// folder (copies.ts), as it is or as a quiz (its values turned into questions). The walkthrough's
// buttons call it with arguments; from the command palette it offers a list.
import * as vscode from 'vscode';
import type { LearnerCopies } from './copies';

export const OPEN_SAMPLE = 'cowLab.openSample';

/** Sample file names: two digits, a dash, lowercase words (`02-write-fault.cow`). */
const SAMPLE_NAME = /^\d{2}-[a-z0-9-]+\.cow$/;

export interface OpenSampleOptions {
  /** Open a quiz made from the sample (its values turned into questions) instead of the sample. */
  readonly quiz?: boolean;
}

export class Samples {
  constructor(private readonly extensionUri: vscode.Uri) {}

  uri(name: string): vscode.Uri | undefined {
    return SAMPLE_NAME.test(name) ? vscode.Uri.joinPath(this.extensionUri, 'samples', name) : undefined;
  }

  async list(): Promise<string[]> {
    const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(this.extensionUri, 'samples'));
    return entries.map(([name]) => name).filter((name) => SAMPLE_NAME.test(name)).sort();
  }

  async read(name: string): Promise<string | undefined> {
    const uri = this.uri(name);
    if (!uri) return undefined;
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
  }

  /** The list of samples to choose from ("Open Sample…" from the palette). */
  async pick(): Promise<string | undefined> {
    const names = await this.list();
    const items = await Promise.all(
      names.map(async (name) => ({ label: name, detail: firstComment(await this.read(name)) })),
    );
    // ignoreFocusOut: opened from the Welcome page, which takes the focus back as it re-renders.
    return (await vscode.window.showQuickPick(items, { title: 'Open a CoW Lab sample', matchOnDetail: true, ignoreFocusOut: true }))?.label;
  }
}

/** The sample's first line without its `# `: what it teaches. */
function firstComment(text: string | undefined): string {
  const first = text?.split(/\r?\n/, 1)[0] ?? '';
  return first.replace(/^#\s*/, '');
}

export function registerSamples(context: vscode.ExtensionContext, samples: Samples, copies: LearnerCopies): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(OPEN_SAMPLE, async (name?: unknown, options?: unknown) => {
      const chosen = typeof name === 'string' ? name : await samples.pick();
      if (chosen === undefined) return undefined;
      return copies.open(chosen, isOptions(options) && options.quiz === true ? 'quiz' : 'sample');
    }),
  );
}

function isOptions(x: unknown): x is OpenSampleOptions {
  return typeof x === 'object' && x !== null && (!('quiz' in x) || typeof (x as { quiz: unknown }).quiz === 'boolean');
}

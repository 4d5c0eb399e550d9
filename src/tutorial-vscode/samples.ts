// cowLab.openSample: opens a sample shipped in the extension's samples/ folder — as it is
// (read-only for this session, so the shipped copy stays as written), or as a quiz (an untitled
// copy whose values are questions). The walkthrough's buttons call it with arguments; from the
// command palette it offers a list.
import * as vscode from 'vscode';
import { quizFromSample } from '../tutorial';

export const OPEN_SAMPLE = 'cowLab.openSample';

/** Sample file names: two digits, a dash, lowercase words (`02-write-fault.cow`). */
const SAMPLE_NAME = /^\d{2}-[a-z0-9-]+\.cow$/;

export interface OpenSampleOptions {
  /** Open an untitled quiz made from the sample instead of the sample itself. */
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

  /** Opens a sample (or its quiz) in an editor; resolves to the document, or undefined if cancelled. */
  async open(name: unknown, options: OpenSampleOptions = {}): Promise<vscode.TextDocument | undefined> {
    const chosen = typeof name === 'string' ? name : await this.pick();
    if (chosen === undefined) return undefined;
    const uri = this.uri(chosen);
    const text = await this.read(chosen);
    if (!uri || text === undefined) {
      void vscode.window.showErrorMessage(`CoW Lab has no sample named ${JSON.stringify(chosen)}.`);
      return undefined;
    }
    if (options.quiz === true) {
      const quiz = quizFromSample(chosen, text);
      const document = await vscode.workspace.openTextDocument({ language: 'cow', content: quiz.source });
      await vscode.window.showTextDocument(document, { preview: false });
      return document;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    // Keep the shipped file as written; "File: Toggle Active Editor Read-only" lifts this.
    await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession').then(undefined, () => undefined);
    return document;
  }

  private async pick(): Promise<string | undefined> {
    const names = await this.list();
    const items = await Promise.all(
      names.map(async (name) => ({ label: name, detail: firstComment(await this.read(name)) })),
    );
    return (await vscode.window.showQuickPick(items, { title: 'Open a CoW Lab sample', matchOnDetail: true }))?.label;
  }
}

/** The sample's first line without its `# `: what it teaches. */
function firstComment(text: string | undefined): string {
  const first = text?.split(/\r?\n/, 1)[0] ?? '';
  return first.replace(/^#\s*/, '');
}

export function registerSamples(context: vscode.ExtensionContext, samples: Samples): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(OPEN_SAMPLE, (name?: unknown, options?: unknown) => samples.open(name, isOptions(options) ? options : {})),
  );
}

function isOptions(x: unknown): x is OpenSampleOptions {
  return typeof x === 'object' && x !== null && (!('quiz' in x) || typeof (x as { quiz: unknown }).quiz === 'boolean');
}

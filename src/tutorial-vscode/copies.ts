// The learner's own copies of what the tutorial opens: a sample, a quiz made from one, an
// exercise. Never the extension's files (those are read-only in an installed extension, and
// the walkthrough invites the learner to change what it opens). With a folder open, a copy is a
// file in its `cow-lab/` folder, made once and reopened as the learner left it; with no folder,
// an untitled document, reused while it stays open. Each copy is remembered by what it is a copy
// of, so a walkthrough link can act on "the first fork" whichever editor is active.
import * as vscode from 'vscode';
import { createExercise, quizFromSample, type ExerciseKind } from '../tutorial';
import type { Samples } from './samples';

/** The folder, inside the first workspace folder, that holds the learner's copies. */
export const COPIES_FOLDER = 'cow-lab';

export type CopyKind = 'sample' | 'quiz';

export class LearnerCopies {
  /** What each copy is of ("sample:01-first-fork.cow") → the document's URI. */
  private readonly remembered = new Map<string, vscode.Uri>();

  constructor(private readonly samples: Samples) {}

  /** The copy's file name: the sample's own name, `…-quiz.cow` for its quiz. */
  static fileName(sample: string, kind: CopyKind): string {
    return kind === 'quiz' ? sample.replace(/\.cow$/, '-quiz.cow') : sample;
  }

  /** The learner's copy of a sample (or of its quiz), made if needed and shown in an editor. */
  async open(sample: string, kind: CopyKind): Promise<vscode.TextDocument | undefined> {
    const key = `${kind}:${sample}`;
    const existing = await this.reopen(key);
    if (existing) return show(existing);
    const text = await this.samples.read(sample);
    if (text === undefined) {
      void vscode.window.showErrorMessage(`CoW Lab has no sample named ${JSON.stringify(sample)}.`);
      return undefined;
    }
    const content = kind === 'quiz' ? quizFromSample(sample, text).source : text;
    const document = await this.create(LearnerCopies.fileName(sample, kind), () => content);
    this.remembered.set(key, document.uri);
    return show(document);
  }

  /** The copy made for `sample` earlier in this session, if it is still there (not shown). */
  async find(sample: string, kind: CopyKind): Promise<vscode.TextDocument | undefined> {
    return this.reopen(`${kind}:${sample}`);
  }

  /** Whether `uri` is the learner's copy of `sample` (or a file of the same name in the workspace). */
  isCopyOf(uri: vscode.Uri | string, sample: string, kind: CopyKind = 'sample'): boolean {
    const text = typeof uri === 'string' ? uri : uri.toString();
    const known = this.remembered.get(`${kind}:${sample}`);
    if (known && known.toString() === text) return true;
    const name = LearnerCopies.fileName(sample, kind);
    return !text.startsWith('untitled:') && decodeURIComponent(text.slice(text.lastIndexOf('/') + 1)) === name;
  }

  /** A new exercise of a seed as the learner's document; its header names the file to run. */
  async exercise(kind: ExerciseKind, seed: number): Promise<vscode.TextDocument> {
    const name = `exercise-${kind}-${seed}.cow`;
    const document = await this.create(name, (file) => createExercise(kind, seed, file).source);
    return show(document);
  }

  private async reopen(key: string): Promise<vscode.TextDocument | undefined> {
    const uri = this.remembered.get(key);
    if (!uri) return undefined;
    if (uri.scheme === 'untitled') {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
      if (!open) this.remembered.delete(key);
      return open;
    }
    try {
      return await vscode.workspace.openTextDocument(uri);
    } catch {
      this.remembered.delete(key);
      return undefined;
    }
  }

  /**
   * `cow-lab/NAME` in the first workspace folder (kept as it is if it exists: the learner's work),
   * else an untitled document. `content` gets the path a terminal in the folder would use.
   */
  private async create(name: string, content: (file: string) => string): Promise<vscode.TextDocument> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) {
      const uri = vscode.Uri.joinPath(folder.uri, COPIES_FOLDER, name);
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder.uri, COPIES_FOLDER));
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content(`${COPIES_FOLDER}/${name}`)));
      }
      return vscode.workspace.openTextDocument(uri);
    }
    return vscode.workspace.openTextDocument({ language: 'cow', content: content('FILE') });
  }
}

async function show(document: vscode.TextDocument): Promise<vscode.TextDocument> {
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

// Helpers for the language-feature tests inside VS Code: open a scenario, wait for its
// diagnostics (on the event, never a sleep), apply edits. Not a test file itself.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'cow-lab.cow-lab';

export async function activated(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  await extension.activate();
  return extension;
}

let untitled = 0;

/**
 * An untitled scenario with this text, shown in an editor. Each gets a name of its own
 * (untitled:scenario-N.cow): VS Code reuses Untitled-1, Untitled-2… as soon as one is closed, and
 * a request about a reused name can reach the closed document's model or its late close event.
 */
export async function openScenario(content: string): Promise<vscode.TextDocument> {
  await activated();
  untitled += 1;
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `scenario-${process.pid}-${untitled}.cow` });
  let document = await vscode.workspace.openTextDocument(uri);
  if (document.languageId !== 'cow') document = await vscode.languages.setTextDocumentLanguage(document, 'cow');
  if (content !== '') {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), content);
    assert.ok(await vscode.workspace.applyEdit(edit), 'the scenario\'s text was not inserted');
  }
  await vscode.window.showTextDocument(document);
  return document;
}

/** A sample shipped with the extension (samples/NAME), opened from the extension's folder. */
export async function openSample(name: string): Promise<vscode.TextDocument> {
  const extension = await activated();
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(extension.extensionUri, 'samples', name));
  await vscode.window.showTextDocument(document);
  return document;
}

/**
 * Resolves with the document's diagnostics once `until` holds for them: checked now, then on every
 * onDidChangeDiagnostics for the document. A test that never sees them fails on mocha's timeout.
 */
export function diagnosticsWhen(uri: vscode.Uri, until: (found: readonly vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    let subscription: vscode.Disposable | undefined;
    const check = (): boolean => {
      const found = vscode.languages.getDiagnostics(uri);
      if (!until(found)) return false;
      subscription?.dispose();
      resolve(found);
      return true;
    };
    subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    check();
  });
}

/** The position of the n-th (0-based) occurrence of `word`, `offset` characters into it. */
export function positionOf(document: vscode.TextDocument, word: string, nth = 0, offset = 1): vscode.Position {
  const text = document.getText();
  let index = -1;
  for (let i = 0; i <= nth; i += 1) {
    index = text.indexOf(word, index + 1);
    assert.ok(index >= 0, `'${word}' occurs fewer than ${nth + 1} times`);
  }
  return document.positionAt(index + offset);
}

/** Replaces the whole text of the document (as typing would, through an edit). */
export async function replaceText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
}

export async function applyTextEdits(document: vscode.TextDocument, edits: readonly vscode.TextEdit[]): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.set(document.uri, [...edits]);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edits were not applied');
}

export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** The document as line:col (1-based) of a range's start, for readable assertions. */
export function at(range: vscode.Range): string {
  return `${range.start.line + 1}:${range.start.character + 1}`;
}

export async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

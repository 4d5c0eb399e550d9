// A launch configuration's `program` and the scenario it names.
import * as vscode from 'vscode';

/** Turns a launch configuration's `program` (a path, or a URI in a virtual workspace) into a Uri. */
export function programUri(program: string): vscode.Uri {
  return /^[a-zA-Z][\w+.-]+:/.test(program) ? vscode.Uri.parse(program, true) : vscode.Uri.file(program);
}

/** A file path for local files, the URI itself anywhere else (virtual workspaces, the browser). */
export function programOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/** The scenario's text: the open editor's (unsaved edits included), else the file's. */
export async function readScenario(program: string): Promise<string> {
  const uri = programUri(program);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

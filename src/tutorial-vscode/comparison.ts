// cowLab.comparisonTable: the article's comparison of copy-on-write with a full copy, filled with
// the active scenario's own figures (run once in each mode), shown as a Markdown preview.
import * as vscode from 'vscode';
import { compareModes, comparisonMarkdown } from '../tutorial';

export const COMPARISON_TABLE = 'cowLab.comparisonTable';

export function registerComparison(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(COMPARISON_TABLE, () => comparisonTable()));
}

async function comparisonTable(): Promise<string | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId !== 'cow') {
    void vscode.window.showInformationMessage('Open a .cow scenario first: the table compares its two runs, copy-on-write and full copy.');
    return undefined;
  }
  const comparison = compareModes(document.getText());
  if (!comparison.ok) {
    void vscode.window.showWarningMessage('This scenario has errors; fix them to compare its runs.');
    return undefined;
  }
  const title = document.isUntitled ? 'this scenario' : vscode.workspace.asRelativePath(document.uri);
  const markdown = comparisonMarkdown(title, comparison);
  const table = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.commands.executeCommand('markdown.showPreview', table.uri).then(undefined, () => vscode.window.showTextDocument(table));
  return markdown;
}

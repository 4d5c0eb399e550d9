// Between the language's positions (1-based line and column, end exclusive, UTF-16 columns) and
// VS Code's (0-based). The only place that knows both.
import * as vscode from 'vscode';
import type { Range } from '../language';

export function toVsRange(r: Range): vscode.Range {
  return new vscode.Range(r.line - 1, r.col - 1, r.endLine - 1, r.endCol - 1);
}

export function fromVsRange(r: vscode.Range): Range {
  return { line: r.start.line + 1, col: r.start.character + 1, endLine: r.end.line + 1, endCol: r.end.character + 1 };
}

/** A VS Code position as the language's (line, col). */
export function fromVsPosition(p: vscode.Position): { readonly line: number; readonly col: number } {
  return { line: p.line + 1, col: p.character + 1 };
}

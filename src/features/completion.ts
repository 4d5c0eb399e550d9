// Completion for scenarios: verbs after `name:`, the processes and regions that exist at the
// cursor's line, page ranges, `mode` words, `expect` forms and madvise advice (model/completion.ts).
import * as vscode from 'vscode';
import { fromVsPosition } from './convert';
import type { AnalysisService } from '../analysis/service';
import { ask } from './documents';
import type { CompletionCandidate, CompletionKind } from './model';

/** `shell:` wants a verb, `heap[` a page, `..` the last page, a space the next word. */
export const COMPLETION_TRIGGERS = [':', '[', '.', ' '];

const KIND: Readonly<Record<CompletionKind, vscode.CompletionItemKind>> = {
  keyword: vscode.CompletionItemKind.Keyword,
  verb: vscode.CompletionItemKind.Function,
  process: vscode.CompletionItemKind.Class,
  region: vscode.CompletionItemKind.Field,
  page: vscode.CompletionItemKind.Value,
  counter: vscode.CompletionItemKind.Property,
  operator: vscode.CompletionItemKind.Operator,
  value: vscode.CompletionItemKind.EnumMember,
  property: vscode.CompletionItemKind.EnumMember,
  status: vscode.CompletionItemKind.EnumMember,
  unit: vscode.CompletionItemKind.Unit,
};

export class ScenarioCompletions implements vscode.CompletionItemProvider {
  constructor(private readonly analyses: AnalysisService) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
    const found = await ask(this.analyses, document, { kind: 'completion', ...fromVsPosition(position) });
    return (found ?? []).map((c) => toItem(c, position.line));
  }
}

function toItem(c: CompletionCandidate, line: number): vscode.CompletionItem {
  const item = new vscode.CompletionItem(c.label, KIND[c.kind]);
  item.insertText = c.snippet === true ? new vscode.SnippetString(c.insertText) : c.insertText;
  item.range = new vscode.Range(line, c.replace.col - 1, line, c.replace.endCol - 1);
  item.sortText = c.sortText;
  if (c.detail !== undefined) item.detail = c.detail;
  if (c.documentation !== undefined) item.documentation = new vscode.MarkdownString(c.documentation);
  if (c.retrigger === true) item.command = { command: 'editor.action.triggerSuggest', title: 'Suggest what comes next' };
  return item;
}

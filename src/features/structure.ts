// The shape of a scenario for the Outline view and breadcrumbs, the formatter, and quick fixes
// for "did you mean …?" diagnostics — thin providers over model/outline.ts and model/format.ts.
import * as vscode from 'vscode';
import { fromVsRange, toVsRange } from './convert';
import type { AnalysisService } from '../analysis/service';
import { ask } from './documents';
import { DEFAULT_FORMAT_OPTIONS, formatScenario, type FormatOptions } from './model/format';
import type { OutlineNode } from './model/outline';
import { touches } from './model/text';

const SYMBOL_KIND: Readonly<Record<OutlineNode['kind'], vscode.SymbolKind>> = {
  process: vscode.SymbolKind.Class,
  region: vscode.SymbolKind.Field,
  checkpoint: vscode.SymbolKind.Event,
  volume: vscode.SymbolKind.Module,
  container: vscode.SymbolKind.Package,
  file: vscode.SymbolKind.File,
};

export class ScenarioOutline implements vscode.DocumentSymbolProvider {
  constructor(private readonly analyses: AnalysisService) {}

  async provideDocumentSymbols(document: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
    const found = await ask(this.analyses, document, { kind: 'outline' });
    return (found ?? []).map(toSymbol);
  }
}

function toSymbol(node: OutlineNode): vscode.DocumentSymbol {
  const symbol = new vscode.DocumentSymbol(node.name, node.detail, SYMBOL_KIND[node.kind], toVsRange(node.range), toVsRange(node.selectionRange));
  symbol.children = node.children.map(toSymbol);
  return symbol;
}

export class ScenarioFormatter implements vscode.DocumentFormattingEditProvider {
  provideDocumentFormattingEdits(document: vscode.TextDocument): vscode.TextEdit[] {
    const source = document.getText();
    const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const formatted = formatScenario(source, formatOptions(document), eol);
    if (formatted === source) return [];
    // One edit for the whole text: VS Code reduces it to the lines that changed before applying.
    const whole = new vscode.Range(document.positionAt(0), document.positionAt(source.length));
    return [vscode.TextEdit.replace(whole, formatted)];
  }
}

function formatOptions(document: vscode.TextDocument): FormatOptions {
  const settings = vscode.workspace.getConfiguration('cowLab.format', document.uri);
  return {
    alignVerbs: settings.get<boolean>('alignVerbs', DEFAULT_FORMAT_OPTIONS.alignVerbs),
    alignComments: settings.get<boolean>('alignComments', DEFAULT_FORMAT_OPTIONS.alignComments),
  };
}

/** "Change to 'heap'" for every diagnostic that came with a suggestion. */
export class ScenarioQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly analyses: AnalysisService) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): Promise<vscode.CodeAction[]> {
    const found = await ask(this.analyses, document, { kind: 'fixes' });
    const wanted = fromVsRange(range);
    return (found ?? [])
      .filter((d) => touches(d.range, wanted))
      .map((d) => {
        const suggestion = d.suggestion ?? '';
        const action = new vscode.CodeAction(`Change to '${suggestion}'`, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, toVsRange(d.range), suggestion);
        action.isPreferred = true;
        return action;
      });
  }
}

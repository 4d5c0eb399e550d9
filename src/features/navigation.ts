// Hover, go to definition, find references, highlights and rename for scenarios: thin providers
// asking the analysis service (model/hover.ts, model/navigation.ts and model/rename.ts answer in
// its worker).
import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/service';
import { fromVsPosition, toVsRange } from './convert';
import { ask } from './documents';

export class ScenarioHovers implements vscode.HoverProvider {
  constructor(private readonly analyses: AnalysisService) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const info = await ask(this.analyses, document, { kind: 'hover', ...fromVsPosition(position) });
    return info === undefined ? undefined : new vscode.Hover(new vscode.MarkdownString(info.markdown), toVsRange(info.range));
  }
}

export class ScenarioNavigation implements vscode.DefinitionProvider, vscode.ReferenceProvider, vscode.DocumentHighlightProvider {
  constructor(private readonly analyses: AnalysisService) {}

  async provideDefinition(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Location | undefined> {
    const definition = await ask(this.analyses, document, { kind: 'definition', ...fromVsPosition(position) });
    return definition === undefined ? undefined : new vscode.Location(document.uri, toVsRange(definition));
  }

  async provideReferences(document: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): Promise<vscode.Location[]> {
    const found = await ask(this.analyses, document, { kind: 'references', includeDeclaration: context.includeDeclaration, ...fromVsPosition(position) });
    return (found ?? []).map((r) => new vscode.Location(document.uri, toVsRange(r)));
  }

  async provideDocumentHighlights(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.DocumentHighlight[]> {
    const found = await ask(this.analyses, document, { kind: 'highlights', ...fromVsPosition(position) });
    return (found ?? []).map(
      (h) => new vscode.DocumentHighlight(toVsRange(h.range), h.write ? vscode.DocumentHighlightKind.Write : vscode.DocumentHighlightKind.Read),
    );
  }
}

export class ScenarioRename implements vscode.RenameProvider {
  constructor(private readonly analyses: AnalysisService) {}

  async prepareRename(document: vscode.TextDocument, position: vscode.Position): Promise<{ range: vscode.Range; placeholder: string }> {
    const target = await ask(this.analyses, document, { kind: 'renameTarget', ...fromVsPosition(position) });
    if (!target) throw new Error('the scenario changed; try again');
    // Throwing is how a provider tells VS Code why nothing can be renamed here (shown to the user).
    if (!target.ok) throw new Error(target.reason);
    return { range: toVsRange(target.range), placeholder: target.symbol.name };
  }

  async provideRenameEdits(document: vscode.TextDocument, position: vscode.Position, newName: string): Promise<vscode.WorkspaceEdit> {
    const result = await ask(this.analyses, document, { kind: 'rename', newName, ...fromVsPosition(position) });
    if (!result) throw new Error('the scenario changed; try again');
    if (!result.ok) throw new Error(result.reason);
    const edit = new vscode.WorkspaceEdit();
    for (const e of result.edits) edit.replace(document.uri, toVsRange(e.range), e.newText);
    return edit;
  }
}

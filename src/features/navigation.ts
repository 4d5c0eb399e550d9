// Hover, go to definition, find references, highlights and rename for scenarios: thin providers
// over model/hover.ts, model/navigation.ts and model/rename.ts.
import * as vscode from 'vscode';
import { fromVsPosition, toVsRange } from './convert';
import type { ScenarioAnalyses } from './documents';
import { definitionAt, highlightsAt, hoverAt, referencesAt, rename, renameTarget } from './model';

export class ScenarioHovers implements vscode.HoverProvider {
  constructor(private readonly analyses: ScenarioAnalyses) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const { source, analysis } = this.analyses.get(document);
    const { line, col } = fromVsPosition(position);
    const info = hoverAt(source, analysis, line, col);
    return info === undefined ? undefined : new vscode.Hover(new vscode.MarkdownString(info.markdown), toVsRange(info.range));
  }
}

export class ScenarioNavigation implements vscode.DefinitionProvider, vscode.ReferenceProvider, vscode.DocumentHighlightProvider {
  constructor(private readonly analyses: ScenarioAnalyses) {}

  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.Location | undefined {
    const { line, col } = fromVsPosition(position);
    const definition = definitionAt(this.analyses.get(document).analysis, line, col);
    return definition === undefined ? undefined : new vscode.Location(document.uri, toVsRange(definition));
  }

  provideReferences(document: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): vscode.Location[] {
    const { line, col } = fromVsPosition(position);
    return referencesAt(this.analyses.get(document).analysis, line, col, context.includeDeclaration).map((r) => new vscode.Location(document.uri, toVsRange(r)));
  }

  provideDocumentHighlights(document: vscode.TextDocument, position: vscode.Position): vscode.DocumentHighlight[] {
    const { line, col } = fromVsPosition(position);
    return highlightsAt(this.analyses.get(document).analysis, line, col).map(
      (h) => new vscode.DocumentHighlight(toVsRange(h.range), h.write ? vscode.DocumentHighlightKind.Write : vscode.DocumentHighlightKind.Read),
    );
  }
}

export class ScenarioRename implements vscode.RenameProvider {
  constructor(private readonly analyses: ScenarioAnalyses) {}

  prepareRename(document: vscode.TextDocument, position: vscode.Position): { range: vscode.Range; placeholder: string } {
    const { line, col } = fromVsPosition(position);
    const target = renameTarget(this.analyses.get(document).analysis, line, col);
    // Throwing is how a provider tells VS Code why nothing can be renamed here (shown to the user).
    if (!target.ok) throw new Error(target.reason);
    return { range: toVsRange(target.range), placeholder: target.symbol.name };
  }

  provideRenameEdits(document: vscode.TextDocument, position: vscode.Position, newName: string): vscode.WorkspaceEdit {
    const { source, analysis } = this.analyses.get(document);
    const { line, col } = fromVsPosition(position);
    const result = rename(source, analysis, line, col, newName);
    if (!result.ok) throw new Error(result.reason);
    const edit = new vscode.WorkspaceEdit();
    for (const e of result.edits) edit.replace(document.uri, toVsRange(e.range), e.newText);
    return edit;
  }
}

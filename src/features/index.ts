// Language features for .cow files: diagnostics as you type (and failed expectations after a
// run), completion, hover, go to definition, references, highlights, rename, outline, formatting
// and quick fixes. Pure logic lives in ./model (no `vscode`); the files here only translate.
import * as vscode from 'vscode';
import { COMPLETION_TRIGGERS, ScenarioCompletions } from './completion';
import { ScenarioDiagnostics } from './diagnostics';
import type { AnalysisService } from '../analysis/service';
import { COW_SELECTOR } from './documents';
import { ScenarioHovers, ScenarioNavigation, ScenarioRename } from './navigation';
import { ScenarioFormatter, ScenarioOutline, ScenarioQuickFixes } from './structure';

/** Registers every provider; each reads `analyses` (one analysis per document version). */
export function registerLanguageFeatures(context: vscode.ExtensionContext, analyses: AnalysisService): void {
  const navigation = new ScenarioNavigation(analyses);
  context.subscriptions.push(
    new ScenarioDiagnostics(analyses),
    vscode.languages.registerCompletionItemProvider(COW_SELECTOR, new ScenarioCompletions(analyses), ...COMPLETION_TRIGGERS),
    vscode.languages.registerHoverProvider(COW_SELECTOR, new ScenarioHovers(analyses)),
    vscode.languages.registerDefinitionProvider(COW_SELECTOR, navigation),
    vscode.languages.registerReferenceProvider(COW_SELECTOR, navigation),
    vscode.languages.registerDocumentHighlightProvider(COW_SELECTOR, navigation),
    vscode.languages.registerRenameProvider(COW_SELECTOR, new ScenarioRename(analyses)),
    vscode.languages.registerDocumentSymbolProvider(COW_SELECTOR, new ScenarioOutline(analyses), { label: 'CoW scenario' }),
    vscode.languages.registerDocumentFormattingEditProvider(COW_SELECTOR, new ScenarioFormatter()),
    vscode.languages.registerCodeActionsProvider(COW_SELECTOR, new ScenarioQuickFixes(analyses), { providedCodeActionKinds: ScenarioQuickFixes.kinds }),
  );
}

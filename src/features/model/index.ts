// The pure side of the editor features: no `vscode` import, so every piece runs under plain
// mocha. Positions are the language's (1-based line and column, end exclusive); the providers in
// src/features/*.ts translate them to VS Code's.
export { completionsAt, type CompletionCandidate, type CompletionKind } from './completion';
export { completionContext, type CompletionContext, type CompletionSlot } from './completionContext';
export { scenarioDiagnostics, staticDiagnostics, runDiagnostics, notRunNote, failureMessage, type EditorDiagnostic, type EditorDiagnosticCode, type DiagnosticOptions } from './diagnostics';
export { RUN_AS_YOU_TYPE_BUDGET } from './runBudget';
export { runCost } from './runCost';
export { EXAMPLE_PRELUDE, VERB_EXAMPLES, verbMarkdown, keywordMarkdown } from './docs';
export { formatScenario, DEFAULT_FORMAT_OPTIONS, type FormatOptions } from './format';
export { hoverAt, type HoverInfo } from './hover';
export { definitionAt, referencesAt, highlightsAt, symbolUnder, type Highlight } from './navigation';
export { outline, type OutlineNode } from './outline';
export { rename, renameTarget, applyEdits, type RenameResult, type RenameTarget, type TextEdit } from './rename';
export { scopeAt, type Scope, type ProcessInScope, type RegionInScope } from './scope';
export { linesOf, lineOf, textIn, touches } from './text';

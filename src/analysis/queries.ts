// What the editor asks about one version of a scenario, answered where its analysis lives (the
// worker): the answers are small, while the analysis of a 10,000-statement scenario is ~5 MB of
// objects that would take the host's thread a quarter of a second to receive. Pure.
import {
  completionsAt, definitionAt, highlightsAt, hoverAt, outline, referencesAt, rename, renameTarget, staticDiagnostics,
  type CompletionCandidate, type EditorDiagnostic, type Highlight, type HoverInfo, type OutlineNode, type RenameResult, type RenameTarget,
} from '../features/model';
import type { Analysis, Diagnostic, Program, Range, Statement } from '../language';

interface At {
  readonly line: number;
  readonly col: number;
}

export type Query =
  | ({ readonly kind: 'hover' } & At)
  | ({ readonly kind: 'completion' } & At)
  | ({ readonly kind: 'definition' } & At)
  | ({ readonly kind: 'references'; readonly includeDeclaration: boolean } & At)
  | ({ readonly kind: 'highlights' } & At)
  | ({ readonly kind: 'renameTarget' } & At)
  | ({ readonly kind: 'rename'; readonly newName: string } & At)
  | { readonly kind: 'outline' }
  /** The parser's and checker's diagnostics that carry a suggested replacement (quick fixes). */
  | { readonly kind: 'fixes' }
  /** The whole analysis (costly to send for a large scenario: ~5 MB for 10,000 statements). */
  | { readonly kind: 'analysis' }
  /** What a run on the host needs, but the statements (asked for in parts, see RunHead). */
  | { readonly kind: 'runHead' }
  /** Statements `from..from+count-1` of the program. */
  | { readonly kind: 'statements'; readonly from: number; readonly count: number };

/**
 * The program without its statements, its diagnostics and whether it may run. The statements
 * follow in parts of a few hundred, one message each: receiving a 10,000-statement program in one
 * message blocks the receiving thread for most of a second on a busy machine, a part for a few
 * milliseconds.
 */
export interface RunHead {
  readonly program: Omit<Program, 'statements'>;
  readonly statementCount: number;
  readonly diagnostics: readonly Diagnostic[];
  readonly runnable: boolean;
}

/** The answer to each kind of query: a new kind without an answer type is a type error. */
export interface Answers {
  hover: HoverInfo | undefined;
  completion: CompletionCandidate[];
  definition: Range | undefined;
  references: Range[];
  highlights: Highlight[];
  renameTarget: RenameTarget;
  rename: RenameResult;
  outline: OutlineNode[];
  fixes: EditorDiagnostic[];
  analysis: Analysis;
  runHead: RunHead;
  statements: readonly Statement[];
}

export type QueryKind = Query['kind'] & keyof Answers;

export function answer(source: string, analysis: Analysis, q: Query): Answers[QueryKind] {
  switch (q.kind) {
    case 'hover':
      return hoverAt(source, analysis, q.line, q.col);
    case 'completion':
      return completionsAt(source, analysis, q.line, q.col);
    case 'definition':
      return definitionAt(analysis, q.line, q.col);
    case 'references':
      return referencesAt(analysis, q.line, q.col, q.includeDeclaration);
    case 'highlights':
      return highlightsAt(analysis, q.line, q.col);
    case 'renameTarget':
      return renameTarget(analysis, q.line, q.col);
    case 'rename':
      return rename(source, analysis, q.line, q.col, q.newName);
    case 'outline':
      return outline(analysis);
    case 'fixes':
      return staticDiagnostics(analysis).filter((d) => d.suggestion !== undefined);
    case 'analysis':
      return analysis;
    case 'runHead': {
      const { statements, ...program } = analysis.program;
      return { program, statementCount: statements.length, diagnostics: analysis.diagnostics, runnable: analysis.runnable };
    }
    case 'statements':
      return analysis.program.statements.slice(q.from, q.from + q.count);
  }
}

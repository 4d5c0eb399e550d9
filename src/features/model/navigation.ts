// Go to definition, find references and highlights for processes, regions and checkpoints. The
// checker already links every use of a name to the statement that made it (src/language/
// symbols.ts); this turns a cursor position into those ranges.
import { occurrences, symbolAt, type Analysis, type Range, type ScenarioSymbol, type SymbolHit } from '../../language';

/** The symbol under a 1-based position, with the occurrence the cursor is on. */
export function symbolUnder(analysis: Analysis, line: number, col: number): SymbolHit | undefined {
  return symbolAt(analysis.symbols, line, col);
}

/** Where the name under the cursor was introduced (`process shell`, `fork child`, `map heap`). */
export function definitionAt(analysis: Analysis, line: number, col: number): Range | undefined {
  return symbolUnder(analysis, line, col)?.symbol.definition;
}

/** Every occurrence of the name under the cursor, in source order. */
export function referencesAt(analysis: Analysis, line: number, col: number, includeDeclaration: boolean): Range[] {
  const hit = symbolUnder(analysis, line, col);
  if (hit === undefined) return [];
  return includeDeclaration ? occurrences(hit.symbol) : [...hit.symbol.references];
}

export interface Highlight {
  readonly range: Range;
  /** The definition is where the name is written (created); every other occurrence reads it. */
  readonly write: boolean;
}

export function highlightsAt(analysis: Analysis, line: number, col: number): Highlight[] {
  const hit = symbolUnder(analysis, line, col);
  if (hit === undefined) return [];
  return occurrences(hit.symbol).map((range, index) => ({ range, write: index === 0 }));
}

/** Symbols of one kind, for checks such as "is this name taken?". */
export function symbolsOfKind(analysis: Analysis, kind: ScenarioSymbol['kind']): ScenarioSymbol[] {
  return analysis.symbols.symbols.filter((s) => s.kind === kind);
}

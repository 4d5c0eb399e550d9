// Lines and columns of a scenario's text, the way the language counts them: 1-based lines and
// columns, UTF-16 code units, end exclusive (src/language/source.ts).
import type { Range } from '../../language';

/** Every line of the text, `\n`, `\r\n` and `\r` alike; a trailing newline leaves a last empty line. */
export function linesOf(source: string): string[] {
  return source.split(/\r\n|\r|\n/);
}

/** Line `line` (1-based) of the text, '' past the end. */
export function lineOf(source: string, line: number): string {
  return linesOf(source)[line - 1] ?? '';
}

/** The text a single-line range covers. */
export function textIn(source: string, r: Range): string {
  return lineOf(source, r.line).slice(r.col - 1, r.line === r.endLine ? r.endCol - 1 : undefined);
}

/** True when the two ranges share at least one position (touching counts). */
export function touches(a: Range, b: Range): boolean {
  const startsAfter = a.line > b.endLine || (a.line === b.endLine && a.col > b.endCol);
  const endsBefore = a.endLine < b.line || (a.endLine === b.line && a.endCol < b.col);
  return !startsAfter && !endsBefore;
}

// Renaming a process or a region: every occurrence the checker linked to it, and nothing else.
// A new name is accepted only if it is a name the lexer reads as one word, is not a keyword where
// a keyword would be read, and leaves the scenario meaning what it meant: the renamed text is
// analysed again and must have the same diagnostics and the same symbols, use for use. That one
// check covers every way a name can clash (two processes called the same, a region a forked child
// already has under the new name, `shared with` comparing regions of different names, …).
import {
  DEFAULT_LIMITS,
  RESERVED_PROCESS_NAMES,
  analyze,
  occurrences,
  type Analysis,
  type Diagnostic,
  type Range,
  type ScenarioSymbol,
} from '../../language';
import { symbolUnder } from './navigation';
import { linesOf } from './text';

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

export type RenameTarget = { readonly ok: true; readonly symbol: ScenarioSymbol; readonly range: Range } | { readonly ok: false; readonly reason: string };

export type RenameResult = { readonly ok: true; readonly edits: readonly TextEdit[] } | { readonly ok: false; readonly reason: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** A file name may hold single dots between word characters (app.bin), as the lexer reads it. */
const FILE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_][A-Za-z0-9_-]*)*$/;

/** What a rename at this position would rename, or why nothing can be. */
export function renameTarget(analysis: Analysis, line: number, col: number): RenameTarget {
  const hit = symbolUnder(analysis, line, col);
  if (hit === undefined) return { ok: false, reason: 'Put the cursor on a process or region name to rename it.' };
  if (hit.symbol.kind === 'checkpoint') return { ok: false, reason: 'A checkpoint name is only a label: edit it where it is written.' };
  return { ok: true, symbol: hit.symbol, range: hit.range };
}

/** Edits that rename the process or region at the position to `newName`, or why they cannot. */
export function rename(source: string, analysis: Analysis, line: number, col: number, newName: string): RenameResult {
  const target = renameTarget(analysis, line, col);
  if (!target.ok) return target;
  const { symbol } = target;
  const problem = nameProblem(symbol, newName);
  if (problem !== undefined) return { ok: false, reason: problem };
  if (newName === symbol.name) return { ok: true, edits: [] };
  const edits = occurrences(symbol).map((range) => ({ range, newText: newName }));
  const renamed = applyEdits(source, edits);
  const change = meaningChange(analysis, analyze(renamed), symbol, newName);
  if (change !== undefined) return { ok: false, reason: `Renaming '${symbol.name}' to '${newName}' would change the scenario: ${change}` };
  return { ok: true, edits };
}

function nameProblem(symbol: ScenarioSymbol, newName: string): string | undefined {
  if (!(symbol.kind === 'file' ? FILE_NAME : NAME).test(newName)) return `'${newName}' is not a name: a name starts with a letter or _ and has only letters, digits, _ and -.`;
  if (newName.length > DEFAULT_LIMITS.maxNameLength) return `A name has at most ${DEFAULT_LIMITS.maxNameLength} characters.`;
  if (symbol.kind === 'process' && RESERVED_PROCESS_NAMES.includes(newName)) return `'${newName}' is a keyword of the language; a process needs another name.`;
  return undefined;
}

/** What differs between the analyses before and after, as a sentence; undefined if nothing. */
function meaningChange(before: Analysis, after: Analysis, renamed: ScenarioSymbol, newName: string): string | undefined {
  const key = (d: Diagnostic) => `${d.code}@${d.range.line}`;
  const old = new Set(before.diagnostics.map(key));
  const added = after.diagnostics.find((d) => !old.has(key(d)));
  if (added !== undefined) return `line ${added.range.line} would read "${added.message}".`;
  if (after.diagnostics.length !== before.diagnostics.length) return 'its diagnostics would change.';
  const a = before.symbols.symbols;
  const b = after.symbols.symbols;
  if (a.length !== b.length) return 'it would define a different set of names.';
  for (let i = 0; i < a.length; i += 1) {
    const was = a[i];
    const is = b[i];
    if (was === undefined || is === undefined) return 'it would define a different set of names.';
    const expectedName = was.id === renamed.id ? newName : was.name;
    if (is.kind !== was.kind || is.name !== expectedName || is.references.length !== was.references.length) {
      return `'${was.name}' on line ${was.definition.line} would be used ${is.references.length} times instead of ${was.references.length}.`;
    }
  }
  return undefined;
}

/** Applies non-overlapping single-line edits to the text. */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const lines = linesOf(source);
  const separators = source.match(/\r\n|\r|\n/g) ?? [];
  const sorted = [...edits].sort((x, y) => y.range.line - x.range.line || y.range.col - x.range.col);
  for (const edit of sorted) {
    const index = edit.range.line - 1;
    const text = lines[index] ?? '';
    lines[index] = text.slice(0, edit.range.col - 1) + edit.newText + text.slice(edit.range.endCol - 1);
  }
  return lines.map((text, i) => text + (separators[i] ?? '')).join('');
}

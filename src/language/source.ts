// Positions, ranges and diagnostics shared by every stage of the language.
//
// Conventions (also documented in the README): `line` and `col` are 1-based, like a compiler's
// `file:line:col`; `endCol` is exclusive (one past the last character); columns count UTF-16 code
// units, as JavaScript strings and VS Code do. A VS Code glue layer subtracts 1 from line and col.

export interface Range {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** Which stage found the problem; `runtime` means the engine refused a statement the checker let through. */
export type DiagnosticSource = 'parser' | 'checker' | 'runtime';

export interface Diagnostic {
  readonly range: Range;
  readonly severity: Severity;
  readonly message: string;
  readonly source: DiagnosticSource;
  /** Stable identifier for the kind of problem (tests and quick fixes key on it, never on wording). */
  readonly code: DiagnosticCode;
  /** A replacement a quick fix may offer for `range` (e.g. the "did you mean" name). */
  readonly suggestion?: string;
}

export type DiagnosticCode =
  // parser
  | 'syntax'
  | 'unknown-statement'
  | 'unknown-verb'
  | 'unknown-keyword'
  | 'missing-colon'
  | 'bad-string'
  | 'bad-number'
  | 'bad-range'
  | 'trailing-input'
  | 'mode-position'
  | 'duplicate-mode'
  | 'reserved-name'
  | 'kernel-position'
  | 'duplicate-kernel'
  | 'bad-kernel'
  | 'memory-position'
  | 'duplicate-memory'
  | 'bad-memory'
  // checker
  | 'unknown-process'
  | 'unknown-region'
  | 'duplicate-name'
  | 'use-after-exit'
  | 'process-suspended'
  | 'page-out-of-range'
  | 'segfault'
  | 'too-large'
  | 'invalid-advice'
  | 'self-comparison'
  // storage checker
  | 'unknown-volume'
  | 'unknown-file'
  | 'block-out-of-range'
  | 'not-supported'
  | 'read-only'
  | 'wrong-kind'
  | 'unknown-pipe'
  | 'pipe-full'
  | 'not-pinned'
  | 'bad-huge'
  | 'other-era'
  // interpreter
  | 'engine-error'
  // a bug in CoW Lab itself, reported instead of thrown (tests assert it never appears)
  | 'internal';

export function range(line: number, col: number, endCol: number): Range {
  return { line, col, endLine: line, endCol };
}

/** The smallest range covering both (they may come in any order). */
export function cover(a: Range, b: Range): Range {
  const startsFirst = a.line < b.line || (a.line === b.line && a.col <= b.col);
  const endsLast = a.endLine > b.endLine || (a.endLine === b.endLine && a.endCol >= b.endCol);
  const start = startsFirst ? a : b;
  const end = endsLast ? a : b;
  return { line: start.line, col: start.col, endLine: end.endLine, endCol: end.endCol };
}

/** True when the 1-based position (line, col) lies inside the range (end exclusive, but a cursor just after a name counts). */
export function contains(r: Range, line: number, col: number): boolean {
  if (line < r.line || line > r.endLine) return false;
  if (line === r.line && col < r.col) return false;
  if (line === r.endLine && col > r.endCol) return false;
  return true;
}

export function formatRange(r: Range): string {
  return `${r.line}:${r.col}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Diagnostics in reading order (line, then column), errors before warnings at the same spot. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return [...diagnostics].sort(
    (a, b) => a.range.line - b.range.line || a.range.col - b.range.col || rank[a.severity] - rank[b.severity],
  );
}

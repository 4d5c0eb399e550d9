// The outline of a scenario: its processes (each with the regions it mapped) and its
// checkpoints, in the order they appear — what the Outline view and breadcrumbs show.
import type { Analysis, Range, ScenarioSymbol } from '../../language';

export interface OutlineNode {
  readonly name: string;
  readonly kind: ScenarioSymbol['kind'];
  readonly detail: string;
  /** The statement that made it. */
  readonly range: Range;
  /** The name itself, inside `range`. */
  readonly selectionRange: Range;
  readonly children: readonly OutlineNode[];
}

export function outline(analysis: Analysis): OutlineNode[] {
  const symbols = analysis.symbols.symbols;
  const regionsOf = (process: string) => symbols.filter((s) => s.kind === 'region' && s.owner === process).map((region) => node(region, []));
  const nodes = symbols.filter((s) => s.kind !== 'region').map((s) => node(s, s.kind === 'process' ? regionsOf(s.name) : [], parentOf(analysis, s)));
  return nodes.sort((a, b) => a.range.line - b.range.line || a.range.col - b.range.col);
}

function node(symbol: ScenarioSymbol, children: OutlineNode[], parent?: string): OutlineNode {
  return { name: symbol.name, kind: symbol.kind, detail: detail(symbol, parent), range: symbol.statement, selectionRange: symbol.definition, children };
}

/** The process whose fork or vfork made this one. */
function parentOf(analysis: Analysis, symbol: ScenarioSymbol): string | undefined {
  const made = analysis.program.statements.find((s) => s.range.line === symbol.statement.line);
  return made !== undefined && (made.kind === 'fork' || made.kind === 'vfork') ? made.process.text : undefined;
}

function detail(symbol: ScenarioSymbol, parent?: string): string {
  switch (symbol.kind) {
    case 'process': {
      if (symbol.createdBy === 'fork' || symbol.createdBy === 'vfork') return `${symbol.createdBy} of ${parent ?? '?'}, line ${symbol.definition.line}`;
      return `process, line ${symbol.definition.line}`;
    }
    case 'region': {
      const pages = symbol.pages ?? 0;
      return `${pages} ${symbol.regionKind ?? 'private'} page${pages === 1 ? '' : 's'}`;
    }
    case 'checkpoint':
      return `checkpoint, line ${symbol.definition.line}`;
    case 'volume':
      return symbol.snapshotOf !== undefined ? `btrfs snapshot of ${symbol.snapshotOf}` : `${symbol.fsType ?? '?'} volume`;
    case 'container':
      return `overlay: ${symbol.lower ?? '?'} + ${symbol.upper ?? '?'}`;
    case 'file':
      return `${symbol.blocks ?? 0} block${symbol.blocks === 1 ? '' : 's'}`;
  }
}

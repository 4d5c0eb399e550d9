// What each name in a scenario refers to: the checker records every definition and every use,
// so editor features (go to definition, find references, rename, hover, outline) need no
// second analysis.
import { contains, type Range } from './source';

export type SymbolKind = 'process' | 'region' | 'checkpoint' | 'volume' | 'container' | 'file';

export interface ScenarioSymbol {
  readonly id: number;
  readonly kind: SymbolKind;
  readonly name: string;
  /** Where the name is written when it is introduced (`process shell`, `fork child`, `map heap`). */
  readonly definition: Range;
  /** The whole statement that introduced it. */
  readonly statement: Range;
  /** Regions: the process that mapped it (a fork child's copy refers to the same region symbol). Files: the volume or container that created it. */
  readonly owner?: string;
  readonly pages?: number;
  readonly regionKind?: 'private' | 'shared';
  /** Volumes: the file system (a snapshot's is its origin's); files: their size in blocks. */
  readonly fsType?: 'btrfs' | 'xfs' | 'ext4';
  readonly blocks?: number;
  /** Volumes made by `snapshot`: the volume it was taken of. */
  readonly snapshotOf?: string;
  /** Containers: the lower volume and the volume holding the upper directory. */
  readonly lower?: string;
  readonly upper?: string;
  /** Processes: how it was made. */
  readonly createdBy?: 'process' | 'fork' | 'vfork';
  /** Every use of the name, the definition excluded, in source order. */
  readonly references: Range[];
}

export interface SymbolTable {
  readonly symbols: readonly ScenarioSymbol[];
}

export interface SymbolHit {
  readonly symbol: ScenarioSymbol;
  /** The occurrence under the position. */
  readonly range: Range;
  readonly isDefinition: boolean;
}

/** The symbol whose definition or reference covers the 1-based position, if any. */
export function symbolAt(table: SymbolTable, line: number, col: number): SymbolHit | undefined {
  for (const symbol of table.symbols) {
    if (contains(symbol.definition, line, col)) return { symbol, range: symbol.definition, isDefinition: true };
    const reference = symbol.references.find((r) => contains(r, line, col));
    if (reference !== undefined) return { symbol, range: reference, isDefinition: false };
  }
  return undefined;
}

/** Every occurrence (definition first) — what a rename edits. */
export function occurrences(symbol: ScenarioSymbol): Range[] {
  return [symbol.definition, ...symbol.references];
}

/** Builds a table while the checker walks the program. */
export class SymbolRecorder {
  private readonly list: ScenarioSymbol[] = [];

  define(symbol: Omit<ScenarioSymbol, 'id' | 'references'>): ScenarioSymbol {
    const created: ScenarioSymbol = { ...symbol, id: this.list.length, references: [] };
    this.list.push(created);
    return created;
  }

  reference(symbol: ScenarioSymbol, at: Range): void {
    symbol.references.push(at);
  }

  table(): SymbolTable {
    return { symbols: this.list };
  }
}

// Hand-written cursor positions: `|` in a scenario marks where the cursor is.
import { analyze, type Analysis } from '../../../src/language';

export interface AtCursor {
  readonly source: string;
  readonly analysis: Analysis;
  /** 1-based, like the language's positions. */
  readonly line: number;
  readonly col: number;
}

export function atCursor(marked: string): AtCursor {
  const offset = marked.indexOf('|');
  if (offset < 0 || marked.indexOf('|', offset + 1) >= 0) throw new Error('mark the cursor with exactly one |');
  const source = marked.slice(0, offset) + marked.slice(offset + 1);
  const before = marked.slice(0, offset).split('\n');
  return { source, analysis: analyze(source), line: before.length, col: (before[before.length - 1] ?? '').length + 1 };
}

/** 1-based position of the n-th (0-based) occurrence of `word` in `source`. */
export function positionOf(source: string, word: string, nth = 0): { line: number; col: number } {
  let index = -1;
  for (let i = 0; i <= nth; i += 1) {
    index = source.indexOf(word, index + 1);
    if (index < 0) throw new Error(`'${word}' occurs fewer than ${nth + 1} times`);
  }
  const before = source.slice(0, index).split('\n');
  return { line: before.length, col: (before[before.length - 1] ?? '').length + 1 };
}

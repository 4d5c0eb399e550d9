// Where the cursor is in a statement, read from the tokens before it on its line. The language is
// one statement per line, so the line's beginning up to the cursor says everything: `shell: `
// wants a verb, `shell: write ` a region of shell's, `expect child heap[1] ` a claim.
import { COMPARISONS, COUNTERS, MEMORY_FIGURES, STORAGE_VERBS, VERBS, isOneOf, type Verb } from '../../language';
import { lexLine, type Token } from '../../language/lexer';

export type CompletionSlot =
  | { readonly kind: 'line-start' }
  | { readonly kind: 'verb'; readonly process: string }
  | { readonly kind: 'region'; readonly process: string; readonly verb: Verb | 'expect' }
  | { readonly kind: 'page'; readonly process: string; readonly region: string; readonly after?: number }
  | { readonly kind: 'map-size-unit' }
  | { readonly kind: 'map-kind' }
  | { readonly kind: 'advice' }
  | { readonly kind: 'mode' }
  | { readonly kind: 'expect-start' }
  | { readonly kind: 'expect-comparison'; readonly counter: string }
  | { readonly kind: 'expect-question' }
  | { readonly kind: 'expect-after-process'; readonly process: string }
  | { readonly kind: 'expect-claim'; readonly process: string; readonly region: string; readonly negated: boolean }
  | { readonly kind: 'expect-with' }
  | { readonly kind: 'expect-other'; readonly process: string; readonly region: string }
  | { readonly kind: 'expect-frame-op' }
  | { readonly kind: 'fs-type' }
  | { readonly kind: 'volume-name'; readonly role: 'lower' | 'upper' }
  /** A file of a volume or container: after `data: delete `, `data: reflink `, `data: copy `. */
  | { readonly kind: 'file'; readonly space: string }
  | { readonly kind: 'none' };

export interface CompletionContext {
  readonly slot: CompletionSlot;
  /** 1-based columns on the cursor's line that a completion replaces (the word being typed). */
  readonly replace: { readonly col: number; readonly endCol: number };
  /** The word being typed, '' if none. */
  readonly typed: string;
}

const WORD_CHAR = /[A-Za-z0-9_-]/;

/** Reads the slot at 1-based `col` of `lineText` (which is line `line` of the scenario). */
export function completionContext(lineText: string, line: number, col: number): CompletionContext {
  const prefix = lineText.slice(0, col - 1);
  const lexed = lexLine(prefix, line);
  let endCol = col;
  while (endCol - 1 < lineText.length && WORD_CHAR.test(lineText[endCol - 1] ?? '')) endCol += 1;
  const none = { slot: { kind: 'none' } as const, replace: { col, endCol: col }, typed: '' };
  // In a comment, or inside a string (the prefix ends in an unterminated one): nothing to offer.
  if (lexed.comment !== undefined) return none;
  const tokens = [...lexed.tokens];
  if (tokens.some((t) => t.kind === 'invalid')) return none;
  const last = tokens[tokens.length - 1];
  let typed = '';
  let start = col;
  if (last !== undefined && (last.kind === 'word' || last.kind === 'number') && last.range.endCol === col && WORD_CHAR.test(prefix[prefix.length - 1] ?? '')) {
    tokens.pop();
    typed = last.text;
    start = last.range.col;
  }
  return { slot: slotAfter(tokens), replace: { col: start, endCol }, typed };
}

function slotAfter(done: readonly Token[]): CompletionSlot {
  const texts = done.map((t) => t.text);
  const [first, second] = texts;
  if (first === undefined) return { kind: 'line-start' };
  if (second === ':' && done[0]?.kind === 'word') return actionSlot(first, texts.slice(2));
  if (first === 'mode' && texts.length === 1) return { kind: 'mode' };
  if (first === 'volume' && texts.length === 2) return { kind: 'fs-type' };
  if (first === 'container' && texts.length === 2) return { kind: 'volume-name', role: 'lower' };
  if (first === 'container' && texts.length === 3) return { kind: 'volume-name', role: 'upper' };
  if (first === 'expect') return expectSlot(texts.slice(1), done.slice(1));
  return { kind: 'none' };
}

/** After `NAME:` — the verb, then its arguments. */
function actionSlot(process: string, rest: readonly string[]): CompletionSlot {
  const [verb, ...args] = rest;
  if (verb === undefined) return { kind: 'verb', process };
  if (isOneOf(STORAGE_VERBS, verb)) {
    return (verb === 'delete' || verb === 'reflink' || verb === 'copy') && args.length === 0 ? { kind: 'file', space: process } : { kind: 'none' };
  }
  if (!isOneOf(VERBS, verb)) return { kind: 'none' };
  switch (verb) {
    case 'map':
      if (args.length === 2 && /^\d/.test(args[1] ?? '')) return { kind: 'map-size-unit' };
      if (args.length === 3 && /^\d/.test(args[1] ?? '')) return { kind: 'map-kind' };
      return { kind: 'none' };
    case 'unmap':
      return args.length === 0 ? { kind: 'region', process, verb } : { kind: 'none' };
    case 'read':
    case 'write':
    case 'madvise': {
      if (args.length === 0) return { kind: 'region', process, verb };
      const selector = selectorSlot(process, args);
      if (selector !== undefined) return selector;
      if (verb === 'madvise' && selectorEnds(args) === args.length) return { kind: 'advice' };
      return { kind: 'none' };
    }
    default:
      return { kind: 'none' };
  }
}

/** Inside `region[` or `region[N..`: a page number. */
function selectorSlot(process: string, args: readonly string[]): CompletionSlot | undefined {
  const [region, open, firstPage, dots] = args;
  if (region === undefined || open !== '[') return undefined;
  if (args.length === 2) return { kind: 'page', process, region };
  if (args.length === 4 && dots === '..' && /^\d/.test(firstPage ?? '')) return { kind: 'page', process, region, after: Number((firstPage ?? '0').replace(/_/g, '')) };
  return undefined;
}

/** How many words a complete selector takes at the start of `args` (`heap` 1, `heap[1]` 4, `heap[1..3]` 6), or -1. */
function selectorEnds(args: readonly string[]): number {
  if (args.length === 0) return -1;
  if (args[1] !== '[') return 1;
  if (args[3] === ']') return 4;
  if (args[3] === '..' && args[5] === ']') return 6;
  return -1;
}

/** After `expect`: a counter comparison, a process status, or a page claim. */
function expectSlot(rest: readonly string[], tokens: readonly Token[]): CompletionSlot {
  const [subject, next] = rest;
  if (subject === undefined) return { kind: 'expect-start' };
  if (isOneOf(COUNTERS, subject)) {
    if (rest.length === 1) return { kind: 'expect-comparison', counter: subject };
    if (rest.length === 2 && isOneOf(COMPARISONS, next ?? '')) return { kind: 'expect-question' };
    return { kind: 'none' };
  }
  if (tokens[0]?.kind !== 'word') return { kind: 'none' };
  if (next === undefined) return { kind: 'expect-after-process', process: subject };
  if (isOneOf(MEMORY_FIGURES, next) && rest.length <= 3 && (rest.length < 3 || isOneOf(COMPARISONS, rest[2] ?? ''))) {
    // `expect redis rss ` wants a comparison, `expect redis rss == ` a number or `?`.
    return rest.length === 2 ? { kind: 'expect-comparison', counter: `${subject} ${next}` } : { kind: 'expect-question' };
  }
  const args = rest.slice(1);
  const selector = selectorSlot(subject, args);
  if (selector !== undefined) return selector;
  const end = selectorEnds(args);
  if (end < 0) return { kind: 'none' };
  const region = args[0] ?? '';
  const claim = args.slice(end);
  const negated = claim[0] === 'not';
  const words = negated ? claim.slice(1) : claim;
  if (words.length === 0) return { kind: 'expect-claim', process: subject, region, negated };
  if (words.length === 1 && words[0] === 'shared') return { kind: 'expect-with' };
  if (words.length === 2 && words[0] === 'shared' && words[1] === 'with') return { kind: 'expect-other', process: subject, region };
  if (words.length === 1 && words[0] === 'frame' && !negated) return { kind: 'expect-frame-op' };
  if (words.length === 2 && words[0] === 'frame' && (words[1] === '==' || words[1] === '!=')) return { kind: 'expect-question' };
  if (words.length === 1 && (words[0] === '==' || words[0] === '!=') && !negated) return { kind: 'expect-question' };
  return { kind: 'none' };
}

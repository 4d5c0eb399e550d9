// The formatter: one space between words, none inside `heap[1..3]` or before the colon of
// `shell: write`, verbs of consecutive actions aligned, trailing comments of a block aligned, no
// indentation, at most one blank line in a row, one newline at the end.
//
// It works on tokens, never on the syntax tree, and keeps every line's tokens: a line is
// rewritten only if lexing the result gives back exactly the same tokens and comment, so
// formatting cannot change what a scenario means, even on lines that do not parse. Lines it
// cannot read (an unterminated string, a stray character, a line beyond the length limit) are left
// exactly as they are. Idempotent: everything alignment depends on (which lines form a block, how
// wide each line's code is) is the same before and after formatting.
import { DEFAULT_LIMITS } from '../../language/limits';
import { lexLine, type Token } from '../../language/lexer';
import { linesOf } from './text';

export interface FormatOptions {
  /** Pad after `NAME:` so the verbs of consecutive actions start in one column. */
  readonly alignVerbs: boolean;
  /** Start the trailing comments of a block of statements in one column. */
  readonly alignComments: boolean;
}

export const DEFAULT_FORMAT_OPTIONS: FormatOptions = { alignVerbs: true, alignComments: true };

type Line =
  | { readonly kind: 'blank' }
  | { readonly kind: 'comment'; readonly comment: string }
  | { readonly kind: 'verbatim'; readonly text: string }
  | { readonly kind: 'code'; readonly tokens: readonly Token[]; readonly comment?: string; readonly actor?: string };

/** The formatted text; line breaks become `eol` (the first one found in the text by default). */
export function formatScenario(source: string, options: FormatOptions = DEFAULT_FORMAT_OPTIONS, eol = firstLineBreak(source)): string {
  const bom = source.startsWith('\ufeff') ? '\ufeff' : '';
  const lines = collapseBlankLines(linesOf(bom ? source.slice(1) : source).map((text, i) => classify(text, i + 1)));
  const out = render(lines, options);
  return out.length === 0 ? bom : bom + out.join(eol) + eol;
}

function firstLineBreak(source: string): string {
  return /\r\n|\r|\n/.exec(source)?.[0] ?? '\n';
}

function classify(text: string, line: number): Line {
  if (text.length > DEFAULT_LIMITS.maxLineLength) return { kind: 'verbatim', text };
  const lexed = lexLine(text, line);
  const comment = lexed.comment?.text.trimEnd();
  const commentText = comment === undefined ? undefined : `#${comment}`;
  if (lexed.tokens.length === 0) return commentText === undefined ? { kind: 'blank' } : { kind: 'comment', comment: commentText };
  if (lexed.tokens.some((t) => t.kind === 'invalid')) return { kind: 'verbatim', text };
  const [first, second] = lexed.tokens;
  const actor = first?.kind === 'word' && second?.kind === 'punct' && second.text === ':' ? first.text : undefined;
  const code: Line = { kind: 'code', tokens: lexed.tokens, ...(commentText !== undefined ? { comment: commentText } : {}), ...(actor !== undefined ? { actor } : {}) };
  // The widest this line can become must still be read as the same line (length limit included).
  const widest = join(lexed.tokens, 0) + (commentText !== undefined ? `  ${commentText}` : '');
  return widest.length <= DEFAULT_LIMITS.maxLineLength && sameLine(text, widest, line) ? code : { kind: 'verbatim', text };
}

/** No blank lines at the start or the end, at most one in a row elsewhere. */
function collapseBlankLines(lines: readonly Line[]): Line[] {
  const kept: Line[] = [];
  for (const line of lines) {
    if (line.kind === 'blank' && (kept.length === 0 || kept[kept.length - 1]?.kind === 'blank')) continue;
    kept.push(line);
  }
  while (kept[kept.length - 1]?.kind === 'blank') kept.pop();
  return kept;
}

/** Canonical spacing; `verbColumn` pads after the colon of an action so its verb starts there. */
function join(tokens: readonly Token[], verbColumn: number): string {
  let out = '';
  tokens.forEach((token, index) => {
    const previous = tokens[index - 1];
    if (previous !== undefined) out += gap(previous, token, index);
    if (index === 2 && tokens[1]?.text === ':' && out.length < verbColumn) out += ' '.repeat(verbColumn - out.length);
    out += token.text;
  });
  return out;
}

function gap(previous: Token, token: Token, index: number): string {
  if (index === 1 && token.text === ':' && previous.kind === 'word') return '';
  if (token.text === '[' && previous.kind === 'word') return '';
  if (previous.text === '[' || token.text === ']' || previous.text === '..' || token.text === '..') {
    return previous.kind === 'punct' || token.kind === 'punct' ? '' : ' ';
  }
  return ' ';
}

/** The rewritten line lexes to the same tokens and the same comment as the original. */
function sameLine(original: string, rewritten: string, line: number): boolean {
  const a = lexLine(original, line);
  const b = lexLine(rewritten, line);
  if (a.tokens.length !== b.tokens.length || a.comment?.text.trimEnd() !== b.comment?.text.trimEnd()) return false;
  return a.tokens.every((t, i) => t.kind === b.tokens[i]?.kind && t.text === b.tokens[i]?.text);
}

function render(lines: readonly Line[], options: FormatOptions): string[] {
  const out: string[] = [];
  for (let start = 0; start < lines.length; ) {
    const line = lines[start];
    if (line === undefined) break;
    if (line.kind !== 'code') {
      out.push(line.kind === 'blank' ? '' : line.kind === 'comment' ? line.comment : line.text);
      start += 1;
      continue;
    }
    let end = start;
    while (lines[end]?.kind === 'code') end += 1;
    out.push(...renderBlock(lines.slice(start, end) as Extract<Line, { kind: 'code' }>[], options));
    start = end;
  }
  return out;
}

/** A block: consecutive statement lines, aligned together. */
function renderBlock(block: readonly Extract<Line, { kind: 'code' }>[], options: FormatOptions): string[] {
  const verbColumns = block.map(() => 0);
  if (options.alignVerbs) {
    // Runs of consecutive actions: each verb starts one space after the longest `NAME:`.
    for (let i = 0; i < block.length; ) {
      let j = i;
      while (block[j]?.actor !== undefined) j += 1;
      const column = Math.max(0, ...block.slice(i, j).map((l) => (l.actor?.length ?? 0) + 2));
      for (let k = i; k < j; k += 1) verbColumns[k] = column;
      i = Math.max(j, i + 1);
    }
  }
  const codes = block.map((l, i) => fitting(l, verbColumns[i] ?? 0));
  const commented = block.map((l, i) => (l.comment !== undefined ? (codes[i] ?? '').length : -1)).filter((w) => w >= 0);
  const commentColumn = options.alignComments ? Math.max(0, ...commented) + 2 : 0;
  return block.map((l, i) => {
    const code = codes[i] ?? '';
    if (l.comment === undefined) return code;
    const padded = code + ' '.repeat(Math.max(2, commentColumn - code.length)) + l.comment;
    return padded.length <= DEFAULT_LIMITS.maxLineLength ? padded : `${code}  ${l.comment}`;
  });
}

/** The aligned line if it stays within the length limit, else the plain one. */
function fitting(line: Extract<Line, { kind: 'code' }>, verbColumn: number): string {
  const aligned = join(line.tokens, verbColumn);
  const room = DEFAULT_LIMITS.maxLineLength - (line.comment !== undefined ? line.comment.length + 2 : 0);
  return aligned.length <= room ? aligned : join(line.tokens, 0);
}

// Splits one source line into tokens. The language is line-oriented, so the lexer never looks
// past a newline; a problem on one line cannot disturb the next. Never throws: characters it
// does not understand become `invalid` tokens the parser reports.
import { range, type Range } from './source';

export type TokenKind =
  | 'word' // process, region, file and keyword names: letters, digits, _ and -, not starting with a digit or -; a single '.' between word characters (app.bin)
  | 'number' // decimal digits, `_` allowed between them (1_000); one '.' then digits: a version (4.19) or a decimal (pss == 2.5)
  | 'string' // "…" with \" \\ \n \t escapes
  | 'punct' // : [ ] .. == != < <= > >= ? =
  | 'invalid'; // anything else, or an unterminated string

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token. */
  readonly text: string;
  /** For strings, the value with escapes resolved; for numbers, the digits without `_`. */
  readonly value: string;
  readonly range: Range;
  /** For `invalid` tokens: what is wrong. */
  readonly problem?: string;
}

export interface LexedLine {
  readonly tokens: readonly Token[];
  /** The comment, `#` included, if the line has one. */
  readonly comment?: { readonly text: string; readonly range: Range };
}

const PUNCTUATION = ['..', '==', '!=', '<=', '>=', ':', '[', ']', '<', '>', '?', '='];

function isWordStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isWordPart(c: string): boolean {
  return isWordStart(c) || isDigit(c) || c === '-';
}

/** Tokenises `text`, which is line number `line` (1-based) of the source. */
export function lexLine(text: string, line: number): LexedLine {
  const tokens: Token[] = [];
  let i = 0;
  const at = (from: number, to: number) => range(line, from + 1, to + 1);
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff') {
      i += 1;
      continue;
    }
    if (c === '#') {
      return { tokens, comment: { text: text.slice(i + 1), range: at(i, text.length) } };
    }
    const start = i;
    if (isWordStart(c)) {
      // A file name may hold single dots (app.bin); '..' stays the range punctuation.
      while (i < text.length && (isWordPart(text[i] ?? '') || (text[i] === '.' && isWordPart(text[i + 1] ?? '') && text[i + 1] !== '-'))) i += 1;
      const word = text.slice(start, i);
      tokens.push({ kind: 'word', text: word, value: word, range: at(start, i) });
      continue;
    }
    if (isDigit(c)) {
      while (i < text.length && (isDigit(text[i] ?? '') || (text[i] === '_' && isDigit(text[i + 1] ?? '')))) i += 1;
      // A version (`kernel 4.19`) or a decimal fraction (`pss == 2.5`): one '.' then digits. `1..3` stays a range.
      if (text[i] === '.' && isDigit(text[i + 1] ?? '')) {
        i += 1;
        while (i < text.length && isDigit(text[i] ?? '')) i += 1;
      }
      const digits = text.slice(start, i);
      tokens.push({ kind: 'number', text: digits, value: digits.replace(/_/g, ''), range: at(start, i) });
      continue;
    }
    if (c === '"' || c === '\u201c' || c === '\u201d') {
      const lexed = lexString(text, start, at);
      tokens.push(lexed.token);
      i = lexed.end;
      continue;
    }
    const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
    if (punct !== undefined) {
      i += punct.length;
      tokens.push({ kind: 'punct', text: punct, value: punct, range: at(start, i) });
      continue;
    }
    // One invalid token per run of characters we do not understand, so one typo is one diagnostic.
    i += 1;
    while (i < text.length && !/[\s#"\w:[\]=<>?!.]/.test(text[i] ?? '')) i += 1;
    const bad = text.slice(start, i);
    tokens.push({ kind: 'invalid', text: bad, value: bad, range: at(start, i), problem: `unexpected character${bad.length > 1 ? 's' : ''} '${bad}'` });
  }
  return { tokens };
}

/** Lexes the string starting at `start`; `end` is the 0-based index just after it. */
function lexString(text: string, start: number, at: (from: number, to: number) => Range): { token: Token; end: number } {
  const open = text[start];
  if (open !== '"') {
    // Curly quotes come in when a scenario is pasted from a document: say so precisely.
    let end = start + 1;
    while (end < text.length && text[end] !== '\u201d' && text[end] !== '"') end += 1;
    end = Math.min(end + 1, text.length);
    const token: Token = { kind: 'invalid', text: text.slice(start, end), value: '', range: at(start, end), problem: 'curly quotes: write strings with straight quotes "…"' };
    return { token, end };
  }
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === '"') {
      return { token: { kind: 'string', text: text.slice(start, i + 1), value, range: at(start, i + 1) }, end: i + 1 };
    }
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1] ?? '';
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      i += 2;
      continue;
    }
    value += c;
    i += 1;
  }
  const token: Token = { kind: 'invalid', text: text.slice(start), value, range: at(start, text.length), problem: 'unterminated string: add the closing "' };
  return { token, end: text.length };
}

/** Splits source text into lines (\n, \r\n or \r), dropping a leading byte-order mark. */
export function splitLines(source: string): string[] {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

// A cursor over the tokens of one line, used by the statement parsers. A syntax problem ends
// the line at once by throwing a LineError, which the parser turns into exactly one diagnostic
// for that line — the error never leaves the parser.
import type { DecimalLiteral, Name, NumberLiteral, PageSelector, StringLiteral } from './ast';
import type { Token } from './lexer';
import { cover, range as makeRange, type DiagnosticCode, type Range } from './source';
import { didYouMean, listWords } from './suggest';

export class LineError {
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly code: DiagnosticCode = 'syntax',
    readonly suggestion?: string,
  ) {}
}

export class Cursor {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    /** Where the line's text ends, for "missing …" diagnostics at the end of the line. */
    private readonly endOfLine: Range,
  ) {
    const bad = tokens.find((t) => t.kind === 'invalid');
    if (bad !== undefined) {
      throw new LineError(bad.range, bad.problem ?? `unexpected '${bad.text}'`, bad.problem?.includes('string') || bad.problem?.includes('quotes') ? 'bad-string' : 'syntax');
    }
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.index + offset];
  }

  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  next(): Token | undefined {
    const token = this.tokens[this.index];
    if (token !== undefined) this.index += 1;
    return token;
  }

  /** Where a missing token would go: just after the previous one. */
  here(): Range {
    const previous = this.tokens[this.index - 1];
    const token = this.tokens[this.index];
    if (token !== undefined) return token.range;
    if (previous !== undefined) return makeRange(previous.range.line, previous.range.endCol, previous.range.endCol + 1);
    return this.endOfLine;
  }

  /** The range of the token just consumed. */
  previousRange(): Range {
    return this.tokens[this.index - 1]?.range ?? this.endOfLine;
  }

  /** Consumes `text` if it is next. */
  accept(text: string): Token | undefined {
    const token = this.peek();
    if (token !== undefined && token.kind !== 'string' && token.text === text) return this.next();
    return undefined;
  }

  expectPunct(text: string, what: string): Token {
    const token = this.accept(text);
    if (token === undefined) throw new LineError(this.here(), `expected '${text}' ${what}${this.found()}`);
    return token;
  }

  /** A name: process, region or child. `role` names it in messages ("a region name"). */
  name(role: string): Name {
    const token = this.peek();
    if (token === undefined || token.kind !== 'word') {
      const hint = token?.kind === 'number' ? ' (names start with a letter)' : token?.kind === 'string' ? ' (names are written without quotes)' : '';
      throw new LineError(this.here(), `expected ${role}${this.found()}${hint}`);
    }
    this.next();
    return { text: token.text, range: token.range };
  }

  /** One of a fixed set of words, with a "did you mean" for near misses. */
  oneOf<T extends string>(words: readonly T[], role: string, code: DiagnosticCode = 'syntax'): Name & { text: T } {
    const token = this.peek();
    if (token === undefined || token.kind !== 'word') {
      throw new LineError(this.here(), `expected ${role}: ${listWords(words)}${this.found()}`, code);
    }
    if (!(words as readonly string[]).includes(token.text)) {
      const { hint, suggestion } = didYouMean(token.text, words);
      throw new LineError(token.range, `unknown ${role} '${token.text}'${hint || ` — expected ${listWords(words)}`}`, code, suggestion);
    }
    this.next();
    return { text: token.text as T, range: token.range };
  }

  number(role: string): NumberLiteral {
    const token = this.peek();
    if (token === undefined || token.kind !== 'number') {
      const hint = token?.text === '-' || token?.text.startsWith('-') ? ' (never negative)' : '';
      throw new LineError(this.here(), `expected ${role}, a whole number${hint}${this.found()}`, 'bad-number');
    }
    if (token.value.includes('.')) throw new LineError(token.range, `expected ${role}, a whole number (got ${token.text})`, 'bad-number');
    const value = Number(token.value);
    if (!Number.isSafeInteger(value)) throw new LineError(token.range, `${role} ${token.text} is too large`, 'bad-number');
    this.next();
    return { value, range: token.range };
  }

  /** A number that may have a decimal fraction (`2.5`); `text` keeps the digits for exact use. */
  decimal(role: string): DecimalLiteral {
    const token = this.peek();
    if (token === undefined || token.kind !== 'number') {
      throw new LineError(this.here(), `expected ${role}, a number such as 3 or 2.5${this.found()}`, 'bad-number');
    }
    const value = Number(token.value);
    if (!Number.isFinite(value) || token.value.replace('.', '').length > 30) throw new LineError(token.range, `${role} ${token.text} is too large`, 'bad-number');
    this.next();
    return { value, text: token.value, range: token.range };
  }

  string(role: string): StringLiteral {
    const token = this.peek();
    if (token === undefined || token.kind !== 'string') {
      const hint = token !== undefined ? ` — write it in quotes: "${token.text}"` : '';
      throw new LineError(this.here(), `expected ${role} in quotes${token === undefined ? ', at the end of the line' : ''}${hint}`, 'bad-string');
    }
    this.next();
    return { value: token.value, range: token.range };
  }

  /** `heap`, `heap[3]` or `heap[1..3]`. */
  selector(): PageSelector {
    const region = this.name('a region name');
    const open = this.accept('[');
    if (open === undefined) return { region, range: region.range };
    const first = this.number('a page number');
    let last = first;
    if (this.accept('..') !== undefined) last = this.number('the last page number');
    const close = this.expectPunct(']', `to close the page ${last === first ? 'number' : 'range'}`);
    const pagesRange = cover(open.range, close.range);
    if (last.value < first.value) {
      throw new LineError(pagesRange, `empty page range [${first.value}..${last.value}]: the first page must not come after the last (write [${last.value}..${first.value}])`, 'bad-range');
    }
    return { region, pages: { first: first.value, last: last.value, range: pagesRange }, range: cover(region.range, close.range) };
  }

  /** Fails if anything is left on the line. */
  end(what: string): void {
    const token = this.peek();
    if (token === undefined) return;
    const last = this.tokens[this.tokens.length - 1] ?? token;
    throw new LineError(cover(token.range, last.range), `unexpected '${token.text}' after ${what}`, 'trailing-input');
  }

  private found(): string {
    const token = this.peek();
    if (token === undefined) return ', found the end of the line';
    return `, found '${token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text}'`;
  }
}

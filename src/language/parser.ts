// The `.cow` parser. One statement per line; a line that does not parse yields exactly one
// diagnostic at the exact range of the problem and no statement, and the next line parses as if
// nothing happened. Never throws.
import { parseKernel } from '../engine';
import type { Action, Comment, KernelStatement, MemoryStatement, ModeStatement, Program, Statement, StorageAction } from './ast';
import { Cursor, LineError } from './cursor';
import { lexLine, splitLines, type Token } from './lexer';
import { DEFAULT_LIMITS, PAGE_SIZE, type Limits } from './limits';
import { parseExpect } from './parseExpect';
import { cover, range, type Diagnostic, type Range } from './source';
import { didYouMean, listWords } from './suggest';
import { ADVICE_WORDS, FS_TYPE_WORDS, POLICIES, REGION_KINDS, RESERVED_PROCESS_NAMES, SIZE_UNITS, STATEMENT_KEYWORDS, STORAGE_VERBS, VERBS, isOneOf, type Verb } from './vocabulary';

/** Every verb after `NAME:` — a process's and a volume's. */
const ALL_VERBS: readonly string[] = [...VERBS, ...STORAGE_VERBS];

export function parse(source: string, limits: Limits = DEFAULT_LIMITS): Program {
  const lines = splitLines(source);
  const statements: Statement[] = [];
  const comments: Comment[] = [];
  const diagnostics: Diagnostic[] = [];
  const skippedLines: { line: number; words: string[] }[] = [];
  let mode: ModeStatement | undefined;
  let kernel: KernelStatement | undefined;
  let memory: MemoryStatement | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    const text = lines[index] ?? '';
    const line = index + 1;
    if (text.length > limits.maxLineLength) {
      diagnostics.push(error(range(line, 1, text.length + 1), `line is ${text.length} characters long; the limit is ${limits.maxLineLength}`, 'too-large'));
      continue;
    }
    const lexed = lexLine(text, line);
    if (lexed.comment !== undefined) comments.push(lexed.comment);
    if (lexed.tokens.length === 0) continue;
    const endOfLine = range(line, text.trimEnd().length + 1, text.trimEnd().length + 2);
    try {
      const statement = parseStatement(lexed.tokens, endOfLine, limits);
      if (statement.kind === 'mode') {
        if (mode !== undefined) throw new LineError(statement.range, `the mode is already set on line ${mode.range.line}`, 'duplicate-mode');
        if (statements.length > 0) throw new LineError(statement.range, '`mode` is a header: put it before the first statement', 'mode-position');
        mode = statement;
      }
      if (statement.kind === 'kernel') {
        if (kernel !== undefined) throw new LineError(statement.range, `the kernel is already set on line ${kernel.range.line}`, 'duplicate-kernel');
        if (statements.some((s) => s.kind !== 'mode')) throw new LineError(statement.range, '`kernel` is a header: put it before the first statement', 'kernel-position');
        kernel = statement;
      }
      if (statement.kind === 'memory') {
        if (memory !== undefined) throw new LineError(statement.range, `the memory is already set on line ${memory.range.line}`, 'duplicate-memory');
        if (statements.some((s) => s.kind !== 'mode' && s.kind !== 'kernel')) throw new LineError(statement.range, '`memory` is a header: put it before the first statement', 'memory-position');
        memory = statement;
      }
      if (statements.length >= limits.maxStatements) {
        diagnostics.push(error(statement.range, `too many statements: a scenario holds at most ${limits.maxStatements}; the rest of the file is ignored`, 'too-large'));
        break;
      }
      statements.push(statement);
    } catch (e) {
      skippedLines.push({ line, words: lexed.tokens.filter((t) => t.kind === 'word').map((t) => t.text) });
      diagnostics.push(e instanceof LineError ? lineDiagnostic(e) : internalError(e, range(line, 1, text.length + 1)));
    }
  }
  return { statements, comments, diagnostics, skippedLines, lineCount: lines.length, ...(mode !== undefined ? { mode } : {}), ...(kernel !== undefined ? { kernel } : {}), ...(memory !== undefined ? { memory } : {}) };
}

function lineDiagnostic(e: LineError): Diagnostic {
  return { range: e.range, severity: 'error', message: e.message, source: 'parser', code: e.code, ...(e.suggestion !== undefined ? { suggestion: e.suggestion } : {}) };
}

/** A bug in the parser is reported on its line rather than thrown at the caller. */
function internalError(e: unknown, r: Range): Diagnostic {
  return error(r, `internal error in the CoW Lab parser (please report): ${e instanceof Error ? e.message : String(e)}`, 'internal');
}

function error(r: Range, message: string, code: Diagnostic['code']): Diagnostic {
  return { range: r, severity: 'error', message, source: 'parser', code };
}

function parseStatement(tokens: readonly Token[], endOfLine: Range, limits: Limits): Statement {
  const c = new Cursor(tokens, endOfLine);
  const first = c.peek();
  const second = c.peek(1);
  const lineRange = cover(tokens[0]?.range ?? endOfLine, tokens[tokens.length - 1]?.range ?? endOfLine);
  if (first === undefined) throw new LineError(endOfLine, 'empty statement');
  if (first.kind === 'word' && second?.text === ':' && second.kind === 'punct') {
    return parseAction(c, lineRange, limits);
  }
  if (first.kind !== 'word') {
    throw new LineError(first.range, `a statement starts with a keyword or a process name, not '${first.text}'`, 'unknown-statement');
  }
  switch (first.text) {
    case 'mode': {
      c.next();
      const policy = c.oneOf(POLICIES, 'mode');
      c.end('the mode');
      return { kind: 'mode', keyword: first.range, policy, range: lineRange };
    }
    case 'kernel': {
      c.next();
      const token = c.peek();
      if (token === undefined || token.kind !== 'number') throw new LineError(c.here(), 'expected a Linux release after `kernel`, e.g. `kernel 4.19`', 'bad-kernel');
      const v = parseKernel(token.text);
      if (typeof v === 'string') throw new LineError(token.range, v, 'bad-kernel');
      c.next();
      c.end('the kernel version');
      return { kind: 'kernel', keyword: first.range, version: { text: token.text, major: v.major, minor: v.minor, range: token.range }, range: lineRange };
    }
    case 'memory': {
      c.next();
      const { frames, size } = parseMemory(c);
      c.end('the memory size');
      return { kind: 'memory', keyword: first.range, frames, size, range: lineRange };
    }
    case 'process': {
      c.next();
      const name = checkedName(c.name('a process name'), 'process', limits);
      if (RESERVED_PROCESS_NAMES.includes(name.text)) {
        throw new LineError(name.range, `'${name.text}' is a keyword of the language; choose another process name`, 'reserved-name');
      }
      if (c.peek()?.text === ':') throw new LineError(c.here(), `'process ${name.text}' creates the process; write its actions on the next lines as '${name.text}: verb …'`, 'trailing-input');
      c.end('the process name');
      return { kind: 'process', keyword: first.range, name, range: lineRange };
    }
    case 'checkpoint': {
      c.next();
      const token = c.peek();
      const name = token?.kind === 'word' ? c.name('a checkpoint name') : stringName(c.string('the checkpoint name'));
      if (name.text.trim() === '') throw new LineError(name.range, 'a checkpoint needs a name', 'bad-string');
      checkedName(name, 'checkpoint', limits);
      c.end('the checkpoint name');
      return { kind: 'checkpoint', keyword: first.range, name, range: lineRange };
    }
    case 'note': {
      c.next();
      const text = c.string('the note');
      if (text.value.length > limits.maxTextLength) throw new LineError(text.range, `note is ${text.value.length} characters long; the limit is ${limits.maxTextLength}`, 'too-large');
      c.end('the note');
      return { kind: 'note', keyword: first.range, text, range: lineRange };
    }
    case 'expect':
      c.next();
      return parseExpect(c, first.range, lineRange);
    case 'volume': {
      c.next();
      const name = reservedCheck(checkedName(c.name('a volume name'), 'volume', limits));
      const fsType = c.oneOf(FS_TYPE_WORDS, 'file system');
      c.end('the file system');
      return { kind: 'volume', keyword: first.range, name, fsType, range: lineRange };
    }
    case 'container': {
      c.next();
      const name = reservedCheck(checkedName(c.name('a container name'), 'container', limits));
      const lower = checkedName(c.name('the lower volume (the image, read-only)'), 'volume', limits);
      const upper = checkedName(c.name('the volume that holds the upper directory'), 'volume', limits);
      c.end('the upper volume');
      return { kind: 'container', keyword: first.range, name, lower, upper, range: lineRange };
    }
    default:
      return unknownStatement(first, second);
  }
}

function reservedCheck<T extends { text: string; range: Range }>(name: T): T {
  if (RESERVED_PROCESS_NAMES.includes(name.text)) throw new LineError(name.range, `'${name.text}' is a keyword of the language; choose another name`, 'reserved-name');
  return name;
}

function unknownStatement(first: Token, second: Token | undefined): never {
  if (second?.kind === 'word' && ALL_VERBS.includes(second.text)) {
    throw new LineError(first.range, `missing ':' after '${first.text}' — write '${first.text}: ${second.text} …'`, 'missing-colon');
  }
  if (isOneOf(VERBS, first.text)) {
    throw new LineError(first.range, `which process does '${first.text}'? Write 'NAME: ${first.text} …'`, 'unknown-statement');
  }
  const { hint, suggestion } = didYouMean(first.text, STATEMENT_KEYWORDS);
  if (suggestion !== undefined) throw new LineError(first.range, `unknown statement '${first.text}'${hint}`, 'unknown-keyword', suggestion);
  throw new LineError(
    first.range,
    `unknown statement '${first.text}': a line is ${listWords(STATEMENT_KEYWORDS.map((k) => `${k} …`))} or 'NAME: verb …'`,
    'unknown-statement',
  );
}

function stringName(s: { value: string; range: Range }) {
  return { text: s.value, range: s.range };
}

function checkedName<T extends { text: string; range: Range }>(name: T, role: string, limits: Limits): T {
  if (name.text.length > limits.maxNameLength) {
    throw new LineError(name.range, `${role} name is ${name.text.length} characters long; the limit is ${limits.maxNameLength}`, 'too-large');
  }
  return name;
}

function parseStorageAction(c: Cursor, base: { process: { text: string; range: Range }; verb: Range; range: Range }, verb: (typeof STORAGE_VERBS)[number], limits: Limits): StorageAction {
  switch (verb) {
    case 'create': {
      const file = checkedName(c.name('a file name'), 'file', limits);
      const { blocks, size } = parseBlocks(c);
      const value = c.atEnd() ? undefined : c.string('the value');
      if (value !== undefined && value.value.length > limits.maxValueLength) {
        throw new LineError(value.range, `value is ${value.value.length} characters long; a block holds at most ${limits.maxValueLength}`, 'too-large');
      }
      c.end('the value');
      return { ...base, kind: 'create', file, blocks, size, ...(value !== undefined ? { value } : {}) };
    }
    case 'reflink':
    case 'copy': {
      const file = checkedName(c.name(`the file to ${verb}`), 'file', limits);
      const target = checkedName(c.name('the name of the new file'), 'file', limits);
      c.end('the new file name');
      return { ...base, kind: verb, file, target };
    }
    case 'delete': {
      const file = checkedName(c.name('the file to delete'), 'file', limits);
      c.end('the file name');
      return { ...base, kind: 'delete', file };
    }
    case 'snapshot': {
      const snapshot = reservedCheck(checkedName(c.name('the name of the snapshot (a new volume)'), 'volume', limits));
      c.end('the snapshot name');
      return { ...base, kind: 'snapshot', snapshot };
    }
  }
}

/** A file's size units: blocks, or bytes (KiB, MiB, GiB); `pages` is a region's word, not a file's. */
const BLOCK_UNITS: Readonly<Record<string, number>> = { block: 1, blocks: 1, ...Object.fromEntries(Object.entries(SIZE_UNITS).filter(([, n]) => n !== 1)) };

/** `16`, `16 blocks`, `1 MiB`, `1 GiB` — a file size in whole 4 KiB blocks. */
function parseBlocks(c: Cursor): { blocks: number; size: Range } {
  const { count, size } = parseUnits(c, BLOCK_UNITS, 'file', 'block');
  return { blocks: count, size };
}

function parseAction(c: Cursor, lineRange: Range, limits: Limits): Action | StorageAction {
  const actor = checkedName(c.name('a process name'), 'process', limits);
  c.next(); // ':'
  const verbToken = c.peek();
  if (verbToken === undefined || verbToken.kind !== 'word') throw new LineError(c.here(), `expected a verb after '${actor.text}:': ${listWords(VERBS)} (a process), or ${listWords(STORAGE_VERBS)} (a volume)`, 'unknown-verb');
  if (isOneOf(STORAGE_VERBS, verbToken.text)) {
    c.next();
    return parseStorageAction(c, { process: actor, verb: verbToken.range, range: lineRange }, verbToken.text, limits);
  }
  if (!isOneOf(VERBS, verbToken.text)) {
    const { hint, suggestion } = didYouMean(verbToken.text, ALL_VERBS);
    throw new LineError(verbToken.range, `unknown verb '${verbToken.text}'${hint || ` — expected ${listWords(VERBS)} (a process), or ${listWords(STORAGE_VERBS)} (a volume)`}`, 'unknown-verb', suggestion);
  }
  c.next();
  const verb: Verb = verbToken.text;
  const base = { process: actor, verb: verbToken.range, range: lineRange };
  switch (verb) {
    case 'map': {
      const region = checkedName(c.name('a region name'), 'region', limits);
      const { pages, size } = parseSize(c);
      const kindToken = c.atEnd() || c.peek()?.text === 'huge' ? undefined : c.oneOf(REGION_KINDS, 'region kind');
      const huge = c.accept('huge');
      if (huge !== undefined && kindToken?.text === 'shared') throw new LineError(huge.range, 'transparent huge pages here are for private anonymous memory: write `private huge`', 'bad-huge');
      c.end(huge ? 'huge' : 'the region kind');
      return {
        ...base,
        kind: 'map',
        region,
        pages,
        size,
        regionKind: kindToken?.text ?? 'private',
        ...(kindToken ? { regionKindRange: kindToken.range } : {}),
        ...(huge ? { huge: huge.range } : {}),
      };
    }
    case 'unmap': {
      const region = checkedName(c.name('a region name'), 'region', limits);
      if (c.peek()?.text === '[') throw new LineError(c.here(), 'unmap removes a whole region; write it without pages', 'trailing-input');
      c.end('the region name');
      return { ...base, kind: 'unmap', region };
    }
    case 'read': {
      const target = c.selector();
      c.end('the pages');
      return { ...base, kind: 'read', target };
    }
    case 'write': {
      const target = c.selector();
      const value = c.atEnd() ? undefined : c.string('the value');
      if (value !== undefined && value.value.length > limits.maxValueLength) {
        throw new LineError(value.range, `value is ${value.value.length} characters long; a page holds at most ${limits.maxValueLength}`, 'too-large');
      }
      c.end('the value');
      return { ...base, kind: 'write', target, ...(value !== undefined ? { value } : {}) };
    }
    case 'fork':
    case 'vfork': {
      const child = checkedName(c.name(`the name of the ${verb} child`), 'process', limits);
      if (RESERVED_PROCESS_NAMES.includes(child.text)) throw new LineError(child.range, `'${child.text}' is a keyword of the language; choose another process name`, 'reserved-name');
      c.end('the child name');
      return { ...base, kind: verb, child };
    }
    case 'exec':
    case 'exit':
      c.end(`'${verb}' (it takes nothing)`);
      return { ...base, kind: verb };
    case 'madvise': {
      const target = c.selector();
      const undo = c.peek();
      if (undo !== undefined && (undo.text === 'dofork' || undo.text === 'keeponfork')) {
        throw new LineError(undo.range, `write 'normal' to undo dontfork and wipeonfork (MADV_DOFORK / MADV_KEEPONFORK)`, 'syntax', 'normal');
      }
      const advice = c.oneOf(ADVICE_WORDS, 'advice');
      c.end('the advice');
      return { ...base, kind: 'madvise', target, advice };
    }
    case 'vmsplice': {
      const target = c.selector();
      const pipe = checkedName(c.name('the pipe to splice into (a new name creates it)'), 'pipe', limits);
      c.end('the pipe name');
      return { ...base, kind: 'vmsplice', target, pipe };
    }
    case 'drain': {
      const pipe = checkedName(c.name('the pipe to read empty'), 'pipe', limits);
      c.end('the pipe name');
      return { ...base, kind: 'drain', pipe };
    }
    case 'pin':
    case 'unpin': {
      const target = c.selector();
      c.end('the pages');
      return { ...base, kind: verb, target };
    }
  }
}

/** `memory 512`, `memory 512 frames`, `memory 2 GiB` — physical memory in whole 4 KiB frames. */
function parseMemory(c: Cursor): { frames: number; size: Range } {
  const token = c.peek();
  if (token === undefined || token.kind !== 'number') throw new LineError(c.here(), 'expected the machine\'s memory after `memory`: frames (`memory 512`) or a size (`memory 2 GiB`)', 'bad-memory');
  const count = c.number('the memory in frames');
  const unitToken = c.peek();
  const word = unitToken?.kind === 'word' ? unitToken.text.toLowerCase() : undefined;
  const unit = word === 'frame' || word === 'frames' ? 1 : word !== undefined ? SIZE_UNITS[word] : undefined;
  if (unitToken === undefined || unit === undefined) {
    if (count.value === 0) throw new LineError(count.range, 'a machine needs at least one frame of memory', 'bad-memory');
    return { frames: count.value, size: count.range };
  }
  c.next();
  const size = cover(count.range, unitToken.range);
  const bytes = count.value * (unit === 1 ? PAGE_SIZE : unit);
  if (!Number.isSafeInteger(bytes)) throw new LineError(size, 'memory size is too large', 'bad-memory');
  if (bytes === 0 || bytes % PAGE_SIZE !== 0) throw new LineError(size, `memory is a whole number of ${PAGE_SIZE / 1024} KiB frames; ${count.value} ${unitToken.text} is not`, 'bad-memory');
  return { frames: bytes / PAGE_SIZE, size };
}

/** `8`, `8 pages`, `2 MiB`, `64KiB` — a size in whole pages. */
function parseSize(c: Cursor): { pages: number; size: Range } {
  const { count, size } = parseUnits(c, SIZE_UNITS, 'region', 'page');
  return { pages: count, size };
}

/**
 * A number of 4 KiB `noun`s (pages, blocks), alone or with a unit of `units` (1 for the noun
 * itself, else bytes): at least one, and a byte size a whole number of them.
 */
function parseUnits(c: Cursor, units: Readonly<Record<string, number>>, thing: 'region' | 'file', noun: 'page' | 'block'): { count: number; size: Range } {
  const count = c.number(`the ${thing} size in ${noun}s`);
  const unitToken = c.peek();
  const unit = unitToken?.kind === 'word' ? units[unitToken.text.toLowerCase()] : undefined;
  if (unitToken === undefined || unit === undefined) {
    if (count.value === 0) throw new LineError(count.range, `a ${thing} needs at least one ${noun}`, 'bad-number');
    return { count: count.value, size: count.range };
  }
  c.next();
  const size = cover(count.range, unitToken.range);
  if (unit === 1) {
    if (count.value === 0) throw new LineError(size, `a ${thing} needs at least one ${noun}`, 'bad-number');
    return { count: count.value, size };
  }
  const bytes = count.value * unit;
  if (!Number.isSafeInteger(bytes)) throw new LineError(size, `${thing} size is too large`, 'bad-number');
  if (bytes === 0 || bytes % PAGE_SIZE !== 0) throw new LineError(size, `a ${thing} is a whole number of ${PAGE_SIZE / 1024} KiB ${noun}s; ${count.value} ${unitToken.text} is not`, 'bad-number');
  return { count: bytes / PAGE_SIZE, size };
}

// `expect` lines: what should be true at this point of the scenario.
//
//   expect copies == 1                     counter comparison (== != < <= > >=), or `== ?` to ask
//   expect shell running                   process status: running | suspended | exited
//   expect shell heap[1] shared with child same physical frame (the zero page does not count)
//   expect child heap[1] private           mapped by exactly one page-table entry
//   expect child heap[1] zero | present | absent | writable | readonly | cow
//   expect shell heap[1] not shared with child      (`not` before any page claim)
//   expect shell heap[1] frame == 3        frame number (or `== ?` to ask)
//   expect shell heap[1] == "ls -l"        the value the page holds (or `== ?` to ask)
//   expect data log[3] shared with snap log[3]   storage: the same physical block
//   expect snap log[3] exclusive           storage: referenced by one file block only
//   expect web app.bin copied-up           storage: the container copied the file up
//   expect data log[3] block == 17         storage: the physical block (or `== ?` to ask)
//   expect shell heap[1] refcount == 2     references to its frame (mappings, pipe pages, pins); also mapcount
//   expect shell heap[1] exclusive         carries PageAnonExclusive (Linux 5.19 on)
//   expect leak[0] == "old"                what the first page pipe `leak` holds reads now
//   expect redis rss == 4                  memory figures in pages: rss | pss | uss, any comparison,
//   expect redis pss == 2.5                  pss may have decimals; `== ?` asks
import type { Claim, ExpectStatement, Name, PageTarget, Question } from './ast';
import { Cursor, LineError } from './cursor';
import type { Range } from './source';
import { didYouMean } from './suggest';
import { BLOCK_PROPERTIES, COMPARISONS, COUNTERS, MEMORY_FIGURES, PAGE_COUNTS, PAGE_PROPERTIES, PROCESS_STATUSES, isOneOf, type Comparison } from './vocabulary';

export function parseExpect(c: Cursor, keyword: Range, lineRange: Range): ExpectStatement {
  const claim = parseClaim(c);
  c.end('the expectation');
  return { kind: 'expect', keyword, claim, range: lineRange };
}

function parseClaim(c: Cursor): Claim {
  const first = c.peek();
  if (first === undefined) {
    throw new LineError(c.here(), "expected what to check: a counter ('expect copies == 1'), a page ('expect child heap[1] private') or a process ('expect child exited')");
  }
  const second = c.peek(1);
  if (first.kind === 'word' && second?.kind === 'punct' && (isOneOf(COMPARISONS, second.text) || second.text === '=')) {
    const counter = c.oneOf(COUNTERS, 'counter');
    const op = comparison(c, COMPARISONS);
    const expected = c.accept('?') !== undefined ? question(c) : c.number('the expected count');
    if ('question' in expected && op.text !== '==') throw new LineError(op.range, "a question asks with '==': write 'expect " + counter.text + " == ?'");
    return { kind: 'counter', counter, op, expected };
  }
  if (first.kind === 'word' && isOneOf(COUNTERS, first.text) && (second === undefined || second.kind === 'number')) {
    c.next();
    throw new LineError(c.here(), `expected a comparison after '${first.text}': == != < <= > >=`);
  }
  if (first.kind === 'word' && second?.kind === 'punct' && second.text === '[') {
    // `expect PIPE[k] == "v"`: a pipe, not a process (a page claim names a process first).
    const pipe = c.name('a pipe name');
    c.next(); // '['
    const index = c.number('the position in the pipe (0 is the page read first)');
    c.expectPunct(']', 'to close the pipe position');
    const opToken = c.peek();
    if (opToken?.kind !== 'punct' || !['==', '!=', '='].includes(opToken.text)) {
      throw new LineError(c.here(), `expected == "value" after ${pipe.text}[${index.value}]: what that page of the pipe reads (a page claim names the process first: 'expect p ${pipe.text}[${index.value}] …')`);
    }
    const op = comparison(c, ['==', '!='] as const);
    const expected = c.accept('?') !== undefined ? question(c, true, op) : c.string('the expected value');
    return { kind: 'pipe-value', pipe, index, op, expected };
  }
  const owner = c.name('a counter or a process name');
  const next = c.peek();
  const after = c.peek(1);
  if (next?.kind === 'word' && isOneOf(MEMORY_FIGURES, next.text) && after?.kind === 'punct' && (isOneOf(COMPARISONS, after.text) || after.text === '=')) {
    return memoryClaim(c, owner);
  }
  if (next?.kind === 'word' && isOneOf(PROCESS_STATUSES, next.text) && c.peek(1) === undefined) {
    c.next();
    return { kind: 'status', process: owner, status: { text: next.text, range: next.range } };
  }
  const selector = c.selector();
  const target: PageTarget = { process: owner, selector };
  const single = selector.pages !== undefined && selector.pages.first === selector.pages.last;
  if (c.accept('block') !== undefined) {
    const op = comparison(c, ['==', '!='] as const);
    const expected = c.accept('?') !== undefined ? question(c, single, op) : c.number('the expected block number');
    return { kind: 'block', target, op, expected };
  }
  const countToken = c.peek();
  if (countToken?.kind === 'word' && isOneOf(PAGE_COUNTS, countToken.text)) {
    c.next();
    const count = { text: countToken.text, range: countToken.range };
    const op = comparison(c, COMPARISONS);
    const expected = c.accept('?') !== undefined ? question(c, single, op) : c.number(`the expected ${count.text}`);
    return { kind: 'count', target, count, op, expected };
  }
  if (c.accept('frame') !== undefined) {
    const op = comparison(c, ['==', '!='] as const);
    const expected = c.accept('?') !== undefined ? question(c, single, op) : c.number('the expected frame number');
    return { kind: 'frame', target, op, expected };
  }
  const opToken = c.peek();
  if (opToken?.kind === 'punct' && (opToken.text === '==' || opToken.text === '!=' || opToken.text === '=')) {
    const op = comparison(c, ['==', '!='] as const);
    const expected = c.accept('?') !== undefined ? question(c, single, op) : c.string('the expected value');
    return { kind: 'value', target, op, expected };
  }
  const negated = c.accept('not') !== undefined;
  if (c.peek()?.text === 'shared') {
    c.next();
    if (c.accept('with') === undefined) throw new LineError(c.here(), "expected 'with' and a process: 'shared with child'");
    const other = c.name('the process to compare with');
    // Storage: `shared with snap log[3]` names the other volume's file and blocks.
    if (c.peek()?.kind === 'word') return { kind: 'shared-with', target, negated, other, otherSelector: c.selector() };
    return { kind: 'shared-with', target, negated, other };
  }
  const blockProperty = c.peek();
  if (blockProperty?.kind === 'word' && isOneOf(BLOCK_PROPERTIES, blockProperty.text)) {
    c.next();
    return { kind: 'block-property', target, negated, property: { text: blockProperty.text, range: blockProperty.range } };
  }
  const property = c.peek();
  if (property?.kind === 'word' && !isOneOf(PAGE_PROPERTIES, property.text)) {
    const { hint, suggestion } = didYouMean(property.text, [...PAGE_PROPERTIES, ...BLOCK_PROPERTIES, ...PAGE_COUNTS, 'shared', 'frame', 'block']);
    throw new LineError(
      property.range,
      `unknown page claim '${property.text}'${hint || " — expected 'shared with NAME', 'private', 'exclusive', 'zero', 'present', 'absent', 'writable', 'readonly', 'cow', 'frame == N', 'refcount == N', 'mapcount == N' or '== \"value\"'"}`,
      'syntax',
      suggestion,
    );
  }
  const claimed = c.oneOf(PAGE_PROPERTIES, 'page claim');
  return { kind: 'property', target, negated, property: claimed };
}

/** `P rss|pss|uss OP N` (pages; decimals only for pss) or `P FIGURE == ?`. */
function memoryClaim(c: Cursor, process: Name): Claim {
  const figure = c.oneOf(MEMORY_FIGURES, 'memory figure');
  const op = comparison(c, COMPARISONS);
  if (c.accept('?') !== undefined) {
    if (op.text !== '==') throw new LineError(op.range, `a question asks with '==': write 'expect ${process.text} ${figure.text} == ?'`);
    return { kind: 'memory', process, figure, op, expected: question(c) };
  }
  const expected = c.decimal(`the expected ${figure.text} in pages`);
  if (figure.text !== 'pss' && expected.text.includes('.')) {
    throw new LineError(expected.range, `${figure.text} counts whole pages: write a whole number (only pss can be a fraction)`, 'bad-number');
  }
  return { kind: 'memory', process, figure, op, expected };
}

function comparison<T extends Comparison>(c: Cursor, allowed: readonly T[]): Name & { text: T } {
  const token = c.peek();
  if (token?.kind === 'punct' && token.text === '=') throw new LineError(token.range, "use '==' to compare", 'syntax', '==');
  if (token?.kind !== 'punct' || !(allowed as readonly string[]).includes(token.text)) {
    throw new LineError(c.here(), `expected a comparison: ${allowed.join(' ')}`);
  }
  c.next();
  return { text: token.text as T, range: token.range };
}

function question(c: Cursor, single = true, op?: Name): Question {
  // `accept('?')` already consumed it; its range is the previous token's.
  const r = c.previousRange();
  if (!single) throw new LineError(r, 'a question asks about one page: write a single page, e.g. heap[1]');
  if (op !== undefined && op.text !== '==') throw new LineError(op.range, "a question asks with '=='");
  return { question: true, range: r };
}

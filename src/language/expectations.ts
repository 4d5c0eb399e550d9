// Evaluating `expect` against a machine state. Results are data — passed, the actual value and
// a sentence — never exceptions. A `?` in place of a value is a question: it is answered
// (actual), reported as a question, and never counts as a failure.
//
// Choices (documented in the README):
// - `shared with` means both entries map the same real frame. Two entries that both map the
//   shared zero page are NOT "shared with" each other in the copy-on-write sense: nothing was
//   shared by fork, and no copy can happen (a write allocates a fresh zeroed frame).
// - `private` means the page maps a frame through exactly one page-table entry (mapcount 1,
//   pagemap bit 56). The zero page and not-present pages are not private.
// - A vfork child and its parent use the very same entries: `shared with` holds between them,
//   and `private` can hold for both at once.
import { isQuestion, type Claim, type ExpectStatement, type PageTarget } from './ast';
import type { Range } from './source';
import { compareRatio, isTerminating, parseDecimal, processMemory, ratio, ratioToDecimal, ratioToFraction, type Machine, type PteView, type Ratio } from '../engine';
import type { Storage } from '../storage';
import type { Counter } from './vocabulary';
import { evaluateStorageClaim } from './storageExpectations';
import { isSpace } from './storageRun';

export interface ExpectationResult {
  readonly line: number;
  readonly range: Range;
  /** True when the claim holds — and always true for a question. */
  readonly passed: boolean;
  /** The claim had `?` in place of a value: the learner is asked, `actual` is the answer. */
  readonly question: boolean;
  /** The value found: a number for counters and frames, otherwise a short description. */
  readonly actual: number | string;
  readonly message: string;
}

export function evaluate(m: Machine, s: ExpectStatement, storage?: Storage): ExpectationResult {
  const claim = s.claim;
  const outcome =
    storage !== undefined && claim.kind !== 'counter' && claim.kind !== 'status' && claim.kind !== 'pipe-value' && claim.kind !== 'memory' && isSpace(storage, claim.target.process.text)
      ? evaluateStorageClaim(storage, claim)
      : evaluateClaim(m, claim, storage);
  const question = outcome.question ?? false;
  const passed = question || outcome.holds;
  const written = describeClaim(s.claim);
  const message = question
    ? `question: ${written} — answer: ${outcome.actual}`
    : passed
      ? `${written} — ok (${outcome.found})`
      : `expected ${written}, but ${outcome.found}`;
  return { line: s.range.line, range: s.range, passed, question, actual: outcome.actual, message };
}

interface Outcome {
  readonly holds: boolean;
  readonly actual: number | string;
  /** What was found, as a clause: "copies is 2", "child heap[1] is frame 7". */
  readonly found: string;
  readonly question?: boolean;
}

/** A counter's value: memory counters from the machine, storage ones from the storage state; bytesCopied adds both. */
export function counterValue(m: Machine, storage: Storage | undefined, counter: Counter): number {
  switch (counter) {
    case 'blocks':
    case 'blocksCopied':
    case 'blocksWritten':
      return storage?.stats[counter] ?? 0;
    case 'bytesCopied':
      return m.stats.bytesCopied + (storage?.stats.bytesCopied ?? 0);
    default:
      return m.stats[counter];
  }
}

function evaluateClaim(m: Machine, claim: Claim, storage: Storage | undefined): Outcome {
  switch (claim.kind) {
    case 'counter': {
      const actual = counterValue(m, storage, claim.counter.text);
      const found = `${claim.counter.text} is ${actual}`;
      if (isQuestion(claim.expected)) return { holds: true, actual, found, question: true };
      return { holds: compare(actual, claim.op.text, claim.expected.value), actual, found };
    }
    case 'status': {
      // `killed`: exited because the OOM killer chose it (a kill is an exit, with a reason).
      const status = m.process(claim.process.text)?.status ?? 'unknown';
      const actual = status === 'exited' && m.oomKills().some((k) => k.victim === claim.process.text) ? 'killed' : status;
      const holds = actual === claim.status.text || (claim.status.text === 'exited' && actual === 'killed');
      return { holds, actual, found: `${claim.process.text} is ${actual === 'killed' ? 'killed by the OOM killer' : actual}` };
    }
    case 'pipe-value': {
      const values = m.pipes().get(claim.pipe.text);
      const at = `${claim.pipe.text}[${claim.index.value}]`;
      const value = values?.[claim.index.value];
      const found = values === undefined ? `there is no pipe ${claim.pipe.text}` : value === undefined ? `pipe ${claim.pipe.text} holds ${values.length} page${values.length === 1 ? '' : 's'}` : `${at} reads ${JSON.stringify(value)}`;
      const actual = value === undefined ? 'nothing' : JSON.stringify(value);
      if (isQuestion(claim.expected)) return { holds: true, actual, found, question: true };
      if (value === undefined) return { holds: false, actual, found };
      return { holds: (value === claim.expected.value) === (claim.op.text === '=='), actual, found };
    }
    case 'memory':
      return evaluateMemory(m, claim);
    default:
      return evaluatePages(m, claim);
  }
}

/** `P rss|pss|uss OP N`: the figure in pages, PSS compared exactly as a fraction. */
function evaluateMemory(m: Machine, claim: Extract<Claim, { kind: 'memory' }>): Outcome {
  const name = claim.process.text;
  const f = processMemory(m, name);
  if (f === undefined) return { holds: false, actual: 'no such live process', found: `${name} is not a live process` };
  const figure = claim.figure.text;
  const value: Ratio = figure === 'pss' ? f.pss : ratio(BigInt(f[figure]), 1n);
  const actual = isTerminating(value) ? Number(ratioToDecimal(value)) : pagesText(value);
  const found = `${name} ${figure} is ${pagesText(value)} ${value.num === 1n && value.den === 1n ? 'page' : 'pages'}`;
  if (isQuestion(claim.expected)) return { holds: true, actual, found, question: true };
  const expected = parseDecimal(claim.expected.text);
  if (expected === undefined) return { holds: false, actual, found };
  return { holds: compare(compareRatio(value, expected), claim.op.text, 0), actual, found };
}

/** A page count for a learner: "4", "2.5", or "7/3 (2.333333)" when the decimal does not end. */
export function pagesText(value: Ratio): string {
  return isTerminating(value) ? ratioToDecimal(value) : `${ratioToFraction(value)} (${ratioToDecimal(value)})`;
}

/** A page claim holds when it holds for every page selected; `found` names the first page where it does not. */
function evaluatePages(m: Machine, claim: Exclude<Claim, { kind: 'counter' | 'status' | 'pipe-value' | 'memory' }>): Outcome {
  const { first, last } = selectedPages(m, claim.target);
  let firstFound: Outcome | undefined;
  for (let page = first; page <= last; page += 1) {
    const outcome = evaluatePage(m, claim, page);
    if (!outcome.holds || outcome.question) return outcome;
    firstFound ??= outcome;
  }
  return firstFound ?? { holds: false, actual: 'no pages', found: `${claim.target.process.text} has no page there` };
}

function selectedPages(m: Machine, target: PageTarget): { first: number; last: number } {
  const pages = target.selector.pages;
  if (pages !== undefined) return pages;
  const region = m.regions(target.process.text).find((r) => r.name === target.selector.region.text);
  return { first: 0, last: (region?.pages ?? 0) - 1 };
}

function evaluatePage(m: Machine, claim: Exclude<Claim, { kind: 'counter' | 'status' | 'pipe-value' | 'memory' }>, page: number): Outcome {
  const owner = claim.target.process.text;
  const region = claim.target.selector.region.text;
  const at = `${owner} ${region}[${page}]`;
  const pte = m.pte(owner, region, page);
  const here = describePte(m, pte);
  switch (claim.kind) {
    case 'shared-with': {
      const other = m.pte(claim.other.text, region, page);
      const same = typeof pte.frame === 'number' && pte.frame === other.frame;
      const found = `${at} is ${here} and ${claim.other.text} ${region}[${page}] is ${describePte(m, other)}`;
      return { holds: same !== claim.negated, actual: found, found };
    }
    case 'property': {
      const has = hasProperty(m, pte, claim.property.text);
      return { holds: has !== claim.negated, actual: here, found: `${at} is ${here}` };
    }
    case 'count': {
      const frame = typeof pte.frame === 'number' ? m.frame(pte.frame) : undefined;
      const actual = frame === undefined ? 0 : claim.count.text === 'refcount' ? frame.refCount : frame.mapCount;
      const found = frame === undefined ? `${at} maps no frame (${here}): ${claim.count.text} 0` : `${at} is frame ${frame.frame}, ${claim.count.text} ${actual}${claim.count.text === 'refcount' ? ` (${refParts(frame)})` : ''}`;
      if (isQuestion(claim.expected)) return { holds: true, actual, found, question: true };
      return { holds: compare(actual, claim.op.text, claim.expected.value), actual, found };
    }
    case 'frame': {
      const actual = pte.frame === null ? 'not present' : pte.frame;
      const found = `${at} is ${here}`;
      if (isQuestion(claim.expected)) return { holds: true, actual, found, question: true };
      const equal = pte.frame === claim.expected.value;
      return { holds: equal === (claim.op.text === '=='), actual, found };
    }
    case 'block-property':
      // `exclusive` reads as a block claim to the parser; on a process it is the page's exclusive mark.
      if (claim.property.text === 'exclusive') {
        const has = hasProperty(m, pte, 'exclusive');
        return { holds: has !== claim.negated, actual: here, found: `${at} is ${here}` };
      }
      return { holds: false, actual: 'not a file', found: `${owner} is not a volume or container` };
    case 'block':
      return { holds: false, actual: 'not a file', found: `${owner} is not a volume or container` };
    case 'value': {
      // A page never written reads back as zeros: the empty value.
      const actual = typeof pte.frame === 'number' ? (m.frame(pte.frame)?.value ?? '') : '';
      const found = `${at} holds ${JSON.stringify(actual)}`;
      if (isQuestion(claim.expected)) return { holds: true, actual: JSON.stringify(actual), found, question: true };
      const equal = actual === claim.expected.value;
      return { holds: equal === (claim.op.text === '=='), actual: JSON.stringify(actual), found };
    }
  }
}

function refParts(f: { mapCount: number; pipeRefs: number; pins: number }): string {
  const n = (k: number, w: string): string => `${k} ${w}${k === 1 ? '' : 's'}`;
  return [n(f.mapCount, 'mapping'), ...(f.pipeRefs ? [n(f.pipeRefs, 'pipe page')] : []), ...(f.pins ? [n(f.pins, 'pin')] : [])].join(', ');
}

function hasProperty(m: Machine, pte: PteView, property: string): boolean {
  switch (property) {
    case 'private':
      return typeof pte.frame === 'number' && m.frame(pte.frame)?.mapCount === 1;
    case 'exclusive':
      return pte.anonExclusive;
    case 'zero':
      return pte.frame === 'zero';
    case 'present':
      return pte.present;
    case 'absent':
      return !pte.present;
    case 'writable':
      return pte.present && pte.writable;
    case 'readonly':
      return pte.present && !pte.writable;
    case 'cow':
      return pte.cow;
    default:
      return false;
  }
}

/** "frame 3 (mapped by 2 entries, read-only)", "the zero page", "not present (MADV_DONTFORK hole)". */
export function describePte(m: Machine, pte: PteView): string {
  if (pte.frame === null) return pte.hole ? 'not present (a MADV_DONTFORK hole)' : 'not present';
  if (pte.frame === 'zero') return 'the zero page';
  const count = m.frame(pte.frame)?.mapCount ?? 0;
  const access = pte.writable ? 'writable' : pte.cow ? 'read-only, copy-on-write' : 'read-only';
  return `frame ${pte.frame} (mapped by ${count} ${count === 1 ? 'entry' : 'entries'}, ${access})`;
}

export function compare(actual: number, op: string, expected: number): boolean {
  switch (op) {
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    default:
      return false;
  }
}

/** The claim as the learner would write it, after `expect`. */
export function describeClaim(claim: Claim): string {
  const expected = (e: { range: Range } & ({ question: true } | { value: number; text?: string } | { value: string })): string =>
    'question' in e ? '?' : typeof e.value === 'string' ? JSON.stringify(e.value) : 'text' in e && e.text !== undefined ? e.text : String(e.value);
  switch (claim.kind) {
    case 'counter':
      return `${claim.counter.text} ${claim.op.text} ${expected(claim.expected)}`;
    case 'status':
      return `${claim.process.text} ${claim.status.text}`;
    case 'pipe-value':
      return `${claim.pipe.text}[${claim.index.value}] ${claim.op.text} ${expected(claim.expected)}`;
    case 'memory':
      return `${claim.process.text} ${claim.figure.text} ${claim.op.text} ${expected(claim.expected)}`;
    default: {
      const t = claim.target;
      const pages = t.selector.pages === undefined ? '' : t.selector.pages.first === t.selector.pages.last ? `[${t.selector.pages.first}]` : `[${t.selector.pages.first}..${t.selector.pages.last}]`;
      const subject = `${t.process.text} ${t.selector.region.text}${pages}`;
      const not = 'negated' in claim && claim.negated ? 'not ' : '';
      if (claim.kind === 'shared-with') {
        const sel = claim.otherSelector;
        const otherPages = sel?.pages === undefined ? '' : sel.pages.first === sel.pages.last ? `[${sel.pages.first}]` : `[${sel.pages.first}..${sel.pages.last}]`;
        return `${subject} ${not}shared with ${claim.other.text}${sel !== undefined ? ` ${sel.region.text}${otherPages}` : ''}`;
      }
      if (claim.kind === 'block-property') return `${subject} ${not}${claim.property.text}`;
      if (claim.kind === 'block') return `${subject} block ${claim.op.text} ${expected(claim.expected)}`;
      if (claim.kind === 'property') return `${subject} ${not}${claim.property.text}`;
      if (claim.kind === 'frame') return `${subject} frame ${claim.op.text} ${expected(claim.expected)}`;
      if (claim.kind === 'count') return `${subject} ${claim.count.text} ${claim.op.text} ${expected(claim.expected)}`;
      return `${subject} ${claim.op.text} ${expected(claim.expected)}`;
    }
  }
}

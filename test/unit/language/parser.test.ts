// The parser against the fixed syntax sheet of issue 3: every form, with exact ranges
// (1-based line and column, end column exclusive), and recovery: one bad line gives one
// diagnostic and the other lines still parse.
import * as assert from 'node:assert/strict';
import { SYNTAX_SHEET } from './syntax-sheet';
import { DEFAULT_LIMITS, parse, type Program, type Range, type Statement } from '../../../src/language';


const r = (line: number, col: number, endCol: number): Range => ({ line, col, endLine: line, endCol });

function only(source: string): Statement {
  const program = parse(source);
  assert.deepEqual(program.diagnostics, [], `unexpected diagnostics for ${JSON.stringify(source)}`);
  assert.equal(program.statements.length, 1);
  return program.statements[0] as Statement;
}

function firstError(source: string): { message: string; range: Range; code: string; suggestion?: string } {
  const program = parse(source);
  assert.equal(program.diagnostics.length, 1, `expected one diagnostic for ${JSON.stringify(source)}, got ${JSON.stringify(program.diagnostics)}`);
  const d = program.diagnostics[0]!;
  return { message: d.message, range: d.range, code: d.code, ...(d.suggestion !== undefined ? { suggestion: d.suggestion } : {}) };
}

describe('parser: the syntax sheet', () => {
  let program: Program;
  before(() => {
    program = parse(SYNTAX_SHEET);
  });

  it('parses every line of the sheet without a diagnostic', () => {
    assert.deepEqual(program.diagnostics, []);
    assert.equal(program.statements.length, 18);
    assert.deepEqual(
      program.statements.map((s) => s.kind),
      ['mode', 'process', 'map', 'write', 'write', 'read', 'fork', 'write', 'exec', 'exit', 'vfork', 'unmap', 'madvise', 'checkpoint', 'expect', 'expect', 'expect', 'note'],
    );
  });

  it('keeps comments with their ranges (the # included)', () => {
    assert.equal(program.comments.length, 11);
    assert.deepEqual(program.comments[0], { text: ' a comment runs to the end of the line', range: r(1, 1, 40) });
    assert.equal(program.comments[1]?.range.line, 2);
    assert.equal(program.comments[1]?.range.col, 37);
  });

  it('reads the mode header', () => {
    assert.equal(program.mode?.policy.text, 'cow');
    assert.deepEqual(program.mode?.policy.range, r(2, 6, 9));
    assert.deepEqual(program.mode?.keyword, r(2, 1, 5));
  });

  it('gives `process NAME` the range of the name', () => {
    const s = program.statements[1];
    assert.ok(s?.kind === 'process');
    assert.deepEqual(s.name, { text: 'shell', range: r(3, 9, 14) });
    assert.deepEqual(s.range, r(3, 1, 14));
  });

  it('reads map with process, verb, region, size and kind ranges', () => {
    const s = program.statements[2];
    assert.ok(s?.kind === 'map');
    assert.deepEqual(s.process, { text: 'shell', range: r(4, 1, 6) });
    assert.deepEqual(s.verb, r(4, 8, 11));
    assert.deepEqual(s.region, { text: 'heap', range: r(4, 12, 16) });
    assert.equal(s.pages, 8);
    assert.deepEqual(s.size, r(4, 17, 18));
    assert.equal(s.regionKind, 'private');
    assert.deepEqual(s.regionKindRange, r(4, 19, 26));
  });

  it('reads a one-page write with a value', () => {
    const s = program.statements[3];
    assert.ok(s?.kind === 'write');
    assert.deepEqual(s.target.region, { text: 'heap', range: r(5, 14, 18) });
    assert.deepEqual(s.target.pages, { first: 0, last: 0, range: r(5, 18, 21) });
    assert.deepEqual(s.value, { value: 'ls -l', range: r(5, 22, 29) });
  });

  it('reads an inclusive page range without a value', () => {
    const s = program.statements[4];
    assert.ok(s?.kind === 'write');
    assert.deepEqual(s.target.pages, { first: 1, last: 3, range: r(6, 18, 24) });
    assert.equal(s.value, undefined);
  });

  it('reads read, fork, exec, exit, vfork, unmap and madvise', () => {
    const [read, fork, , exec, exit, vfork, unmap, madvise] = program.statements.slice(5);
    assert.ok(read?.kind === 'read' && read.target.pages?.first === 4 && read.target.pages.last === 4);
    assert.ok(fork?.kind === 'fork');
    assert.deepEqual(fork.child, { text: 'child', range: r(8, 13, 18) });
    assert.ok(exec?.kind === 'exec' && exec.process.text === 'child');
    assert.ok(exit?.kind === 'exit' && exit.process.text === 'child');
    assert.ok(vfork?.kind === 'vfork');
    assert.deepEqual(vfork.child, { text: 'helper', range: r(12, 14, 20) });
    assert.ok(unmap?.kind === 'unmap');
    assert.deepEqual(unmap.region, { text: 'heap', range: r(13, 14, 18) });
    assert.ok(madvise?.kind === 'madvise');
    assert.deepEqual(madvise.target.pages, { first: 0, last: 1, range: r(14, 20, 26) });
    assert.deepEqual(madvise.advice, { text: 'dontfork', range: r(14, 27, 35) });
  });

  it('reads checkpoint, the three expect forms and note', () => {
    const [checkpoint, shared, priv, copies, note] = program.statements.slice(13);
    assert.ok(checkpoint?.kind === 'checkpoint');
    assert.deepEqual(checkpoint.name, { text: 'after fork', range: r(15, 12, 24) });
    assert.ok(shared?.kind === 'expect' && shared.claim.kind === 'shared-with');
    assert.deepEqual(shared.claim.target.process, { text: 'shell', range: r(16, 8, 13) });
    assert.deepEqual(shared.claim.target.selector.region, { text: 'heap', range: r(16, 14, 18) });
    assert.deepEqual(shared.claim.other, { text: 'child', range: r(16, 34, 39) });
    assert.equal(shared.claim.negated, false);
    assert.ok(priv?.kind === 'expect' && priv.claim.kind === 'property');
    assert.equal(priv.claim.property.text, 'private');
    assert.deepEqual(priv.claim.property.range, r(17, 22, 29));
    assert.ok(copies?.kind === 'expect' && copies.claim.kind === 'counter');
    assert.deepEqual(copies.claim.counter, { text: 'copies', range: r(18, 8, 14) });
    assert.deepEqual(copies.claim.op, { text: '==', range: r(18, 15, 17) });
    assert.deepEqual(copies.claim.expected, { value: 1, range: r(18, 18, 19) });
    assert.ok(note?.kind === 'note');
    assert.equal(note.text.value, 'Only the page the child wrote was copied.');
  });

  it('counts lines without a phantom one after the trailing newline', () => {
    assert.equal(program.lineCount, 19);
  });
});

describe('parser: forms beyond the sheet', () => {
  it('accepts shared regions, sizes with units and an omitted kind (private)', () => {
    const shared = only('p: map sh 2 shared');
    assert.ok(shared.kind === 'map' && shared.regionKind === 'shared');
    const mib = only('p: map big 2 MiB private');
    assert.ok(mib.kind === 'map' && mib.pages === 512);
    assert.deepEqual(mib.size, r(1, 12, 17));
    const pages = only('p: map x 3 pages');
    assert.ok(pages.kind === 'map' && pages.pages === 3 && pages.regionKind === 'private' && pages.regionKindRange === undefined);
    const kib = only('p: map x 8KiB');
    assert.ok(kib.kind === 'map' && kib.pages === 2);
  });

  it('accepts a whole-region selector and `normal` advice', () => {
    const s = only('p: madvise heap normal');
    assert.ok(s.kind === 'madvise' && s.target.pages === undefined && s.advice.text === 'normal');
  });

  it('reads every comparison on every counter', () => {
    for (const counter of ['copies', 'frames', 'faults', 'reuses', 'bytesCopied', 'zeroMaps', 'ptesCopied', 'peakFrames']) {
      for (const op of ['==', '!=', '<', '<=', '>', '>=']) {
        const s = only(`expect ${counter} ${op} 3`);
        assert.ok(s.kind === 'expect' && s.claim.kind === 'counter' && s.claim.counter.text === counter && s.claim.op.text === op);
      }
    }
  });

  it('reads a question `== ?` as a question, not a number', () => {
    const s = only('expect copies == ?');
    assert.ok(s.kind === 'expect' && s.claim.kind === 'counter');
    assert.deepEqual(s.claim.expected, { question: true, range: r(1, 18, 19) });
    const frame = only('expect child heap[1] frame == ?');
    assert.ok(frame.kind === 'expect' && frame.claim.kind === 'frame' && 'question' in frame.claim.expected);
    const value = only('expect child heap[1] == ?');
    assert.ok(value.kind === 'expect' && value.claim.kind === 'value' && 'question' in value.claim.expected);
  });

  it('reads page properties, negation, frame numbers, values and process status', () => {
    for (const property of ['private', 'zero', 'present', 'absent', 'writable', 'readonly', 'cow']) {
      const s = only(`expect p heap[0..2] not ${property}`);
      assert.ok(s.kind === 'expect' && s.claim.kind === 'property' && s.claim.negated && s.claim.property.text === property);
    }
    const notShared = only('expect p heap[0] not shared with q');
    assert.ok(notShared.kind === 'expect' && notShared.claim.kind === 'shared-with' && notShared.claim.negated);
    const frame = only('expect p heap[0] frame != 3');
    assert.ok(frame.kind === 'expect' && frame.claim.kind === 'frame' && frame.claim.op.text === '!=');
    const value = only('expect p heap[0] == "a \\"quoted\\" word"');
    assert.ok(value.kind === 'expect' && value.claim.kind === 'value' && !('question' in value.claim.expected) && value.claim.expected.value === 'a "quoted" word');
    for (const status of ['running', 'suspended', 'exited']) {
      const s = only(`expect p ${status}`);
      assert.ok(s.kind === 'expect' && s.claim.kind === 'status' && s.claim.status.text === status);
    }
  });

  it('accepts a bare-word checkpoint name, CRLF line ends, tabs and a byte-order mark', () => {
    const program = parse('\ufeffprocess a\r\n\tcheckpoint start\r\nexpect a running\r\n');
    assert.deepEqual(program.diagnostics, []);
    assert.equal(program.statements.length, 3);
    const checkpoint = program.statements[1];
    assert.ok(checkpoint?.kind === 'checkpoint');
    assert.deepEqual(checkpoint.name, { text: 'start', range: r(2, 13, 18) });
  });

  it('parses an empty file and a file of comments to nothing', () => {
    assert.deepEqual(parse('').statements, []);
    const comments = parse('# one\n\n   # two\n');
    assert.deepEqual(comments.statements, []);
    assert.equal(comments.comments.length, 2);
  });
});

describe('parser: diagnostics with exact ranges and help', () => {
  it('suggests the keyword for a misspelt statement', () => {
    assert.deepEqual(firstError('proces shell'), { message: "unknown statement 'proces' — did you mean 'process'?", range: r(1, 1, 7), code: 'unknown-keyword', suggestion: 'process' });
  });

  it('suggests the verb for a misspelt verb, swapped letters included', () => {
    const e = firstError('shell: frok child');
    assert.equal(e.message, "unknown verb 'frok' — did you mean 'fork'?");
    assert.deepEqual(e.range, r(1, 8, 12));
    assert.equal(e.suggestion, 'fork');
  });

  it('notices a missing colon', () => {
    const e = firstError('shell write heap[0]');
    assert.equal(e.code, 'missing-colon');
    assert.deepEqual(e.range, r(1, 1, 6));
  });

  it('points at an unterminated string and at curly quotes', () => {
    const e = firstError('shell: write heap[0] "oops');
    assert.equal(e.code, 'bad-string');
    assert.deepEqual(e.range, r(1, 22, 27));
    const curly = firstError('note \u201chello\u201d');
    assert.match(curly.message, /straight quotes/);
    assert.deepEqual(curly.range, r(1, 6, 13));
  });

  it('points at an empty page range and a missing bracket', () => {
    const e = firstError('shell: write heap[3..1]');
    assert.equal(e.code, 'bad-range');
    assert.deepEqual(e.range, r(1, 18, 24));
    const bracket = firstError('shell: read heap[3');
    assert.match(bracket.message, /expected '\]'/);
    assert.deepEqual(bracket.range, r(1, 19, 20));
  });

  it('asks for == instead of =, and for quotes around values', () => {
    assert.deepEqual(firstError('expect copies = 1').range, r(1, 15, 16));
    const value = firstError('shell: write heap[0] hello');
    assert.match(value.message, /in quotes/);
    assert.deepEqual(value.range, r(1, 22, 27));
  });

  it('rejects trailing input, a zero-page region, a kind typo and a counter typo', () => {
    assert.deepEqual(firstError('shell: exec now').range, r(1, 13, 16));
    assert.equal(firstError('shell: map heap 0').code, 'bad-number');
    assert.equal(firstError('shell: map heap 8 privat').suggestion, 'private');
    assert.equal(firstError('expect copeis == 1').suggestion, 'copies');
    assert.equal(firstError('expect a heap[0] shraed with b').suggestion, 'shared');
    assert.match(firstError('shell: map heap 3 KiB').message, /whole number of 4 KiB pages/);
  });

  it('points `dofork` to `normal` rather than to its opposite', () => {
    const e = firstError('p: madvise heap[0] dofork');
    assert.equal(e.suggestion, 'normal');
  });

  it('refuses a mode after the first statement and a second mode', () => {
    assert.equal(parse('process a\nmode eager').diagnostics[0]?.code, 'mode-position');
    assert.equal(parse('mode eager\nmode cow').diagnostics[0]?.code, 'duplicate-mode');
  });

  it('refuses keywords as process names and questions about a page range', () => {
    assert.equal(firstError('process expect').code, 'reserved-name');
    assert.equal(firstError('a: fork copies').code, 'reserved-name');
    assert.match(firstError('expect a heap[0..1] frame == ?').message, /one page/);
    assert.match(firstError('expect copies < ?').message, /==/);
  });

  it('refuses names and values beyond the documented limits', () => {
    assert.equal(firstError(`process ${'p'.repeat(65)}`).code, 'too-large');
    assert.equal(firstError(`a: write heap[0] "${'x'.repeat(257)}"`).code, 'too-large');
    assert.equal(firstError(`a: map heap ${'9'.repeat(20)}`).code, 'bad-number');
  });
});

describe('parser: recovery', () => {
  it('gives one diagnostic per bad line and parses every other line', () => {
    const lines = SYNTAX_SHEET.split('\n');
    // Break lines 5, 9 and 16 in different ways.
    lines[4] = 'shell: wriet heap[0] "ls -l"';
    lines[8] = 'child: write heap[1] "mine';
    lines[15] = 'expect shell heap[1] shared child';
    const program = parse(lines.join('\n'));
    assert.deepEqual(program.diagnostics.map((d) => d.range.line), [5, 9, 16]);
    assert.equal(program.statements.length, 15);
    assert.deepEqual(program.skippedLines.map((s) => s.line), [5, 9, 16]);
  });

  it('reports several problems on one line only once', () => {
    const program = parse('shell: wriet haep[9..1] "x" ;; @@');
    assert.equal(program.diagnostics.length, 1);
  });

  it('never throws and never reports outside the text, whatever the line', () => {
    const nasty = ['"', '[', ']]]', '..', '::::', 'a:', ':', 'expect', 'expect a', 'expect a b[', 'a: map', 'a: map h', 'a: map h 1 1', '\u0000', '\ud800', 'é: exit', '-1', '?', '= = ='];
    for (const line of nasty) {
      const program = parse(`${line}\nprocess ok`);
      assert.equal(program.statements.length, 1, line);
      for (const d of program.diagnostics) {
        assert.equal(d.range.line, 1);
        assert.ok(d.range.col >= 1 && d.range.endCol >= d.range.col && d.range.endCol <= line.length + 2, `${line}: ${JSON.stringify(d.range)}`);
      }
    }
  });

  it('stops at the statement limit with one diagnostic', () => {
    const program = parse('process a\n'.repeat(5), { ...DEFAULT_LIMITS, maxStatements: 3 });
    assert.equal(program.statements.length, 3);
    assert.equal(program.diagnostics.length, 1);
    assert.equal(program.diagnostics[0]?.range.line, 4);
  });
});

// fast-check generators of scenario text for the formatter's properties: real statements with
// random spacing (tabs, no space where the lexer allows none, indentation), comments that hold
// quotes and `#`, blank lines, and lines that do not lex (unterminated strings, stray characters).
import fc from 'fast-check';

const processes = ['shell', 'child', 'a', 'worker-2', 'p_1'];
const regions = ['heap', 'db', 'stack_0', 'k-v'];

/** A statement as tokens; `glue` marks where no space is needed (punctuation). */
type Piece = { readonly text: string; readonly glue?: boolean };

const word = (text: string): Piece => ({ text });
const punct = (text: string): Piece => ({ text, glue: true });

const processName = fc.constantFrom(...processes);
const regionName = fc.constantFrom(...regions);
const page = fc.integer({ min: 0, max: 12 });
const value = fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s.replace(/[\r\n]/g, '')));

const selector = fc.oneof(
  regionName.map((r) => [word(r)]),
  fc.tuple(regionName, page).map(([r, p]) => [word(r), punct('['), word(String(p)), punct(']')]),
  fc.tuple(regionName, page, page).map(([r, p, q]) => [word(r), punct('['), word(String(Math.min(p, q))), punct('..'), word(String(Math.max(p, q))), punct(']')]),
);

const action = fc.tuple(processName, fc.oneof(
  fc.tuple(regionName, fc.integer({ min: 1, max: 16 }), fc.constantFrom('', 'private', 'shared', 'pages', 'KiB')).map(([r, n, k]) => {
    const size = k === 'KiB' ? [word(String(n * 4)), word('KiB')] : [word(String(n)), ...(k ? [word(k)] : [])];
    return [word('map'), word(r), ...size];
  }),
  regionName.map((r) => [word('unmap'), word(r)]),
  selector.map((s) => [word('read'), ...s]),
  fc.tuple(selector, fc.option(value)).map(([s, v]) => [word('write'), ...s, ...(v === null ? [] : [word(v)])]),
  fc.tuple(fc.constantFrom('fork', 'vfork'), processName).map(([verb, child]) => [word(verb), word(child)]),
  fc.constantFrom([word('exec')], [word('exit')]),
  fc.tuple(selector, fc.constantFrom('dontfork', 'wipeonfork', 'normal')).map(([s, a]) => [word('madvise'), ...s, word(a)]),
)).map(([p, rest]) => [word(p), punct(':'), ...rest]);

const expectation = fc.oneof(
  fc.tuple(fc.constantFrom('copies', 'frames', 'faults', 'reuses'), fc.constantFrom('==', '!=', '<=', '>'), fc.oneof(fc.nat(20).map(String), fc.constant('?'))).map(([c, op, n]) => [word('expect'), word(c), punct(op), word(n)]),
  fc.tuple(processName, fc.constantFrom('running', 'suspended', 'exited')).map(([p, s]) => [word('expect'), word(p), word(s)]),
  fc.tuple(processName, selector, fc.boolean(), processName).map(([p, s, not, q]) => [word('expect'), word(p), ...s, ...(not ? [word('not')] : []), word('shared'), word('with'), word(q)]),
  fc.tuple(processName, selector, fc.constantFrom('private', 'zero', 'cow', 'writable')).map(([p, s, prop]) => [word('expect'), word(p), ...s, word(prop)]),
  fc.tuple(processName, selector, value).map(([p, s, v]) => [word('expect'), word(p), ...s, punct('=='), word(v)]),
);

const statement = fc.oneof(
  { weight: 6, arbitrary: action },
  { weight: 3, arbitrary: expectation },
  { weight: 2, arbitrary: processName.map((p) => [word('process'), word(p)]) },
  { weight: 1, arbitrary: value.map((v) => [word('checkpoint'), word(v)]) },
  { weight: 1, arbitrary: value.map((v) => [word('note'), word(v)]) },
  { weight: 1, arbitrary: fc.constantFrom('cow', 'eager').map((m) => [word('mode'), word(m)]) },
);

const space = fc.constantFrom(' ', '  ', '\t', ' \t ');
const optionalSpace = fc.constantFrom('', '', ' ', '   ', '\t');

/** Joins pieces with random spacing, never gluing two words (which would make one). */
function spaced(pieces: readonly Piece[]): fc.Arbitrary<string> {
  return fc.tuple(...pieces.map((piece, i) => (i === 0 ? fc.constant('') : piece.glue || pieces[i - 1]?.glue ? optionalSpace : space))).map((gaps) =>
    pieces.map((piece, i) => (gaps[i] ?? '') + piece.text).join(''),
  );
}

const comment = fc.string({ maxLength: 20 }).map((s) => `#${s.replace(/[\r\n]/g, ' ')}`);

const line = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(optionalSpace, statement.chain(spaced), fc.option(fc.tuple(optionalSpace, comment)), optionalSpace).map(([indent, code, c, trail]) => indent + code + (c === null ? '' : c[0] + c[1]) + trail) },
  { weight: 2, arbitrary: fc.tuple(optionalSpace, comment).map(([indent, c]) => indent + c) },
  { weight: 2, arbitrary: optionalSpace },
  // Lines the lexer rejects or the parser cannot read: left as they are.
  { weight: 1, arbitrary: fc.string({ maxLength: 24 }).map((s) => s.replace(/[\r\n]/g, '')) },
  { weight: 1, arbitrary: fc.tuple(processName, fc.string({ maxLength: 6 })).map(([p, s]) => `${p}: write heap[0] "unterminated ${s.replace(/[\r\n"]/g, '')}   `) },
);

/** Whole scenarios: lines joined with \n or \r\n, with or without a final newline. */
export const scenarioText: fc.Arbitrary<string> = fc
  .tuple(fc.array(line, { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, final]) => lines.join(eol) + (final ? eol : ''));

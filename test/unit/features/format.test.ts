// The formatter: hand-written before/after pairs, the syntax sheet (aligned by hand) as a
// fixed point, and properties over the shipped samples and generated scenarios: formatting twice
// is formatting once, and the formatted text means exactly what the original meant.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyze } from '../../../src/language';
import { formatScenario } from '../../../src/features/model';
import { scenarioText } from './scenario-arbitrary';
import { SYNTAX_SHEET } from '../language/syntax-sheet';

const root = path.resolve(__dirname, '..', '..', '..');
const samples = fs.readdirSync(path.join(root, 'samples')).filter((f) => f.endsWith('.cow')).map((f) => fs.readFileSync(path.join(root, 'samples', f), 'utf8'));
const corpus = fs.readdirSync(path.join(root, 'test', 'conformance', 'corpus')).map((f) => fs.readFileSync(path.join(root, 'test', 'conformance', 'corpus', f), 'utf8'));


/** What a scenario means: its statements and comments without positions, its diagnostics' kinds. */
function meaning(source: string): string {
  const { program, diagnostics } = analyze(source);
  const withoutRanges = (_key: string, v: unknown) => (v !== null && typeof v === 'object' && 'endCol' in v ? undefined : v);
  return JSON.stringify({
    statements: program.statements,
    comments: program.comments.map((c) => c.text.trimEnd()),
    diagnostics: diagnostics.map((d) => d.code),
  }, withoutRanges);
}

describe('features: formatter', () => {
  it('leaves the hand-aligned syntax sheet of issue 3 exactly as it is', () => {
    assert.equal(formatScenario(SYNTAX_SHEET), SYNTAX_SHEET);
  });

  it('normalises spacing: one space between words, none inside heap[1..3] or before the colon', () => {
    const messy = 'process   shell\n  shell :map  heap\t8   private\nshell:write heap [ 1 .. 3 ]  "a  b"\nexpect copies==1\nexpect shell heap[1]frame== ?\n';
    assert.equal(
      formatScenario(messy),
      'process shell\nshell: map heap 8 private\nshell: write heap[1..3] "a  b"\nexpect copies == 1\nexpect shell heap[1] frame == ?\n',
    );
  });

  it('aligns the verbs of consecutive actions and the trailing comments of a block', () => {
    const source = 'parent: fork child # one\nchild: write heap[1] "mine"   # two\nnote "x"\n\nchild: exit #three\n';
    assert.equal(
      formatScenario(source),
      'parent: fork child            # one\nchild:  write heap[1] "mine"  # two\nnote "x"\n\nchild: exit  #three\n',
    );
  });

  it('can leave verbs and comments unaligned', () => {
    const source = 'parent: fork child # one\nchild: write heap[1] "mine"   # two\n';
    assert.equal(formatScenario(source, { alignVerbs: false, alignComments: false }), 'parent: fork child  # one\nchild: write heap[1] "mine"  # two\n');
  });

  it('keeps every comment, drops indentation, keeps one blank line in a row and ends with one newline', () => {
    const source = '\n\n   # header  \nprocess a\n\n\n\n   # between\na: map heap 2\n\n\n';
    assert.equal(formatScenario(source), '# header\nprocess a\n\n# between\na: map heap 2\n');
  });

  it('leaves lines it cannot read exactly as written', () => {
    const lines = ['shell: write heap[0] "unterminated   ', '  shell:  write heap[0] “curly”  ', 'a: map heap 2 MiB @@ private'];
    for (const line of lines) assert.equal(formatScenario(`${line}\n`), `${line}\n`, line);
  });

  it('keeps the line breaks of the text (CRLF stays CRLF)', () => {
    assert.equal(formatScenario('process a\r\na:  exit\r\n'), 'process a\r\na: exit\r\n');
  });

  it('formats an empty or blank text to nothing', () => {
    assert.equal(formatScenario(''), '');
    assert.equal(formatScenario('\n  \n\t\n'), '');
  });

  it('is idempotent on every shipped sample and every conformance scenario', () => {
    for (const source of [...samples, ...corpus]) {
      const once = formatScenario(source);
      assert.equal(formatScenario(once), once);
      assert.equal(meaning(once), meaning(source));
    }
  });

  it('is idempotent on generated scenarios (format twice = format once)', () => {
    fc.assert(
      fc.property(scenarioText, (source) => {
        const once = formatScenario(source);
        assert.equal(formatScenario(once), once);
      }),
      { numRuns: 400, seed: 20261127 },
    );
  });

  it('never changes what a generated scenario means, nor drops a comment', () => {
    fc.assert(
      fc.property(scenarioText, (source) => {
        assert.equal(meaning(formatScenario(source)), meaning(source));
      }),
      { numRuns: 400, seed: 6 },
    );
  });
});

// The TextMate grammar and the language configuration are hand-written JSON: these checks keep
// them in step with the language's vocabulary (src/language/vocabulary.ts) and its lexer. The
// grammar's scopes themselves are tested by `npm run test:grammar` (test/grammar/*.cow).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ADVICE_WORDS, COUNTERS, FS_TYPE_WORDS, PAGE_PROPERTIES, POLICIES, PROCESS_STATUSES, STATEMENT_KEYWORDS, STORAGE_VERBS, VERBS } from '../../../src/language';
import { lexLine } from '../../../src/language/lexer';

const root = path.resolve(__dirname, '..', '..', '..');
const grammarText = fs.readFileSync(path.join(root, 'syntaxes', 'cow.tmLanguage.json'), 'utf8');
const grammar = JSON.parse(grammarText) as { scopeName: string; repository: Record<string, unknown> };
const configuration = JSON.parse(fs.readFileSync(path.join(root, 'language-configuration.json'), 'utf8')) as {
  comments: { lineComment: string };
  wordPattern: string;
  autoClosingPairs: { open: string; close: string }[];
  surroundingPairs: string[][];
  onEnterRules: { beforeText: string; action: { appendText?: string } }[];
};

/** Every alternation group `(a|b|c)` in the grammar's regular expressions, as word lists. */
function alternations(): string[][] {
  return [...grammarText.matchAll(/\(([A-Za-z|]+)\)/g)].map((m) => (m[1] ?? '').split('|'));
}

function hasGroup(words: readonly string[]): boolean {
  return alternations().some((group) => words.every((w) => group.includes(w)));
}

describe('features: grammar and language configuration', () => {
  it('is the source.cow grammar', () => {
    assert.equal(grammar.scopeName, 'source.cow');
  });

  it('knows every verb, counter, advice word, page property, status, policy and keyword of the language', () => {
    assert.ok(hasGroup(VERBS.filter((v) => !['fork', 'vfork', 'exec', 'exit'].includes(v))), 'region verbs');
    assert.ok(hasGroup(['fork', 'vfork']) && hasGroup(['exec', 'exit']), 'process verbs');
    for (const [what, words] of [['counters', COUNTERS], ['advice', ADVICE_WORDS], ['properties', PAGE_PROPERTIES], ['statuses', PROCESS_STATUSES], ['policies', POLICIES]] as const) {
      assert.ok(hasGroup(words), what);
    }
    for (const keyword of STATEMENT_KEYWORDS) assert.ok(grammarText.includes(`(${keyword})`), keyword);
  });

  it('knows the storage words: verbs, file systems, block claims', () => {
    assert.ok(hasGroup(STORAGE_VERBS.filter((v) => v !== 'snapshot')), 'file verbs');
    assert.ok(grammarText.includes('(snapshot)'), 'snapshot');
    assert.ok(grammarText.includes(`(${FS_TYPE_WORDS.join('|')})`), 'file systems');
    assert.ok(grammarText.includes('(exclusive|copied-up)'), 'block properties');
  });

  it('comments with #, closes and surrounds quotes and brackets', () => {
    assert.equal(configuration.comments.lineComment, '#');
    assert.deepEqual(configuration.autoClosingPairs.map((p) => p.open + p.close).sort(), ['""', '[]']);
    assert.deepEqual(configuration.surroundingPairs.map((p) => p.join('')).sort(), ['""', '[]']);
  });

  it('selects words the way the lexer reads names and numbers: heap[1..3] is heap, 1 and 3', () => {
    const words = (text: string) => [...text.matchAll(new RegExp(configuration.wordPattern, 'g'))].map((m) => m[0]);
    assert.deepEqual(words('shell: write my-heap[1..3] "x"'), ['shell', 'write', 'my-heap', '1', '3', 'x']);
    assert.deepEqual(words('a: map k_v2 1_000 pages'), ['a', 'map', 'k_v2', '1_000', 'pages']);
    for (const line of ['p-1: write heap_2[10..12]', 'expect child-2 big-heap[0] shared with p_3']) {
      const lexed = lexLine(line, 1).tokens.filter((t) => t.kind === 'word' || t.kind === 'number').map((t) => t.text);
      assert.deepEqual(words(line), lexed, line);
    }
  });

  it('continues a comment block on Enter, but not after an empty comment line', () => {
    const rule = configuration.onEnterRules[0];
    assert.ok(rule);
    const before = new RegExp(rule.beforeText);
    assert.ok(before.test('# Worked by hand:'));
    assert.ok(!before.test('# '));
    assert.ok(!before.test('shell: fork child  # trailing'));
    assert.equal(rule.action.appendText, '# ');
  });
});

// Rename of processes and regions: every linked occurrence and nothing else, and a new name that
// would change what the scenario means is refused with the reason.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../src/language';
import { applyEdits, rename, renameTarget } from '../../../src/features/model';
import { positionOf } from './cursor';

const SCENARIO = `process shell
shell: map heap 4 private   # heap of the shell
shell: write heap[0..3] "heap"
shell: fork child
child: write heap[1] "mine"
expect shell heap[1] not shared with child
expect child running
note "the child's heap"
`;

function renamed(source: string, word: string, nth: number, newName: string): string {
  const { line, col } = positionOf(source, word, nth);
  const result = rename(source, analyze(source), line, col, newName);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return applyEdits(source, result.edits);
}

function refusal(source: string, word: string, nth: number, newName: string): string {
  const { line, col } = positionOf(source, word, nth);
  const result = rename(source, analyze(source), line, col, newName);
  assert.ok(!result.ok, 'the rename should have been refused');
  return result.reason;
}

describe('features: rename', () => {
  it('renames a region everywhere it is used, in the parent and the fork child, but not in strings or comments', () => {
    assert.equal(
      renamed(SCENARIO, 'heap', 2, 'data'),
      `process shell
shell: map data 4 private   # heap of the shell
shell: write data[0..3] "heap"
shell: fork child
child: write data[1] "mine"
expect shell data[1] not shared with child
expect child running
note "the child's heap"
`,
    );
  });

  it('renames a process from any of its uses, including `shared with` and statuses', () => {
    const expected = SCENARIO.replace('fork child', 'fork kid').replace('child: write', 'kid: write').replace('with child', 'with kid').replace('expect child running', 'expect kid running');
    assert.equal(renamed(SCENARIO, 'child', 3, 'kid'), expected);
    assert.equal(renamed(SCENARIO, 'child', 0, 'kid'), expected);
  });

  it('returns no edit for the same name', () => {
    const { line, col } = positionOf(SCENARIO, 'child');
    assert.deepEqual(rename(SCENARIO, analyze(SCENARIO), line, col, 'child'), { ok: true, edits: [] });
  });

  it('refuses what is not a name, and keywords as process names', () => {
    assert.match(refusal(SCENARIO, 'child', 0, '2nd'), /not a name/);
    assert.match(refusal(SCENARIO, 'child', 0, 'my child'), /not a name/);
    assert.match(refusal(SCENARIO, 'child', 0, 'expect'), /keyword/);
    assert.match(refusal(SCENARIO, 'child', 0, 'copies'), /keyword/);
    assert.match(refusal(SCENARIO, 'child', 0, 'x'.repeat(65)), /at most 64/);
  });

  it('refuses a name that is taken, saying which line would break', () => {
    assert.match(refusal(SCENARIO, 'child', 0, 'shell'), /line 4 .*already exists/);
    const twoRegions = 'process a\na: map heap 2\na: map stack 2\na: write stack[0]\n';
    assert.match(refusal(twoRegions, 'stack', 0, 'heap'), /line 3/);
  });

  it('refuses a region rename that would break a `shared with` between two mappings of that name', () => {
    const source = 'process a\nprocess b\na: map heap 1 shared\nb: map heap 1 shared\nexpect a heap[0] shared with b\n';
    assert.match(refusal(source, 'heap', 0, 'board'), /line 5/);
  });

  it('renames only names: not verbs, keywords, numbers; checkpoints are labels', () => {
    const analysis = analyze(SCENARIO);
    for (const [word, nth] of [['fork', 0], ['expect', 0], ['4', 0], ['running', 0]] as const) {
      const { line, col } = positionOf(SCENARIO, word, nth);
      assert.equal(renameTarget(analysis, line, col).ok, false, word);
    }
    const withCheckpoint = `${SCENARIO}checkpoint done\n`;
    const { line, col } = positionOf(withCheckpoint, 'done');
    const target = renameTarget(analyze(withCheckpoint), line, col);
    assert.ok(!target.ok && /label/.test(target.reason));
  });

  it('renames every sample region and process to a fresh name, refusing only where meaning would change', () => {
    const dir = path.resolve(__dirname, '..', '..', '..', 'samples');
    const refused: string[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cow'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      const analysis = analyze(source);
      for (const symbol of analysis.symbols.symbols.filter((s) => s.kind !== 'checkpoint')) {
        const result = rename(source, analysis, symbol.definition.line, symbol.definition.col, `${symbol.name}_renamed`);
        if (!result.ok) {
          refused.push(`${file}:${symbol.name}:${symbol.definition.line}`);
          continue;
        }
        assert.equal(result.edits.length, symbol.references.length + 1);
        assert.equal(analyze(applyEdits(source, result.edits)).diagnostics.length, 0, `${file}: ${symbol.name}`);
      }
    }
    // 08-vfork compares the helper's own heap (mapped after its exec) with the shell's heap:
    // renaming either one alone would make that `shared with` compare regions of different names.
    assert.deepEqual(refused, ['08-vfork.cow:heap:9', '08-vfork.cow:heap:31']);
  });
});

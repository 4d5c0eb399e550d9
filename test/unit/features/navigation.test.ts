// Go to definition, references, highlights and the outline, on a scenario whose links are
// read off by hand: which statement made each name, and every line that uses it.
import * as assert from 'node:assert/strict';
import { analyze, type Range } from '../../../src/language';
import { definitionAt, highlightsAt, outline, referencesAt, type OutlineNode } from '../../../src/features/model';
import { positionOf } from './cursor';

const SCENARIO = `process shell
shell: map heap 4 private
shell: map stack 1 private
shell: write heap[0..3] "x"
shell: fork child
checkpoint "after fork"
child: write heap[1] "mine"
expect shell heap[1] not shared with child
shell: vfork helper
helper: exit
checkpoint done
`;
const analysis = analyze(SCENARIO);

const at = (r: Range) => `${r.line}:${r.col}-${r.endCol}`;

describe('features: navigation', () => {
  it('goes from any use of a name to where it was made', () => {
    const child = positionOf(SCENARIO, 'child', 2); // `with child` on line 8
    assert.equal(at(definitionAt(analysis, child.line, child.col) ?? assert.fail('no definition')), '5:13-18');
    const heapInChild = positionOf(SCENARIO, 'heap', 2); // child: write heap[1]
    assert.equal(at(definitionAt(analysis, heapInChild.line, heapInChild.col) ?? assert.fail('no definition')), '2:12-16');
    const fromDefinition = positionOf(SCENARIO, 'heap');
    assert.equal(at(definitionAt(analysis, fromDefinition.line, fromDefinition.col) ?? assert.fail('no definition')), '2:12-16');
  });

  it('finds no definition on a verb, a keyword or a number', () => {
    for (const word of ['write', 'expect', '4', 'private']) {
      const p = positionOf(SCENARIO, word);
      assert.equal(definitionAt(analysis, p.line, p.col), undefined, word);
    }
  });

  it('finds every reference, with or without the declaration', () => {
    const p = positionOf(SCENARIO, 'shell', 3);
    assert.deepEqual(referencesAt(analysis, p.line, p.col, true).map(at), ['1:9-14', '2:1-6', '3:1-6', '4:1-6', '5:1-6', '8:8-13', '9:1-6']);
    assert.deepEqual(referencesAt(analysis, p.line, p.col, false).map(at), ['2:1-6', '3:1-6', '4:1-6', '5:1-6', '8:8-13', '9:1-6']);
    const heap = positionOf(SCENARIO, 'heap');
    assert.deepEqual(referencesAt(analysis, heap.line, heap.col, true).map(at), ['2:12-16', '4:14-18', '7:14-18', '8:14-18']);
  });

  it('highlights the definition as a write and the uses as reads', () => {
    const p = positionOf(SCENARIO, 'helper', 1);
    assert.deepEqual(highlightsAt(analysis, p.line, p.col).map((h) => `${at(h.range)}${h.write ? ' write' : ''}`), ['9:14-20 write', '10:1-7']);
  });

  it('outlines processes with the regions they mapped, and checkpoints, in order', () => {
    const tree = outline(analysis).map((n) => ({ name: n.name, kind: n.kind, detail: n.detail, at: at(n.selectionRange), children: n.children.map((c) => `${c.name} (${c.detail})`) }));
    assert.deepEqual(tree, [
      { name: 'shell', kind: 'process', detail: 'process, line 1', at: '1:9-14', children: ['heap (4 private pages)', 'stack (1 private page)'] },
      { name: 'child', kind: 'process', detail: 'fork of shell, line 5', at: '5:13-18', children: [] },
      { name: 'after fork', kind: 'checkpoint', detail: 'checkpoint, line 6', at: '6:12-24', children: [] },
      { name: 'helper', kind: 'process', detail: 'vfork of shell, line 9', at: '9:14-20', children: [] },
      { name: 'done', kind: 'checkpoint', detail: 'checkpoint, line 11', at: '11:12-16', children: [] },
    ]);
  });

  it("puts each outline node's name inside its statement's range", () => {
    const visit = (nodes: readonly OutlineNode[]): void => {
      for (const n of nodes) {
        assert.ok(n.range.line === n.selectionRange.line && n.range.col <= n.selectionRange.col && n.selectionRange.endCol <= n.range.endCol, n.name);
        visit(n.children);
      }
    };
    visit(outline(analysis));
  });
});

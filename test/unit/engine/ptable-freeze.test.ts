// A page-table editor's freeze(): the frozen table shares the chunks and leaves the editor wrote.
// The editor refuses edits afterwards, and it disowns what it owned, so that no editor — not even
// one holding the same token, as every region of one step does — changes the frozen table in place.
import * as assert from 'node:assert/strict';
import { newLeaf, PageTable, setEntry } from '../../../src/engine/ptable';

describe('engine: a frozen page-table editor', () => {
  let nextId = 1;
  const newId = () => nextId++;

  it('refuses edits after freeze, leaving the frozen table as it was', () => {
    const editor = PageTable.empty(128).edit(1);
    setEntry(editor.ownLeaf(3, newId), 3, 7 << 1);
    const frozen = editor.freeze();
    const before = frozen.leaf(3)?.entries[3];
    assert.throws(() => setEntry(editor.ownLeaf(3, newId), 3, 9 << 1), /frozen page-table editor/);
    assert.throws(() => editor.setLeaf(70, null), /frozen page-table editor/);
    assert.equal(frozen.leaf(3)?.entries[3], before);
  });

  it('edits the frozen table through a new editor, copying what it changes', () => {
    const editor = PageTable.empty(128).edit(1);
    setEntry(editor.ownLeaf(3, newId), 3, 7 << 1);
    const frozen = editor.freeze();
    const next = frozen.edit(2);
    setEntry(next.ownLeaf(3, newId), 3, 9 << 1);
    assert.equal(frozen.leaf(3)?.entries[3], 7 << 1);
    assert.equal(next.freeze().leaf(3)?.entries[3], 9 << 1);
  });

  it('disowns its chunks and leaves: an editor with the same token copies them instead of editing the frozen table', () => {
    // Before: the frozen table's chunk and leaf kept owner 1, so `again` (token 1 too) wrote into
    // them: entry 3 became 9 << 1 and a leaf appeared at page 4,100 of the frozen table.
    const editor = PageTable.empty(8192).edit(1);
    setEntry(editor.ownLeaf(3, newId), 3, 7 << 1);
    editor.setLeaf(4096, newLeaf(newId(), 1));
    const frozen = editor.freeze();
    const at4096 = frozen.leaf(4096);
    frozen.forEachLeaf((leaf) => assert.equal(leaf.owner, 0));
    for (const chunk of frozen.top) if (chunk) assert.equal(chunk.owner, 0);
    const again = frozen.edit(1);
    setEntry(again.ownLeaf(3, newId), 3, 9 << 1);
    again.setLeaf(4100, newLeaf(newId(), 1));
    again.setLeaf(70, newLeaf(newId(), 1));
    assert.equal(frozen.entry(3), 7 << 1);
    assert.equal(frozen.leaf(70), null);
    assert.equal(frozen.leaf(4100), at4096);
    const next = again.freeze();
    assert.equal(next.entry(3), 9 << 1);
    assert.notEqual(next.leaf(70), null);
  });
});

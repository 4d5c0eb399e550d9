// A page-table editor's freeze(): the frozen table shares the chunks and leaves the editor's token
// owns, so an edit through the same editor afterwards would change the frozen table in place. The
// editor refuses instead; editing the frozen table goes through a new editor (a new token).
import * as assert from 'node:assert/strict';
import { PageTable, setEntry } from '../../../src/engine/ptable';

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
});

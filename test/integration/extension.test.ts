// The extension as VS Code sees it: installed under its manifest id, activates, and owns `.cow`.
// Runs inside the extension host with the real `vscode` API (see index.ts for the runners).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'cow-lab.cow-lab';
/** test/fixtures/harness-fork.cow, copied into the workspace the runners open. */
const FIXTURE = 'harness-fork.cow';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner must open a workspace folder (test/fixtures or a copy of it)');
  return vscode.Uri.joinPath(folder.uri, name);
}

describe('CoW Lab extension', () => {
  it('is installed under its manifest id', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among ${vscode.extensions.all.length} extensions`);
    assert.equal(extension.packageJSON.displayName, 'CoW Lab');
  });

  it('activates without throwing', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers the cow language', async () => {
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes('cow'), `cow missing from ${languages.length} languages`);
  });

  it('opens a .cow file as languageId cow in an editor', async () => {
    const uri = workspaceFile(FIXTURE);
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.languageId, 'cow');
    const editor = await vscode.window.showTextDocument(document);
    assert.equal(path.basename(editor.document.uri.path), FIXTURE);
    assert.match(document.getText(), /shell: fork child/);
  });

  it('recognises .cow by file extension, not by content', async () => {
    const content = new TextEncoder().encode('process shell\nshell: fork child\n');
    const cow = workspaceFile('scratch-association.cow');
    const text = workspaceFile('scratch-association.txt');
    try {
      await vscode.workspace.fs.writeFile(cow, content);
      await vscode.workspace.fs.writeFile(text, content);
      assert.equal((await vscode.workspace.openTextDocument(cow)).languageId, 'cow');
      assert.notEqual((await vscode.workspace.openTextDocument(text)).languageId, 'cow');
    } finally {
      await vscode.workspace.fs.delete(cow).then(undefined, () => undefined);
      await vscode.workspace.fs.delete(text).then(undefined, () => undefined);
    }
  });
});

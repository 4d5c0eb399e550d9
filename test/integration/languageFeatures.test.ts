// The editor features of .cow files inside a real VS Code, through the same commands VS Code
// itself uses to ask providers: completion, hover, definition, references, rename, outline,
// formatting, quick fixes, snippets and the language configuration.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { applyTextEdits, at, closeEditors, hoverText, openScenario, positionOf } from './scenarioHelpers';

const SCENARIO = `process shell
shell: map heap 4 private
shell: write heap[0..3] "x"
shell: fork child
checkpoint "after fork"
child: write heap[1] "mine"
expect shell heap[1] not shared with child
`;

async function labelsAt(document: vscode.TextDocument, position: vscode.Position, trigger?: string): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position, trigger);
  return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

describe('CoW scenario editing: language features', () => {
  afterEach(closeEditors);

  it('completes verbs after `name:` and regions of that process after the verb', async () => {
    const document = await openScenario(`${SCENARIO}child: `);
    const end = document.lineAt(document.lineCount - 1).range.end;
    const verbs = await labelsAt(document, end, ' ');
    for (const verb of ['map', 'unmap', 'read', 'write', 'fork', 'vfork', 'exec', 'exit', 'madvise']) assert.ok(verbs.includes(verb), `${verb} missing from ${verbs.join(' ')}`);
    const withVerb = await openScenario(`${SCENARIO}child: write `);
    const regions = await labelsAt(withVerb, withVerb.lineAt(withVerb.lineCount - 1).range.end, ' ');
    assert.ok(regions.includes('heap'), regions.join(' '));
    assert.ok(!regions.includes('write'), 'verbs are not offered where a region goes');
  });

  it('completes page ranges and `expect` claims naming the processes that fit', async () => {
    const pages = await openScenario(`${SCENARIO}child: read heap[`);
    const pageLabels = await labelsAt(pages, pages.lineAt(pages.lineCount - 1).range.end, '[');
    assert.deepEqual(pageLabels.filter((l) => /^\d/.test(l)).slice(0, 5), ['0..3', '0', '1', '2', '3']);
    const claim = await openScenario(`${SCENARIO}expect shell heap[2] `);
    const claims = await labelsAt(claim, claim.lineAt(claim.lineCount - 1).range.end, ' ');
    assert.ok(claims.includes('shared with child'), claims.join(' '));
    assert.ok(claims.includes('private') && claims.includes('cow'), claims.join(' '));
  });

  it('offers the story snippets at the start of a line', async () => {
    const document = await openScenario('');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(0, 0));
    const snippets = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const prefix of ['fork-write', 'fork-exec', 'snapshot', 'vfork']) assert.ok(snippets.includes(prefix), `${prefix} missing from ${snippets.join(' ')}`);
  });

  it('hovers a verb with the kernel function it models and an example', async () => {
    const document = await openScenario(SCENARIO);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, 'fork'));
    const text = hoverText(hovers);
    assert.match(text, /\*\*fork\*\*/);
    assert.match(text, /copy_page_range/);
    assert.match(text, /```cow\n.+\n.+\n```/);
  });

  it('hovers a process with where it was made and by which statement', async () => {
    const document = await openScenario(SCENARIO);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, 'child', 2));
    assert.match(hoverText(hovers), /on line 4 by `shell: fork child`/);
  });

  it('goes to the definition of a process and of a region', async () => {
    const document = await openScenario(SCENARIO);
    const child = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', document.uri, positionOf(document, 'child', 2));
    const heap = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', document.uri, positionOf(document, 'heap', 3));
    const range = (l: vscode.Location | vscode.LocationLink | undefined) => (l === undefined ? 'none' : 'targetRange' in l ? at(l.targetRange) : at(l.range));
    assert.equal(range(child[0]), '4:13');
    assert.equal(range(heap[0]), '2:12');
  });

  it('finds every reference of a process', async () => {
    const document = await openScenario(SCENARIO);
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', document.uri, positionOf(document, 'child'));
    assert.deepEqual(refs.map((r) => at(r.range)).sort(), ['4:13', '6:1', '7:38']);
  });

  it('renames a region everywhere, and refuses a name that would change the scenario', async () => {
    const document = await openScenario(SCENARIO);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', document.uri, positionOf(document, 'heap', 2), 'data');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(document.getText(), SCENARIO.replace(/heap/g, 'data'));
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', document.uri, positionOf(document, 'child'), 'shell')),
      /would change the scenario/,
    );
  });

  it('outlines processes with their regions, and checkpoints', async () => {
    const document = await openScenario(SCENARIO);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
    assert.deepEqual(
      symbols.map((s) => `${s.name}[${s.children.map((c) => c.name).join(',')}]`),
      ['shell[heap]', 'child[]', 'after fork[]'],
    );
    assert.equal(symbols[1]?.detail, 'fork of shell, line 4');
  });

  it('formats a document, and formatting again changes nothing', async () => {
    const document = await openScenario('process   shell # the shell\n\n\n  shell :map heap 4\nshell:write heap [ 0 .. 3 ]');
    const options = { tabSize: 2, insertSpaces: true };
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', document.uri, options);
    await applyTextEdits(document, edits);
    assert.equal(document.getText(), 'process shell  # the shell\n\nshell: map heap 4\nshell: write heap[0..3]\n');
    const again = await vscode.commands.executeCommand<vscode.TextEdit[] | undefined>('vscode.executeFormatDocumentProvider', document.uri, options);
    assert.equal(again?.length ?? 0, 0);
  });

  it('offers a quick fix for a misspelt verb', async () => {
    const document = await openScenario('process shell\nshell: map heap 4\nshell: wirte heap[0]\n');
    const typo = new vscode.Range(2, 7, 2, 12);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, typo, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === "Change to 'write'");
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.lineAt(2).text, 'shell: write heap[0]');
  });

  it('toggles # comments through the language configuration', async () => {
    const document = await openScenario('process shell\n');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document, document);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('editor.action.commentLine');
    assert.equal(document.lineAt(0).text, '# process shell');
  });
});

// Diagnostics of .cow files inside a real VS Code: parser and checker problems at exact ranges as
// the learner types, and after a run each failed `expect` with the value the run found. Every
// wait is on vscode.languages.onDidChangeDiagnostics.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { at, closeEditors, diagnosticsWhen, openSample, openScenario, replaceText } from './scenarioHelpers';

// By hand: 4 written pages are 4 frames; fork copies entries, not pages; the child's write to
// heap[1] copies exactly one frame, so copies is 1 and frames is 5.
const FORKED = `process shell
shell: map heap 4 private
shell: write heap[0..3] "x"
shell: fork child
child: write heap[1] "mine"
`;

describe('CoW scenario editing: diagnostics', () => {
  afterEach(closeEditors);

  it('reports a misspelt verb on exactly that word, with the suggestion', async () => {
    const document = await openScenario('process shell\nshell: map heap 4\nshell: wirte heap[1]\n');
    const [typo] = await diagnosticsWhen(document.uri, (d) => d.length > 0);
    assert.ok(typo);
    assert.equal(at(typo.range), '3:8');
    assert.equal(typo.range.end.character, 12);
    assert.equal(typo.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(typo.code, 'unknown-verb');
    assert.match(typo.message, /did you mean 'write'/);
  });

  it('follows typing: a fix clears the diagnostic, a new mistake brings one', async () => {
    const document = await openScenario('process shell\nshell: map heap 4\nshell: wirte heap[1]\n');
    await diagnosticsWhen(document.uri, (d) => d.length === 1);
    await replaceText(document, 'process shell\nshell: map heap 4\nshell: write heap[1]\n');
    await diagnosticsWhen(document.uri, (d) => d.length === 0);
    await replaceText(document, 'process shell\nshell: map heap 4\nshell: write haep[1]\n');
    const [unknown] = await diagnosticsWhen(document.uri, (d) => d.length === 1);
    assert.equal(unknown?.code, 'unknown-region');
    assert.equal(at(unknown.range), '3:14');
  });

  it('marks a failed expect with the actual value the run found', async () => {
    const document = await openScenario(`${FORKED}expect copies == 2\nexpect frames == 5\nexpect shell heap[1] == "mine"\n`);
    const found = await diagnosticsWhen(document.uri, (d) => d.some((x) => x.code === 'expect-failed'));
    const failed = found.filter((d) => d.code === 'expect-failed').sort((a, b) => a.range.start.line - b.range.start.line);
    assert.deepEqual(failed.map((d) => at(d.range)), ['6:8', '8:8']);
    assert.match(failed[0]?.message ?? '', /copies is 1/);
    assert.match(failed[1]?.message ?? '', /"x"/);
    assert.equal(failed[0]?.source, 'cow-lab run');
  });

  it('clears a failed expect once the claim is corrected', async () => {
    const document = await openScenario(`${FORKED}expect copies == 2\n`);
    await diagnosticsWhen(document.uri, (d) => d.length === 1);
    await replaceText(document, `${FORKED}expect copies == 1\n`);
    await diagnosticsWhen(document.uri, (d) => d.length === 0);
  });

  it('finds every expectation of a shipped sample holding, and one added wrong expectation failing', async () => {
    // The sample's text in an untitled document: an edit to the shipped file itself could be
    // saved into the extension's folder (it once was, and a later run found the sample failing).
    const sample = await openSample('10-redis-snapshot.cow');
    const text = sample.getText();
    await closeEditors();
    // Worked by hand in the sample: after the saver exits and redis rewrites db[4], 16 frames remain.
    const document = await openScenario(`${text.replace(/\n*$/, '')}\nexpect frames == 17\n`);
    const found = await diagnosticsWhen(document.uri, (d) => d.some((x) => x.code === 'expect-failed'));
    assert.deepEqual(found.map((d) => `${d.code}: ${d.message}`), ['expect-failed: expected frames == 17, but frames is 16']);
  });
});

// Predict mode in a real VS Code: open samples/02-write-fault.cow, run it, step to the fork,
// turn predict on with "CoW Lab: Predict Mode", and step forward: the panel stays at the fork and
// asks about the child's write. One answer is right, another wrong (sent as the webview sends
// them, through the host's validation); the grades and the score show in the panel's state, the
// step is revealed after the last answer, and a re-run of the unchanged scenario keeps the score.
// The right answers are the sample's own hand-worked header: the write copies one page
// (wp_page_copy) into a new frame, and 5 frames are in use after it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PanelInspection } from '../../src/panel/inspection';

const EXTENSION_ID = 'cow-lab.cow-lab';

function state(): Thenable<PanelInspection> {
  return vscode.commands.executeCommand<PanelInspection>('_cowLab.panelState');
}

function send(message: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('_cowLab.simulateWebviewMessage', message);
}

describe('CoW Lab panel: predict mode', function () {
  let uri: vscode.Uri;

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    uri = vscode.Uri.joinPath(extension.extensionUri, 'samples', '02-write-fault.cow');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  });

  after(async () => {
    if ((await state()).predict.on) await vscode.commands.executeCommand('cowLab.togglePredict');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('contributes and registers "CoW Lab: Predict Mode"', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    assert.ok(all.has('cowLab.togglePredict'));
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string; title: string }[] } }).contributes.commands;
    assert.equal(contributed.find((c) => c.command === 'cowLab.togglePredict')?.title, 'Predict Mode');
  });

  it('with predict on, stepping onto the child\'s write asks about it first and keeps the fork on show', async () => {
    await vscode.commands.executeCommand('cowLab.run', uri);
    await vscode.commands.executeCommand('cowLab.firstStep');
    if ((await state()).predict.on) await vscode.commands.executeCommand('cowLab.togglePredict');
    for (let i = 0; i < 3; i++) await vscode.commands.executeCommand('cowLab.stepForward');
    assert.equal((await state()).step?.statement, 'parent: fork child');
    await vscode.commands.executeCommand('cowLab.togglePredict');
    assert.equal((await state()).predict.on, true);
    await vscode.commands.executeCommand('cowLab.stepForward');
    const s = await state();
    assert.equal(s.position, 3, 'the outcome is not shown yet');
    assert.equal(s.step?.statement, 'parent: fork child');
    assert.deepEqual([s.predict.step, s.predict.pending, s.predict.statement], [4, true, 'child: write heap[1] "mine"']);
    assert.deepEqual(s.predict.questions.map((q) => q.id), ['step-4/will-copy', 'step-4/which-frame', 'step-4/frames-after', 'step-4/rss-after', 'step-4/pss-after']);
    assert.ok(s.predict.questions.every((q) => q.grade === null));
  });

  it('grades a right and a wrong answer and keeps the score', async () => {
    await send({ type: 'predictAnswer', step: 4, questionId: 'step-4/will-copy', answer: true });
    await send({ type: 'predictAnswer', step: 4, questionId: 'step-4/frames-after', answer: 4 });
    const s = await state();
    const grade = (id: string) => s.predict.questions.find((q) => q.id === id)?.grade;
    assert.equal(grade('step-4/will-copy')?.correct, true);
    assert.match(grade('step-4/will-copy')?.explanation ?? '', /wp_page_copy/);
    assert.deepEqual([grade('step-4/frames-after')?.correct, grade('step-4/frames-after')?.givenText, grade('step-4/frames-after')?.answerText], [false, '4', '5']);
    assert.deepEqual(s.predict.score, { asked: 2, correct: 1, skipped: 0 });
    assert.equal(s.position, 3, 'three questions still wait');
    assert.equal(s.predict.saved.graded.length, 2);
  });

  it('refuses an answer of the wrong shape or to a question not asked', async () => {
    const before = await state();
    await send({ type: 'predictAnswer', step: 4, questionId: 'step-4/which-frame', answer: 5 });
    await send({ type: 'predictAnswer', step: 4, questionId: 'step-4/copies', answer: 1 });
    const after = await state();
    assert.equal(after.refused.length - before.refused.length, 2);
    assert.match(after.refused.at(-2) ?? '', /which-frame must be frame:N, new, zero or none/);
    assert.match(after.refused.at(-1) ?? '', /no question "step-4\/copies"/);
    assert.deepEqual(after.predict.score, before.predict.score);
  });

  it('reveals the write fault after the last answer', async () => {
    await send({ type: 'predictAnswer', step: 4, questionId: 'step-4/which-frame', answer: 'new' });
    // The child then: RES 4; PSS 3 × 1/2 (shared with parent) + 1 (its copy) = 2.5 pages, sent as typed.
    await send({ type: 'predictAnswer', step: 4, questionId: 'step-4/rss-after', answer: 4 });
    assert.equal((await state()).position, 3, 'the PSS question still waits');
    await send({ type: 'predictAnswer', step: 4, questionId: 'step-4/pss-after', answer: '2.5' });
    const s = await state();
    assert.equal(s.predict.questions.find((q) => q.id === 'step-4/pss-after')?.grade?.correct, true);
    assert.equal(s.position, 4);
    assert.equal(s.step?.kind, 'write-fault');
    assert.deepEqual([s.predict.step, s.predict.pending], [4, false]);
    assert.deepEqual(s.predict.score, { asked: 5, correct: 4, skipped: 0 });
  });

  it('keeps the score when the unchanged scenario runs again', async () => {
    const runs = (await state()).runs;
    await vscode.commands.executeCommand('cowLab.run', uri);
    const s = await vscode.commands.executeCommand<PanelInspection>('_cowLab.waitForRuns', runs + 1);
    assert.deepEqual(s.predict.score, { asked: 5, correct: 4, skipped: 0 });
    assert.equal(s.predict.on, true);
  });
});

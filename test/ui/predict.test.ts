// Predict mode as a learner uses it, in the workbench with the packaged extension: run
// 02-write-fault.cow, step to the fork, tick "Predict" in the panel's toolbar and step forward —
// the panel asks about the child's write before showing it. Click a right answer, give a wrong
// one from the keyboard, see each grade; type the last answer and the step is revealed, the
// score beside the checkbox; both survive a window reload.
// Screenshots: test-artifacts/ui/panel-predict-{dark,light,revealed-dark}.png.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { findFrame, quickOpen, runCommand, screenshotFrame, setColorTheme } from './workbench';
import { steps, useWorkbench } from './session';

const SAMPLE = '02-write-fault.cow';

async function position(frame: Frame, text: string): Promise<void> {
  await frame.locator('.position', { hasText: new RegExp(`^${text}$`) }).waitFor();
}

const question = (frame: Frame, id: string) => frame.locator(`.predict-question[data-question-id="${id}"]`);

describe('CoW Lab predict mode in the workbench', function () {
  const step = steps();
  let page: Page;
  let frame: Frame;

  useWorkbench('predict', {
    onOpen: (p) => { page = p; },
    // Predict mode is remembered: untick it so the next file's panel shows answers.
    cleanUp: async () => {
      if (frame && (await frame.locator('.predict-toggle[checked]').count().catch(() => 0)) > 0) await frame.locator('.predict-toggle').click();
    },
  });

  step('asks about the child\'s write before showing it, once Predict is ticked', async () => {
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await quickOpen(page, SAMPLE);
    // The extension is active once its CodeLens shows (over a minute on a busy machine).
    await page.locator('.editor-group-container .codelens-decoration', { hasText: 'Run Scenario' }).waitFor({ timeout: 180_000 });
    await runCommand(page, 'CoW Lab: Run Scenario');
    frame = await findFrame(page, '.scrubber', 120_000);
    await runCommand(page, 'CoW Lab: First Step');
    await position(frame, 'Step 1 of 26');
    for (let n = 2; n <= 4; n++) {
      await frame.locator('vscode-button[data-nav="forward"]').click();
      await position(frame, `Step ${n} of 26`);
    }
    await frame.locator('.predict-toggle').click();
    await frame.locator('.predict-score', { hasText: '0 / 0 right' }).waitFor();
    await frame.locator('vscode-button[data-nav="forward"]').click();
    await frame.locator('.predict-heading', { hasText: 'Predict step 5 before it runs' }).waitFor();
    // The statement about to run shows; its outcome does not: the panel is still at the fork.
    assert.equal(await frame.locator('.predict-statement').innerText(), 'child: write heap[1] "mine"');
    assert.equal(await frame.locator('.position').innerText(), 'Step 4 of 26');
    assert.equal(await frame.locator('.step-card .statement').innerText(), 'parent: fork child');
    assert.equal(await question(frame, 'step-4/will-copy').locator('.prompt').innerText(), 'Will child: write heap[1] "mine" copy a frame?');
    assert.match(await frame.locator('[data-predict-live]').textContent() ?? '', /^Predict step 5/);
    // Forward waits while the questions do.
    await frame.locator('vscode-button[data-nav="forward"][disabled]').waitFor();
  }, 300_000);

  step('grades a right and a wrong answer the learner clicks', async () => {
    // four theme switches for the screenshots: minutes on a busy machine
    await question(frame, 'step-4/will-copy').locator('[data-answer="yes"]').click();
    const right = question(frame, 'step-4/will-copy').locator('.grade[data-correct="true"]');
    await right.waitFor();
    assert.match(await right.locator('.why').innerText(), /wp_page_copy/);
    // The next question's first answer has the focus: the keyboard answers it (Enter).
    await question(frame, 'step-4/which-frame').locator('[data-answer="frame:2"]:focus').waitFor();
    await page.keyboard.press('Enter');
    const wrong = question(frame, 'step-4/which-frame').locator('.grade[data-correct="false"]');
    await wrong.waitFor();
    assert.equal(await wrong.locator('.verdict').innerText(), '✗ Not quite — you said frame 2 (what child heap[1] uses now); the answer is a new frame (frame 5).');
    await frame.locator('.predict-score', { hasText: '1 / 2 right' }).waitFor();
    assert.equal(await frame.locator('.position').innerText(), 'Step 4 of 26', 'three questions still wait');
    await screenshotFrame(frame, 'panel-predict-dark');
    await setColorTheme(page, 'Light Modern', 'vs');
    await frame.locator('body.vscode-light').waitFor();
    await screenshotFrame(frame, 'panel-predict-light');
    await setColorTheme(page, 'Dark High Contrast', 'hc-black');
    await frame.locator('body.vscode-high-contrast').waitFor();
    await screenshotFrame(frame, 'panel-predict-high-contrast');
    await setColorTheme(page, 'Light High Contrast', 'hc-light');
    await frame.locator('body.vscode-high-contrast-light').waitFor();
    await screenshotFrame(frame, 'panel-predict-high-contrast-light');
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await frame.locator('body.vscode-dark').waitFor();
  }, 400_000);

  step('reveals the step once the last answer is typed, RES and PSS after it (a fraction of a page typed as 2.5)', async () => {
    const input = question(frame, 'step-4/frames-after').locator('input');
    await input.fill('5');
    await input.press('Enter');
    await question(frame, 'step-4/frames-after').locator('.grade[data-correct="true"]').waitFor();
    // The child then: RES 4; PSS 3 × 1/2 (shared with parent) + 1 (its copy) = 2.5 pages.
    assert.match(await question(frame, 'step-4/pss-after').locator('.prompt').innerText(), /what will smem show as child's PSS, in pages/);
    const rss = question(frame, 'step-4/rss-after').locator('input');
    await rss.fill('4');
    await rss.press('Enter');
    await question(frame, 'step-4/rss-after').locator('.grade[data-correct="true"]').waitFor();
    const pss = question(frame, 'step-4/pss-after').locator('input');
    await pss.fill('2.5');
    await screenshotFrame(frame, 'panel-predict-pss-typed-dark');
    await pss.press('Enter');
    await position(frame, 'Step 5 of 26');
    assert.equal(await frame.locator('.step-card .statement').innerText(), 'child: write heap[1] "mine"');
    await frame.locator('.predict-heading', { hasText: 'Your predictions for step 5' }).waitFor();
    await frame.locator('.predict-score', { hasText: '4 / 5 right' }).waitFor();
    assert.equal(await frame.locator('.predict .grade').count(), 5);
    assert.match(await question(frame, 'step-4/pss-after').locator('.grade .verdict').innerText(), /Right/);
    await question(frame, 'step-4/pss-after').scrollIntoViewIfNeeded();
    await screenshotFrame(frame, 'panel-predict-revealed-dark');
  });

  step('keeps predict mode and the score over a window reload (the panel\'s saved state)', async () => {
    // a reload of the whole workbench: minutes on a busy machine
    const reloaded = page.waitForEvent('load', { timeout: 180_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.waitForSelector('.monaco-workbench', { timeout: 180_000 });
    frame = await findFrame(page, '.scrubber', 180_000);
    await position(frame, 'Step 5 of 26');
    await frame.locator('.predict-score', { hasText: '4 / 5 right' }).waitFor();
    assert.equal(await frame.locator('.predict-toggle[checked]').count(), 1);
  }, 400_000);

  step('skips the questions of the next write: counted as skipped, not wrong, and the step runs', async () => {
    await page.locator('.editor-group-container .monaco-editor .view-line', { hasText: 'child: write heap[1] "mine again"' }).first().click();
    await frame.locator('.predict-heading', { hasText: /^Predict step \d+ before it runs$/ }).waitFor();
    await frame.locator('vscode-button[data-nav="forward"][disabled]').waitFor();
    const before = await frame.locator('.position').innerText();
    for (let n = 0; n < 3; n += 1) {
      const skip = frame.locator('.predict-question [data-skip]').first();
      if ((await skip.count()) === 0) break;
      await skip.click();
      await frame.locator(`.predict-score`, { hasText: `· ${n + 1} skipped` }).waitFor();
    }
    await frame.locator('.predict-heading', { hasText: /^Your predictions for step/ }).waitFor();
    assert.notEqual(await frame.locator('.position').innerText(), before, 'the step ran');
    assert.match(await frame.locator('.predict-score').innerText(), /^4 \/ 5 right · \d skipped$/);
    assert.ok((await frame.locator('.predict [data-skipped]').count()) >= 1);
    await screenshotFrame(frame, 'panel-predict-skipped-dark');
  }, 300_000);
});

// Moving the panel to a statement the way a learner does: the forward button, one step at a time.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';

/** Presses the panel's forward button until the step's statement reads `statement`. */
export async function stepTo(frame: Frame, statement: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if ((await frame.locator('.statement').innerText()) === statement) return;
    const before = await frame.locator('.position').innerText();
    await frame.locator('vscode-button[data-nav="forward"]').click();
    await frame.locator('.position', { hasText: new RegExp(`^(?!${before.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$)`) }).waitFor();
  }
  assert.fail(`never reached ${statement}`);
}

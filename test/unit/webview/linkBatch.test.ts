// The lines of every drawing (each machine's diagram, the storage view) are drawn in one
// animation frame, phase by phase: every drawing's scroll offsets are written, then every
// drawing reads its geometry, then every drawing writes its lines. A drawing that read after
// another's writes would make the browser lay the whole document out again (a forced layout
// per drawing per step): the order of the calls is what this checks, not a time.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { LinkScheduler, type LinkPass } from '../../../webview/links';

function pass(name: string, calls: string[], draws = true): LinkPass {
  return {
    scroll: () => calls.push(`${name}: scroll`),
    measure: () => {
      calls.push(`${name}: measure`);
      return draws ? () => calls.push(`${name}: write`) : null;
    },
  };
}

describe('panel webview: drawing the lines of every diagram in one frame', () => {
  it('scrolls every drawing, then measures every one, then writes every one, once however often each asked', async () => {
    const dom = new JSDOM('<!DOCTYPE html><body></body>', { pretendToBeVisual: true });
    try {
      const calls: string[] = [];
      const primary = new LinkScheduler(dom.window.document, pass('primary', calls));
      const comparison = new LinkScheduler(dom.window.document, pass('comparison', calls));
      const storage = new LinkScheduler(dom.window.document, pass('storage', calls, false));
      primary.schedule();
      comparison.schedule();
      primary.schedule();
      storage.schedule();
      assert.deepEqual(calls, [], 'nothing is drawn before the animation frame');
      await new Promise<void>((resolve) => dom.window.requestAnimationFrame(() => resolve()));
      assert.deepEqual(calls, [
        'primary: scroll', 'comparison: scroll', 'storage: scroll',
        'primary: measure', 'comparison: measure', 'storage: measure',
        'primary: write', 'comparison: write',
      ]);
      // The next request waits for the next frame, and draws only what asked.
      calls.length = 0;
      comparison.schedule();
      await new Promise<void>((resolve) => dom.window.requestAnimationFrame(() => resolve()));
      assert.deepEqual(calls, ['comparison: scroll', 'comparison: measure', 'comparison: write']);
    } finally {
      dom.window.close();
    }
  });

  it('never draws in a document without animation frames', () => {
    const dom = new JSDOM('<!DOCTYPE html><body></body>');
    const calls: string[] = [];
    new LinkScheduler(dom.window.document, pass('primary', calls)).schedule();
    assert.deepEqual(calls, []);
    dom.window.close();
  });
});

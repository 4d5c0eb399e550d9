// The walkthrough in package.json and its media, checked on disk: steps that follow the article's
// arc, buttons whose arguments name real samples (all of a step's links act on its own sample),
// steps that tick only on success (context keys the glue sets), and SVGs that survive the walkthrough's
// Content-Security-Policy (no <style>, no style attributes: it allows only nonce'd styles) and draw
// every colour from the theme (var(--vscode-…)), so they read in dark, light and high contrast.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { JSDOM } from 'jsdom';

const root = resolve(__dirname, '..', '..', '..');
interface Step {
  id: string;
  title: string;
  description: string;
  completionEvents?: string[];
  media: { svg?: string; markdown?: string; image?: string; altText?: string };
  when?: string;
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { walkthroughs?: { id: string; title: string; steps: Step[] }[]; commands?: { command: string }[] };
};
const walkthrough = manifest.contributes.walkthroughs?.find((w) => w.id === 'learnCopyOnWrite');

/** Every `[label](command:id?args)` in a description, with whether it stands alone on its line (a button). */
function links(description: string): { command: string; args: unknown[]; button: boolean }[] {
  const out: { command: string; args: unknown[]; button: boolean }[] = [];
  for (const line of description.split('\n')) {
    for (const m of line.matchAll(/\[[^\]]+\]\(command:([\w.]+)(?:\?([^)]*))?\)/g)) {
      const args = m[2] ? (JSON.parse(decodeURIComponent(m[2])) as unknown) : [];
      assert.ok(Array.isArray(args), `arguments of ${m[1]} must be a JSON array`);
      out.push({ command: m[1] ?? '', args, button: m[0] === line.trim() });
    }
  }
  return out;
}

describe('the walkthrough', () => {
  // Nine steps, not eight: why Linux changed its reuse rule (map count → references) is a lesson of
  // its own, with its own pair of scenarios, and merging it into the write-fault step would bury
  // it under that step's quiz. VS Code's walkthrough guidance asks for no excessive number of
  // steps and names none; every step keeps one action and one scenario.
  it('is contributed with 6–9 steps in the article\'s order, with unique ids', () => {
    assert.ok(walkthrough, 'no walkthrough learnCopyOnWrite');
    assert.equal(walkthrough.title, 'Learn copy-on-write with CoW Lab');
    const ids = walkthrough.steps.map((s) => s.id);
    assert.ok(ids.length >= 6 && ids.length <= 9, `${ids.length} steps`);
    assert.deepEqual(ids, ['what-is-cow', 'fork-shares', 'first-write', 'why-the-rule-changed', 'page-granularity', 'shell-runs-ls', 'trade-off', 'real-systems', 'your-kernel']);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('gives each step buttons naming contributed commands, on samples that exist', () => {
    const contributed = new Set((manifest.contributes.commands ?? []).map((c) => c.command));
    const sampleCommands = new Set(['cowLab.openSample', 'cowLab.verifyInTerminal', 'cowLab.walkthroughAction', 'cowLab.comparisonTable']);
    for (const step of walkthrough?.steps ?? []) {
      const all = links(step.description);
      assert.ok(all.some((l) => l.button), `${step.id}: no button`);
      for (const link of all) {
        assert.ok(contributed.has(link.command), `${step.id}: ${link.command} is not contributed`);
        if (sampleCommands.has(link.command)) {
          const sample = link.args[0];
          assert.ok(typeof sample === 'string' && existsSync(join(root, 'samples', sample)), `${step.id}: no sample ${String(sample)}`);
        }
        if (link.command === 'cowLab.checkExercise') {
          const quiz = (link.args[0] as { quiz?: unknown } | undefined)?.quiz;
          assert.ok(typeof quiz === 'string' && existsSync(join(root, 'samples', quiz)), `${step.id}: no sample ${String(quiz)}`);
        }
      }
    }
  });

  it('acts on the scenario its step opened: every link after the first names the same sample', () => {
    // A link clicked on the Welcome page must not act on whatever editor happens to be active.
    for (const step of walkthrough?.steps ?? []) {
      const buttons = links(step.description).filter((l) => l.button);
      const opened = buttons[0]?.args[0];
      for (const link of buttons.slice(1)) {
        const sample = link.command === 'cowLab.checkExercise' ? (link.args[0] as { quiz?: unknown } | undefined)?.quiz : link.args[0];
        assert.equal(sample, opened, `${step.id}: ${link.command} acts on ${String(sample)}, not on ${String(opened)}`);
      }
    }
  });

  it('completes each step when what the learner did worked, not when a command merely ran', () => {
    const sources = ['walkthrough.ts', 'exercises.ts', 'index.ts'].map((f) => readFileSync(join(root, 'src', 'tutorial-vscode', f), 'utf8')).join('\n');
    for (const step of walkthrough?.steps ?? []) {
      assert.ok((step.completionEvents ?? []).length > 0, step.id);
      for (const event of step.completionEvents ?? []) {
        // onCommand ticks a step as soon as the command runs, even if it did nothing (issue 18).
        assert.match(event, /^onContext:cowLab\.tutorial\.\w+$/, step.id);
        const key = event.slice('onContext:'.length);
        assert.ok(sources.includes(`'${key}'`) || /checked\d\d$/.test(key), `${step.id}: nothing sets ${key}`);
      }
    }
    // Quiz steps complete on the context key Check My Answers sets for that sample (src/tutorial-vscode/exercises.ts).
    const glue = readFileSync(join(root, 'src', 'tutorial-vscode', 'exercises.ts'), 'utf8');
    assert.match(glue, /`cowLab\.tutorial\.checked\$\{sampleName\.slice\(0, 2\)\}`/);
    const quizSteps = (walkthrough?.steps ?? []).filter((s) => links(s.description).some((l) => (l.args[1] as { quiz?: boolean } | undefined)?.quiz === true));
    assert.equal(quizSteps.length, 2);
    for (const step of quizSteps) {
      const sample = links(step.description).find((l) => l.button)?.args[0] as string;
      assert.deepEqual(step.completionEvents, [`onContext:cowLab.tutorial.checked${sample.slice(0, 2)}`], step.id);
    }
  });

  for (const step of walkthrough?.steps ?? []) {
    const svg = step.media.svg;
    if (svg === undefined) continue;
    it(`draws ${svg} with theme colours only, and nothing the walkthrough's CSP blocks`, () => {
      const text = readFileSync(join(root, svg), 'utf8');
      const doc = new JSDOM(text, { contentType: 'image/svg+xml' }).window.document;
      assert.equal(doc.querySelector('parsererror'), null, 'not well-formed XML');
      const svgElement = doc.documentElement;
      assert.equal(svgElement.tagName, 'svg');
      assert.ok(svgElement.querySelector('title')?.textContent?.trim(), 'a <title> for screen readers');
      assert.ok(svgElement.querySelector('desc')?.textContent?.trim(), 'a <desc> for screen readers');
      assert.ok(step.media.altText, 'altText in the manifest');
      assert.equal(doc.querySelectorAll('style, script, foreignObject, image').length, 0, 'no <style>, <script>, <foreignObject> or <image>');
      for (const element of Array.from(doc.querySelectorAll('*'))) {
        assert.equal(element.hasAttribute('style'), false, `<${element.tagName}> has a style attribute`);
        assert.equal(element.hasAttribute('class'), false, `<${element.tagName}> relies on a class`);
        for (const name of ['fill', 'stroke', 'color', 'stop-color']) {
          const value = element.getAttribute(name);
          if (value === null || value === 'none' || value.startsWith('url(#')) continue;
          assert.match(value, /^var\(--vscode-[\w-]+, (?:var\(--vscode-[\w-]+, )?#[0-9a-f]{6}\)?\)$/i, `<${element.tagName} ${name}="${value}">: use a theme variable with a fallback`);
        }
      }
      // Shapes and text with no fill of their own would be black: every one must inherit a themed fill.
      for (const shape of Array.from(doc.querySelectorAll('text, rect, path, circle'))) {
        let node: Element | null = shape;
        while (node && !node.hasAttribute('fill')) node = node.parentElement;
        assert.ok(node, `<${shape.tagName}> ${shape.textContent ?? ''} has no fill: it would render black`);
      }
    });
  }

  it('has a markdown page for the trade-off step with the comparison table to fill in', () => {
    const md = walkthrough?.steps.find((s) => s.id === 'trade-off')?.media.markdown;
    assert.ok(md);
    const text = readFileSync(join(root, md), 'utf8');
    assert.match(text, /^\| \| Copy-on-write \| Full copy \(eager\) \| Your scenario: CoW \| Your scenario: eager \|$/m);
    assert.match(text, /Compare with Full Copy/);
    // The memory side of the bet: ENOMEM against the OOM killer, and Redis's advice with the
    // kernel's accounting behind it.
    assert.match(text, /25-overcommit-oom\.cow/);
    assert.match(text, /`vm\.overcommit_memory = 1`/);
    assert.match(text, /__vm_enough_memory/);
    assert.match(text, /oom_badness/);
  });
});

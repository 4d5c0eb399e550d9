// The snippets a learner inserts must be scenarios that work: every story snippet checks clean
// and all its expectations hold (worked by hand in the snippet's notes), with its default names,
// with names of the learner's own, and for every choice it offers. The verb examples of hover
// run the same way.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, runScenario } from '../../../src/language';
import { EXAMPLE_PRELUDE, VERB_EXAMPLES } from '../../../src/features/model';

interface Snippet {
  readonly prefix: string | string[];
  readonly body: string | string[];
  readonly description: string;
}

const root = path.resolve(__dirname, '..', '..', '..');
const snippets = JSON.parse(fs.readFileSync(path.join(root, 'snippets', 'cow.json'), 'utf8')) as Record<string, Snippet>;

/** Every expansion of a snippet: one per combination of its choices; `rename` replaces name defaults. */
function expansions(body: string, rename: boolean): string[] {
  const choices = [...body.matchAll(/\$\{(\d+)\|([^|]*)\|\}/g)].map((m) => ({ index: m[1] ?? '', options: (m[2] ?? '').split(',') }));
  let combos: Record<string, string>[] = [{}];
  for (const choice of choices) combos = combos.flatMap((combo) => choice.options.map((option) => ({ ...combo, [choice.index]: option })));
  return combos.map((combo) =>
    body
      .replace(/\$\{(\d+)\|[^|]*\|\}/g, (_m, index: string) => combo[index] ?? '')
      .replace(/\$\{(\d+):([^}]*)\}/g, (_m, index: string, value: string) => (rename && /^[a-z][\w-]*$/.test(value) ? `n${index}` : value))
      .replace(/\$\{\d+\}|\$\d+/g, ''),
  );
}

const bodyOf = (s: Snippet) => (Array.isArray(s.body) ? s.body.join('\n') : s.body);
const isStory = (s: Snippet) => /^(process|mode) /.test(bodyOf(s));

describe('features: snippets', () => {
  it('has the common stories: fork then write, fork + exec, snapshot, vfork, shared vs private', () => {
    const prefixes = Object.values(snippets).flatMap((s) => (Array.isArray(s.prefix) ? s.prefix : [s.prefix]));
    for (const p of ['fork-write', 'fork-exec', 'snapshot', 'vfork', 'shared-private', 'zero-page', 'dontfork', 'eager']) assert.ok(prefixes.includes(p), p);
  });

  for (const [name, snippet] of Object.entries(snippets).filter(([, s]) => isStory(s))) {
    it(`story "${name}" checks clean and every expectation holds, whatever the names and choices`, () => {
      for (const rename of [false, true]) {
        for (const source of expansions(bodyOf(snippet), rename)) {
          const outcome = runScenario(source);
          assert.ok(outcome.ok, `${source}\n${outcome.ok ? '' : outcome.diagnostics.map((d) => `${d.range.line}: ${d.message}`).join('\n')}`);
          const failed = outcome.run.expectations.filter((e) => !e.passed);
          assert.deepEqual(failed.map((e) => `${e.line}: ${e.message}`), [], source);
        }
      }
    });
  }

  it('statement snippets fit into a scenario without a diagnostic', () => {
    const prelude = 'process parent\nparent: map heap 4 private\nparent: write heap[0..3] "x"\nparent: fork child\n';
    for (const [name, snippet] of Object.entries(snippets).filter(([, s]) => !isStory(s))) {
      for (const source of expansions(bodyOf(snippet), false)) {
        assert.deepEqual(analyze(prelude + source).diagnostics.map((d) => d.message), [], `${name}: ${source}`);
      }
    }
  });

  it('every verb example of the hover runs after its prelude, expectations holding', () => {
    for (const [verb, lines] of Object.entries(VERB_EXAMPLES)) {
      const outcome = runScenario(`${EXAMPLE_PRELUDE}${lines.join('\n')}\n`);
      assert.ok(outcome.ok, `${verb}: ${outcome.ok ? '' : outcome.diagnostics.map((d) => d.message).join('; ')}`);
      assert.ok(outcome.run.expectations.every((e) => e.passed), verb);
      assert.ok(lines.some((l) => l.includes(`: ${verb} `) || l.endsWith(`: ${verb}`)), `${verb}'s example uses it`);
    }
  });
});

// Every scenario in samples/ is clean, teaches with notes, and every expectation — worked by
// hand from docs/kernel-model.md, not copied from engine output — passes on the engine.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze, isAction, runScenario, runToJson, type Statement } from '../../../src/language';
import { contractProblems } from './contract';

const samplesDir = resolve(__dirname, '..', '..', '..', 'samples');
const samples = readdirSync(samplesDir).filter((f) => f.endsWith('.cow')).sort();

/**
 * Hand-worked expectations the engine does not meet yet, reported to the engine's owner with the
 * kernel reasoning. The test checks they still fail, so that once the engine is fixed it says
 * so: then delete the entry.
 */
/** Sample expectations the engine is known not to meet yet, with the kernel reason. None today. */
const KNOWN_ENGINE_DISAGREEMENTS: Readonly<Record<string, { readonly lines: readonly number[]; readonly reason: string }>> = {};

describe('samples', () => {
  it('ships at least 11 numbered scenarios covering the topics of issue 3', () => {
    assert.ok(samples.length >= 11, `${samples.length} samples`);
    for (const f of samples) assert.match(f, /^\d{2}-[a-z0-9-]+\.cow$/);
    const topics = ['first-fork', 'write-fault', 'page-granularity', 'shell-runs-ls', 'reuse-after-exit', 'shared-vs-private', 'zero-page', 'vfork', 'dontfork-wipeonfork', 'redis-snapshot', 'cow-mode', 'eager-mode'];
    for (const topic of topics) assert.ok(samples.some((f) => f.includes(topic)), `no sample about ${topic}`);
  });

  for (const file of samples) {
    describe(file, () => {
      const source = readFileSync(join(samplesDir, file), 'utf8');

      it('has no diagnostic, opens with a comment, and teaches with notes and expectations', () => {
        const analysis = analyze(source);
        assert.deepEqual(analysis.diagnostics.map((d) => `${d.range.line}: ${d.message}`), []);
        assert.ok(source.startsWith('# '), 'the first line says what the sample teaches');
        const kinds = analysis.program.statements.map((s) => s.kind);
        assert.ok(kinds.filter((k) => k === 'note').length >= 2, 'at least two notes');
        assert.ok(kinds.filter((k) => k === 'expect').length >= 3, 'at least three expectations');
      });

      it('passes every expectation', () => {
        const outcome = runScenario(source);
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.diagnostics.map((d) => d.message).join('\n'));
        const known = KNOWN_ENGINE_DISAGREEMENTS[file];
        const failed = outcome.run.expectations.filter((e) => !e.passed);
        const unexpected = failed.filter((e) => !known?.lines.includes(e.line));
        assert.deepEqual(unexpected.map((e) => `line ${e.line}: ${e.message}`), []);
        if (known !== undefined) {
          assert.deepEqual(
            failed.map((e) => e.line),
            known.lines,
            `the engine now meets some known disagreements of ${file} (${known.reason}): remove them from KNOWN_ENGINE_DISAGREEMENTS`,
          );
        }
        assert.ok(outcome.run.expectations.every((e) => !e.question), 'samples ask no questions');
      });

      it('gives --json output that meets the contract', () => {
        const outcome = runScenario(source);
        assert.ok(outcome.ok);
        assert.deepEqual(contractProblems(JSON.parse(JSON.stringify(runToJson(outcome.run)))), []);
      });
    });
  }

  it('runs the same operations in 11-cow-mode and 12-eager-mode, only the mode differs', () => {
    const operations = (file: string): string[] => {
      const source = readFileSync(join(samplesDir, file), 'utf8');
      const lines = source.split('\n');
      const { program } = analyze(source);
      return program.statements.filter((s: Statement) => isAction(s) || s.kind === 'process').map((s) => (lines[s.range.line - 1] ?? '').trim());
    };
    assert.ok(operations('11-cow-mode.cow').length >= 5);
    assert.deepEqual(operations('11-cow-mode.cow'), operations('12-eager-mode.cow'));
    assert.equal(analyze(readFileSync(join(samplesDir, '11-cow-mode.cow'), 'utf8')).policy, 'cow');
    assert.equal(analyze(readFileSync(join(samplesDir, '12-eager-mode.cow'), 'utf8')).policy, 'eager');
  });
});

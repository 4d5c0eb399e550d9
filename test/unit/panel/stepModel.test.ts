// What the host sends the panel for a step, checked against hand-worked states: the write fault
// of samples/02-write-fault.cow (worked in the sample's own header, from linux-cow.md), the
// same scenario on an eager full-copy machine, and a million-page region.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachinePanel, PteRow } from '../../../src/protocol/messages';
import { positionForLine, runForPanel } from '../../../src/panel/scenarioRun';
import { PanelModel, WINDOW_ROWS } from '../../../src/panel/stepModel';

const root = join(__dirname, '..', '..', '..');

function model(source: string): PanelModel {
  const attempt = runForPanel(source, 'test.cow', 7);
  assert.ok(attempt.ok, attempt.ok ? '' : attempt.problems.map((p) => p.message).join('; '));
  return new PanelModel(attempt.run);
}

function rowsOf(m: MachinePanel, process: string): readonly PteRow[] {
  return m.processes.find((p) => p.name === process)?.regions[0]?.window.rows ?? [];
}

const brief = (r: PteRow) => `${r.first}:${r.frame}:${r.writable ? 'W' : '-'}${r.cow ? 'C' : '-'}${r.changed ? '*' : ''}`;

describe('panel: the step the host sends', () => {
  const sample = readFileSync(join(root, 'samples', '02-write-fault.cow'), 'utf8');
  const writeLine = sample.split('\n').findIndex((l) => l.startsWith('child: write heap[1] "mine"')) + 1;

  it('at the child\'s write fault: the child\'s entry now maps a copy, the parent keeps the original', () => {
    const m = model(sample);
    const position = positionForLine(m.run, writeLine);
    assert.ok(position !== undefined);
    const view = m.stepView(position, false);
    assert.equal(view.kind, 'write-fault');
    assert.equal(view.statement, 'child: write heap[1] "mine"');
    assert.match(view.explanation, /do_wp_page/);
    const cow = view.machines[0] as MachinePanel;
    assert.deepEqual(rowsOf(cow, 'parent').map(brief), ['0:1:-C', '1:2:-C', '2:3:-C', '3:4:-C']);
    assert.deepEqual(rowsOf(cow, 'child').map(brief), ['0:1:-C', '1:5:W-*', '2:3:-C', '3:4:-C']);
    const frames = Object.fromEntries(cow.frames.map((f) => [f.frame, `${f.mapCount}:${f.owners.join('+')}:${f.change ?? ''}:${f.copiedFrom ?? ''}`]));
    assert.deepEqual(frames, { 1: '2:parent+child::', 2: '1:parent::', 3: '2:parent+child::', 4: '2:parent+child::', 5: '1:child:copied:2' });
    // frames 4 -> 5, copies 0 -> 1, faults 4 -> 5 (the sample's header).
    assert.deepEqual([view.stats.primary.frames, view.stats.primary.copies, view.stats.primary.faults], [5, 1, 5]);
    assert.match(view.narration, /Frames in use 4 → 5; copies 0 → 1 \(4 KiB copied\); faults 4 → 5\.$/);
  });

  it('beside it, a full copy: fork copied all four pages, the child\'s write took no fault', () => {
    const m = model(sample);
    const position = positionForLine(m.run, writeLine) as number;
    const view = m.stepView(position, true);
    assert.equal(view.machines.length, 2);
    const eager = view.machines[1] as MachinePanel;
    assert.equal(eager.policy, 'eager');
    assert.deepEqual(rowsOf(eager, 'parent').map(brief), ['0:1:W-', '1:2:W-', '2:3:W-', '3:4:W-']);
    assert.deepEqual(rowsOf(eager, 'child').map(brief), ['0:5:W-', '1:6:W-', '2:7:W-', '3:8:W-']);
    // The write changed no entry, only frame 6's contents.
    assert.deepEqual(eager.frames.filter((f) => f.change !== null).map((f) => [f.frame, f.change, f.value]), [[6, 'written', 'mine']]);
    assert.deepEqual([view.stats.comparison?.frames, view.stats.comparison?.copies, view.stats.comparison?.bytesCopied, view.stats.comparison?.faults], [8, 4, 16384, 4]);
  });

  it('at the fork, marks every entry of the parent (now write-protected) and the new child', () => {
    const m = model(sample);
    const fork = positionForLine(m.run, sample.split('\n').indexOf('parent: fork child') + 1) as number;
    const view = m.stepView(fork, false);
    const cow = view.machines[0] as MachinePanel;
    assert.equal(view.kind, 'fork');
    assert.deepEqual(rowsOf(cow, 'parent').map(brief), ['0:1:-C*', '1:2:-C*', '2:3:-C*', '3:4:-C*']);
    assert.equal(cow.processes.find((p) => p.name === 'child')?.isNew, true);
    assert.equal(cow.processes.find((p) => p.name === 'parent')?.isNew, false);
  });

  it('describes the scenario once: steps, kinds and both policies\' statistics over the timeline', () => {
    const m = model(sample);
    const scenario = m.scenarioView();
    assert.equal(scenario.runId, 7);
    assert.equal(scenario.policy, 'cow');
    assert.equal(scenario.comparisonPolicy, 'eager');
    assert.equal(scenario.steps.length, m.stepCount);
    assert.equal(scenario.series.primary[scenario.series.primary.length - 1]?.copies, 1);
    assert.equal(scenario.series.comparison?.[scenario.series.comparison.length - 1]?.copies, 4);
  });

  it('sends a window of a million-page region\'s rows, and any other window on request', () => {
    const lines = ['process p', 'p: map heap 1000000 private'];
    // 300 single pages written at even page numbers: pages 0..598 one row each, then one row for 599..999,999.
    for (let i = 0; i < 300; i++) lines.push(`p: write heap[${i * 2}] "v${i}"`);
    const m = model(`${lines.join('\n')}\n`);
    const view = m.stepView(m.stepCount - 1, false);
    const table = (view.machines[0] as MachinePanel).processes[0]?.regions[0];
    assert.equal(table?.rowCount, 600);
    assert.equal(table?.window.rows.length, WINDOW_ROWS);
    // The last write changed row 598 (page 598): the window moved to show it.
    assert.equal(table?.firstChangedRow, 598);
    assert.ok((table?.window.start ?? 0) <= 598 && 598 < (table?.window.start ?? 0) + WINDOW_ROWS);
    const reply = m.rowsWindow(m.stepCount - 1, 'primary', 'p', 'heap', 0, 3);
    assert.deepEqual(reply?.window.rows.map((r) => [r.first, r.last, r.frame]), [[0, 0, 1], [1, 1, null], [2, 2, 2]]);
    assert.deepEqual(reply?.frames.map((f) => [f.frame, f.value]), [[1, 'v0'], [2, 'v1']]);
    const last = m.rowsWindow(m.stepCount - 1, 'primary', 'p', 'heap', 599, 10);
    assert.deepEqual(last?.window.rows.map((r) => [r.first, r.last]), [[599, 999_999]]);
    assert.equal(m.rowsWindow(m.stepCount - 1, 'primary', 'nobody', 'heap', 0, 3), undefined);
  });
});

describe('panel: cursor to step', () => {
  it('maps a line to the statement on it, or to the last statement before it', () => {
    const m = model('process p\n\n# a comment\np: map heap 4\np: write heap[0]\n');
    assert.equal(positionForLine(m.run, 1), 0);
    assert.equal(positionForLine(m.run, 3), 0);
    assert.equal(positionForLine(m.run, 4), 1);
    assert.equal(positionForLine(m.run, 9), 2);
  });
});

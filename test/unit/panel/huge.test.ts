// What the panel shows of transparent huge pages, checked against the hand-worked states in the
// header of samples/26-huge-page-fork.cow: one row per PMD entry covering 512 pages, marked pmd,
// and the split the writer's PMD entry becomes (the 4 KiB copy between two runs of shared pages).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachinePanel, PteRow } from '../../../src/protocol/messages';
import { positionForLine, runForPanel } from '../../../src/panel/scenarioRun';
import { PanelModel } from '../../../src/panel/stepModel';
import { describeRow } from '../../../webview/words';

const SAMPLE = '26-huge-page-fork.cow';
const source = readFileSync(join(__dirname, '..', '..', '..', 'samples', SAMPLE), 'utf8');

function rowsAt(statement: string, process: string): readonly PteRow[] {
  const attempt = runForPanel(source, SAMPLE, 7);
  assert.ok(attempt.ok);
  const model = new PanelModel(attempt.run);
  const line = source.split('\n').findIndex((l) => l.startsWith(statement)) + 1;
  const position = positionForLine(model.run, line);
  assert.ok(line > 0 && position !== undefined);
  const m = model.stepView(position, false).machines[0] as MachinePanel;
  const rows = m.processes.find((p) => p.name === process)?.regions[0]?.window.rows;
  assert.ok(rows);
  return rows;
}

const shape = (r: PteRow): string => `${r.first}-${r.last}:${String(r.frame)}${r.pmd ? ' pmd' : ''}${r.writable ? ' w' : ''}`;

describe('panel: transparent huge pages', () => {
  it('after fork, each 2 MiB is one row marked pmd: frames 512–1023 and 1024–1535, write-protected', () => {
    const rows = rowsAt('redis: fork saver', 'saver');
    assert.deepEqual(rows.map(shape), ['0-511:512 pmd', '512-1023:1024 pmd']);
    assert.match(describeRow(rows[0] as PteRow), /one PMD entry maps all of these pages \(a 2 MiB transparent huge page\).*do_huge_pmd_wp_page/);
  });

  it('after redis writes heap[5], its first PMD entry is split: 0–4 (short, one row each) and 6–511 shared, 5 a copy in frame 1; the saver keeps its PMD entry', () => {
    assert.deepEqual(rowsAt('redis: write heap[5] "v2"', 'redis').map(shape), ['0-0:512', '1-1:513', '2-2:514', '3-3:515', '4-4:516', '5-5:1 w', '6-511:518', '512-1023:1024 pmd']);
    assert.deepEqual(rowsAt('redis: write heap[5] "v2"', 'saver').map(shape), ['0-511:512 pmd', '512-1023:1024 pmd']);
  });
});

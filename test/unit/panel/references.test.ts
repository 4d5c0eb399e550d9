// What the host sends the panel about references that are not mappings, checked against the
// hand-worked states in the headers of samples/21-vmsplice-today.cow (today's rules) and
// samples/20-vmsplice-kernel-4-19.cow (Linux 4.19's): the reference count beside the map count,
// the pipes and what reading them gives, and the exclusive mark (Linux 5.19 on).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameInfo, MachinePanel, PteRow } from '../../../src/protocol/messages';
import { positionForLine, runForPanel } from '../../../src/panel/scenarioRun';
import { PanelModel } from '../../../src/panel/stepModel';

const root = join(__dirname, '..', '..', '..');

function machineAt(sample: string, statement: string): MachinePanel {
  const source = readFileSync(join(root, 'samples', sample), 'utf8');
  const attempt = runForPanel(source, sample, 7);
  assert.ok(attempt.ok);
  const model = new PanelModel(attempt.run);
  const line = source.split('\n').findIndex((l) => l.startsWith(statement)) + 1;
  assert.ok(line > 0, `no line '${statement}' in ${sample}`);
  const position = positionForLine(model.run, line);
  assert.ok(position !== undefined);
  return model.stepView(position, false).machines[0] as MachinePanel;
}

function row(m: MachinePanel, process: string): PteRow {
  const r = m.processes.find((p) => p.name === process)?.regions[0]?.window.rows[0];
  assert.ok(r, `no row for ${process}`);
  return r;
}

function frame(m: MachinePanel, n: number): FrameInfo {
  const f = m.frames.find((x) => x.frame === n);
  assert.ok(f, `frame ${n} not listed`);
  return f;
}

describe('panel: references beyond mappings', () => {
  it('today: after the child vmsplices, frame 1 has 2 mappings and 3 references, held by pipe leak; fork cleared the mark', () => {
    const m = machineAt('21-vmsplice-today.cow', 'child: vmsplice heap[0] leak');
    const f = frame(m, 1);
    assert.deepEqual([f.mapCount, f.refCount, f.pipes, f.pins], [2, 3, ['leak'], undefined]);
    assert.deepEqual(m.pipes, [{ name: 'leak', pages: [{ frame: 1, value: 'secret v1' }] }]);
    assert.equal(row(m, 'parent').anonExclusive, undefined);
    assert.equal(row(m, 'child').anonExclusive, undefined);
  });

  it('today: the parent\'s write copies into frame 2 (marked exclusive); frame 1 is held by the pipe alone and reads "secret v1"', () => {
    const m = machineAt('21-vmsplice-today.cow', 'parent: write heap[0] "secret v2"');
    assert.equal(row(m, 'parent').frame, 2);
    assert.equal(row(m, 'parent').anonExclusive, true);
    const old = frame(m, 1);
    assert.deepEqual([old.mapCount, old.refCount, old.owners, old.pipes], [0, 1, [], ['leak']]);
    assert.deepEqual(m.pipes, [{ name: 'leak', pages: [{ frame: 1, value: 'secret v1' }] }]);
    // Frame 2 holds only the parent's mapping: no reference count beyond it is sent.
    assert.equal(frame(m, 2).refCount, undefined);
  });

  it('today: drain empties the pipe, and frame 1 is gone', () => {
    const m = machineAt('21-vmsplice-today.cow', 'parent: drain leak');
    assert.deepEqual(m.pipes, [{ name: 'leak', pages: [] }]);
    assert.ok(m.frames.every((f) => f.frame !== 1 || f.change === 'freed'));
  });

  it('Linux 4.19: the parent\'s write reuses frame 1 in place, so the pipe reads "secret v2" (the leak), and no page is ever marked', () => {
    const m = machineAt('20-vmsplice-kernel-4-19.cow', 'parent: write heap[0] "secret v2"');
    assert.equal(row(m, 'parent').frame, 1);
    assert.equal(row(m, 'parent').anonExclusive, undefined);
    const f = frame(m, 1);
    assert.deepEqual([f.mapCount, f.refCount, f.pipes], [1, 2, ['leak']]);
    assert.deepEqual(m.pipes, [{ name: 'leak', pages: [{ frame: 1, value: 'secret v2' }] }]);
  });

  it('a pin counts as a reference: the pinned page of samples/22 has 1 mapping and 2 references', () => {
    const m = machineAt('22-io-uring-pin.cow', 'server: pin buf[0]');
    const pinned = m.frames.find((f) => f.pins === 1);
    assert.ok(pinned);
    assert.deepEqual([pinned.mapCount, pinned.refCount, pinned.pipes], [1, 2, undefined]);
    assert.equal(m.pipes, undefined);
  });
});

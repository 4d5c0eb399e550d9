// `cow-lab measure` for real on this machine (Linux with a C compiler), and its refusals.
// Figures are not asserted beyond sanity (positive, finite, the fractions measured): how they
// compare is timing on a shared machine, which belongs in `npm run bench`, not in a test. (Its
// check that 100% written costs more than 50% failed once at load 18.)
import * as assert from 'node:assert/strict';
import { MemoryIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureMeasureBinary, MeasureUnavailable, measureUnsupported } from '../../../src/measure/run';
import { measurementProblem, type Measurement } from '../../../src/measure/summary';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = new MemoryIo();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('cow-lab measure', function () {
  this.timeout(180_000);

  it('usage errors exit 64', async () => {
    assert.equal((await cli('measure', '--mib', '0')).code, 64);
    assert.equal((await cli('measure', '--samples', 'x')).code, 64);
    assert.equal((await cli('measure', 'file.cow')).code, 64);
  });

  it('says why it cannot measure on another system', () => {
    assert.match(measureUnsupported('darwin') ?? '', /Linux.*darwin/);
    assert.equal(measureUnsupported('linux'), null);
  });

  it('a missing C compiler is reported as unavailable, with the reason', async function () {
    if (process.platform !== 'linux') this.skip();
    // A fresh root holding a copy of the source, so there is no binary built already.
    const root = mkdtempSync(join(tmpdir(), 'cow-lab-measure-'));
    mkdirSync(join(root, 'kernel'));
    copyFileSync(join(__dirname, '..', '..', '..', 'kernel', 'measure.c'), join(root, 'kernel', 'measure.c'));
    const saved = process.env['CC'];
    process.env['CC'] = '/nonexistent/cc-for-cow-lab-test';
    try {
      await assert.rejects(ensureMeasureBinary(root), (e: unknown) => e instanceof MeasureUnavailable && /no C compiler: '\/nonexistent/.test(e.message));
    } finally {
      if (saved === undefined) delete process.env['CC'];
      else process.env['CC'] = saved;
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('--json prints exactly the contract, with sane figures, and the spread on stderr', async function () {
    if (measureUnsupported() !== null) this.skip();
    const { code, out, err } = await cli('measure', '--mib', '8', '--samples', '3', '--json');
    assert.equal(code, 0, err);
    const m = JSON.parse(out) as Measurement;
    assert.equal(measurementProblem(m), null);
    assert.deepEqual(Object.keys(m), ['mib', 'pageSize', 'forkMs', 'cowFaultUs', 'anonFaultUs', 'copyGBs', 'fullCopyMs', 'curve', 'crossover']);
    assert.equal(m.mib, 8);
    assert.equal(m.pageSize, 4096);
    for (const k of ['forkMs', 'cowFaultUs', 'anonFaultUs', 'copyGBs', 'fullCopyMs'] as const) assert.ok(m[k] > 0 && Number.isFinite(m[k]), k);
    assert.deepEqual(m.curve.map((p) => p.fraction), [0, 0.01, 0.1, 0.25, 0.5, 0.75, 1]);
    for (const p of m.curve) assert.ok(p.cowMs > 0 && p.eagerMs > 0);
    assert.match(err, /3 samples per figure on CPU \d+, THP off; lowest\.\.highest: fork [\d.]+\.\.[\d.]+/);
  });
});

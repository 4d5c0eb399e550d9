// The time estimate where the learner sees it: the panel's time row and who pays (host side),
// the cost model switching to a measurement, and the Measure page's chart and filled table.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { DEFAULT_MODEL, modelFromMeasurement } from '../../../src/engine';
import { activeCostModel, setMeasuredModel } from '../../../src/measure-vscode/activeModel';
import { chartSvg, comparisonTableHtml, measurePageHtml, modelCurve } from '../../../src/measure-vscode/chart';
import type { MeasureReport } from '../../../src/measure/summary';
import { runForPanel } from '../../../src/panel/scenarioRun';
import { PanelModel } from '../../../src/panel/stepModel';

const SCENARIO = 'process a\na: map h 4 private\na: write h[0..3]\na: fork b\nb: write h[0]\nb: exit\n';

// The hand-worked measurement of cost.test.ts: trap 1500, zeroed page 500, copy 1000, fork
// 100,000, entry 388.671875, table page 500, unmap 250, bulk page 1000 (ns).
const REPORT: MeasureReport = {
  mib: 1, pageSize: 4096, forkMs: 0.2, cowFaultUs: 2.5, anonFaultUs: 2, copyGBs: 8.192, fullCopyMs: 0.256, forkBaseMs: 0.1, unmapUs: 0.25,
  curve: [
    { fraction: 0, cowMs: 0.2, eagerMs: 0.3 },
    { fraction: 0.5, cowMs: 0.5, eagerMs: 0.35 },
    { fraction: 1, cowMs: 0.9, eagerMs: 0.4 },
  ],
  crossover: 0.25, spread: { fork: { median: 0.2, min: 0.1, max: 0.4, samples: 3 } }, cpu: 1, thp: 'off-prctl', samples: 3, measuredAt: '2026-11-29T21:00:00.000Z',
};

function panelModel(): PanelModel {
  const attempt = runForPanel(SCENARIO, 't.cow', 1);
  assert.ok(attempt.ok);
  return new PanelModel(attempt.run);
}

describe('time in the panel and on the Measure page', () => {
  afterEach(() => setMeasuredModel(undefined));

  it('the panel row prices both policies with the measured model, and says who pays', () => {
    setMeasuredModel(REPORT);
    assert.deepEqual(activeCostModel().model, modelFromMeasurement(REPORT));
    assert.match(activeCostModel().source, /^measured on this machine 2026-11-29 \(1 MiB, median of 3\)$/);
    const m = panelModel();
    // Step 4 (position 4: process, map, write, fork, write) is b's write after the fork.
    const view = m.stepView(4, true);
    // Hand-worked (cost.test.ts's measured model): copy-on-write so far = 8000 (first writes)
    // + 102,054.6875 (fork) + 2500 (b's fault) = 112,554.6875 ns: "0.10 ms at fork + 5 faults
    // 0.01 ms ≈ 0.11 ms"; the full copy: 8000 + 106,054.6875 = 114,054.6875: "0.11 ms at fork + 4 faults ≈ 0.11 ms".
    assert.equal(view.time.row, 'copy-on-write 0.10 ms at fork + 5 faults 0.01 ms ≈ 0.11 ms; full copy 0.11 ms at fork + 4 faults 8.00 µs ≈ 0.11 ms');
    assert.equal(view.time.pays, 'b pays 2.50 µs now: 1 page fault, 1 of them copying a page.');
    assert.equal(view.stats.primary.timeNs, 112_554.6875);
    const fork = m.stepView(3, true);
    assert.match(fork.time.pays, /^a pays 0\.10 ms at fork \(4 entries copied, no page\); .*whoever writes one later pays its fault then\.$/);
  });

  it('without a measurement the row uses the defaults, and says so', () => {
    const view = panelModel().stepView(4, true);
    assert.equal(view.time.model, DEFAULT_MODEL.source);
    assert.match(view.time.row, /^copy-on-write .* ≈ .*; full copy .* ≈ /);
  });

  it('the comparison table says how far copy-on-write is best, with this machine\'s numbers', () => {
    const doc = new JSDOM(comparisonTableHtml(REPORT)).window.document;
    const row = (name: string): string[] => {
      const r = [...doc.querySelectorAll('tr')].find((tr) => tr.querySelector('th')?.textContent === name);
      return r ? Array.from(r.querySelectorAll('td'), (c) => c.textContent ?? '') : [];
    };
    assert.deepEqual(row('Best for'), ['up to 25% of pages written', 'more than 25% of pages written']);
    assert.deepEqual(row('Initial cost'), ['fork() 0.20 ms (page-table entries only)', '0.26 ms for all 1 MiB']);
    assert.match(row('Each page written later')[0] ?? '', /2\.50 µs, paid by the writer/);
  });

  it('the chart draws both curves through every point and marks the crossover', () => {
    const doc = new JSDOM(`<body>${chartSvg(REPORT.curve, REPORT.crossover)}</body>`).window.document;
    assert.equal(doc.querySelectorAll('polyline.series.cow').length, 1);
    assert.equal(doc.querySelector('polyline.series.cow')?.getAttribute('points')?.split(' ').length, 3);
    assert.equal(doc.querySelectorAll('circle.dot').length, 6);
    // x = 64 + 0.25 × (560 − 64 − 16) = 184
    assert.equal(doc.querySelector('line.crossover')?.getAttribute('x1'), '184');
    assert.match(doc.querySelector('.crossover-label')?.textContent ?? '', /full copy cheaper from 25%/);
    assert.match(doc.querySelector('svg')?.getAttribute('aria-label') ?? '', /they cross at 25%/);
    assert.equal(new JSDOM(`<body>${chartSvg(REPORT.curve, null)}</body>`).window.document.querySelector('line.crossover'), null);
  });

  it('the page has a strict CSP, no script, and falls back to the default model', () => {
    const html = measurePageHtml({ report: null, note: 'not Linux <here>', defaultModel: DEFAULT_MODEL.model, nonce: 'abc', cspSource: 'vscode-resource:' });
    assert.match(html, /default-src 'none'; style-src 'nonce-abc'/);
    assert.doesNotMatch(html, /<script/);
    assert.match(html, /not Linux &#60;here&#62;/);
    assert.match(html, /CoW Lab&#39;s default model \(not measured here\)/);
    // The default model's own curve: copy-on-write cheaper at 1%, the full copy at 100%.
    const curve = modelCurve(DEFAULT_MODEL.model);
    assert.ok((curve[1]?.cowMs ?? 0) < (curve[1]?.eagerMs ?? 0));
    assert.ok((curve[6]?.cowMs ?? 0) > (curve[6]?.eagerMs ?? 0));
  });
});

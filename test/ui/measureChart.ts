// Reads the "Measure on My Machine" page as a person can: the chart's dots (each says its figure
// in its tooltip, "50% written: 4.12 ms") and the page's table of every figure measured (the
// medians of the samples the command saved, "fork + 50% written | 4.12 ms | 3.98–4.30 ms"). The
// measure UI test checks the one against the other and the crossover against both, whatever this
// machine's timings are: no check here depends on which curve is cheaper.
import type { Frame } from 'playwright-core';

export interface PlottedPoint {
  readonly fraction: number;
  readonly cowMs: number;
  readonly eagerMs: number;
  /** The dots' heights on the chart (SVG y: larger is lower). */
  readonly cowY: number;
  readonly eagerY: number;
  readonly x: number;
}

/** "4.12 ms", "850 µs", "1.2 s", "0 ms" → milliseconds. */
export function toMs(text: string): number {
  const m = /(-?\d+(?:\.\d+)?) (ns|µs|ms|s)\b/.exec(text);
  if (!m) throw new Error(`no duration in "${text}"`);
  const scale = { ns: 1e-6, µs: 1e-3, ms: 1, s: 1e3 }[m[2] as 'ns' | 'µs' | 'ms' | 's'];
  return Number(m[1]) * scale;
}

/**
 * How far apart two printings of one figure may be: each is rounded to three significant digits
 * (or two decimals of a millisecond in the table), so half a unit of the last digit each.
 */
export function sameFigure(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.006 + 0.006 * Math.max(Math.abs(a), Math.abs(b));
}

async function dots(view: Frame, series: 'cow' | 'eager'): Promise<{ fraction: number; ms: number; x: number; y: number }[]> {
  return view.locator(`circle.dot.${series}`).evaluateAll((circles) =>
    circles.map((c) => ({ title: c.querySelector('title')?.textContent ?? '', x: Number(c.getAttribute('cx')), y: Number(c.getAttribute('cy')) })),
  ).then((read) => read.map(({ title, x, y }) => {
    const m = /^(\d+)% written: (.+)$/.exec(title);
    if (!m) throw new Error(`a ${series} dot's tooltip reads "${title}"`);
    return { fraction: Number(m[1]) / 100, ms: toMs(m[2] ?? ''), x, y };
  }));
}

/** Both curves' dots, paired by the fraction written. */
export async function plottedPoints(view: Frame): Promise<PlottedPoint[]> {
  const cow = await dots(view, 'cow');
  const eager = await dots(view, 'eager');
  return cow.map((c, i) => {
    const e = eager[i];
    if (!e || e.fraction !== c.fraction) throw new Error(`the curves' dots do not pair up at ${c.fraction}`);
    return { fraction: c.fraction, cowMs: c.ms, eagerMs: e.ms, cowY: c.y, eagerY: e.y, x: c.x };
  });
}

/** The medians of the page's "Every figure" table, by its row names ("fork + 50% written"). */
export async function tableMedians(view: Frame): Promise<Map<string, number>> {
  const rows = await view.locator('table.spread tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']));
  return new Map(rows.map(([name, median]) => [name ?? '', /GB\/s/.test(median ?? '') ? Number.parseFloat(median ?? '') : toMs(median ?? '')]));
}

/**
 * Where the full copy becomes cheaper, by the rule the page states (docs/time.md): the first
 * measured fraction where copy-on-write costs at least as much, interpolated linearly from the
 * fraction before it; 0 if it does with nothing written; null if it never does. `ambiguous`: a
 * difference that decides it is within the printing's rounding, so the printed figures cannot
 * tell which curve is cheaper there.
 */
export function expectedCrossover(points: readonly PlottedPoint[]): { at: number | null; ambiguous: boolean } {
  let prev: PlottedPoint | undefined;
  let ambiguous = false;
  for (const p of points) {
    const d = p.cowMs - p.eagerMs;
    if (sameFigure(p.cowMs, p.eagerMs)) ambiguous = true;
    if (d >= 0) {
      if (!prev) return { at: p.fraction, ambiguous };
      const d0 = prev.cowMs - prev.eagerMs;
      return { at: prev.fraction + ((p.fraction - prev.fraction) * -d0) / (d - d0), ambiguous };
    }
    prev = p;
  }
  return { at: null, ambiguous };
}

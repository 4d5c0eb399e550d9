// The figures of `kernel/measure.c`, read from its output lines and summarised: medians of the
// repeated samples, their spread, and the written fraction at which a full copy becomes cheaper.
// Pure: no Node APIs, so the extension host, the CLI and tests share it.
import type { MeasuredFigures } from '../engine/cost';

/** The written fractions the benchmark measures, in order. */
export const FRACTIONS: readonly number[] = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 1.0];

export interface CurvePoint {
  readonly fraction: number;
  /** fork(), then the child writes this fraction of the pages: median, ms. */
  readonly cowMs: number;
  /** A full private copy, then the same writes: median, ms. */
  readonly eagerMs: number;
}

/** The `cow-lab measure --json` contract, exactly: the cost model's figures, the curve, the crossover. */
export interface Measurement extends Omit<MeasuredFigures, 'forkBaseMs' | 'unmapUs'> {
  readonly curve: readonly CurvePoint[];
  readonly crossover: number | null;
}

/** Median, lowest and highest of one figure's samples. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

/** A measurement with what a reader needs to judge it: spreads, the CPU, how THP was turned off. */
export interface MeasureReport extends Measurement {
  /** fork() of the benchmark before its big region exists: the process itself (not in --json). */
  readonly forkBaseMs: number;
  /** munmap per touched page: zap_pte_range and freeing the page (not in --json). */
  readonly unmapUs: number;
  readonly spread: Readonly<Record<string, Spread>>;
  readonly cpu: number;
  readonly thp: string;
  readonly samples: number;
  /** When it was measured (ISO 8601). */
  readonly measuredAt: string;
}

/** Raw samples as the C program printed them, keyed by figure name ("fork", "cow 0.5", …). */
export class SampleSet {
  readonly values = new Map<string, number[]>();
  pageSize = 0;
  cpu = -1;
  thp = '';
  completedSamples = 0;
  error: string | null = null;
  done = false;

  /** Takes one output line; returns false for a line it does not understand. */
  add(line: string): boolean {
    const words = line.trim().split(/\s+/);
    const [name] = words;
    if (name === undefined || name === '') return true;
    if (name === 'error') {
      this.error = line.trim().slice(6);
      return true;
    }
    if (name === 'done') {
      this.done = true;
      return true;
    }
    if (name === 'thp') {
      this.thp = words[1] ?? '';
      return true;
    }
    const last = Number(words[words.length - 1]);
    if (words.length < 2 || !Number.isFinite(last)) return false;
    if (name === 'pageSize') this.pageSize = last;
    else if (name === 'cpu') this.cpu = last;
    else if (name === 'sample') this.completedSamples = last;
    else {
      const key = words.slice(0, -1).join(' ');
      const list = this.values.get(key) ?? [];
      list.push(last);
      this.values.set(key, list);
    }
    return true;
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function spreadOf(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), samples: values.length };
}

/**
 * The written fraction at which the full copy becomes cheaper: the first place the curves cross,
 * interpolated linearly between the two measured fractions around it. 0 when the full copy is
 * already cheaper with nothing written; null when copy-on-write is cheaper everywhere.
 */
export function crossover(curve: readonly CurvePoint[]): number | null {
  let prev: CurvePoint | undefined;
  for (const p of curve) {
    const d = p.cowMs - p.eagerMs;
    if (d >= 0) {
      if (!prev) return p.fraction;
      const d0 = prev.cowMs - prev.eagerMs;
      return prev.fraction + ((p.fraction - prev.fraction) * -d0) / (d - d0);
    }
    prev = p;
  }
  return null;
}

/** Medians, spreads and the crossover; throws when a figure is missing. */
export function summarise(set: SampleSet, mib: number, measuredAt: Date): MeasureReport {
  const spread: Record<string, Spread> = {};
  const med = (key: string): number => {
    const v = set.values.get(key);
    if (!v || v.length === 0) throw new Error(`the benchmark printed no '${key}' figure`);
    spread[key] = spreadOf(v);
    return spread[key].median;
  };
  const base = {
    forkMs: med('fork'),
    cowFaultUs: med('cowfault'),
    anonFaultUs: med('anonfault'),
    copyGBs: med('copy'),
    fullCopyMs: med('fullcopy'),
  };
  const forkBaseMs = med('forkbase');
  const unmapUs = med('unmap');
  const curve = FRACTIONS.map((f) => ({ fraction: f, cowMs: med(`cow ${f}`), eagerMs: med(`eager ${f}`) }));
  return {
    mib,
    pageSize: set.pageSize,
    ...base,
    curve,
    crossover: crossover(curve),
    forkBaseMs,
    unmapUs,
    spread,
    cpu: set.cpu,
    thp: set.thp,
    samples: set.completedSamples,
    measuredAt: measuredAt.toISOString(),
  };
}

/** Exactly the `--json` contract's fields, in its order. */
export function contractOf(m: Measurement): Measurement {
  return {
    mib: m.mib,
    pageSize: m.pageSize,
    forkMs: m.forkMs,
    cowFaultUs: m.cowFaultUs,
    anonFaultUs: m.anonFaultUs,
    copyGBs: m.copyGBs,
    fullCopyMs: m.fullCopyMs,
    curve: m.curve.map((p) => ({ fraction: p.fraction, cowMs: p.cowMs, eagerMs: p.eagerMs })),
    crossover: m.crossover,
  };
}

/** Checks that an unknown value (a file, stored state) is a Measurement; returns why not. */
export function measurementProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return 'not a JSON object';
  const o = value as Record<string, unknown>;
  for (const k of ['mib', 'pageSize', 'forkMs', 'cowFaultUs', 'anonFaultUs', 'copyGBs', 'fullCopyMs'] as const) {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `'${k}' must be a number ≥ 0`;
  }
  if ((o['pageSize'] as number) <= 0 || (o['copyGBs'] as number) <= 0) return `'pageSize' and 'copyGBs' must be > 0`;
  if (!Array.isArray(o['curve']) || o['curve'].length === 0 || o['curve'].length > 64) return `'curve' must be a list of 1 to 64 points`;
  for (const p of o['curve'] as unknown[]) {
    if (p === null || typeof p !== 'object') return `every curve point must be an object`;
    const q = p as Record<string, unknown>;
    for (const k of ['fraction', 'cowMs', 'eagerMs'] as const) {
      const v = q[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `curve point '${k}' must be a number ≥ 0`;
    }
    if ((q['fraction'] as number) > 1) return `curve point 'fraction' must be at most 1`;
  }
  const c = o['crossover'];
  if (c !== null && (typeof c !== 'number' || !Number.isFinite(c) || c < 0 || c > 1)) return `'crossover' must be null or a fraction 0..1`;
  return null;
}

// `cow-lab measure [--mib N] [--samples N] [--cpu N] [--json]`: what copy-on-write and a full
// copy cost in time on this machine, measured by a real C program (kernel/measure.c).
import { DEFAULT_MIB, DEFAULT_SAMPLES, measure, MeasureUnavailable } from '../measure/run';
import { contractOf, type MeasureReport } from '../measure/summary';
import type { Command } from './command';
import { parseCommandLine, UsageError } from './command';

type CommandExit = Awaited<ReturnType<Command['run']>>;

export const MEASURE_EXIT = {
  ok: 0,
  /** The benchmark ran but failed (a system call refused, a child died). */
  failed: 1,
  /** Not Linux, or no C compiler (EX_UNAVAILABLE). */
  unavailable: 69,
} as const;

function count(options: ReadonlyMap<string, string>, name: string, fallback: number, min: number, max: number): number {
  const text = options.get(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} needs a whole number from ${min} to ${max}, got '${text}'`);
  return n;
}

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const range = (r: MeasureReport, key: string, unit: string): string => {
  const s = r.spread[key];
  return s ? `${ms(s.median)} ${unit} (${ms(s.min)}–${ms(s.max)})` : '';
};

/** The human-readable report: medians with the range of the samples, the curve, the crossover. */
export function renderMeasurement(r: MeasureReport): string {
  const lines = [
    `Measured on CPU ${r.cpu}, ${r.mib} MiB resident, ${r.pageSize}-byte pages, transparent huge pages off (${r.thp === 'off-prctl' ? 'prctl PR_SET_THP_DISABLE' : 'madvise MADV_NOHUGEPAGE'}),`,
    `median of ${r.samples} samples (lowest–highest in brackets):`,
    `  fork()                          ${range(r, 'fork', 'ms')}`,
    `  fork() with nothing mapped      ${range(r, 'forkbase', 'ms')}`,
    `  one copy-on-write fault         ${range(r, 'cowfault', 'µs')}`,
    `  one first-touch fault           ${range(r, 'anonfault', 'µs')}`,
    `  munmap, per touched page        ${range(r, 'unmap', 'µs')}`,
    `  memcpy bandwidth                ${range(r, 'copy', 'GB/s')}`,
    `  full private copy of ${r.mib} MiB    ${range(r, 'fullcopy', 'ms')}`,
    '',
    '  written   fork + writes (copy-on-write)   full copy + writes',
  ];
  for (const p of r.curve) {
    lines.push(`  ${`${Math.round(p.fraction * 100)}%`.padStart(7)}   ${range(r, `cow ${p.fraction}`, 'ms').padEnd(30)}  ${range(r, `eager ${p.fraction}`, 'ms')}`);
  }
  lines.push('');
  lines.push(
    r.crossover === null
      ? 'Copy-on-write was cheaper at every written fraction measured.'
      : `The full copy becomes cheaper at about ${(r.crossover * 100).toFixed(0)}% of the pages written (interpolated between the measured fractions).`,
  );
  return `${lines.join('\n')}\n`;
}

/** One line per figure: the spread a reader of --json needs to judge the noise (on stderr). */
export function renderSpread(r: MeasureReport): string {
  const worst = Object.entries(r.spread)
    .map(([k, s]) => [k, s.median > 0 ? (s.max - s.min) / s.median : 0] as const)
    .sort((a, b) => b[1] - a[1])[0];
  const figures = Object.entries(r.spread).map(([k, s]) => `${k} ${ms(s.min)}..${ms(s.max)}`);
  return `cow-lab measure: ${r.samples} samples per figure on CPU ${r.cpu}, THP off; lowest..highest: ${figures.join(', ')}${worst ? `; widest: ${worst[0]} (${(worst[1] * 100).toFixed(0)}% of its median)` : ''}\n`;
}

export const measureCommand: Command = {
  name: 'measure',
  summary: 'measure fork, copy-on-write faults and a full copy on this machine (Linux, C compiler)',
  usage: 'cow-lab measure [--mib N] [--samples N] [--cpu N] [--json]',
  details: `Compiles kernel/measure.c with the system C compiler (cc, or $CC) and runs it pinned to
one CPU, with transparent huge pages off for the whole run (prctl PR_SET_THP_DISABLE, plus
MADV_NOHUGEPAGE on every mapping). A process with N MiB resident measures: its fork(); one
copy-on-write write fault; one first-touch fault; memcpy bandwidth; a full private copy of the
N MiB; and, for written fractions 0, 0.01, 0.1, 0.25, 0.5, 0.75 and 1, fork + the child writing
that fraction against a full copy + the same writes. Every figure is the median of the samples.
Options:
  --mib N       resident memory in MiB (default ${DEFAULT_MIB}; 1..16384)
  --samples N   samples per figure (default ${DEFAULT_SAMPLES}; 1..100)
  --cpu N       the CPU to pin to (default: the last one)
  --json        print exactly { "mib", "pageSize", "forkMs", "cowFaultUs", "anonFaultUs",
                "copyGBs", "fullCopyMs", "curve": [ { "fraction", "cowMs", "eagerMs" } … ],
                "crossover": fraction | null }; the samples' spread goes to standard error
"crossover" is the written fraction at which the full copy becomes cheaper, interpolated
between measured fractions (null: copy-on-write is cheaper everywhere).
Exit codes of measure:
  0   measured
  1   the benchmark failed (the reason is printed)
  64  usage error
  69  cannot measure here: not Linux, or no C compiler`,
  async run(args, io) {
    const { flags, options, files } = parseCommandLine(args, ['json'], ['mib', 'samples', 'cpu']);
    if (files.length > 0) throw new UsageError(`measure takes no FILE (got '${files[0] ?? ''}')`);
    const mib = count(options, 'mib', DEFAULT_MIB, 1, 16384);
    const samples = count(options, 'samples', DEFAULT_SAMPLES, 1, 100);
    const cpu = options.has('cpu') ? count(options, 'cpu', 0, 0, 1023) : undefined;
    const json = flags.has('json');
    let lastPercent = -1;
    try {
      const report = await measure({
        mib,
        samples,
        ...(cpu === undefined ? {} : { cpu }),
        onProgress: (done) => {
          const percent = Math.floor(done * 10) * 10;
          if (!json && percent !== lastPercent) io.stderr(`measuring… ${percent}%\r`);
          lastPercent = percent;
        },
      });
      if (json) {
        io.stdout(`${JSON.stringify(contractOf(report), null, 2)}\n`);
        io.stderr(renderSpread(report));
      } else {
        io.stderr('\n');
        io.stdout(renderMeasurement(report));
      }
      return MEASURE_EXIT.ok as CommandExit;
    } catch (e) {
      if (e instanceof MeasureUnavailable) {
        io.stderr(`cow-lab measure: cannot measure here: ${e.message}. Estimates use CoW Lab's default cost model.\n`);
        return MEASURE_EXIT.unavailable as number as CommandExit;
      }
      if (e instanceof Error && e.message.startsWith('the benchmark failed')) {
        io.stderr(`cow-lab measure: ${e.message}\n`);
        return MEASURE_EXIT.failed as CommandExit;
      }
      throw e;
    }
  },
};

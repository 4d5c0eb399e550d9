// `cow-lab cost FILE [--model MEASURE.json] [--json]`: the scenario's estimated time with
// copy-on-write and with a full copy, step by step, with the default or a measured cost model.
import { DEFAULT_MODEL, formatNs, modelFromMeasurement, type SourcedModel } from '../engine';
import { measurementProblem, type Measurement } from '../measure/summary';
import { scenarioTime, timeRow } from '../tutorial/scenarioTime';
import type { Command } from './command';
import { EXIT, parseCommandLine, UsageError } from './command';
import { readScenario, type CliIo } from './io';
import { formatDiagnostic } from './render';

type CommandExit = Awaited<ReturnType<Command['run']>>;

/** The model file is not a measurement (EX_DATAERR). */
export const COST_BAD_MODEL = 65;

function loadModel(io: CliIo, file: string | undefined): SourcedModel | string {
  if (file === undefined) return DEFAULT_MODEL;
  let value: unknown;
  try {
    value = JSON.parse(io.readFile(file));
  } catch (e) {
    return `cannot read the model ${file}: ${e instanceof Error ? e.message : String(e)}`;
  }
  const problem = measurementProblem(value);
  if (problem) return `${file} is not the output of 'cow-lab measure --json': ${problem}`;
  const m = value as Measurement;
  return { model: modelFromMeasurement(m), source: `measured: ${file} (${m.mib} MiB)` };
}

export const costCommand: Command = {
  name: 'cost',
  summary: "estimate a scenario's time with copy-on-write and with a full copy",
  usage: 'cow-lab cost FILE [--model MEASURE.json] [--json]',
  details: `Runs FILE twice, with copy-on-write and with a full (eager) copy at every fork, and
prices every step with a cost model: a page fault's trap, a zeroed page, a 4 KiB copy in a fault,
fork itself, each page-table entry and page-table page fork copies, each entry unmapped, and each
page the full copy copies in bulk. Prints the totals and, per statement, who pays and when.
Options:
  --model FILE   a model measured by 'cow-lab measure --json' (default: CoW Lab's defaults)
  --json         { "model": { "source", COSTS… }, "cow": TIME, "eager": TIME,
                   "steps": [ { "line", "cowNs", "eagerNs", "cowPays", "eagerPays" } ] }
                 where TIME is { "totalNs", "forkNs", "faultNs", "faults", "unmapNs" }
Exit codes of cost:
  0   estimated
  2   the scenario has errors
  64  usage error
  65  the --model file is not a measurement
  66  FILE cannot be read`,
  run(args, io) {
    const { flags, options, files } = parseCommandLine(args, ['json'], ['model']);
    if (files.length !== 1) throw new UsageError(files.length === 0 ? 'missing FILE' : 'cost takes one FILE');
    const file = files[0] ?? '';
    const sourced = loadModel(io, options.get('model'));
    if (typeof sourced === 'string') {
      io.stderr(`cow-lab cost: ${sourced}\n`);
      return COST_BAD_MODEL as number as CommandExit;
    }
    const read = readScenario(io, file);
    if (!read.ok) return read.exit;
    const t = scenarioTime(read.text, sourced.model);
    if (!t.ok) {
      for (const d of t.diagnostics) io.stderr(`${formatDiagnostic(file, d)}\n`);
      return EXIT.scenarioError;
    }
    if (flags.has('json')) {
      io.stdout(`${JSON.stringify({ model: { source: sourced.source, ...sourced.model }, cow: t.cow, eager: t.eager, steps: t.steps }, null, 2)}\n`);
      return EXIT.ok;
    }
    const lines = [`${file}: estimated time (${sourced.source})`, `  ${timeRow(t.cow, 'cow')}`, `  ${timeRow(t.eager, 'eager')}`, ''];
    lines.push('  line   copy-on-write   full copy   who pays (copy-on-write)');
    for (const s of t.steps) {
      lines.push(`  ${String(s.line).padStart(4)}   ${formatNs(s.cowNs).padStart(13)}   ${formatNs(s.eagerNs).padStart(9)}   ${s.cowPays}`);
    }
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT.ok;
  },
};

// `cow-lab run FILE [--json] [--no-tables]`: run a scenario on the engine and show each step
// with its explanation and the page tables — or print the exact `--json` object.
import { DEFAULT_LIMITS, jsonPageCount, runScenario, runToJson, splitLines } from '../language';
import type { Command } from './command';
import { parseCommandLine, UsageError } from './command';
import { EXIT } from './command';
import { formatDiagnostic, renderRun } from './render';
import { readScenario } from './io';

/** Page entries above which --json is printed without indentation. */
const COMPACT_ABOVE = 65_536;

export const runCommand: Command = {
  name: 'run',
  summary: 'run a scenario and show every step, its explanation and the page tables',
  usage: 'cow-lab run FILE [--json] [--no-tables]',
  details: `Runs FILE (- reads standard input) step by step on the copy-on-write engine.
Options:
  --json        print one JSON object instead of text:
                { "checkpoints": [ { "name", "line", "processes": { PROCESS: { REGION: [ { "frame", "writable" } ] } },
                                     "stats": { "frames", "copies", "reuses", "faults" } } ],
                  "expectations": [ { "line", "passed", "message" } ] }
                "frame" is a number (equal numbers = the same physical frame), "zero" (the shared
                zero page) or null (not present). A page of a huge region that one PMD entry
                maps adds "pmd": true (other pages have no "pmd" key). The last checkpoint is
                "end". Exited processes are absent.
  --no-tables   print the steps and explanations without the page tables
Output of more than 4,194,304 page entries is refused (exit 2); above 65,536 it is compact.
When the scenario has errors nothing is run: the errors go to standard error as
FILE:LINE:COL: error: MESSAGE and the exit code is 2 (with --json, standard output stays empty).`,
  run(args, io) {
    const { flags, files } = parseCommandLine(args, ['json', 'no-tables']);
    if (files.length !== 1) throw new UsageError(files.length === 0 ? 'missing FILE' : 'run takes one FILE');
    const file = files[0] ?? '';
    const read = readScenario(io, file);
    if (!read.ok) return read.exit;
    const outcome = runScenario(read.text);
    for (const d of outcome.ok ? outcome.analysis.diagnostics : outcome.diagnostics) io.stderr(`${formatDiagnostic(file, d)}\n`);
    if (!outcome.ok) return EXIT.scenarioError;
    const run = outcome.run;
    if (flags.has('json')) {
      const pages = jsonPageCount(run);
      if (pages > DEFAULT_LIMITS.maxJsonPages) {
        io.stderr(`${file}: error: --json would list ${pages} page entries; the limit is ${DEFAULT_LIMITS.maxJsonPages} — use smaller regions or fewer checkpoints\n`);
        return EXIT.scenarioError;
      }
      // Indented for people, compact when large (the same object either way).
      io.stdout(`${JSON.stringify(runToJson(run), null, pages > COMPACT_ABOVE ? undefined : 2)}\n`);
    }
    else io.stdout(renderRun(file, splitLines(read.text), run, { tables: !flags.has('no-tables') }));
    return run.expectations.some((e) => !e.passed) ? EXIT.expectationFailed : EXIT.ok;
  },
};

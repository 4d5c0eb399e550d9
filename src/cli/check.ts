// `cow-lab check FILE…`: parse and check without running; one `file:line:col: severity: message`
// line per problem (the format editors and CI problem matchers read), exit 2 on any error.
import { analyze, hasErrors } from '../language';
import type { Command } from './command';
import { parseCommandLine, UsageError } from './command';
import { EXIT, type ExitCode } from './command';
import { formatDiagnostic } from './render';
import { readScenario } from './io';

export const checkCommand: Command = {
  name: 'check',
  summary: 'check scenarios for errors without running them',
  usage: 'cow-lab check FILE...',
  details: `Parses and checks each FILE (- reads standard input) and prints one line per problem:
  FILE:LINE:COL: error|warning: MESSAGE
Lines and columns start at 1. Prints "FILE: ok" for a file without problems.
Exits 2 when any file has an error, 66 when a file cannot be read, 0 otherwise.`,
  run(args, io) {
    const { files } = parseCommandLine(args, []);
    if (files.length === 0) throw new UsageError('missing FILE');
    let exit: ExitCode = EXIT.ok;
    for (const file of files) {
      const read = readScenario(io, file);
      if (!read.ok) {
        exit = read.exit;
        continue;
      }
      const { diagnostics } = analyze(read.text);
      for (const d of diagnostics) io.stdout(`${formatDiagnostic(file, d)}\n`);
      if (diagnostics.length === 0) io.stdout(`${file}: ok\n`);
      if (hasErrors(diagnostics) && exit === EXIT.ok) exit = EXIT.scenarioError;
    }
    return exit;
  },
};

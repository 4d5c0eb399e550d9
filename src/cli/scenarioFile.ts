// Reading a scenario file for a command, with the exit code for a file that cannot be read.
import { EXIT } from './exitCodes';
import type { CliIo } from './io';

export type ReadOutcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly exit: typeof EXIT.noInput };

export function readScenario(io: CliIo, file: string): ReadOutcome {
  try {
    return { ok: true, text: io.readFile(file) };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    io.stderr(`cow-lab: cannot read ${file === '-' ? 'standard input' : file}: ${reason}\n`);
    return { ok: false, exit: EXIT.noInput };
  }
}

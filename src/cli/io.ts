// What a CLI command may touch of the outside world, passed in so that tests run a command
// with strings instead of files and a terminal, and see exactly what a user would see.
import { readFileSync } from 'node:fs';
import { EXIT } from './command';

export interface CliIo {
  /** Writes to standard output (the command's result). */
  stdout(text: string): void;
  /** Writes to standard error (diagnostics, usage, progress). */
  stderr(text: string): void;
  /** Reads a UTF-8 text file (`-` is standard input); throws with a readable message when it cannot. */
  readFile(path: string): string;
}

/** An IO that records everything, for tests and for callers that want the text. */
export class MemoryIo implements CliIo {
  out = '';
  err = '';

  constructor(private readonly files: Readonly<Record<string, string>> = {}) {}

  stdout(text: string): void {
    this.out += text;
  }

  stderr(text: string): void {
    this.err += text;
  }

  readFile(path: string): string {
    const text = this.files[path];
    if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return text;
  }
}

/** The real terminal and file system, for the `cow-lab` binary. */
export function nodeIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readFile: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
  };
}

export type ReadOutcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly exit: typeof EXIT.noInput };

/** Reads a scenario for a command; on failure says why on stderr and gives exit code 66. */
export function readScenario(io: CliIo, file: string): ReadOutcome {
  try {
    return { ok: true, text: io.readFile(file) };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    io.stderr(`cow-lab: cannot read ${file === '-' ? 'standard input' : file}: ${reason}\n`);
    return { ok: false, exit: EXIT.noInput };
  }
}

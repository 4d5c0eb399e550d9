// What a CLI command may touch of the outside world, passed in so that tests run a command
// with strings instead of files and a terminal, and see exactly what a user would see.

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

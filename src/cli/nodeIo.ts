// The real terminal and file system, for the `cow-lab` binary.
import { readFileSync } from 'node:fs';
import type { CliIo } from './io';

export function nodeIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readFile: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
  };
}

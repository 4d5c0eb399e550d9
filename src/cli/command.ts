// What a `cow-lab` subcommand is, and the exit codes every command shares. Adding a command is
// a new file exporting a Command plus one line in commands.ts; main.ts, `--help` and usage
// errors pick it up from there.
import { parseArgs } from 'node:util';
import { closest } from '../language';
import type { CliIo } from './io';

export interface Command {
  /** The word after `cow-lab`. */
  readonly name: string;
  /** One line for `cow-lab --help`. */
  readonly summary: string;
  /** `cow-lab NAME …` synopsis, options included. */
  readonly usage: string;
  /** Longer help for `cow-lab NAME --help`: options and what the output looks like. */
  readonly details: string;
  /**
   * Runs the command with the arguments after its name; resolves to the process exit code:
   * one of EXIT (below), or a code of the command's own documented in `details`.
   */
  run(args: readonly string[], io: CliIo): number | Promise<number>;
}

/** Thrown by a command for a bad command line; main prints it with the command's usage and exits 64. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  readonly flags: ReadonlySet<string>;
  readonly options: ReadonlyMap<string, string>;
  readonly files: readonly string[];
}

/**
 * Parses `--flag`, `--option VALUE` and positional FILE arguments (`-` is standard input);
 * anything else is a UsageError.
 */
export function parseCommandLine(args: readonly string[], flags: readonly string[], options: readonly string[] = []): ParsedArgs {
  const spec: Record<string, { type: 'boolean' | 'string' }> = {};
  for (const f of flags) spec[f] = { type: 'boolean' };
  for (const o of options) spec[o] = { type: 'string' };
  try {
    const parsed = parseArgs({ args: [...args], options: spec, allowPositionals: true, strict: true });
    const set = new Set<string>();
    const map = new Map<string, string>();
    for (const [key, value] of Object.entries(parsed.values)) {
      if (value === true) set.add(key);
      else if (typeof value === 'string') map.set(key, value);
    }
    return { flags: set, options: map, files: parsed.positionals };
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '') : String(e);
    const unknown = /Unknown option '--([^']+)'/.exec(message)?.[1];
    const guess = unknown === undefined ? undefined : closest(unknown, [...flags, ...options]);
    throw new UsageError(guess === undefined ? message : `${message} — did you mean '--${guess}'?`);
  }
}

// The exit codes of `cow-lab`, documented in `cow-lab --help` and the README. The usage and I/O
// codes follow BSD sysexits.h, so shell scripts and CI read them the usual way.
export const EXIT = {
  /** Everything ran and every expectation passed (questions never fail). */
  ok: 0,
  /** The scenario ran, but at least one `expect` failed. */
  expectationFailed: 1,
  /** The scenario has errors: syntax, checker, or a statement the engine refused. */
  scenarioError: 2,
  /** The command line is wrong (EX_USAGE). */
  usage: 64,
  /** The scenario file cannot be read (EX_NOINPUT). */
  noInput: 66,
  /** A bug in CoW Lab itself (EX_SOFTWARE). */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODE_HELP = `Exit codes:
  0   ok: every expectation passed (questions never fail)
  1   the scenario ran but an expectation failed
  2   the scenario has errors (syntax, checker, or refused by the engine)
  64  usage error (unknown command or option, missing FILE)
  66  FILE cannot be read
  70  internal error in CoW Lab (please report it)`;

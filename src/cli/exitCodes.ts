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

// `cow-lab verify FILE…`: play each scenario on the running Linux kernel and compare what the
// kernel did with what the engine says (see src/verify). Linux only.
import { DriverBuildError } from '../verify/driver';
import { renderReport } from '../verify/report';
import { kernelSupport, verifySource } from '../verify/verify';
import type { Command } from './command';
import { parseCommandLine, UsageError } from './command';

/** Whatever exit code type the command table uses; verify's own codes are documented below. */
type CommandExit = Awaited<ReturnType<Command['run']>>;

/** verify's exit codes: the common ones, plus its own (sysexits.h numbering where one fits). */
export const VERIFY_EXIT = {
  ok: 0,
  /** A scenario has errors: nothing to verify. */
  scenarioError: 2,
  /** FILE cannot be read (EX_NOINPUT). */
  noInput: 66,
  /** The kernel did something the engine does not (a table says what). */
  disagrees: 3,
  /** No kernel to check against: not Linux, no /proc/self/pagemap, or no C compiler (EX_UNAVAILABLE). */
  unavailable: 69,
} as const;

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'play scenarios on the real Linux kernel and compare it with the engine',
  usage: 'cow-lab verify FILE... [--cpu N]',
  details: `Runs each FILE on the engine, then plays it for real: one Linux process per scenario
process (real fork, vfork, exec of a fresh image, exit), one mmap per region, real reads and
writes, in scenario order. At every checkpoint (and at the end) each process reads
/proc/self/pagemap, and the sharing structure is compared with the engine's: which pages share
a frame, which are private, which map the zero page, which are absent. Every write is checked
for copy versus reuse, every access for whether it took a page fault (how a write-protected
entry shows), every read for the text it saw. Frame numbers need root; without it, pagemap
bit 56 (mapped exactly once) stands in for them.
Needs Linux with /proc/self/pagemap and a C compiler (cc, or $CC) to build kernel/driver.c.
Options:
  --cpu N   run every scenario process on the N-th CPU this process may use (default 0)
Exit codes of verify:
  0   the kernel agrees (or the scenario cannot be played, e.g. mode eager: said so)
  2   a scenario has errors
  66  FILE cannot be read
  3   the kernel disagrees with the engine: a side-by-side table shows where
  69  no kernel to check against (not Linux, no /proc/self/pagemap, no C compiler)`,
  async run(args, io) {
    const { options, files } = parseCommandLine(args, [], ['cpu']);
    if (files.length === 0) throw new UsageError('missing FILE');
    const cpuText = options.get('cpu') ?? '0';
    const cpu = Number(cpuText);
    if (!Number.isInteger(cpu) || cpu < 0) throw new UsageError(`--cpu needs a CPU number, got '${cpuText}'`);
    const support = kernelSupport();
    if (!support.ok) {
      io.stderr(`cow-lab verify: ${support.reason}. Nothing was checked.\n`);
      return VERIFY_EXIT.unavailable as number as CommandExit;
    }
    let exit: number = VERIFY_EXIT.ok;
    for (const file of files) {
      let text: string;
      try {
        text = io.readFile(file);
      } catch (e) {
        io.stderr(`cow-lab: cannot read ${file === '-' ? 'standard input' : file}: ${e instanceof Error ? e.message : String(e)}\n`);
        exit = VERIFY_EXIT.noInput;
        continue;
      }
      try {
        const report = await verifySource(text, { cpu });
        io.stdout(renderReport(file, report));
        if (report.verdict === 'invalid' && exit === VERIFY_EXIT.ok) exit = VERIFY_EXIT.scenarioError;
        if (report.verdict === 'disagrees' && (exit === VERIFY_EXIT.ok || exit === VERIFY_EXIT.scenarioError)) exit = VERIFY_EXIT.disagrees;
      } catch (e) {
        if (!(e instanceof DriverBuildError)) throw e;
        io.stderr(`cow-lab verify: cannot build the kernel driver: ${e.message}\n`);
        return VERIFY_EXIT.unavailable as number as CommandExit;
      }
    }
    return exit as CommandExit;
  },
};

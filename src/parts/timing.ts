// Where activation's time goes, for `npm run bench:activation` (bench/activation.ts): VS Code's
// own figure (Running Extensions) covers loading the entry bundle and the synchronous activate()
// call; what the entry's shell defers (src/parts/shell.ts), the stages that follow and the parts
// loaded after them are not in it. This records all of them with performance.now();
// src/parts/stages.ts writes them, on request, to a file in the workspace — the command is
// registered once the stages have run, and contributed only by the bench's manifest, so a learner
// never sees it. Nothing is logged or shown. No `vscode` here: the bench imports this file.

/** Internal: writes ActivationTimes to `.cow-lab-activation.json` in the first workspace folder. */
export const ACTIVATION_REPORT = 'cowLab.bench.writeActivationTimes';
export const ACTIVATION_REPORT_FILE = '.cow-lab-activation.json';

/** The shell's times (src/parts/shell.ts), in ms; `startedAt` is performance.now() at its activate(). */
export interface EntryTimes {
  readonly startedAt: number;
  /** The activate() VS Code calls and times: it only schedules the next task. */
  readonly activateCall: number;
  /** The first `require('vscode')`: the host builds CoW Lab's API object. */
  readonly vscodeApi: number;
  /** Evaluating the bundle: every module's top level. */
  readonly evaluation: number;
}

/** In ms, from performance.now(). */
export interface ActivationTimes extends Omit<EntryTimes, 'startedAt'> {
  /** The bundle's activate(), until it returned (it schedules the stages). */
  readonly bundleActivate: number;
  /** Each stage's own run, in order. */
  readonly stages: readonly number[];
  /** From the shell's activate() until the last stage had run (all of the above plus the waits between tasks). */
  readonly settled: number;
  /** Each part loaded so far: reading its file and compiling its text, then evaluating it. */
  readonly parts: Readonly<Record<string, { readonly read: number; readonly evaluation: number }>>;
}

/** The shell's times where there is no shell (the bundle's activate() called directly): unmeasured. */
export function unmeasured(): EntryTimes {
  return { startedAt: performance.now(), activateCall: NaN, vscodeApi: NaN, evaluation: NaN };
}

const parts: Record<string, { read: number; evaluation: number }> = {};

/** The loader's record of a part it read and evaluated (src/parts/loader.ts). */
export function partLoaded(name: string, read: number, evaluation: number): void {
  parts[name] = { read, evaluation };
}

/** The report: the activation's times, with the parts loaded so far. */
export function activationReport(times: Omit<ActivationTimes, 'parts'>): ActivationTimes {
  return { ...times, parts: { ...parts } };
}

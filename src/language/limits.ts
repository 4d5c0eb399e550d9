// The documented size limits of a scenario. Going beyond one is a diagnostic, never a crash,
// a hang or a request to the engine for gigabytes. Engine limits are re-used, not restated.
import { MAX_PROCESSES, MAX_REGION_PAGES, MAX_VALUE_LENGTH, PAGE_SIZE } from '../engine/types';

export interface Limits {
  /** Largest region, in pages (the engine's MAX_REGION_PAGES: 16 GiB of 4 KiB pages). */
  readonly maxRegionPages: number;
  /** Longest value written to a page, in characters (the engine's MAX_VALUE_LENGTH). */
  readonly maxValueLength: number;
  /** Most processes one scenario may create, exited ones included (the engine's MAX_PROCESSES). */
  readonly maxProcesses: number;
  /** Most statements in one scenario (each one is a step of the timeline). */
  readonly maxStatements: number;
  /** Longest process, region or checkpoint name, in characters. */
  readonly maxNameLength: number;
  /** Longest note or checkpoint text, in characters. */
  readonly maxTextLength: number;
  /** Longest source line, in characters; longer lines are reported and not parsed. */
  readonly maxLineLength: number;
  /** Most page entries `run --json` lists over all its checkpoints (one 16 GiB region, once). */
  readonly maxJsonPages: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxRegionPages: MAX_REGION_PAGES,
  maxValueLength: MAX_VALUE_LENGTH,
  maxProcesses: MAX_PROCESSES,
  maxStatements: 100_000,
  maxNameLength: 64,
  maxTextLength: 1_000,
  maxLineLength: 4_000,
  maxJsonPages: MAX_REGION_PAGES,
};

export { PAGE_SIZE };

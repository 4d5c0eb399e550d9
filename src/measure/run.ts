// Runs kernel/measure.c on this machine: compiles it with the system C compiler (once per
// source version, as the kernel check's driver is: compileCached), runs it on one CPU, reads its
// figures as they come, and summarises them. Linux only; cancellable with an AbortSignal.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { compileCached, DriverBuildError, findProjectRoot } from '../verify/driver';
import { FRACTIONS, SampleSet, summarise, type MeasureReport } from './summary';

export const MEASURE_SOURCE = join('kernel', 'measure.c');
export const DEFAULT_MIB = 256;
export const DEFAULT_SAMPLES = 5;
/** Figures one sample prints: fork, cowfault, anonfault, copy, fullcopy and two per fraction. */
export const FIGURES_PER_SAMPLE = 5 + 2 * FRACTIONS.length;

/** The benchmark cannot run here (not Linux, no C compiler): the CLI exits 69 with `message`. */
export class MeasureUnavailable extends Error {
  override readonly name = 'MeasureUnavailable';
}

export class MeasureCancelled extends Error {
  override readonly name = 'MeasureCancelled';
}

export interface MeasureOptions {
  readonly mib?: number;
  readonly samples?: number;
  /** The CPU to pin to; default: the last CPU, which the desktop and VS Code use least. */
  readonly cpu?: number;
  readonly signal?: AbortSignal;
  /** Called after every figure with how many of all the figures are done (0..1). */
  readonly onProgress?: (done: number, line: string) => void;
  /** Project root holding kernel/measure.c (default: found above this file). */
  readonly root?: string;
}

/** Why this machine cannot run the benchmark, or null when it can try. */
export function measureUnsupported(platform: string = process.platform): string | null {
  if (platform !== 'linux') return `the benchmark measures Linux's fork and page faults; this is ${platform}`;
  return null;
}

/** Compiles kernel/measure.c into dist/kernel (or the temp folder), once per source version. */
export async function ensureMeasureBinary(root: string | undefined = findProjectRoot()): Promise<string> {
  if (!root || !existsSync(join(root, MEASURE_SOURCE))) throw new MeasureUnavailable(`cannot find ${MEASURE_SOURCE} (CoW Lab is not installed completely)`);
  try {
    return await compileCached(root, MEASURE_SOURCE, 'cow-lab-measure');
  } catch (e) {
    throw e instanceof DriverBuildError ? new MeasureUnavailable(e.message) : e;
  }
}

/** The last CPU: the one an idle desktop and VS Code's own processes use least. */
function lastCpu(): number {
  return Math.max(0, availableParallelism() - 1);
}

export async function measure(options: MeasureOptions = {}): Promise<MeasureReport> {
  const unsupported = measureUnsupported();
  if (unsupported) throw new MeasureUnavailable(unsupported);
  const mib = options.mib ?? DEFAULT_MIB;
  const samples = options.samples ?? DEFAULT_SAMPLES;
  const cpu = options.cpu ?? lastCpu();
  const binary = await ensureMeasureBinary(options.root ?? findProjectRoot());
  if (options.signal?.aborted) throw new MeasureCancelled('cancelled');
  const set = new SampleSet();
  const total = samples * FIGURES_PER_SAMPLE;
  let figures = 0;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(binary, [String(mib), String(samples), String(cpu)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    let stderr = '';
    const onAbort = (): void => void child.kill('SIGTERM');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        set.add(line);
        if (/^(fork|cowfault|anonfault|copy|fullcopy|cow|eager) /.test(line)) {
          figures++;
          options.onProgress?.(figures / total, line);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => void (stderr += chunk));
    child.on('error', (e) => reject(new MeasureUnavailable(`cannot run the benchmark: ${e.message}`)));
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) return reject(new MeasureCancelled('cancelled'));
      if (code === 0 && set.done) return resolve();
      const why = set.error ?? (stderr.trim() || (signal ? `killed by ${signal}` : `exit status ${String(code)}`));
      reject(new Error(`the benchmark failed: ${why}`));
    });
  });
  return summarise(set, mib, new Date());
}

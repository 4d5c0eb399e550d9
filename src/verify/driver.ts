// Finds kernel/driver.c and compiles it with the system C compiler into a cache folder, once per
// source version (compileCached: kernel/measure.c is built the same way). The binary is never
// committed: it is built where the check runs.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const DRIVER_SOURCE = join('kernel', 'driver.c');
export const CC_FLAGS = ['-O2', '-Wall', '-Wextra', '-Werror'];

/** The folder that holds kernel/driver.c: the repository root, or an installed extension's root. */
export function findProjectRoot(from: string = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, DRIVER_SOURCE))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

export class DriverBuildError extends Error {
  override readonly name = 'DriverBuildError';
  /** No C compiler could be started at all (as opposed to a compile error). */
  readonly missingCompiler: boolean;

  constructor(message: string, missingCompiler = false) {
    super(message);
    this.missingCompiler = missingCompiler;
  }
}

const building = new Map<string, Promise<string>>();

/**
 * The path of a compiled driver for the current kernel/driver.c, building it if needed.
 * The binary's name carries a hash of the source, so an edited driver is rebuilt and
 * concurrent runs never see a half-written file (it is compiled aside, then renamed).
 */
export function ensureDriver(root: string | undefined = findProjectRoot()): Promise<string> {
  if (!root) return Promise.reject(new DriverBuildError(`cannot find ${DRIVER_SOURCE} above ${__dirname}`));
  return compileCached(root, DRIVER_SOURCE, 'cow-lab-driver');
}

/**
 * The path of `relative` (a C file under `root`) compiled into the cache folder as
 * `<name>-<hash of source and flags>`, building it if needed; one build at a time per source
 * version. A failed build is forgotten, so a retry (after installing a compiler) builds again.
 */
export function compileCached(root: string, relative: string, name: string): Promise<string> {
  const source = join(root, relative);
  const hash = createHash('sha256').update(readFileSync(source)).update(CC_FLAGS.join(' ')).digest('hex').slice(0, 12);
  const key = `${root}:${relative}:${hash}`;
  let pending = building.get(key);
  if (!pending) {
    pending = build(source, join(cacheDir(root), `${name}-${hash}`));
    building.set(key, pending);
    pending.catch(() => building.delete(key));
  }
  return pending;
}

/** dist/kernel under the project (git-ignored), or the temp folder when that is read-only. */
function cacheDir(root: string): string {
  for (const dir of [join(root, 'dist', 'kernel'), join(tmpdir(), 'cow-lab-driver')]) {
    try {
      mkdirSync(dir, { recursive: true });
      return dir;
    } catch {
      // try the next one
    }
  }
  return tmpdir();
}

async function build(source: string, binary: string): Promise<string> {
  if (existsSync(binary)) return binary;
  const partial = `${binary}.${process.pid}.partial`;
  const cc = process.env['CC'] || 'cc';
  await new Promise<void>((resolve, reject) => {
    execFile(cc, [...CC_FLAGS, '-o', partial, source], { timeout: 120_000 }, (error, _stdout, stderr) => {
      if (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        reject(new DriverBuildError(missing ? `no C compiler: '${cc}' was not found (install gcc or clang, or set CC)` : `${cc} ${CC_FLAGS.join(' ')} ${source} failed: ${stderr.trim() || error.message}`, missing));
      } else {
        resolve();
      }
    });
  });
  try {
    renameSync(partial, binary);
  } catch (e) {
    if (!existsSync(binary)) throw e;
    unlinkSync(partial);
  }
  return binary;
}

// Building the kernel driver: a machine without a C compiler is told so (the kernel layer then
// reports `skipped: no C compiler…` instead of failing or passing silently).
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriverBuildError, ensureDriver } from '../../../src/verify/driver';
import { repoRoot } from '../static/paths';

describe('verify: building the driver', () => {
  let root: string;
  const savedCc = process.env['CC'];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cow-lab-driver-'));
    mkdirSync(join(root, 'kernel'));
    copyFileSync(join(repoRoot, 'kernel', 'driver.c'), join(root, 'kernel', 'driver.c'));
  });
  afterEach(() => {
    if (savedCc === undefined) delete process.env['CC'];
    else process.env['CC'] = savedCc;
    rmSync(root, { recursive: true, force: true });
  });

  it('says there is no C compiler when none can be started', async () => {
    process.env['CC'] = join(root, 'no-such-cc');
    await assert.rejects(ensureDriver(root), (e: unknown) => e instanceof DriverBuildError && e.missingCompiler && /no C compiler/.test(e.message));
  });

  it('tells a compile error apart from a missing compiler', async () => {
    process.env['CC'] = 'false'; // a "compiler" that starts and fails
    await assert.rejects(ensureDriver(root), (e: unknown) => e instanceof DriverBuildError && !e.missingCompiler);
  });
});

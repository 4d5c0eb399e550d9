// Records what the kernel driver answered for a scenario, so the comparer can be unit-tested
// without a kernel (test/unit/verify/recorded.test.ts). Not part of npm test.
//
//   tsx test/conformance/record.ts SCENARIO.cow OUT.json [--nobody]
//
// --nobody plays it as uid/gid 65534 (root only): frame numbers hidden, pagemap bit 56 only.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { ensureDriver } from '../../src/verify/driver';
import { engineTrace } from '../../src/verify/engine-side';
import { planCommands, planScenario } from '../../src/verify/plan';
import { runSession } from '../../src/verify/session';

async function main(): Promise<number> {
  const [file, out] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!file || !out) {
    console.error('usage: tsx test/conformance/record.ts SCENARIO.cow OUT.json [--nobody]');
    return 64;
  }
  const nobody = process.argv.includes('--nobody');
  const source = readFileSync(file, 'utf8');
  const engine = engineTrace(source);
  if (!engine.runnable) throw new Error(`${file} has errors`);
  const plan = planScenario(engine.program, source);
  if (plan.unplayable !== undefined) throw new Error(`${file} cannot be played: ${plan.unplayable}`);
  const session = await runSession(await ensureDriver(), planCommands(plan), { cpu: 0, ...(nobody ? { user: { uid: 65534, gid: 65534 } } : {}) });
  const record = {
    scenario: file,
    source,
    recorded: new Date().toISOString().slice(0, 10),
    kernel: execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim(),
    user: nobody ? 'nobody' : 'root',
    session: { hello: session.hello, replies: session.replies, ...(session.fatal !== undefined ? { fatal: session.fatal } : {}) },
  };
  writeFileSync(out, `${JSON.stringify(record, null, 1)}\n`);
  console.log(`${out}: ${session.replies.length} replies, zero page: ${session.hello.zeroPage}, frames visible: ${session.hello.framesVisible}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

// `npm run bench`: prints the engine's speed and memory figures beside the real kernel's.
// Figures, not assertions: these machines are noisy, so nothing here fails a build.

import { benchBundles } from './bundles';
import { benchFork } from './fork';
import { benchHistory } from './history';
import { benchTyping } from './typing';
import { load } from './measure';

async function main(): Promise<void> {
  console.log(`CoW Lab engine benchmark — node ${process.version}, ${process.platform}/${process.arch}, load average ${load()} (1/5/15 min)`);
  // History first: its read-back latencies are the most sensitive to a heap that other
  // benchmarks (a 1 GiB fill) have left behind.
  // `npm run bench -- typing` (or history, fork, bundles) runs one section.
  const only = process.argv[2];
  if (!only || only === 'history') await benchHistory();
  if (!only || only === 'fork') await benchFork();
  if (!only || only === 'typing') await benchTyping();
  if (!only || only === 'bundles') await benchBundles();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

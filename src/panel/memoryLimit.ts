// The `memory N` line of the panel's cost section: frames in use out of the machine's, the OOM
// killer's victims so far, and — when the full copy's replay stopped at a fork that did not
// fit — where and why it failed with ENOMEM.
import { thousands, type Machine } from '../engine';
import type { ScenarioRun } from './scenarioRun';

export function memoryLimitLine(run: ScenarioRun, position: number, after: Machine): string | undefined {
  const memory = after.memory;
  if (memory === undefined) return undefined;
  const s = after.stats;
  const parts = [`Memory: ${thousands(s.frames)} of ${thousands(memory)} frames in use (peak ${thousands(s.peakFrames)}), no swap`];
  const kills = after.oomKills();
  if (kills.length > 0) parts.push(`OOM killer: ${kills.map((k) => `${k.victim} killed (${thousands(k.candidates.find((c) => c.process === k.victim)?.points ?? 0)} points)`).join(', ')}`);
  if (s.failedForks > 0) parts.push(`${thousands(s.failedForks)} fork${s.failedForks === 1 ? '' : 's'} failed with ENOMEM`);
  const stop = run.comparison.stoppedAt;
  if (stop !== null && position >= stop.position) {
    const failed = run.comparison.events[stop.position]?.find((e) => e.kind === 'fork-failed');
    if (failed && failed.kind === 'fork-failed') {
      const line = run.steps[stop.position]?.range.line ?? 0;
      parts.push(`Full copy: fork failed with ENOMEM on line ${line}, needing ${thousands(failed.needed)} free frames with ${thousands(failed.free)} free, so it has no columns here`);
    }
  }
  return `${parts.join(' · ')}.`;
}

// Checks on the `memory N` header: a size the engine cannot model is an error; a machine so
// large that no fault of this scenario can run out of frames gets a hint, since then the header
// changes nothing.
import { MAX_FRAMES, thousands } from '../engine';
import type { Program } from './ast';
import { describeBytes } from './sizes';
import type { Diagnostic } from './source';

export function checkMemory(program: Program): Diagnostic[] {
  const m = program.memory;
  if (m === undefined) return [];
  if (m.frames > MAX_FRAMES) {
    return [
      {
        range: m.size,
        severity: 'error',
        message: `the engine models at most ${thousands(MAX_FRAMES)} frames (${describeBytes(MAX_FRAMES)}) of memory; this asks for ${thousands(m.frames)}`,
        source: 'checker',
        code: 'too-large',
      },
    ];
  }
  // An upper bound on the frames the scenario can ever use: every page of every region, each
  // fork at most doubling what exists (a child maps at most what all processes map).
  let bound = 0;
  for (const s of program.statements) {
    if (s.kind === 'map') bound += s.pages;
    if (s.kind === 'fork') bound *= 2;
  }
  if (bound > 0 && bound <= m.frames) {
    return [
      {
        range: m.size,
        severity: 'info',
        message: `${thousands(m.frames)} frames (${describeBytes(m.frames)}) never run out here: the regions of this scenario and their copies fill at most ${thousands(bound)}, so no fork fails and no process is killed`,
        source: 'checker',
        code: 'too-large',
      },
    ];
  }
  return [];
}

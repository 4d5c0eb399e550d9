// The panel's memory section for one machine: RSS, PSS and USS per live process with the sentence
// that says why they differ, and the RES column added up against the frames in use. Pure: no
// `vscode`; the figures come from src/engine/memory.ts.
import { memoryOf, memorySummary, pssText, ratioToNumber, whyFiguresDiffer, type Machine } from '../engine';
import type { MemoryPanelView } from '../protocol/messages';

export function memoryPanelView(m: Machine): MemoryPanelView {
  const all = memoryOf(m);
  // Colours index the creation order of every process, as the page tables do.
  const colour = new Map(m.processes().map((p, i) => [p.name, i]));
  let pssSum = 0;
  let ussSum = 0;
  const processes = all.processes.map((p) => {
    if (p.borrowsFrom === null) {
      pssSum += ratioToNumber(p.pss);
      ussSum += p.uss;
    }
    return {
      name: p.process,
      colour: colour.get(p.process) ?? 0,
      rss: p.rss,
      pss: ratioToNumber(p.pss),
      pssText: pssText(p.pss),
      uss: p.uss,
      borrowsFrom: p.borrowsFrom,
      why: whyFiguresDiffer(p),
    };
  });
  return { processes, rssSum: all.rssSum, pssSum: Math.round(pssSum * 1e6) / 1e6, ussSum, frames: all.frames, shmemFrames: all.shmemFrames, summary: memorySummary(all) };
}

// The CoW Lab engine: a pure TypeScript model of Linux paging with copy-on-write.
// No `vscode`, no Node APIs: it runs in unit tests, the CLI, the extension host and a webview alike.

export * from './types';
export { apply, applyInSlices, allSlices, SLICE_PAGES } from './apply';
export type { StepOutcome } from './apply';
export { Machine, createMachine, regionPtes } from './machine';
export { TODAY, formatKernel, parseKernel, reuseRule, atLeast as kernelAtLeast } from './kernel';
export type { KernelVersion, ReuseRule } from './kernel';
export { Timeline, SNAPSHOT_EVERY } from './timeline';
export type { EntryVisitor, PteFlags } from './scan';
export { bytes as formatBytes, plural, thousands } from './explain';
export * from './cost';
export { memoryOf, processMemory } from './memory';
export type { MachineMemory, ProcessMemory, Sharer } from './memory';
export { addRatio, compareRatio, isTerminating, parseDecimal, ratio, ratioToDecimal, ratioToFraction, ratioToNumber, ZERO_RATIO } from './ratio';
export type { Ratio } from './ratio';
export { memorySummary, pagesAndBytes, pssText, whyFiguresDiffer } from './memoryExplain';
export { LifeModel } from './lifeModel';
export type { LifeOperation, LifeProcess, LifeSpace, RegionShape } from './lifeModel';

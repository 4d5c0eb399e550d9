// The cost model every time estimate in the extension uses: the one measured on this machine by
// "CoW Lab: Measure on My Machine" when there is one, CoW Lab's defaults otherwise. No `vscode`
// here: the panel's pure step model reads it, and the glue (store.ts) sets it.
import { DEFAULT_MODEL, modelFromMeasurement, type SourcedModel } from '../engine';
import type { MeasureReport } from '../measure/summary';

let current: SourcedModel = DEFAULT_MODEL;
const listeners = new Set<() => void>();

export function activeCostModel(): SourcedModel {
  return current;
}

/** Uses `report` for every estimate from now on (undefined: back to the defaults). */
export function setMeasuredModel(report: MeasureReport | undefined): void {
  current = report
    ? { model: modelFromMeasurement(report), source: `measured on this machine ${report.measuredAt.slice(0, 10)} (${report.mib} MiB, median of ${report.samples})` }
    : DEFAULT_MODEL;
  for (const l of listeners) l();
}

export function onCostModelChange(listener: () => void): { dispose(): void } {
  listeners.add(listener);
  return { dispose: () => void listeners.delete(listener) };
}

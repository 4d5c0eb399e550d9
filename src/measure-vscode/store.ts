// The measurement, kept per machine in the extension's global state (never synced between
// machines: it describes this one) and checked when read back.
import type * as vscode from 'vscode';
import { measurementProblem, type MeasureReport } from '../measure/summary';

export const MEASUREMENT_KEY = 'cowLab.measurement.v1';

export function loadMeasurement(state: vscode.Memento): MeasureReport | undefined {
  const value: unknown = state.get(MEASUREMENT_KEY);
  if (value === undefined || measurementProblem(value) !== null) return undefined;
  const r = value as Partial<MeasureReport>;
  if (typeof r.measuredAt !== 'string' || typeof r.samples !== 'number' || typeof r.cpu !== 'number' || typeof r.spread !== 'object' || r.spread === null) return undefined;
  return value as MeasureReport;
}

export async function saveMeasurement(state: vscode.Memento, report: MeasureReport | undefined): Promise<void> {
  await state.update(MEASUREMENT_KEY, report);
}

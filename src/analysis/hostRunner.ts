// A full run of a scenario on the extension host (the panel paints its machines) and the
// diagnostics read off it: what AnalysisService.useHostRunner takes. Its own module so that the
// entry bundle, which holds the service but not the engine, does not import it (the panel's
// part does: src/parts/).
import { runDiagnostics } from '../features/model';
import { runForPanelSliced } from '../panel/scenarioRun';

export interface HostRunner {
  readonly runForPanelSliced: typeof runForPanelSliced;
  readonly runDiagnostics: typeof runDiagnostics;
}

export const hostRunner: HostRunner = { runForPanelSliced, runDiagnostics };
